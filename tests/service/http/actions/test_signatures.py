"""Signed copies through the API and the signing link; scans; verify; corrections of signed jobs."""

from __future__ import annotations

import io
import time
import zipfile

import pytest
from pypdf import PdfReader, PdfWriter

from service import extensions
from service.jobs import models, packages
from tests.support import hostile, people
from tests.support.bigpdf import many_pages
from tests.support.building import build_all, pack
from tests.support.factories import meeting_payload
from tests.support.signers import sign, throwaway_signer

ONE = "/api/v1/jobs?documents=bien_ban_kiem_diem,bien_ban_kiem_phieu"


@pytest.fixture(autouse=True)
def _no_dispatch(monkeypatch):
    """Nothing reaches Celery."""
    from service.jobs import queue

    monkeypatch.setattr(queue, "dispatch", lambda documents, size, **_: 0)


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


def _packed_pdfs(app, client, job) -> list[bytes]:
    with app.app_context(), extensions.session_scope() as session:
        pack(app, [d.id for d in session.get(models.Job, job["id"]).documents])
    archive = zipfile.ZipFile(io.BytesIO(client.get(job["links"]["package"]).data))
    return [archive.read(n) for n in archive.namelist() if n.endswith("bien_ban_kiem_diem.pdf")]


def test_the_package_and_print_pdf_use_a_trusted_signed_copy(app, client, signer, tmp_path):
    """Its root in SIGNING_TRUST_ROOTS: the ZIP holds the signed file, the print PDF its pages."""
    root = tmp_path / "root.pem"
    root.write_bytes(signer.cert_pem)
    app.config["SIGNING_TRUST_ROOTS"] = str(root)
    job = _built(app, client)
    document = job["documents"][0]
    signed = sign(_pdf(client, document), signer)
    _post(client, document["signing"]["signed"], signed)
    assert client.get(job["links"]["package"]).status_code == 409  # stale: built again
    assert _packed_pdfs(app, client, job) == [signed]
    assert len(PdfReader(io.BytesIO(client.get(job["links"]["print"]).data)).pages) >= 2


def test_an_untrusted_signed_copy_is_kept_but_never_packed(app, client, signer):
    """A self-made certificate: stored and shown untrusted; the ZIP keeps the service's own PDF."""
    job = _built(app, client)
    document = job["documents"][0]
    ours = _pdf(client, document)
    answer = _post(client, document["signing"]["signed"], sign(ours, signer))
    assert answer.status_code == 201 and answer.get_json()["documents"][0]["signed"]["trusted"] is False
    assert _packed_pdfs(app, client, job) == [ours]


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


def _peak_reset() -> int:
    """This process's resident memory now, in bytes, its peak reset to it (Linux clear_refs 5)."""
    with open("/proc/self/clear_refs", "w") as handle:
        handle.write("5")
    return _status("VmRSS")


def _status(name: str) -> int:
    with open("/proc/self/status") as handle:
        line = next(line for line in handle if line.startswith(name + ":"))
    return int(line.split()[1]) * 1024


def test_the_probes_eof_flood_is_refused_unparsed_or_checked_outside_the_web_process(
        app, client, signer, monkeypatch):
    """1.2 MB, a broken signature and 1,200 %%EOF markers (the probe took a web worker from 486
    to 3,341 MiB): refused before parsing; allowed, it is checked in a bounded child process
    and the web process's peak memory stays where it was."""
    flood = hostile.eof_flood(sign(many_pages(2), signer))
    started = time.monotonic()
    refused = _post(client, "/api/v1/verify", flood)
    assert refused.status_code == 422 and "1.202 lần lưu" in refused.get_json()["detail"]
    assert refused.get_json()["errors"][0]["field"] == "file"
    monkeypatch.setitem(app.config, "VERIFY_MAX_REVISIONS", 5000)
    before = _peak_reset()
    answer = _post(client, "/api/v1/verify", flood)
    grown = _status("VmHWM") - before
    assert answer.status_code == 200 and answer.get_json()["altered"] is True
    assert grown < 64 * 1024 * 1024, f"the web process grew by {grown // 2**20} MiB"
    assert time.monotonic() - started < 90
def _signed_then_rebuilt(app, client, signer, tmp_path):
    """A job whose biên bản is signed (trusted root), then rebuilt ("Tạo lại") after confirming."""
    root = tmp_path / "root.pem"
    root.write_bytes(signer.cert_pem)
    app.config["SIGNING_TRUST_ROOTS"] = str(root)
    job = _built(app, client)
    document = job["documents"][0]
    signed = sign(_pdf(client, document), signer)
    _post(client, document["signing"]["signed"], signed)
    refused = client.post(document["rebuild"])
    assert refused.status_code == 409 and refused.get_json()["signed_documents"] == [document["name"]]
    assert document["title"] in refused.get_json()["detail"] and "confirm" not in refused.get_json()["detail"]
    assert client.post(document["rebuild"] + "?confirm_signed=1").status_code == 202
    build_all(app, job["id"])
    return client.get(job["links"]["self"]).get_json(), signed


def test_rebuilding_a_signed_document_asks_then_makes_an_unsigned_revision(app, client, signer, tmp_path):
    """'Tạo lại' on a signed document: 409 unless confirmed; then revision 2, unsigned, and the
    signed copy shown as revision 1's."""
    job, signed = _signed_then_rebuilt(app, client, signer, tmp_path)
    current = job["documents"][0]
    assert job["revision"] == 2 and current["signed"] is None
    label = "bản ký của lần 1 — đã có bản sửa lần 2, chưa ký"
    assert current["earlier_signed"]["label"] == label and current["earlier_signed"]["revision"] == 1
    kept = job["revisions"][0]["documents"][0]
    assert kept["signed"]["label"] == label and kept["signed"]["superseded_by"] == 2
    assert client.get(kept["links"]["signed_pdf"]).data == signed
    other = job["documents"][1]  # not rebuilt: carried over as it was
    assert other["status"] == "done" and job["revisions"][0]["documents"][1].get("signed") is None


def test_packages_of_each_revision_hold_that_revisions_signed_copies(app, client, signer, tmp_path):
    """The revision-2 ZIP has no signed copy; the revision-1 ZIP still has it."""
    job, signed = _signed_then_rebuilt(app, client, signer, tmp_path)
    current = zipfile.ZipFile(io.BytesIO(client.get(job["links"]["package"]).data))
    pdfs = [current.read(n) for n in current.namelist() if n.endswith("bien_ban_kiem_diem.pdf")]
    assert pdfs == [_pdf(client, job["documents"][0])] and b"/Sig" not in pdfs[0]
    url = job["revisions"][0]["links"]["package"]
    assert client.get(url).status_code == 409  # built by a worker, once
    with app.app_context():
        packages.build_revision_package(job["id"], 1, sessions=extensions.session_scope,
                                        storage=extensions.get_storage())
    earlier = zipfile.ZipFile(io.BytesIO(client.get(url).data))
    assert [earlier.read(n) for n in earlier.namelist() if n.endswith("bien_ban_kiem_diem.pdf")] == [signed]


def test_verify_names_the_revision_of_a_superseded_signed_copy(app, client, signer, tmp_path):
    """The revision-1 signed copy: found, not altered, revision 1, superseded by revision 2."""
    job = _built(app, client)
    signed = sign(_pdf(client, job["documents"][0]), signer)
    _post(client, job["documents"][0]["signing"]["signed"], signed)
    client.put(job["links"]["self"] + "?confirm_signed=1", json=meeting_payload(location="Hội trường mới"))
    build_all(app, job["id"])
    with app.app_context(), extensions.session_scope() as session:  # the fake converter's PDF is
        for document in session.get(models.Job, job["id"]).documents:  # always the same; LibreOffice's never
            document.pdf_sha256 = "0" * 64
    job = client.get(job["links"]["self"]).get_json()
    answer = _post(client, "/api/v1/verify", signed).get_json()
    assert answer["found"] and answer["signed"] and not answer["altered"]
    assert (answer["revision"], answer["superseded_by"], answer["current_revision"]) == (1, 2, 2)
    assert "lần 1" in answer["detail"] and "bản sửa lần 2" in answer["detail"]


def test_verify_refuses_a_painted_over_signed_revision(app, client, anonymous, signer):
    """Our PDF painted white in the signed revision: said altered, not 'the right document';
    refused as a signed copy, through the API and through the no-login signing link alike."""
    from pyhanko.sign import signers

    from tests.service.signing.test_signing import _painted_white

    document = _built(app, client)["documents"][0]
    painted = signers.sign_pdf(_painted_white(_pdf(client, document)), signers.PdfSignatureMetadata(
        field_name="Ky"), signer=signer.signer).getvalue()
    answer = _post(client, "/api/v1/verify", painted).get_json()
    assert answer["altered"] and "Đúng tài liệu" not in answer["detail"]
    assert _post(client, document["signing"]["signed"], painted).status_code == 422
    link = client.post(document["signing"]["link"]).get_json()
    assert _post(anonymous, link["upload"], painted).status_code == 422
    job = client.get(document["links"]["pdf"].rsplit("/documents", 1)[0]).get_json()
    assert job["documents"][0]["signed"] is None
