"""The secretary's finished Word file as the document of record, through the real worker.

She downloads a document's DOCX, edits it in Word and uploads it: it becomes the document's
next revision, converted to PDF/A by the worker's LibreOffice (unoserver), labelled "chỉnh sửa
ngoài hệ thống" on the job page and in the revisions, signed and verified like any other; a
rebuild from the data asks before replacing it; a file that is not a safe DOCX is refused.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest

from tests.integration.conftest import pdf_text, wait_until_finished
from tests.support.archival import pdfa_identification
from tests.support.factories import meeting_payload
from tests.support.signers import sign, throwaway_signer

pytestmark = pytest.mark.integration
EDIT = "Đoạn này bí thư viết thêm trong Word sau hội nghị"
DDE = ('<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> '
       'DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/c calc" </w:instrText></w:r>'
       '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>')


def _with(docx: bytes, paragraph: str) -> bytes:
    """*docx* with *paragraph* (WordprocessingML) first in its body, as Word saves an edit."""
    source = zipfile.ZipFile(io.BytesIO(docx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "word/document.xml":
                data = re.sub(rb"(<w:body[^>]*>)", lambda m: m.group(1) + paragraph.encode(), data, count=1)
            archive.writestr(info, data)
    return out.getvalue()


def _upload(client, url: str, data: bytes, name: str = "bien-ban-da-sua.docx"):
    return client.post(url, data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data")


def _text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)).split())


def test_her_word_file_becomes_the_document_signed_and_verified_and_a_rebuild_asks(live_client,
                                                                                   tmp_path: Path):
    client = live_client
    job = client.post("/api/v1/jobs?documents=bien_ban_kiem_diem", json=meeting_payload()).get_json()
    job = wait_until_finished(client, job["links"]["self"])
    (document,) = job["documents"]
    upload = f"/api/v1/jobs/{job['id']}/documents/{document['name']}/docx"
    ours = client.get(document["links"]["docx"]).data

    refused = _upload(client, upload, b"PK\x03\x04 not a zip at all")  # not a DOCX
    assert refused.status_code == 422 and refused.get_json()["errors"][0]["field"] == "file"
    assert "không phải văn bản Word" in refused.get_json()["detail"]
    dde = _upload(client, upload, _with(ours, DDE)).get_json()  # a field code that runs a program
    assert dde["type"].endswith("invalid-document-file") and "DDEAUTO" in dde["detail"]
    assert client.get(job["links"]["self"]).get_json()["revision"] == 1  # nothing taken

    answer = _upload(client, upload, _with(ours, f"<w:p><w:r><w:t>{EDIT}</w:t></w:r></w:p>"))
    assert answer.status_code == 202, answer.get_json()
    assert answer.get_json()["revision"] == 2
    job = wait_until_finished(client, job["links"]["self"])
    (document,) = job["documents"]
    assert job["status"] == "done", job
    assert document["edited"]["label"] == "chỉnh sửa ngoài hệ thống"
    assert document["edited"]["filename"] == "bien-ban-da-sua.docx"
    assert document["provenance"]["edited"]["sha256"] == document["edited"]["sha256"]
    pdf = client.get(document["links"]["pdf"]).data
    assert EDIT in pdf_text(pdf, tmp_path) and pdfa_identification(pdf) == "2B"
    assert EDIT.encode() in zipfile.ZipFile(io.BytesIO(client.get(document["links"]["docx"]).data)).read(
        "word/document.xml")
    (earlier,) = job["revisions"]
    assert earlier["revision"] == 1 and "edited" not in earlier["documents"][0]
    page = _text(client.get(f"/viec/{job['id']}"))
    assert "Bản Word chỉnh sửa ngoài hệ thống" in page and "Tải lên bản Word đã sửa" in page

    rebuild = client.post(document["rebuild"])  # from the data again: asked first
    assert rebuild.status_code == 409 and rebuild.get_json()["edited_documents"] == [document["name"]]
    asked = client.post(f"/viec/{job['id']}/tao-lai/{document['name']}")
    assert asked.status_code == 409 and "thay bản Word đã sửa" in _text(asked)

    signer = throwaway_signer("Lê Thị Thu Hà")
    signed = sign(pdf, signer)
    taken = _upload(client, document["signing"]["signed"], signed, "da-ky.pdf")
    assert taken.status_code == 201, taken.get_json()
    assert taken.get_json()["documents"][0]["signed"]["signer"] == signer.name
    found = _upload(client, "/api/v1/verify", signed, "da-ky.pdf").get_json()
    assert found["found"] and found["signed"] and found["job"]["id"] == job["id"]

    confirmed = client.post(document["rebuild"] + "?confirm_signed=1")
    assert confirmed.status_code == 202
    job = wait_until_finished(client, job["links"]["self"])
    assert job["revision"] == 3 and "edited" not in job["documents"][0]
    assert EDIT not in pdf_text(client.get(job["documents"][0]["links"]["pdf"]).data, tmp_path)
    kept = next(r for r in job["revisions"] if r["revision"] == 2)["documents"][0]
    assert kept["edited"]["label"] == "chỉnh sửa ngoài hệ thống" and kept["signed"]["signer"] == signer.name
    assert "bản Word chỉnh sửa ngoài hệ thống" in _text(client.get(f"/viec/{job['id']}"))
