"""The pages of signing: "Ký số" with the signing link, uploads from the page, "Kiểm tra tài liệu"."""

from __future__ import annotations

import io
import re

import pytest

from tests.building import build_all
from tests.factories import meeting_payload
from tests.signers import sign, throwaway_signer


@pytest.fixture(autouse=True)
def _no_dispatch(monkeypatch):
    """Nothing reaches Celery."""
    from service.jobs import queue

    monkeypatch.setattr(queue, "dispatch", lambda documents, size: 0)


def _job(app, client):
    job = client.post("/api/v1/jobs?documents=bien_ban_kiem_diem", json=meeting_payload()).get_json()
    build_all(app, job["id"])
    return client.get(job["links"]["self"]).get_json()


def _text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)).split())


def test_the_job_page_links_each_document_to_its_signing_page(app, client):
    """The job page has "Ký số" for a finished document, and its page the link and both uploads."""
    job = _job(app, client)
    assert "Ký số" in _text(client.get(f"/viec/{job['id']}"))
    page = client.get(f"/viec/{job['id']}/ky-so/{job['documents'][0]['name']}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "/ky-so/" in html and "tai-lieu.pdf" in html
    assert "Tải bản đã ký" in html and "Bản ký tay" in html


def test_a_copy_signed_elsewhere_is_taken_from_the_page_and_shown(app, client):
    """The page's upload takes a signed PDF; the job page then names the signer."""
    job = _job(app, client)
    document = job["documents"][0]
    signed = sign(client.get(document["links"]["pdf"]).data, throwaway_signer("Phạm Thị Lan"))
    answer = client.post(f"/viec/{job['id']}/ky-so/{document['name']}",
                         data={"file": (io.BytesIO(signed), "da-ky.pdf")}, content_type="multipart/form-data")
    assert answer.status_code == 303
    assert "Đã ký số: Phạm Thị Lan" in _text(client.get(f"/viec/{job['id']}"))


def test_an_unsigned_upload_from_the_page_is_told_in_vietnamese(app, client):
    """An unsigned PDF from the page: back to the page with the reason, nothing taken."""
    job = _job(app, client)
    document = job["documents"][0]
    answer = client.post(f"/viec/{job['id']}/ky-so/{document['name']}", follow_redirects=True,
                         data={"file": (io.BytesIO(client.get(document["links"]["pdf"]).data), "x.pdf")},
                         content_type="multipart/form-data")
    assert "chưa có chữ ký số" in _text(answer)
    assert client.get(job["links"]["self"]).get_json()["documents"][0]["signed"] is None


def test_the_verify_page_names_the_job_of_a_downloaded_pdf(app, client):
    """"Kiểm tra tài liệu" with a downloaded PDF says which document of which job it is."""
    job = _job(app, client)
    pdf = client.get(job["documents"][0]["links"]["pdf"]).data
    answer = client.post("/kiem-tra", data={"file": (io.BytesIO(pdf), "x.pdf")},
                         content_type="multipart/form-data")
    assert answer.status_code == 200 and "Đúng tài liệu" in _text(answer) and job["id"] in answer.get_data(
        as_text=True)
