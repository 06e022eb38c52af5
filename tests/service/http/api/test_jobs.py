"""The JSON API: validation problems, 202 + Location, job status, downloads."""

from __future__ import annotations

import io
import urllib.request
import zipfile
from datetime import date, timedelta

import pytest

from service import create_app, extensions
from service.documents.rendering import DocxRenderer
from service.extensions import get_storage
from service.jobs import models, pipeline
from tests.support import people
from tests.support.building import pack
from tests.support.factories import meeting_payload
from tests.support.fakes import MINIMAL_PDF, FakeConverter


@pytest.fixture(name="queued")
def _queued(monkeypatch):
    """Record the ids handed to the queue instead of sending them to Redis."""
    sent: list[str] = []
    from service.jobs import queue

    monkeypatch.setattr(queue, "dispatch", lambda documents, size, **_: sent.extend(d.id for d in documents))
    return sent


def test_post_answers_202_with_location(client, queued):
    """A valid meeting is accepted and one task per document is queued with its id only."""
    response = client.post("/api/v1/jobs", json=meeting_payload())
    assert response.status_code == 202
    job = response.get_json()
    assert response.headers["Location"] == f"/api/v1/jobs/{job['id']}"
    assert job["status"] == "queued"
    types = [d["type"] for d in job["documents"]]
    assert types[:2] == ["bien_ban_kiem_diem", "bao_cao_kiem_diem"]
    assert types.count("ban_kiem_diem_ca_nhan") == 12
    assert len(queued) == len(types) and len(queued[0]) == 32


def test_invalid_meeting_is_a_422_problem_naming_the_field(client, queued):
    """More votes than voters is refused before anything is queued."""
    data = meeting_payload()
    data["ratings"][1]["votes"] = {"tot": 20}
    response = client.post("/api/v1/jobs", json=data)
    assert response.status_code == 422
    assert response.content_type == "application/problem+json"
    problem = response.get_json()
    assert problem["errors"][0]["field"] == "ratings[1].votes"
    assert "nhiều hơn" in problem["detail"]
    assert queued == []


def _dated(day: date) -> dict:
    return meeting_payload(review_year=day.year, start=f"{day}T14:00:00", end=f"{day}T17:00:00")


def test_a_meeting_further_ahead_than_the_setting_is_a_422(app, client, queued):
    """MEETING_DAYS_AHEAD days ahead is accepted, one more day is refused on the start field."""
    app.config["MEETING_DAYS_AHEAD"] = 3
    assert client.post("/api/v1/jobs", json=_dated(date.today() + timedelta(days=3))).status_code == 202
    response = client.post("/api/v1/jobs", json=_dated(date.today() + timedelta(days=4)))
    assert response.status_code == 422
    assert [e["field"] for e in response.get_json()["errors"]] == ["start"]


def test_unknown_job_is_a_404_problem(client):
    """An unknown id answers problem+json in Vietnamese."""
    response = client.get("/api/v1/jobs/0123456789abcdef0123456789abcdef")
    assert response.status_code == 404
    assert response.content_type == "application/problem+json"
    assert "Không có công việc" in response.get_json()["detail"]


def test_not_json_is_a_415_problem(client):
    """A form post is refused with a problem, not an HTML page."""
    response = client.post("/api/v1/jobs", data="a=b")
    assert response.status_code == 415
    assert response.content_type == "application/problem+json"


def test_broken_json_is_a_400_problem(client):
    """Malformed JSON is refused with a Vietnamese detail."""
    response = client.post("/api/v1/jobs", data="{", content_type="application/json")
    assert response.status_code == 400
    assert "JSON" in response.get_json()["detail"]


def test_too_large_body_is_a_413_problem(app, client):
    """Bodies above MAX_CONTENT_LENGTH are refused."""
    app.config["MAX_CONTENT_LENGTH"] = 100
    response = client.post("/api/v1/jobs", json=meeting_payload())
    assert response.status_code == 413
    assert response.content_type == "application/problem+json"


def test_document_not_ready_is_a_409_problem(client, queued):
    """Asking for a queued document's PDF answers 409."""
    job = client.post("/api/v1/jobs", json=meeting_payload()).get_json()
    response = client.get(f"/api/v1/jobs/{job['id']}/documents/bien_ban_kiem_diem.pdf")
    assert response.status_code == 409
    assert client.get(f"/api/v1/jobs/{job['id']}/package.zip").status_code == 409
    assert response.content_type == "application/problem+json"


def test_unknown_route_is_a_problem(client):
    """Even a mistyped URL answers problem+json."""
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.content_type == "application/problem+json"


def test_job_status_follows_documents(app, client, queued):
    """A job whose documents are all done reports done, with download links."""
    job = client.post("/api/v1/jobs", json=meeting_payload()).get_json()
    with app.app_context(), extensions.session_scope() as session:
        for document in session.get(models.Job, job["id"]).documents:
            document.status = models.DONE
    body = client.get(f"/api/v1/jobs/{job['id']}").get_json()
    assert body["status"] == "done"
    assert body["documents"][0]["links"]["pdf"].endswith("bien_ban_kiem_diem.pdf")


def test_schema_is_served(client):
    """The JSON Schema of the meeting data is published."""
    schema = client.get("/api/v1/schema").get_json()
    assert "members" in schema["$defs"]["AnnualReview"]["properties"]


def test_a_subset_of_documents_can_be_asked_for(client, queued):
    """?documents= picks the documents to make."""
    response = client.post("/api/v1/jobs?documents=bien_ban_kiem_phieu,phieu_danh_gia_chi_bo",
                           json=meeting_payload())
    assert response.status_code == 202
    assert [d["type"] for d in response.get_json()["documents"]] == ["phieu_danh_gia_chi_bo",
                                                                      "bien_ban_kiem_phieu"]


def test_unknown_document_type_is_a_422_problem(client, queued):
    """Asking for a document the meeting kind does not have names the field."""
    response = client.post("/api/v1/jobs?documents=bien_ban_sinh_hoat", json=meeting_payload())
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["field"] == "documents"
    assert queued == []


def test_document_types_are_listed(client):
    """GET /document-types lists every type with its meeting kind."""
    types = client.get("/api/v1/document-types").get_json()["document_types"]
    assert {t["id"] for t in types} >= {"bien_ban_kiem_diem", "bien_ban_sinh_hoat"}
    assert next(t for t in types if t["id"] == "ban_kiem_diem_ca_nhan")["per_member"] is True


def test_monthly_meeting_is_accepted(client, queued):
    """A monthly meeting makes its minutes, and its resolution when the chi bộ issues one."""
    from tests.support.factories import monthly_payload

    response = client.post("/api/v1/jobs", json=monthly_payload(issue_resolution=False))
    assert response.status_code == 202
    assert [d["type"] for d in response.get_json()["documents"]] == ["bien_ban_sinh_hoat"]
    response = client.post("/api/v1/jobs", json=monthly_payload())  # the sample issues its resolution
    body = response.get_json()
    assert [d["type"] for d in body["documents"]] == ["bien_ban_sinh_hoat", "nghi_quyet_sinh_hoat"]
    assert body["title"] == "Chi bộ Văn phòng – tháng 11/2025"


def test_a_short_monthly_meeting_warns_in_the_job(client, queued):
    """75 minutes in November 2025: the job tells the secretary HD 42 asks for 90."""
    from tests.support.factories import monthly_payload

    response = client.post("/api/v1/jobs", json=monthly_payload(end="2025-11-07T09:15:00"))
    assert response.status_code == 202
    assert [w for w in response.get_json()["warnings"] if "kéo dài 75 phút" in w]


def _built_on_s3(s3_server, bucket, tmp_path, presigned):
    """An app on an S3 bucket with one built document (fake converter); its client and job."""
    app = create_app({"TESTING": True, "DATA_DIR": str(tmp_path / "var"),
                      "REDIS_URL": "redis://127.0.0.1:1/0",
                      **s3_server.settings(bucket, S3_PRESIGNED_DOWNLOADS=presigned)})
    with app.app_context():
        with extensions.session_scope() as session:
            job = pipeline.submit(meeting_payload(), session=session, storage=get_storage(),
                                  only=["bien_ban_kiem_diem"])
            session.flush()
            job_id, document_id = job.id, job.documents[0].id
        pipeline.build_document(document_id, sessions=extensions.session_scope, storage=get_storage(),
                                renderer=DocxRenderer(), converter=FakeConverter())
    pack(app, [document_id])
    client = people.as_user(app.test_client(), people.token(app, role="admin", org=None))
    return client, client.get(f"/api/v1/jobs/{job_id}").get_json()


def test_s3_download_redirects_to_a_presigned_url(s3_server, bucket, tmp_path):
    """S3_PRESIGNED_DOWNLOADS: a 302 to the store, never cached; the URL serves the named PDF."""
    client, job = _built_on_s3(s3_server, bucket, tmp_path, presigned=True)
    response = client.get(job["documents"][0]["links"]["pdf"])
    assert response.status_code == 302
    assert response.headers["Cache-Control"] == "no-store"
    assert response.location.startswith(f"{s3_server.endpoint}/{bucket}/jobs/{job['id']}/")
    with urllib.request.urlopen(response.location, timeout=10) as stored:
        assert stored.read() == MINIMAL_PDF
        assert stored.headers["Content-Type"] == "application/pdf"
        assert stored.headers["Content-Disposition"].startswith(
            'inline; filename="bien-ban-kiem-diem-chi-bo-truong-tieu-hoc-thach-linh-2025-12-05.pdf"')


def test_s3_docx_download_url_is_an_attachment(s3_server, bucket, tmp_path):
    """The presigned DOCX is served as an attachment with the Word content type."""
    client, job = _built_on_s3(s3_server, bucket, tmp_path, presigned=True)
    location = client.get(job["documents"][0]["links"]["docx"]).location
    with urllib.request.urlopen(location, timeout=10) as stored:
        assert stored.headers["Content-Type"].endswith("wordprocessingml.document")
        assert stored.headers["Content-Disposition"].startswith("attachment;")
        assert stored.read().startswith(b"PK")


def test_s3_download_streams_when_presigning_is_off(s3_server, bucket, tmp_path):
    """Without S3_PRESIGNED_DOWNLOADS the web node reads the bucket and streams the file."""
    client, job = _built_on_s3(s3_server, bucket, tmp_path, presigned=False)
    response = client.get(job["documents"][0]["links"]["pdf"])
    assert response.status_code == 200
    assert response.data == MINIMAL_PDF


def test_s3_package_is_a_presigned_redirect_to_the_stored_zip(s3_server, bucket, tmp_path):
    """The ZIP built by the worker is stored: with presigning, a 302 to it, named for filing."""
    client, job = _built_on_s3(s3_server, bucket, tmp_path, presigned=True)
    response = client.get(job["links"]["package"])
    assert response.status_code == 302
    assert response.location.startswith(f"{s3_server.endpoint}/{bucket}/jobs/{job['id']}/goi/ho-so.zip")
    with urllib.request.urlopen(response.location, timeout=10) as stored:
        assert stored.headers["Content-Type"] == "application/zip"
        assert "ho-so-chi-bo" in stored.headers["Content-Disposition"]
        assert zipfile.ZipFile(io.BytesIO(stored.read())).namelist()


def test_s3_print_pdf_streams_from_the_bucket_without_presigning(s3_server, bucket, tmp_path):
    """Without presigning, the stored print PDF is streamed from the S3 body."""
    client, job = _built_on_s3(s3_server, bucket, tmp_path, presigned=False)
    response = client.get(job["links"]["print"])
    assert response.status_code == 200 and response.is_streamed
    assert response.data.startswith(b"%PDF")


def test_missing_spreadsheet_is_a_404(app, client, queued):
    """A document type without an Excel copy answers 404 for .xlsx, whatever the storage."""
    job = client.post("/api/v1/jobs?documents=bien_ban_kiem_diem", json=meeting_payload()).get_json()
    with app.app_context(), extensions.session_scope() as session:
        session.get(models.Job, job["id"]).documents[0].status = models.DONE
    response = client.get(f"/api/v1/jobs/{job['id']}/documents/bien_ban_kiem_diem.xlsx")
    assert response.status_code == 404


def _stored(app) -> list[str]:
    root = app.config["STORAGE_PATH"]
    import pathlib

    return [str(p) for p in pathlib.Path(root).rglob("input.json")]


def test_a_meeting_sent_while_redis_is_down_is_a_503_and_nothing_is_kept(app, client):
    """The real queue at a closed port: 503 problem+json in Vietnamese; no job, no stored input."""
    response = client.post("/api/v1/jobs", json=meeting_payload())
    assert response.status_code == 503
    assert response.mimetype == "application/problem+json"
    problem = response.get_json()
    assert problem["type"].endswith("queue-unavailable") and "Không có gì được lưu" in problem["detail"]
    assert client.get("/api/v1/jobs").get_json()["items"] == []
    assert _stored(app) == []


def test_a_batch_sent_while_redis_is_down_is_a_503_and_nothing_is_kept(app, client):
    """Same for a whole đảng bộ: no batch and no job is left behind."""
    from tests.support.factories import dang_bo_payload

    assert client.post("/api/v1/batches", json=dang_bo_payload()).status_code == 503
    assert client.get("/api/v1/batches").get_json()["items"] == []
    assert client.get("/api/v1/jobs").get_json()["items"] == []


def test_retry_queues_only_the_failed_documents_of_a_job(app, client, queued):
    """POST …/retry on a job with one failed document queues that one, its error cleared."""
    job = client.post("/api/v1/jobs", json=meeting_payload()).get_json()
    with app.app_context(), extensions.session_scope() as session:
        rows = session.get(models.Job, job["id"]).documents
        for row in rows:
            row.status = models.DONE
        rows[1].status, rows[1].error_type, rows[1].crashes = models.FAILED, "poison-document", 2
        target = rows[1].id
    queued.clear()
    response = client.post(job["links"]["retry"])
    assert response.status_code == 202 and response.get_json() == {"retried": 1}
    assert queued == [target]
    with app.app_context(), extensions.session_scope() as session:
        again = session.get(models.Document, target)
        assert again.status == models.QUEUED and again.error_type is None and again.crashes == 0


def test_a_job_whose_messages_are_gone_is_incomplete_and_retry_takes_them(app, client, queued,
                                                                          monkeypatch):
    """Queue empty long enough and documents pending: "incomplete", each marked lost; retry takes all."""
    from service.jobs import queue

    monkeypatch.setattr(queue, "quiet_for", lambda _url: 3600.0)
    app.config["LOST_AFTER_SECONDS"] = 0
    job = client.post("/api/v1/jobs", json=meeting_payload()).get_json()
    body = client.get(job["links"]["self"]).get_json()
    assert body["status"] == "incomplete" and body["lost"] == len(body["documents"])
    assert body["documents"][0]["lost"] and "mất khỏi hàng đợi" in body["documents"][0]["error"]["detail"]
    assert client.post(job["links"]["retry"]).get_json() == {"retried": len(body["documents"])}


def test_a_short_empty_queue_is_no_loss(app, client, queued, monkeypatch):
    """The queue empty for less than LOST_AFTER_SECONDS: the documents are still waiting."""
    from service.jobs import queue

    monkeypatch.setattr(queue, "quiet_for", lambda _url: 1.0)
    app.config["LOST_AFTER_SECONDS"] = 5
    job = client.post("/api/v1/jobs", json=meeting_payload()).get_json()
    with app.app_context(), extensions.session_scope() as session:
        for row in session.get(models.Job, job["id"]).documents:
            row.updated_at = row.updated_at.replace(year=2020)  # quiet for years themselves
    body = client.get(job["links"]["self"]).get_json()
    assert body["status"] == "queued" and body["lost"] == 0
