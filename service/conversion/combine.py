"""Converting many documents of one template in a single LibreOffice load.

LibreOffice spends about 0.1 s per document on fixed costs (load, layout setup, export).
Documents rendered from the same template share styles, numbering and headers, so their
bodies can be joined into one DOCX — each ending in a next-page section break that restarts
the page numbers — converted once, and split back. Each document's first paragraph carries a
Writer bookmark that the PDF export turns into a named destination; the split follows those
destinations, never a guessed page count.

Every conversion, of one document or of many, puts the same *lead* before each document: a
section of one page holding ``LEAD_PARAGRAPHS`` empty 1 pt paragraphs, marked ``chibolead<i>``,
whose page never reaches a PDF (alone: the export's ``PageRange=2-``; together: the split
drops it). LibreOffice 7.4 places a keep-with-next heading at a page foot differently with what
it laid out just before (about a hundred paragraphs back), so without the leads a document
converted alone and the same document inside a combined conversion could differ (1–3 of the
samples' documents). Behind its own lead each document is laid out the same wherever it stands,
page for page and line for line (``tests/integration/test_combine.py``).
"""

from __future__ import annotations

import copy
import io
import re
import zipfile
from collections.abc import Sequence
from itertools import pairwise

from lxml import etree
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError
from pypdf.generic import DictionaryObject, NumberObject

from service.conversion.converter import Converter
from service.conversion.metrics import stage
from service.errors import ConversionError
from service.pdfa import carry

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MARK = "chibodoc"  # letters only: PDF names escape "_" and other punctuation
_LEAD = "chibolead"
_MARK_NAME = re.compile(rf"/?({_MARK}|{_LEAD})([0-9]+)")
LEAD_PARAGRAPHS = 120  # 1 pt each: one page, portrait or landscape; ~100 needed (docs/development.md)
ALONE_OPTIONS = ("PageRange=2-",)  # one document: the PDF leaves out its lead's page
EXPORT_OPTIONS = ("ExportBookmarksToPDFDestination=true",)  # several: split drops the leads
_PAGE_PARTS = ("headerReference", "footerReference", "titlePg", "pgNumType")  # none on the lead


def _q(tag: str) -> str:
    return f"{{{_W}}}{tag}"


def _mark(paragraph: etree._Element, name: str, number: int) -> None:
    """A Writer bookmark *name* at the start of *paragraph* (a named destination in the PDF)."""
    start, end = etree.Element(_q("bookmarkStart")), etree.Element(_q("bookmarkEnd"))
    start.set(_q("id"), str(number))
    start.set(_q("name"), name)
    end.set(_q("id"), str(number))
    position = 1 if paragraph.find(_q("pPr")) is not None else 0
    paragraph.insert(position, start)
    paragraph.insert(position + 1, end)


def _body(docx: bytes, index: int) -> tuple[etree._Element, etree._Element, etree._Element]:
    """The root, body and final section properties of *docx*, its first paragraph bookmarked."""
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml"))
    body = root.find(_q("body"))
    first = body.find(f".//{_q('p')}") if body is not None else None
    section = body.find(_q("sectPr")) if body is not None else None
    if body is None or first is None or section is None:
        raise ConversionError("Tài liệu không có đoạn văn hoặc thiết lập trang để ghép.")
    _mark(first, f"{_MARK}{index}", 90000 + index)
    numbering = section.find(_q("pgNumType"))
    if numbering is None:
        numbering = etree.SubElement(section, _q("pgNumType"))
    if numbering.get(_q("start")) is None:  # each document counts its pages from 1
        numbering.set(_q("start"), "1")
    return root, body, section


def _lead(section: etree._Element, index: int) -> list[etree._Element]:
    """Document *index*'s lead: empty 1 pt paragraphs, the first marked, the last ending a
    section of *section*'s page size (no header, no footer)."""
    paragraphs = []
    for _ in range(LEAD_PARAGRAPHS):
        paragraph = etree.Element(_q("p"))
        properties = etree.SubElement(paragraph, _q("pPr"))
        spacing = etree.SubElement(properties, _q("spacing"))
        for name, value in (("before", "0"), ("after", "0"), ("line", "20"), ("lineRule", "exact")):
            spacing.set(_q(name), value)
        size = etree.SubElement(etree.SubElement(properties, _q("rPr")), _q("sz"))
        size.set(_q("val"), "2")
        paragraphs.append(paragraph)
    _mark(paragraphs[0], f"{_LEAD}{index}", 80000 + index)
    page = copy.deepcopy(section)
    for child in [c for c in page if etree.QName(c).localname in _PAGE_PARTS]:
        page.remove(child)
    properties.append(page)  # the last paragraph's: ends the lead's section
    return paragraphs


def combine(documents: Sequence[bytes]) -> bytes:
    """One DOCX holding *documents* (all from one template), each behind its lead, a section each."""
    parsed = [_body(docx, index) for index, docx in enumerate(documents)]
    root, body, section = parsed[0]
    for position, paragraph in enumerate(_lead(section, 0)):
        body.insert(position, paragraph)
    for index, (_, other, next_section) in enumerate(parsed[1:], start=1):
        # the section so far ends in its last paragraph; the next document's lead and section follow
        body.remove(section)
        last = [child for child in body if child.tag == _q("p")][-1]
        properties = last.find(_q("pPr"))
        if properties is None:
            properties = etree.Element(_q("pPr"))
            last.insert(0, properties)
        properties.append(section)
        for child in [*_lead(next_section, index), *other]:
            body.append(child)
        section = next_section  # now the body's final sectPr
    source = zipfile.ZipFile(io.BytesIO(documents[0]))
    out = io.BytesIO()
    # stored, not deflated: it goes to LibreOffice and nowhere else, and compressing the styles
    # (~800 kB of XML) again for every conversion took longer than the rest of combining
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as target:
        for item in source.infolist():
            data = (etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
                    if item.filename == "word/document.xml" else source.read(item))
            target.writestr(item, data, zipfile.ZIP_STORED)
    return out.getvalue()


def split(pdf: bytes, count: int) -> list[bytes]:
    """The *count* documents of a combined PDF, cut at their named destinations.

    Raises ``ConversionError`` (so the caller converts the documents one by one) when the PDF
    cannot be read, a mark is missing, points at no page of this PDF, or is out of order.
    """
    try:
        reader = PdfReader(io.BytesIO(pdf))
        starts: dict[int, int] = {}
        leads: dict[int, int] = {}
        for name, destination in reader.named_destinations.items():
            mark = _MARK_NAME.fullmatch(name)
            if mark is None:
                continue
            page = reader.get_destination_page_number(destination)
            if page is None:  # a destination on a page that is not in this PDF
                raise ConversionError("Không tách được tệp PDF ghép (dấu đầu tài liệu không chỉ tới "
                                      "trang nào).")
            (starts if mark.group(1) == _MARK else leads)[int(mark.group(2))] = page
        return _cut(reader, starts, leads, count)
    except PyPdfError as exc:
        raise ConversionError(f"Không đọc được tệp PDF ghép ({exc}).") from exc


def _cut(reader: PdfReader, starts: dict[int, int], leads: dict[int, int],
         count: int) -> list[bytes]:
    """The pages of *reader* from each document's first page to the next one's lead."""
    if sorted(starts) != list(range(count)) or sorted(leads) != list(range(count)):
        raise ConversionError("Không tách được tệp PDF ghép (thiếu dấu đầu tài liệu).")
    if any(starts[i] != leads[i] + 1 for i in range(count)):  # a lead is one page
        raise ConversionError("Không tách được tệp PDF ghép (trang dẫn không đúng một trang).")
    bounds = [starts[i] for i in range(count)] + [len(reader.pages) + 1]
    parts = []
    for first, after in pairwise(bounds):
        after -= 1  # the next document's lead page
        if after <= first:
            raise ConversionError("Không tách được tệp PDF ghép (thứ tự trang sai).")
        writer = PdfWriter()
        for page in range(first, after):
            writer.add_page(reader.pages[page])
        carry(reader, writer)  # each part stays PDF/A, as LibreOffice made the whole
        out = io.BytesIO()
        writer.write(out)
        parts.append(out.getvalue())
    return parts


def convert_one(converter: Converter, docx: bytes) -> bytes:
    """The PDF of one document converted alone, behind the lead like a combined conversion."""
    with stage("combine"):
        combined = combine([docx])
    with stage("libreoffice"):
        return converter.to_pdf(combined, options=ALONE_OPTIONS)


def convert_many(converter: Converter, documents: Sequence[bytes]) -> list[bytes]:
    """PDFs of *documents* (one template): one conversion when there are several."""
    if len(documents) == 1:
        return [convert_one(converter, documents[0])]
    with stage("combine"):
        combined = combine(documents)
    with stage("libreoffice"):
        pdf = converter.to_pdf(combined, options=EXPORT_OPTIONS)
    with stage("split"):
        return split(pdf, len(documents))


def reader_of(pdf: bytes | PdfReader) -> PdfReader:
    """*pdf* read (the cross-reference table only; objects are read when asked for)."""
    return pdf if isinstance(pdf, PdfReader) else PdfReader(io.BytesIO(pdf))


def page_count(pdf: bytes | PdfReader) -> int:
    """The number of pages of *pdf*, as its page tree counts them (no page is read)."""
    pages = reader_of(pdf).root_object["/Pages"].get_object()
    count = pages.get("/Count") if isinstance(pages, DictionaryObject) else None
    if not isinstance(count, NumberObject):
        raise ConversionError("Tệp PDF không có cây trang.")
    return int(count)  # a ballot may have 100,000 pages: reading each would take a minute


def producer(pdf: bytes | PdfReader) -> str:
    """The PDF's producer: the LibreOffice that wrote it (``LibreOffice 7.4``), ``""`` if none."""
    info = reader_of(pdf).metadata
    return str(info.get("/Producer", "")) if info else ""
