"""service.pdfa: the export settings, and the PDF/A identification kept when pypdf rewrites."""

from __future__ import annotations

import datetime as dt
import io

import pikepdf
import pytest
from pypdf import PdfReader, PdfWriter

from service import pdfa


def _written(writer: PdfWriter) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _archival(title: str = "Biên bản") -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    pdfa.set_xmp(writer, title, "LibreOffice 7.4", dt.datetime(2025, 12, 5, 9, 0, tzinfo=dt.UTC))
    return _written(writer)


def test_pdfa_2b_is_asked_of_libreoffice_by_default_and_never_form_fields():
    """pdfa-2b: SelectPdfVersion=2; both formats: no form fields, no encryption; others refused."""
    assert "SelectPdfVersion=2" in pdfa.export_options("pdfa-2b")
    assert "SelectPdfVersion=2" not in pdfa.export_options("pdf")
    assert all("ExportFormFields=false" in pdfa.export_options(f) for f in pdfa.FORMATS)
    with pytest.raises(ValueError, match="PDF_FORMAT"):
        pdfa.export_options("pdfa-1")


def test_set_xmp_identifies_the_file_as_pdfa_2b():
    """pikepdf reads part 2, conformance B, and the title from the packet written."""
    with pikepdf.open(io.BytesIO(_archival("Bản in"))) as pdf:
        meta = pdf.open_metadata()
        assert meta.pdfa_status == "2B" and meta["dc:title"] == "Bản in"
        assert str(pdf.docinfo["/Title"]) == "Bản in"


def test_carry_keeps_the_identification_and_information_on_a_rewrite():
    """Pages copied into a new writer keep the XMP and document information with carry()."""
    reader = PdfReader(io.BytesIO(_archival()))
    writer = PdfWriter()
    writer.add_page(reader.pages[0])
    pdfa.carry(reader, writer)
    rewritten = PdfReader(io.BytesIO(_written(writer)))
    assert pdfa.pdfa_part(rewritten) == "2B"
    assert rewritten.metadata["/Producer"] == "LibreOffice 7.4"


def test_a_plain_pdf_has_no_pdfa_part():
    """A PDF without XMP is not PDF/A."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    assert pdfa.pdfa_part(PdfReader(io.BytesIO(_written(writer)))) is None
