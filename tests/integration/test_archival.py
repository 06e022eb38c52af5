"""Signed and archived, for real: PDF/A-2b out of the worker (split and repeated parts and the
print PDF too), a PDF signed with pyHanko sent back through the signing link, and verify."""

from __future__ import annotations

import io
import json

import pikepdf
import pytest
from pypdf import PdfReader

from service import create_app
from service.documents import instances
from service.documents.rendering import DocxRenderer
from service.jobs.pipeline import build
from service.meetings.validation import parse_meeting
from tests.integration.conftest import wait_until_finished
from tests.support import people
from tests.support.archival import is_encrypted, pdfa_identification, signature_rooms, unembedded_fonts
from tests.support.factories import SAMPLES, meeting_payload
from tests.support.signers import sign, throwaway_signer

pytestmark = pytest.mark.integration
# a single document, the member reviews (one combined conversion, split) and the ballots (repeated)
CHOSEN = "bien_ban_kiem_diem,ban_kiem_diem_ca_nhan,phieu_danh_gia_dang_vien"


@pytest.fixture(name="built", scope="module")
def _built(stack_config, worker):
    """A meeting built by the real worker; a client of an app on the worker's database and storage."""
    client = people.client(create_app({"TESTING": True, **stack_config}))
    response = client.post(f"/api/v1/jobs?documents={CHOSEN}", json=meeting_payload())
    assert response.status_code == 202
    job = wait_until_finished(client, response.headers["Location"])
    assert job["status"] == "done", job
    return client, job


def test_every_pdf_of_the_worker_is_pdfa_2b_embedded_and_unencrypted(built):
    """pdfinfo -meta shows PDF/A-2 part and conformance B; pdffonts every font embedded; no encryption."""
    client, job = built
    for document in job["documents"]:
        pdf = client.get(document["links"]["pdf"]).data
        assert pdfa_identification(pdf) == "2B", document["name"]
        assert unembedded_fonts(pdf) == [] and not is_encrypted(pdf), document["name"]


def test_the_print_pdf_is_pdfa_2b_and_each_document_starts_on_a_front_side(built):
    """The merged print PDF keeps the identification (titled by the job), bookmarks on odd pages."""
    client, job = built
    data = client.get(job["links"]["print"]).data
    assert pdfa_identification(data) == "2B" and unembedded_fonts(data) == []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        meta = pdf.open_metadata()
        assert meta.pdfa_status == "2B" and meta["dc:title"] == job["title"]
        assert len(pdf.Root.OutputIntents) == 1
    reader = PdfReader(io.BytesIO(data))
    starts = [reader.get_destination_page_number(item) for item in reader.outline]
    assert len(starts) == len(job["documents"]) and all(page % 2 == 0 for page in starts)


def test_a_pdf_signed_through_the_link_shows_its_signer_and_verifies(built):
    """Fetch the PDF from the signing link, sign it with pyHanko, post it back; the job names the
    signer, and /verify finds the downloaded PDF's job and the signed copy as signed."""
    client, job = built
    document = job["documents"][0]
    link = client.post(document["signing"]["link"]).get_json()
    anonymous = client.application.test_client()
    pdf = anonymous.get(link["pdf"]).data
    signer = throwaway_signer()
    signed = sign(pdf, signer)
    posted = anonymous.post(link["upload"], data=signed, content_type="application/pdf")
    assert posted.status_code == 201, posted.get_json()
    shown = client.get(job["links"]["self"]).get_json()["documents"][0]
    assert shown["signed"]["signer"] == signer.name and shown["signed"]["trusted"] is False
    assert len(shown["provenance"]["fonts"]) >= 1 and shown["provenance"]["libreoffice"].startswith(
        "LibreOffice")
    for data, is_signed in ((client.get(document["links"]["pdf"]).data, False), (signed, True)):
        answer = client.post("/api/v1/verify", data={"file": (io.BytesIO(data), "x.pdf")},
                             content_type="multipart/form-data").get_json()
        assert answer["found"] and answer["job"]["id"] == job["id"], answer
        assert answer["signed"] is is_signed and not answer["altered"]


def test_a_signed_pdf_altered_afterwards_is_refused(built):
    """The real PDF signed, then one byte of its content changed: 422 signature-altered."""
    client, job = built
    document = job["documents"][1]
    signed = bytearray(sign(client.get(document["links"]["pdf"]).data, throwaway_signer()))
    at = signed.find(b"/MediaBox") + 12
    signed[at:at + 1] = b"9" if signed[at:at + 1] != b"9" else b"8"
    answer = client.post(document["signing"]["signed"], data={"file": (io.BytesIO(bytes(signed)), "x.pdf")},
                         content_type="multipart/form-data")
    assert answer.status_code == 422 and answer.get_json()["type"].endswith("signature-altered")


def test_every_signature_block_keeps_25_mm_to_sign_in(converter):
    """On each document type's last page, below every BÍ THƯ / THƯ KÝ / CHỦ TRÌ title, 25 mm are blank."""
    rooms: dict[str, list[float]] = {}
    for sample in ("annual_review_2025_small", "monthly_2025_11"):
        meeting = parse_meeting(json.loads((SAMPLES / f"{sample}.json").read_text(encoding="utf-8")))
        for instance in instances(meeting):
            if instance.doc_type.id not in rooms and not instance.doc_type.id.startswith("phieu"):
                rooms[instance.doc_type.id] = signature_rooms(build(meeting, instance, DocxRenderer(),
                                                                    converter).pdf)
    assert all(rooms.values()), rooms  # a block was found on each
    assert all(room >= 25 for found in rooms.values() for room in found), rooms
