"""Joining documents of one template into one DOCX, and cutting the combined PDF back apart.

The real conversion is in ``tests/integration/test_combine.py``; these PDFs are made with pypdf
so that each way a combined PDF can be wrong is tried, down to the pipeline falling back.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence

import pytest
from docx import Document
from lxml import etree
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, NameObject, NullObject, TextStringObject

from service import extensions
from service.conversion.combine import ALONE_OPTIONS, EXPORT_OPTIONS, combine, convert_one, split
from service.documents.rendering import DocxRenderer
from service.errors import ConversionError
from service.extensions import get_storage
from service.jobs import models, pipeline
from tests.support.factories import meeting_payload
from tests.support.fakes import MINIMAL_PDF, FakeConverter

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _pdf(pages: int, marks: dict[str, int | None]) -> bytes:
    """A PDF of blank pages with named destinations: name → page index, None for no page."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    for name, page in marks.items():
        if page is None:  # the destination names a page that is not in the file
            writer.add_named_destination_array(TextStringObject(name),
                                               ArrayObject([NullObject(), NameObject("/Fit")]))
        else:
            writer.add_named_destination(name, page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _pages(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def _docx(text: str) -> bytes:
    document = Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _marks(*starts: int) -> dict[str, int | None]:
    """Document marks at *starts*, each document's lead mark on the page before."""
    return ({f"chibodoc{i}": page for i, page in enumerate(starts)}
            | {f"chibolead{i}": page - 1 for i, page in enumerate(starts)})


def test_split_cuts_at_each_document_mark():
    """Each part runs from its document's mark to the next one's lead, the last to the end."""
    parts = split(_pdf(8, _marks(1, 4, 6)), 3)
    assert [_pages(part) for part in parts] == [2, 1, 2]


def test_split_leaves_out_every_lead_page():
    """No page of a part is a lead page: the pages kept are the documents' own."""
    writer = PdfWriter()
    for label in ("lead", "a1", "a2", "lead", "b1"):
        writer.add_blank_page(width=595 if label != "lead" else 300, height=842)
    for name, page in _marks(1, 4).items():
        writer.add_named_destination(name, page)
    out = io.BytesIO()
    writer.write(out)
    parts = split(out.getvalue(), 2)
    widths = [float(p.mediabox.width) for part in parts for p in PdfReader(io.BytesIO(part)).pages]
    assert widths == [595.0, 595.0, 595.0]


def test_split_ignores_destinations_that_are_not_document_marks():
    """Another bookmark of the template, even one starting like a mark, does not disturb the cut."""
    parts = split(_pdf(4, _marks(1, 3) | {"chibodocx": 1, "Muc1": 0}), 2)
    assert [_pages(part) for part in parts] == [1, 1]


def test_a_mark_on_no_page_is_a_conversion_error():
    """A document mark whose destination is on no page of the PDF fails as ConversionError."""
    with pytest.raises(ConversionError):
        split(_pdf(4, _marks(1, 3) | {"chibodoc1": None}), 2)


def test_a_missing_mark_is_a_conversion_error():
    """A PDF without one document's mark fails as ConversionError."""
    marks = _marks(1, 3)
    del marks["chibodoc1"]
    with pytest.raises(ConversionError):
        split(_pdf(4, marks), 2)


def test_a_lead_longer_than_a_page_is_a_conversion_error():
    """A lead that took two pages would leave a blank page in a part: ConversionError instead."""
    with pytest.raises(ConversionError):
        split(_pdf(5, _marks(1, 4) | {"chibolead1": 2}), 2)


def test_an_unreadable_pdf_is_a_conversion_error():
    """A combined PDF pypdf cannot read fails as ConversionError, not as pypdf's own error."""
    with pytest.raises(ConversionError):
        split(b"%PDF-1.7\nnot a PDF after all", 2)


def test_combine_gives_each_document_a_lead_a_section_and_a_mark():
    """Three documents: each behind its lead section, in order, the first two ending a paragraph."""
    combined = combine([_docx("một"), _docx("hai"), _docx("ba")])
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(combined)).read("word/document.xml"))
    body = root.find(f"{W}body")
    assert [p.find(f"{W}pPr/{W}sectPr") is not None for p in body.findall(f"{W}p")
            if p.findtext(f".//{W}t")] == [True, True, False]
    assert len(body.findall(f"{W}p/{W}pPr/{W}sectPr")) == 5  # three leads, two documents
    assert len(body.findall(f"{W}sectPr")) == 1
    assert [b.get(f"{W}name") for b in body.iter(f"{W}bookmarkStart")] == [
        "chibolead0", "chibodoc0", "chibolead1", "chibodoc1", "chibolead2", "chibodoc2"]
    assert "".join(body.itertext()) == "mộthaiba"


def test_a_lead_has_the_page_size_but_no_header_and_no_page_number():
    """The lead's section keeps the document's page, without its headers, footers or numbering."""
    combined = combine([_docx("một")])
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(combined)).read("word/document.xml"))
    section = root.find(f"{W}body/{W}p/{W}pPr/{W}sectPr")  # the first: the lead's
    assert section.find(f"{W}pgSz") is not None
    assert [section.find(f"{W}{tag}") for tag in ("headerReference", "titlePg", "pgNumType")] == [
        None, None, None]
    assert root.find(f"{W}body/{W}sectPr/{W}pgNumType").get(f"{W}start") == "1"


class _Options(FakeConverter):
    """Records the export options of each call too."""

    def __init__(self) -> None:
        super().__init__()
        self.options: list[tuple[str, ...]] = []

    def to_pdf(self, docx: bytes, *, options: Sequence[str] = ()) -> bytes:
        """Record and answer a one-page PDF."""
        self.options.append(tuple(options))
        return super().to_pdf(docx)


def test_one_document_alone_is_converted_behind_its_lead_and_without_its_page():
    """Alone too, the document follows its lead section, and the export leaves page 1 out."""
    converter = _Options()
    assert convert_one(converter, _docx("một")) == MINIMAL_PDF
    xml = zipfile.ZipFile(io.BytesIO(converter.calls[0])).read("word/document.xml")
    assert xml.count(b"<w:sectPr") == 2
    assert xml.index(b'w:name="chibolead0"') < xml.index("một".encode())
    assert converter.options == [ALONE_OPTIONS] and "PageRange=2-" in ALONE_OPTIONS


class _MarkOnNoPage(FakeConverter):
    """Converts a combined DOCX into a PDF whose last mark is on no page; alone, one page each."""

    def to_pdf(self, docx: bytes, *, options: Sequence[str] = ()) -> bytes:
        """The broken combined PDF for a combined conversion, else a one-page PDF."""
        self.calls.append(docx)
        if tuple(options) != EXPORT_OPTIONS:
            return MINIMAL_PDF
        count = zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml").count(b'w:name="chibodoc')
        return _pdf(2 * count, _marks(*range(1, 2 * count, 2)) | {f"chibodoc{count - 1}": None})


def test_a_group_whose_combined_pdf_cannot_be_split_is_built_one_by_one(app):
    """A bad combined PDF does not fail the group: each document is converted alone and done."""
    with app.app_context(), extensions.session_scope() as session:
        job = pipeline.submit(meeting_payload(), session=session, storage=get_storage(),
                              only=["ban_kiem_diem_ca_nhan"])
        session.flush()
        ids = [d.id for d in job.documents]
    converter = _MarkOnNoPage()
    with app.app_context():
        pipeline.build_documents(ids, sessions=extensions.session_scope, storage=get_storage(),
                                 renderer=DocxRenderer(), converter=converter)
        with extensions.session_scope() as session:
            states = [session.get(models.Document, i).status for i in ids]
    assert len(ids) > 1
    assert states == [models.DONE] * len(ids)
    assert len(converter.calls) == 1 + len(ids)  # the combined try, then each alone
