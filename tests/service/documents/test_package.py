"""The print PDF: each document padded to an even number of pages for duplex, bookmarks kept."""

from __future__ import annotations

import io

from pypdf import PdfReader, PdfWriter

from service.documents import package


def _pdf(pages: int) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _documents(*pages: int) -> list[package.PackedDocument]:
    return [package.PackedDocument(f"d{i}", f"Tài liệu {i}", _pdf(n), b"") for i, n in enumerate(pages)]


def test_each_document_starts_on_a_front_side():
    """3 + 1 + 2 pages become 4 + 2 + 2; the bookmarks point at pages 0, 4 and 6."""
    reader = PdfReader(io.BytesIO(package.print_pdf(_documents(3, 1, 2), "Hồ sơ")))
    assert len(reader.pages) == 8
    starts = [reader.get_destination_page_number(item) for item in reader.outline]
    assert starts == [0, 4, 6]
    assert [item.title for item in reader.outline] == ["Tài liệu 0", "Tài liệu 1", "Tài liệu 2"]


def test_without_duplex_nothing_is_added():
    """duplex=False merges the pages as they are."""
    reader = PdfReader(io.BytesIO(package.print_pdf(_documents(3, 1), "Hồ sơ", duplex=False)))
    assert len(reader.pages) == 4
