"""Repeating a copy's pages with pypdf: the pages in order, the file small, readers content.

The PDFs are made with pypdf (a text page with a font, like LibreOffice's); the real ballots are
read back in ``tests/integration/test_ballots.py``.
"""

from __future__ import annotations

import io
import zipfile

import pytest
from docx import Document
from pypdf import PdfReader, PdfWriter, apply_configuration
from pypdf.errors import LimitReachedError
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from service.conversion.cache import ConversionCache, _Memory, content_key
from service.conversion.combine import EXPORT_OPTIONS, page_count
from service.conversion.fonts import embedded_fonts, first_pages
from service.conversion.repeat import FANOUT, convert_repeated, repeat
from tests.support.fakes import FakeConverter, MemoryStorage


def _text_pdf(*texts: str) -> bytes:
    """One page per text, each with its own content stream (the text and a grid of lines)."""
    writer = PdfWriter()
    font = writer._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject("/Helvetica")}))
    for text in texts:
        page = writer.add_blank_page(width=595, height=842)
        grid = "".join(f"72 {y} m 523 {y} l S\n" for y in range(100, 700, 2))  # a table's lines
        stream = DecodedStreamObject()
        stream.set_data(f"BT /F1 12 Tf 72 760 Td ({text}) Tj ET\n{grid}".encode())
        page[NameObject("/Contents")] = writer._add_object(stream)
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _texts(pdf: bytes) -> list[str]:
    return [page.extract_text().strip() for page in PdfReader(io.BytesIO(pdf)).pages]


def test_each_part_stands_its_times_in_order():
    """A two-page copy three times, then a last sheet once: the pages in that order."""
    pdf = repeat([(_text_pdf("copy p1", "copy p2"), 3), (_text_pdf("last sheet"), 1)])
    assert _texts(pdf) == ["copy p1", "copy p2"] * 3 + ["last sheet"]


def test_200_copies_are_much_smaller_than_200_files():
    """200 copies of a page share its content: the file is far under 200 × one copy."""
    one = _text_pdf("PHIEU DANH GIA")
    many = repeat([(one, 200)])
    assert page_count(many) == 200
    assert len(many) < 200 * len(one) / 20
    assert (len(many) - len(one)) / 199 < 300  # bytes: a copy adds a page dictionary, not the page
    contents = {page.raw_get("/Contents").idnum for page in PdfReader(io.BytesIO(many)).pages}
    assert len(contents) == 1


def test_many_pages_make_a_tree_every_reader_opens():
    """10,000 pages: no /Kids longer than FANOUT, every page read back, the count right."""
    pdf = repeat([(_text_pdf("a", "b"), 5000)])
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.root_object["/Pages"]["/Kids"]) <= FANOUT
    assert len(reader.pages) == page_count(pdf) == 10000
    assert reader.pages[9999].extract_text().strip() == "b"


def test_a_part_standing_once_is_left_as_it_is():
    """A document laid out once for itself (no copies) is the converter's PDF, byte for byte."""
    one = _text_pdf("biên bản")
    assert repeat([(one, 1)]) == one


def test_a_part_standing_no_time_is_an_error():
    """A part repeated zero times is a mistake of the caller, not an empty PDF."""
    with pytest.raises(ValueError):
        repeat([(_text_pdf("x"), 0)])


def test_one_document_converts_its_parts_one_by_one():
    """A document alone: each part converted once on its own (behind its lead), then repeated."""
    converter = FakeConverter()
    (pdf,) = convert_repeated(converter, [[(_docx("sheet"), 4), (_docx("last"), 1)]])
    assert [_xml(call).count(b'w:name="chibodoc0"') for call in converter.calls] == [1, 1]
    assert [b"sheet" in _xml(call) for call in converter.calls] == [True, False]
    assert page_count(pdf) == 5


def _xml(docx: bytes) -> bytes:
    return zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml")


class _Combining(FakeConverter):
    """Answers a combined conversion with one page per part, each marked as ``combine`` does."""

    def to_pdf(self, docx: bytes, *, options: tuple[str, ...] = ()) -> bytes:
        """A PDF with a page and a document mark per part of the combined DOCX."""
        self.calls.append(docx)
        assert tuple(options) == EXPORT_OPTIONS
        count = _xml(docx).count(b'w:name="chibodoc')
        writer = PdfWriter()
        for index in range(count):  # a lead page, then the part's page
            writer.add_blank_page(width=595, height=842)
            writer.add_named_destination(f"chibolead{index}", 2 * index)
            writer.add_blank_page(width=595, height=842)
            writer.add_named_destination(f"chibodoc{index}", 2 * index + 1)
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()


def _docx(text: str) -> bytes:
    document = Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_several_documents_convert_all_their_parts_in_one_load():
    """Three parts of two documents: one conversion, each document repeated from its own parts."""
    converter = _Combining()
    pdfs = convert_repeated(converter, [[(_docx("a"), 3), (_docx("b"), 1)], [(_docx("c"), 1)]])
    assert len(converter.calls) == 1
    assert _xml(converter.calls[0]).count(b"<w:sectPr") == 6  # a lead and a section per part
    assert [page_count(pdf) for pdf in pdfs] == [4, 1]


def test_the_same_content_is_converted_once_and_a_cache_answers_the_next_time():
    """Two documents with the same part (a blank form) and one other: two parts laid out in one
    conversion; the same documents again, rendered anew (other ZIP times), through a cache that
    shares its store with another process: nothing converted, the same pages."""
    form, other = _docx("mẫu trống"), _docx("biên bản")
    store = MemoryStorage()
    first = _Combining()
    pdfs = convert_repeated(first, [[(form, 1)], [(form, 2)], [(other, 1)]],
                            ConversionCache(store, memory=_Memory(2**20)))
    assert len(first.calls) == 1 and _xml(first.calls[0]).count(b'w:name="chibodoc') == 2
    assert [page_count(pdf) for pdf in pdfs] == [1, 2, 1]
    assert len([key for key in store.files if key.startswith("conversions/")]) == 2
    again = _Combining()  # another worker process: its memory empty, the store shared
    redone = [_retimed(form), _retimed(other)]
    assert redone[0] != form and content_key(redone[0]) == content_key(form)
    pdfs = convert_repeated(again, [[(redone[0], 1)], [(redone[1], 1)]],
                            ConversionCache(store, memory=_Memory(2**20)))
    assert again.calls == [] and [page_count(pdf) for pdf in pdfs] == [1, 1]


def test_the_content_key_is_the_parts_and_the_settings():
    """Another text or other PDF settings are another key; the ZIP's own times are not."""
    form = _docx("mẫu")
    assert content_key(_retimed(form)) == content_key(form)
    assert content_key(_docx("mẫu khác")) != content_key(form)
    assert content_key(form, ("SelectPdfVersion=2",)) != content_key(form)


def _retimed(docx: bytes) -> bytes:
    """*docx* written again with other times in its ZIP entries."""
    source, out = zipfile.ZipFile(io.BytesIO(docx)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(zipfile.ZipInfo(item.filename, (2001, 2, 3, 4, 5, 6)), source.read(item))
    return out.getvalue()


def test_the_fonts_of_a_ballot_too_long_for_pypdf_are_read():
    """pypdf refuses a page tree of more than 100,000 pages (a 2,000-member ballot has 134,000):
    the fonts for provenance are read from its first pages, walked down the tree."""
    ballot = repeat([(_text_pdf("PHIEU"), 300)])
    with apply_configuration(page_tree_maximum_entries=200, page_tree_maximum_page_entries=200):
        with pytest.raises(LimitReachedError):
            len(PdfReader(io.BytesIO(ballot)).pages)
        assert embedded_fonts(ballot) == ["Helvetica"]
        assert len(first_pages(PdfReader(io.BytesIO(ballot)), 20)) == 20
