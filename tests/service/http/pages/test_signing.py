"""The pages of signing: "Ký số" with the signing link, uploads from the page, "Kiểm tra tài liệu"."""

from __future__ import annotations

import io
import re

import pytest

from tests.support.building import build_all
from tests.support.factories import meeting_payload
from tests.support.signers import sign, throwaway_signer


@pytest.fixture(autouse=True)
def _no_dispatch(monkeypatch):
    """Nothing reaches Celery."""
    from service.jobs import queue

    monkeypatch.setattr(queue, "dispatch", lambda documents, size, **_: 0)


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


def test_the_signing_page_calls_the_local_signing_tool_with_addresses_of_the_request(app, client):
    """One button for the VGCA Sign Service: the link's addresses come from the request (no setting),
    the CSP lets the page's script reach only the tool's own address; the hand-signed way beside."""
    job = _job(app, client)
    page = client.get(f"/viec/{job['id']}/ky-so/{job['documents'][0]['name']}", base_url="https://chibo.test")
    html = page.get_data(as_text=True)
    assert 'id="vgca-sign"' in html and 'data-plugin="wss://127.0.0.1:8987/SignApproved"' in html
    assert 'data-upload="https://chibo.test/ky-so/' in html and 'href="#ban-ky-tay"' in html
    policy = page.headers["Content-Security-Policy"]
    assert "connect-src 'self' wss://127.0.0.1:8987;" in policy and "script-src 'self';" in policy
    assert "<script>" not in html and "onclick" not in html


def test_the_operator_may_set_the_signing_addresses(app, client):
    """SIGNING_BASE_URL and SIGNING_PLUGIN_URL, when set, replace what the request would give."""
    app.config.update(SIGNING_BASE_URL="https://ky.example.vn/", SIGNING_PLUGIN_URL="wss://localhost:9999/Sign")
    job = _job(app, client)
    page = client.get(f"/viec/{job['id']}/ky-so/{job['documents'][0]['name']}")
    html = page.get_data(as_text=True)
    assert 'data-pdf="https://ky.example.vn/ky-so/' in html
    assert 'data-plugin="wss://localhost:9999/Sign"' in html
    assert "connect-src 'self' wss://localhost:9999;" in page.headers["Content-Security-Policy"]


def test_rebuilding_a_signed_document_from_the_page_asks_first(app, client):
    """"Tạo lại" on a signed document: a confirmation page; confirmed, the job is at revision 2."""
    job = _job(app, client)
    document = job["documents"][0]
    signed = sign(client.get(document["links"]["pdf"]).data, throwaway_signer("Phạm Thị Lan"))
    client.post(document["signing"]["signed"], data=signed, content_type="application/pdf")
    asked = client.post(f"/viec/{job['id']}/tao-lai/{document['name']}")
    assert asked.status_code == 409 and "bản sửa lần 2, chưa ký" in _text(asked)
    assert 'name="confirm_signed" value="1"' in asked.get_data(as_text=True)
    assert client.get(job["links"]["self"]).get_json()["revision"] == 1
    done = client.post(f"/viec/{job['id']}/tao-lai/{document['name']}", data={"confirm_signed": "1"})
    assert done.status_code == 303 and client.get(job["links"]["self"]).get_json()["revision"] == 2


def test_the_signing_link_takes_a_file_under_any_field_name(app, anonymous, client):
    """A signing tool posting its file under its own field name is understood (no login)."""
    job = _job(app, client)
    document = job["documents"][0]
    link = client.post(document["signing"]["link"]).get_json()
    signed = sign(client.get(document["links"]["pdf"]).data, throwaway_signer("Phạm Thị Lan"))
    answer = anonymous.post(link["upload"], data={"uploadfile": (io.BytesIO(signed), "x.pdf")},
                            content_type="multipart/form-data")
    assert answer.status_code == 201 and answer.get_json()["Status"] is True


def test_her_word_file_is_taken_from_the_job_page_and_a_bad_one_is_told_in_vietnamese(app, client):
    """"Tải lên bản Word đã sửa": a DOCX becomes the next revision, labelled on the job page; a file
    that is not one answers the form again with the reason; over a signed copy it asks first."""
    job = _job(app, client)
    document = job["documents"][0]
    upload = f"/viec/{job['id']}/ban-word/{document['name']}"
    assert f'action="{upload}"' in client.get(f"/viec/{job['id']}").get_data(as_text=True)
    refused = client.post(upload, data={"file": (io.BytesIO(b"not a docx"), "sua.docx")},
                          content_type="multipart/form-data")
    assert refused.status_code == 422 and "không phải văn bản Word" in _text(refused)
    assert f'action="{upload}"' in refused.get_data(as_text=True)  # the form again, to choose another
    docx = client.get(document["links"]["docx"]).data
    taken = client.post(upload, data={"file": (io.BytesIO(docx), "bien-ban-sua.docx")},
                        content_type="multipart/form-data")
    assert taken.status_code == 303
    build_all(app, job["id"])
    page = _text(client.get(f"/viec/{job['id']}"))
    assert "Bản Word chỉnh sửa ngoài hệ thống" in page and "bản 2" in page
    signed = sign(client.get(document["links"]["pdf"]).data, throwaway_signer("Phạm Thị Lan"))
    client.post(f"/viec/{job['id']}/ky-so/{document['name']}",
                data={"file": (io.BytesIO(signed), "da-ky.pdf")}, content_type="multipart/form-data")
    asked = client.post(upload, data={"file": (io.BytesIO(docx), "lan-nua.docx")},
                        content_type="multipart/form-data")
    assert asked.status_code == 409 and "văn bản đã ký" in _text(asked)
    assert 'name="confirm_signed" value="1"' in asked.get_data(as_text=True)
