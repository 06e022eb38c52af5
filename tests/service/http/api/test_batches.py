"""The batches API: one upload, a job per chi bộ, progress, idempotency, retry."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from service import extensions
from service.jobs import models
from tests.support import people
from tests.support.factories import dang_bo_payload, workbook_bytes

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(name="dispatched")
def _dispatched(monkeypatch):
    """Record the document ids handed to Celery instead of sending them."""
    sent: list[list[str]] = []
    from service.jobs import queue

    monkeypatch.setattr(queue, "dispatch",
                        lambda documents, size, **_: sent.append([d.id for d in documents]))
    return sent


def test_json_batch_creates_a_job_per_chi_bo_and_the_summary(client, dispatched):
    """Three chi bộ make four jobs; every document is queued once."""
    response = client.post("/api/v1/batches", json=dang_bo_payload())
    assert response.status_code == 202
    body = response.get_json()
    assert len(body["chi_bo"]) == 3
    assert [d["type"] for d in body["summary"]["documents"]] == ["tong_hop_xep_loai"]
    assert body["total"] == len(dispatched[0]) and body["done"] == 0
    assert response.headers["Location"] == f"/api/v1/batches/{body['id']}"


def test_a_summary_dated_too_far_ahead_is_a_422(client, dispatched):
    """The batch edge checks dates against today too (here the summary's report date)."""
    data = dang_bo_payload()
    data["dang_bo"]["report_date"] = "2099-12-22"
    response = client.post("/api/v1/batches", json=data)
    assert response.status_code == 422
    ahead = [e for e in response.get_json()["errors"] if "kể từ hôm nay" in e["detail"]]
    assert [e["field"] for e in ahead] == ["dang_bo.report_date"]
    assert dispatched == []


def test_same_content_twice_returns_the_same_batch(client, dispatched):
    """Resubmitting identical data answers 200 with the existing batch and queues nothing."""
    first = client.post("/api/v1/batches", json=dang_bo_payload()).get_json()
    again = client.post("/api/v1/batches", json=dang_bo_payload())
    assert again.status_code == 200
    assert again.get_json()["id"] == first["id"]
    assert len(dispatched) == 2 and dispatched[1] == []


def test_same_idempotency_key_returns_the_same_batch(client, dispatched):
    """An Idempotency-Key finds the batch even when the content changed."""
    headers = {"Idempotency-Key": "upload-42"}
    first = client.post("/api/v1/batches", json=dang_bo_payload(), headers=headers).get_json()
    changed = dang_bo_payload()
    changed["dang_bo"]["secretary"] = "Người Khác"
    again = client.post("/api/v1/batches", json=changed, headers=headers)
    assert again.get_json()["id"] == first["id"]


def test_workbook_upload_is_accepted(client, dispatched):
    """A multipart upload of the workbook makes a batch."""
    from io import BytesIO

    response = client.post("/api/v1/batches", data={"file": (BytesIO(workbook_bytes()), "dang-bo.xlsx")},
                           content_type="multipart/form-data")
    assert response.status_code == 202, response.get_json()
    assert len(response.get_json()["chi_bo"]) == 1


def test_workbook_errors_come_back_by_cell(client, dispatched):
    """An invalid workbook answers 422 listing sheet, row and column for each problem."""
    data = workbook_bytes(lambda book: book["Phiếu"].__setitem__("D2", 5))
    response = client.post("/api/v1/batches", data=data, content_type=XLSX)
    assert response.status_code == 422
    error = response.get_json()["errors"][0]
    assert (error["sheet"], error["row"]) == ("Phiếu", 2)
    assert dispatched == []


def test_a_wrong_header_is_a_problem_naming_sheet_and_column(client, dispatched):
    """A workbook whose header is no column answers 422 problem+json naming the sheet and the header."""
    data = workbook_bytes(lambda book: book["Chi bộ"].__setitem__("B1", "???"))
    response = client.post("/api/v1/batches", data=data, content_type=XLSX)
    assert response.status_code == 422 and response.mimetype == "application/problem+json"
    errors = response.get_json()["errors"]
    assert [(e["sheet"], e["row"], e["column"]) for e in errors] == [("Chi bộ", 1, "???"),
                                                                     ("Chi bộ", 1, "Tên chi bộ")]
    assert "không phải cột nào của mẫu" in errors[0]["detail"] and dispatched == []


def test_wrong_file_type_is_refused(client, dispatched):
    """A .docx sent as the workbook is a 400 problem."""
    from io import BytesIO

    response = client.post("/api/v1/batches", data={"file": (BytesIO(b"PK"), "x.docx")},
                           content_type="multipart/form-data")
    assert response.status_code == 400
    assert response.content_type == "application/problem+json"


def test_retry_requeues_only_failed_documents(app, client, dispatched):
    """After a failure, retry queues that document alone and it is queued again."""
    body = client.post("/api/v1/batches", json=dang_bo_payload()).get_json()
    failed_name = body["chi_bo"][0]["documents"][2]["name"]
    with app.app_context(), extensions.session_scope() as session:
        job = session.get(models.Job, body["chi_bo"][0]["id"])
        target = next(d for d in job.documents if d.name == failed_name)
        target.status, target.error_detail = models.FAILED, "hỏng"
        for other in job.documents:
            if other is not target:
                other.status = models.DONE
    progress = client.get(body["links"]["self"]).get_json()
    assert progress["failed"] == 1 and progress["failures"][0]["error"] == "hỏng"
    response = client.post(body["links"]["retry"])
    assert response.get_json() == {"retried": 1}
    assert dispatched[-1] == [target.id]


def test_blank_workbook_is_served(client):
    """GET /workbook downloads the xlsx."""
    response = client.get("/api/v1/workbook")
    assert response.status_code == 200
    assert response.data.startswith(b"PK")


def test_pending_documents_with_nothing_in_redis_are_reported_lost(app, client, dispatched,
                                                                   monkeypatch):
    """Queue empty and documents still pending: "incomplete" with the lost count; retry takes all."""
    from service.jobs import queue

    monkeypatch.setattr(queue, "quiet_for", lambda _url: 3600.0)
    app.config["LOST_AFTER_SECONDS"] = 0
    body = client.post("/api/v1/batches", json=dang_bo_payload()).get_json()
    progress = client.get(body["links"]["self"]).get_json()
    assert progress["status"] == "incomplete"
    assert progress["lost"] == progress["total"] == len(progress["failures"])
    assert "mất khỏi hàng đợi" in progress["failures"][0]["error"]
    assert client.post(body["links"]["retry"]).get_json() == {"retried": progress["total"]}


def test_nothing_is_called_lost_while_redis_cannot_be_asked(app, client, dispatched):
    """Redis unreachable (the test app's port 1): pending documents stay pending, not lost."""
    app.config["LOST_AFTER_SECONDS"] = 0
    body = client.post("/api/v1/batches", json=dang_bo_payload()).get_json()
    progress = client.get(body["links"]["self"]).get_json()
    assert progress["status"] == "queued" and progress["lost"] == 0


def test_recently_queued_documents_are_not_lost_yet(app, client, dispatched, monkeypatch):
    """A document queued less than LOST_AFTER_SECONDS ago is waiting, not lost."""
    from service.jobs import queue

    monkeypatch.setattr(queue, "quiet_for", lambda _url: 3600.0)
    body = client.post("/api/v1/batches", json=dang_bo_payload()).get_json()
    assert client.get(body["links"]["self"]).get_json()["lost"] == 0


@pytest.mark.parametrize("headers", [{"Idempotency-Key": "lo-cung-luc"}, {}], ids=["key", "content"])
def test_the_same_batch_sent_four_times_at_once_is_one_batch(app, client, dispatched, headers):
    """Four callers at the same moment, with a shared Idempotency-Key or the same content: one batch,
    every caller is answered with it (the probe saw 4 batches, or 1 and three HTTP 500s)."""
    clients = [people.as_user(app.test_client(), client.environ_base["HTTP_AUTHORIZATION"].split()[1])
               for _ in range(4)]
    start = threading.Barrier(4)

    def send(caller):
        start.wait()
        return caller.post("/api/v1/batches", json=dang_bo_payload(), headers=headers)

    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(send, clients))
    assert sorted(a.status_code for a in answers) == [200, 200, 200, 202], [a.get_json() for a in answers]
    assert len({a.get_json()["id"] for a in answers}) == 1
    with app.app_context(), extensions.session_scope() as session:
        assert session.query(models.Batch).count() == 1
    assert len(dispatched) == 1
