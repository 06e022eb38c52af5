"""STORAGE_BACKEND=s3: a real worker writes into a bucket of a real S3 server (SeaweedFS),
the web node serves the PDF from there, streamed or by a redirect to a presigned URL."""

from __future__ import annotations

import urllib.request
from pathlib import Path

import pytest

from service import create_app
from tests.integration.conftest import pdf_text, running_worker, wait_until_finished
from tests.support import people
from tests.support.factories import meeting_payload

pytestmark = pytest.mark.integration
BUCKET = "chibo-e2e"
MINUTES = ("BIÊN BẢN", "CHI BỘ TRƯỜNG TIỂU HỌC THẠCH LINH", "Hà Tĩnh, ngày 05 tháng 12 năm 2025",
           "Hoàn thành xuất sắc nhiệm vụ")


@pytest.fixture(name="s3_config", scope="module")
def _s3_config(s3_server, redis_url, stack_dir):
    """Settings of a node on the bucket; Redis database 1, so the session's worker never sees it."""
    return {"DATA_DIR": str(stack_dir / "var-s3"), "REDIS_URL": f"{redis_url.rsplit('/', 1)[0]}/1",
            **s3_server.settings(BUCKET)}


@pytest.fixture(name="s3_worker", scope="module")
def _s3_worker(s3_config, stack_dir):
    """A ``celery -A workers worker`` (one process, one LibreOffice) storing into the bucket."""
    with running_worker(s3_config, stack_dir / "worker-s3.log") as process:
        yield process


@pytest.fixture(name="s3_job", scope="module")
def _s3_job(s3_config, s3_worker):
    """The minutes of the sample meeting, submitted through the app and built by the worker."""
    client = people.client(create_app({"TESTING": True, **s3_config}))
    response = client.post("/api/v1/jobs?documents=bien_ban_kiem_diem", json=meeting_payload())
    assert response.status_code == 202
    job = wait_until_finished(client, response.headers["Location"], timeout=180)
    assert job["status"] == "done", job
    return job


def test_worker_writes_the_documents_into_the_bucket(s3_server, s3_config, s3_job):
    """The PDF and DOCX are objects of the bucket, and nothing is written to a local folder."""
    client = s3_server.client()
    listed = client.list_objects_v2(Bucket=BUCKET, Prefix=f"jobs/{s3_job['id']}/r1/")
    names = sorted(o["Key"].rsplit("/", 1)[1] for o in listed.get("Contents", []))
    assert len(names) == 2 and names[0].endswith(".docx") and names[1].endswith(".pdf")
    assert names[0][:-5] == names[1][:-4] and "bien_ban" not in names[0]  # ids, never names
    assert not (Path(s3_config["DATA_DIR"]) / "storage" / "jobs").exists()


def test_pdf_streams_through_the_web_node(s3_config, s3_job, tmp_path):
    """Presigning off: the app reads the bucket and answers the PDF with the meeting's text."""
    client = people.client(create_app({"TESTING": True, **s3_config}))
    response = client.get(s3_job["documents"][0]["links"]["pdf"])
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = pdf_text(response.data, tmp_path)
    assert all(expected in text for expected in MINUTES), text[:400]


def test_pdf_redirects_to_the_store(s3_config, s3_job, tmp_path):
    """Presigning on: a redirect to the store, whose answer is the same PDF, named, inline."""
    client = people.client(create_app({"TESTING": True, **s3_config, "S3_PRESIGNED_DOWNLOADS": True}))
    response = client.get(s3_job["documents"][0]["links"]["pdf"])
    assert response.status_code == 302
    with urllib.request.urlopen(response.location, timeout=10) as stored:
        assert stored.headers["Content-Type"] == "application/pdf"
        assert stored.headers["Content-Disposition"].startswith(
            'inline; filename="bien-ban-kiem-diem-chi-bo-truong-tieu-hoc-thach-linh-2025-12-05.pdf"')
        text = pdf_text(stored.read(), tmp_path)
    assert all(expected in text for expected in MINUTES), text[:400]


def test_health_is_ok_on_s3(s3_config, s3_job):
    """With the bucket, Redis and the worker up, /healthz is ok, storage included."""
    response = create_app({"TESTING": True, **s3_config}).test_client().get("/healthz")
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["checks"]["storage"] == "ok"
