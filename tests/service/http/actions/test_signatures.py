"""Signed copies through the API and the signing link; scans; verify; corrections of signed jobs."""

from __future__ import annotations

import io
import zipfile

import pytest
from pypdf import PdfReader, PdfWriter

from service import extensions
from service.jobs import models
from tests import people
from tests.building import build_all, pack
from tests.factories import meeting_payload
from tests.signers import sign, throwaway_signer

ONE = "/api/v1/jobs?documents=bien_ban_kiem_diem,bien_ban_kiem_phieu"


@pytest.fixture(autouse=True)
def _no_dispatch(monkeypatch):
    """Nothing reaches Celery."""
    from service.jobs import queue

    monkeypatch.setattr(queue, "dispatch", lambda documents, size: 0)


@pytest.fixture(name="signer", scope="module")
def _signer():
    """One throwaway certificate for the module (a key takes a moment to make)."""
    return throwaway_signer()


def _built(app, client):
    job = client.post(ONE, json=meeting_payload()).get_json()
    build_all(app, job["id"])
    return client.get(job["links"]["self"]).get_json()


def _pdf(client, document) -> bytes:
    return client.get(document["links"]["pdf"]).data


def _post(client, url, data, name="signed.pdf"):
    return client.post(url, data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data")


def test_a_signed_copy_is_taken_and_the_document_shows_its_signer(app, client, signer):
    """POST …/signed with a pyHanko-signed copy: 201, and the document shows signer, time, trusted=false."""
    job = _built(app, client)
    document = job["documents"][0]
    answer = _post(client, document["signing"]["signed"], sign(_pdf(client, document), signer))
    assert answer.status_code == 201, answer.get_json()
    shown = answer.get_json()["documents"][0]["signed"]
    assert shown["signer"] == signer.name and shown["trusted"] is False
    assert shown["note"] == "chưa xác minh được chứng thư" and shown["signed_at"].endswith("Z")


def test_the_unsigned_pdf_stays_and_the_signed_copy_downloads(app, client, signer):
    """The PDF the service made is unchanged; signed.pdf is the file sent back."""
    job = _built(app, client)
    document = job["documents"][0]
    original = _pdf(client, document)
    signed = sign(original, signer)
    after = _post(client, document["signing"]["signed"], signed).get_json()["documents"][0]
    assert _pdf(client, after) == original
    assert client.get(after["links"]["signed_pdf"]).data == signed


def test_an_unsigned_file_is_refused(app, client):
    """Our own PDF sent as signed: 422 unsigned-file on the field file, in Vietnamese."""
    document = _built(app, client)["documents"][0]
    answer = _post(client, document["signing"]["signed"], _pdf(client, document))
    assert answer.status_code == 422
    body = answer.get_json()
    assert body["type"].endswith("unsigned-file") and body["errors"][0]["field"] == "file"
    assert "chưa có chữ ký số" in body["detail"]


def test_a_file_altered_after_signing_is_refused(app, client, signer):
    """One byte of the signed content changed: 422 signature-altered."""
    document = _built(app, client)["documents"][0]
    signed = bytearray(sign(_pdf(client, document), signer))
    at = signed.find(b"/MediaBox") + 14
    signed[at:at + 1] = b"7" if signed[at:at + 1] != b"7" else b"8"
    answer = _post(client, document["signing"]["signed"], bytes(signed))
    assert answer.status_code == 422 and answer.get_json()["type"].endswith("signature-altered")


def test_another_document_signed_is_refused(app, client, signer):
    """A signed PDF that is not this document (other pages): 422 other-document."""
    document = _built(app, client)["documents"][0]
    writer = PdfWriter()
    for _ in range(2):
        writer.add_blank_page(width=595, height=842)
    other = io.BytesIO()
    writer.write(other)
    answer = _post(client, document["signing"]["signed"], sign(other.getvalue(), signer))
    assert answer.status_code == 422 and answer.get_json()["type"].endswith("other-document")


def test_trusted_roots_make_the_signature_trusted(app, client, signer, tmp_path):
    """With the signer's root in SIGNING_TRUST_ROOTS the copy is trusted=true."""
    root = tmp_path / "root.pem"
    root.write_bytes(signer.cert_pem)
    app.config["SIGNING_TRUST_ROOTS"] = str(root)
    document = _built(app, client)["documents"][0]
    answer = _post(client, document["signing"]["signed"], sign(_pdf(client, document), signer))
    assert answer.get_json()["documents"][0]["signed"]["trusted"] is True


def test_the_signing_link_gives_the_pdf_and_takes_the_signed_copy_without_login(app, client, signer):
    """The link's PDF downloads and its upload address takes the signed file with no token at all."""
    job = _built(app, client)
    document = job["documents"][1]
    link = client.post(document["signing"]["link"]).get_json()
    anonymous = app.test_client()
    pdf = anonymous.get(link["pdf"])
    assert pdf.status_code == 200 and pdf.data == _pdf(client, document)
    posted = anonymous.post(link["upload"], data=sign(pdf.data, signer), content_type="application/pdf")
    assert posted.status_code == 201 and posted.get_json()["signed"]["signer"] == signer.name
    shown = client.get(job["links"]["self"]).get_json()["documents"][1]
    assert shown["signed"]["signer"] == signer.name


def test_a_forged_or_expired_link_is_refused(app, client):
    """A token changed by one letter, or older than SIGNING_LINK_MINUTES, answers 404."""
    document = _built(app, client)["documents"][0]
    link = client.post(document["signing"]["link"]).get_json()
    anonymous = app.test_client()
    assert anonymous.get(link["pdf"].replace("/ky-so/", "/ky-so/x")).status_code == 404
    app.config["SIGNING_LINK_MINUTES"] = -1
    assert anonymous.get(link["pdf"]).status_code == 404


def test_a_second_signed_copy_must_extend_the_first(app, client, signer):
    """A co-signature appended to the signed copy is taken; an unrelated second copy is 409."""
    document = _built(app, client)["documents"][0]
    original = _pdf(client, document)
    first = sign(original, signer)
    _post(client, document["signing"]["signed"], first)
    again = _post(client, document["signing"]["signed"], sign(original, signer, field="Khac"))
    assert again.status_code == 409
    second = throwaway_signer("Trần Văn Bình")
    cosigned = _post(client, document["signing"]["signed"], sign(first, second, "Ky2"))
    assert cosigned.status_code == 201


def test_a_scan_is_kept_as_a_hand_signed_copy(app, client):
    """A PNG attached as bản ký tay: labelled so, never as a digital signature; it downloads."""
    document = _built(app, client)["documents"][0]
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
    answer = _post(client, document["signing"]["scan"], png, "scan.png")
    shown = answer.get_json()["documents"][0]
    assert answer.status_code == 201 and shown["hand_signed"]["label"] == "bản ký tay"
    assert shown["signed"] is None
    got = client.get(shown["links"]["hand_signed"])
    assert got.data == png and got.mimetype == "image/png"


def test_a_scan_of_another_type_or_too_big_is_refused(app, client):
    """A text file, or a PDF above SCAN_MAX_BYTES, is 422 on the field file."""
    document = _built(app, client)["documents"][0]
    assert _post(client, document["signing"]["scan"], b"hello", "a.txt").status_code == 422
    app.config["SCAN_MAX_BYTES"] = 10
    assert _post(client, document["signing"]["scan"], b"%PDF-1.7 " + b"x" * 20).status_code == 422


def test_the_package_and_print_pdf_use_the_signed_copy(app, client, signer):
    """The ZIP holds the signed file for a signed document, the print PDF its pages."""
    job = _built(app, client)
    document = job["documents"][0]
    signed = sign(_pdf(client, document), signer)
    _post(client, document["signing"]["signed"], signed)
    assert client.get(job["links"]["package"]).status_code == 409  # stale: built again
    with app.app_context(), extensions.session_scope() as session:
        pack(app, [d.id for d in session.get(models.Job, job["id"]).documents])
    archive = zipfile.ZipFile(io.BytesIO(client.get(job["links"]["package"]).data))
    pdfs = [archive.read(n) for n in archive.namelist() if n.endswith("bien_ban_kiem_diem.pdf")]
    assert pdfs == [signed]
    assert len(PdfReader(io.BytesIO(client.get(job["links"]["print"]).data)).pages) >= 2


def test_provenance_is_in_the_job_json(app, client):
    """Each document lists the SHA-256 of its input, template, fonts and PDF, and the LibreOffice."""
    import hashlib

    document = _built(app, client)["documents"][0]
    made_of = document["provenance"]
    assert made_of["pdf"] == hashlib.sha256(_pdf(client, document)).hexdigest()
    assert len(made_of["input"]) == 64 and len(made_of["template"]["sha256"]) == 64
    assert made_of["template"]["file"].endswith(".docx") and "libreoffice" in made_of


def test_verify_finds_a_downloaded_pdf_and_its_signed_copy(app, client, signer):
    """POST /verify with a downloaded PDF names its job; a signed copy is found as signed."""
    job = _built(app, client)
    document = job["documents"][0]
    pdf = _pdf(client, document)
    found = _post(client, "/api/v1/verify", pdf).get_json()
    assert found["found"] and found["job"]["id"] == job["id"] and not found["signed"]
    assert found["identical"] and not found["altered"]
    signed = _post(client, "/api/v1/verify", sign(pdf, signer)).get_json()
    assert signed["found"] and signed["signed"] and signed["signature"]["signer"] == signer.name


def test_verify_tells_nothing_to_another_organisation(app, client):
    """A user of another đảng bộ verifying the same PDF gets found=false, no job named."""
    document = _built(app, client)["documents"][0]
    pdf = _pdf(client, document)
    other = people.as_user(app.test_client(), people.token(app, org="Đảng bộ phường Khác (thử)"))
    answer = _post(other, "/api/v1/verify", pdf).get_json()
    assert answer["found"] is False and "job" not in answer


def test_correcting_a_signed_job_asks_to_confirm_and_keeps_the_signed_file(app, client, signer):
    """PUT without confirm_signed is 409 naming the signed documents; with it, the copy is in the revision."""
    job = _built(app, client)
    document = job["documents"][0]
    _post(client, document["signing"]["signed"], sign(_pdf(client, document), signer))
    payload = meeting_payload(location="Hội trường mới")
    refused = client.put(job["links"]["self"], json=payload)
    assert refused.status_code == 409 and refused.get_json()["signed_documents"] == [document["name"]]
    done = client.put(job["links"]["self"] + "?confirm_signed=1", json=payload)
    assert done.status_code == 202
    kept = done.get_json()["revisions"][0]["documents"][0]
    assert kept["signed"]["signer"] == signer.name
