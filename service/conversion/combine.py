"""Converting many documents of one template in a single LibreOffice load.

LibreOffice spends about 0.1 s per document on fixed costs (load, layout setup, export).
Documents rendered from the same template share styles, numbering and headers, so their
bodies can be joined into one DOCX — each ending in a next-page section break that restarts
the page numbers — converted once, and split back. Each document's first paragraph carries a
Writer bookmark that the PDF export turns into a named destination; the split follows those
destinations, never a guessed page count. Each part is the same, in text and pages, as the
document converted alone (``tests/integration/test_combine.py``).
"""

from __future__ import annotations

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
from service.errors import ConversionError
from service.pdfa import carry

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MARK = "chibodoc"  # letters only: PDF names escape "_" and other punctuation
_MARK_NAME = re.compile(rf"/?{_MARK}([0-9]+)")
EXPORT_OPTIONS = ("ExportBookmarksToPDFDestination=true",)


def _q(tag: str) -> str:
    return f"{{{_W}}}{tag}"


def _body(docx: bytes, index: int) -> tuple[etree._Element, etree._Element, etree._Element]:
    """The root, body and final section properties of *docx*, its first paragraph bookmarked."""
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml"))
    body = root.find(_q("body"))
    first = body.find(f".//{_q('p')}") if body is not None else None
    section = body.find(_q("sectPr")) if body is not None else None
    if body is None or first is None or section is None:
        raise ConversionError("Tài liệu không có đoạn văn hoặc thiết lập trang để ghép.")
    start, end = etree.Element(_q("bookmarkStart")), etree.Element(_q("bookmarkEnd"))
    start.set(_q("id"), str(90000 + index))
    start.set(_q("name"), f"{_MARK}{index}")
    end.set(_q("id"), str(90000 + index))
    position = 1 if first.find(_q("pPr")) is not None else 0
    first.insert(position, start)
    first.insert(position + 1, end)
    if section.find(_q("pgNumType")) is None:
        numbering = etree.SubElement(section, _q("pgNumType"))
        numbering.set(_q("start"), "1")
    return root, body, section


def combine(documents: Sequence[bytes]) -> bytes:
    """One DOCX holding *documents* (all from one template), a section each."""
    parsed = [_body(docx, index) for index, docx in enumerate(documents)]
    root, body, section = parsed[0]
    for _, other, next_section in parsed[1:]:
        # the section so far ends in its last paragraph; the next document's section follows
        body.remove(section)
        last = [child for child in body if child.tag == _q("p")][-1]
        properties = last.find(_q("pPr"))
        if properties is None:
            properties = etree.Element(_q("pPr"))
            last.insert(0, properties)
        properties.append(section)
        for child in list(other):
            body.append(child)
        section = next_section  # now the body's final sectPr
    source = zipfile.ZipFile(io.BytesIO(documents[0]))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = (etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
                    if item.filename == "word/document.xml" else source.read(item))
            target.writestr(item, data)
    return out.getvalue()


def split(pdf: bytes, count: int) -> list[bytes]:
    """The *count* documents of a combined PDF, cut at their named destinations.

    Raises ``ConversionError`` (so the caller converts the documents one by one) when the PDF
    cannot be read, a mark is missing, points at no page of this PDF, or is out of order.
    """
    try:
        reader = PdfReader(io.BytesIO(pdf))
        starts: dict[int, int] = {}
        for name, destination in reader.named_destinations.items():
            mark = _MARK_NAME.fullmatch(name)
            if mark is None:
                continue
            page = reader.get_destination_page_number(destination)
            if page is None:  # a destination on a page that is not in this PDF
                raise ConversionError("Không tách được tệp PDF ghép (dấu đầu tài liệu không chỉ tới "
                                      "trang nào).")
            starts[int(mark.group(1))] = page
        return _cut(reader, starts, count)
    except PyPdfError as exc:
        raise ConversionError(f"Không đọc được tệp PDF ghép ({exc}).") from exc


def _cut(reader: PdfReader, starts: dict[int, int], count: int) -> list[bytes]:
    """The pages of *reader* from each document's first page to the next one's."""
    if sorted(starts) != list(range(count)):
        raise ConversionError("Không tách được tệp PDF ghép (thiếu dấu đầu tài liệu).")
    bounds = [starts[i] for i in range(count)] + [len(reader.pages)]
    parts = []
    for first, after in pairwise(bounds):
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


def convert_many(converter: Converter, documents: Sequence[bytes]) -> list[bytes]:
    """PDFs of *documents* (one template): one conversion when there are several."""
    if len(documents) == 1:
        return [converter.to_pdf(documents[0])]
    pdf = converter.to_pdf(combine(documents), options=EXPORT_OPTIONS)
    return split(pdf, len(documents))


def page_count(pdf: bytes) -> int:
    """The number of pages of *pdf*, as its page tree counts them (no page is read)."""
    pages = PdfReader(io.BytesIO(pdf)).root_object["/Pages"].get_object()
    count = pages.get("/Count") if isinstance(pages, DictionaryObject) else None
    if not isinstance(count, NumberObject):
        raise ConversionError("Tệp PDF không có cây trang.")
    return int(count)  # a ballot may have 100,000 pages: reading each would take a minute


def producer(pdf: bytes) -> str:
    """The PDF's producer: the LibreOffice that wrote it (``LibreOffice 7.4``), ``""`` if none."""
    info = PdfReader(io.BytesIO(pdf)).metadata
    return str(info.get("/Producer", "")) if info else ""
