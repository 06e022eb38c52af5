"""service.signing: a pyHanko signature checked against the PDF the service made."""

from __future__ import annotations

import io

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pypdf import PdfWriter

from service import signing
from service.errors import OtherDocumentError, SignatureAlteredError, UnsignedFileError
from tests.signers import sign, throwaway_signer


def _pdf(pages: int = 1, text: str = "") -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if text:
        writer.add_metadata({"/Title": text})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture(name="signer", scope="module")
def _signer():
    """A throwaway self-signed certificate."""
    return throwaway_signer("Lê Văn Tám")


def test_a_signed_copy_of_our_pdf_names_its_signer(signer):
    """check() answers the certificate's common name, the signing time, and not trusted."""
    ours = _pdf()
    found = signing.check(sign(ours, signer), ours)
    assert (found.signer, found.trusted, found.note) == ("Lê Văn Tám", False, signing.NOT_VERIFIED)
    assert found.signed_at is not None and "Lê Văn Tám" in found.subject and not found.rewritten


def test_a_root_given_makes_it_trusted(signer):
    """With its own certificate as the trust root the signature is trusted."""
    ours = _pdf()
    assert signing.check(sign(ours, signer), ours, signing.load_roots([signer.cert_pem])).trusted


def test_an_unsigned_pdf_and_a_non_pdf_are_unsigned():
    """No signature, or no PDF at all: UnsignedFileError."""
    with pytest.raises(UnsignedFileError):
        signing.check(_pdf(), _pdf())
    with pytest.raises(UnsignedFileError):
        signing.check(b"%PDF-1.7 not really", _pdf())


def test_content_changed_in_an_update_after_signing_is_altered(signer):
    """A page's box changed in an incremental update after the signature: SignatureAlteredError."""
    ours = _pdf()
    signed = sign(ours, signer)
    writer = IncrementalPdfFileWriter(io.BytesIO(signed), strict=False)
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    page["/MediaBox"] = generic.ArrayObject([generic.NumberObject(n) for n in (0, 0, 300, 300)])
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(SignatureAlteredError):
        signing.check(out.getvalue(), ours)


def test_a_signed_copy_of_another_pdf_is_another_document(signer):
    """The signed revision's base is not ours and its pages differ: OtherDocumentError."""
    with pytest.raises(OtherDocumentError):
        signing.check(sign(_pdf(pages=3), signer), _pdf())


def test_a_rewritten_file_with_the_same_pages_and_text_is_taken(signer):
    """A signer that rewrote the file (other bytes, same pages and text) is marked rewritten."""
    ours = _pdf()
    found = signing.check(sign(_pdf(text="viết lại"), signer), ours)
    assert found.rewritten
