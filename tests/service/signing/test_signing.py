"""service.signing: a pyHanko signature checked against the PDF the service made."""

from __future__ import annotations

import io

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from pypdf import PdfReader, PdfWriter

from service import signing
from service.errors import OtherDocumentError, SignatureAlteredError, UnsignedFileError
from service.signing.fields import add_fields
from tests.support.fakes import signature_blocks_pdf
from tests.support.signers import sign, throwaway_signer


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
    assert found.signed_at is not None and "Lê Văn Tám" in found.subject


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


def _painted_white(pdf: bytes) -> IncrementalPdfFileWriter:
    """An incremental update over *pdf* painting the top three quarters of every page white."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    for ref in writer.root["/Pages"]["/Kids"]:
        page = ref.get_object()
        paint = generic.StreamObject(stream_data=b"q 1 1 1 rg 0 210 595 632 re f Q")
        old = page.raw_get("/Contents") if "/Contents" in page else None
        contents = [] if old is None else list(old.get_object()) \
            if isinstance(old.get_object(), generic.ArrayObject) else [old]
        page["/Contents"] = generic.ArrayObject([*contents, writer.add_object(paint)])
        writer.update_container(page)
    return writer


def test_a_page_painted_white_and_signed_with_a_self_made_certificate_is_refused(signer):
    """Three quarters of every page painted white in the signed revision itself: not ours."""
    ours = _pdf(pages=2)
    writer = _painted_white(ours)
    painted = signers.sign_pdf(writer, signers.PdfSignatureMetadata(field_name="Ky"), signer=signer.signer)
    with pytest.raises(OtherDocumentError):
        signing.check(painted.getvalue(), ours)


def test_a_rewritten_file_is_refused_even_with_the_same_pages_and_text(signer):
    """A signer that rewrote the file (other bytes, same pages and text) is not a copy of ours."""
    ours = _pdf()
    with pytest.raises(OtherDocumentError):
        signing.check(sign(_pdf(text="viết lại"), signer), ours)


def test_a_painted_copy_rewritten_and_signed_is_refused(signer):
    """The painted pages written out whole, then signed: refused (no byte-identical base)."""
    ours = _pdf(pages=2)
    out = io.BytesIO()
    _painted_white(ours).write(out)
    rewritten = PdfWriter(clone_from=PdfReader(io.BytesIO(out.getvalue())))
    flat = io.BytesIO()
    rewritten.write(flat)
    with pytest.raises(OtherDocumentError):
        signing.check(sign(flat.getvalue(), signer), ours)


def test_a_co_signature_over_a_signed_copy_is_still_ours(signer):
    """A second signature appended to a signed copy: the first signature's revision is still ours."""
    ours = _pdf()
    twice = sign(sign(ours, signer), throwaway_signer("Trần Văn Hai"), field="ChuKy2")
    assert signing.check(twice, ours).signer == "Lê Văn Tám"


def test_signing_into_one_of_our_fields_is_taken(signer):
    """Our PDF with empty fields (SIGNATURE_FIELDS), signed into ky_bi_thu: a signed copy of ours."""
    ours = add_fields(signature_blocks_pdf())
    assert signing.check(sign(ours, signer, field="ky_bi_thu"), ours).signer == "Lê Văn Tám"


def test_a_white_signature_widget_over_the_page_is_refused(signer):
    """A 'visible signature' covering most of the page is a cover, not a stamp: refused."""
    from pyhanko.sign.fields import SigFieldSpec

    ours = signature_blocks_pdf()
    writer = IncrementalPdfFileWriter(io.BytesIO(ours), strict=False)
    meta = signers.PdfSignatureMetadata(field_name="Phu")
    covered = signers.PdfSigner(meta, signer.signer, new_field_spec=SigFieldSpec(
        "Phu", on_page=0, box=(0, 100, 595, 842))).sign_pdf(writer)
    with pytest.raises(OtherDocumentError):
        signing.check(covered.getvalue(), ours)
