"""The meeting package: one ZIP named by chi bộ and year, and one print-ready PDF.

The print PDF is every document's PDF in the order of the file, merged with pypdf, with
one bookmark per document so a reader can jump to each member's self-review. The ZIP holds
each document as DOCX and PDF, the print PDF, and a note listing any document that failed.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass

from pypdf import PdfReader, PdfWriter

from service.documents.common import slug
from service.pdfa import carry, pdfa_part, set_xmp


@dataclass(frozen=True)
class PackedDocument:
    """A finished document as it goes into the package."""

    name: str
    title: str
    pdf: bytes
    docx: bytes
    xlsx: bytes | None = None


def package_name(title: str) -> str:
    """``chi-bo-truong-tieu-hoc-thach-linh-nam-2025``: the stem of the ZIP and print PDF."""
    return slug(title)


def pad_to_even(writer: PdfWriter) -> None:
    """A blank page (the size of the last) after an odd number of pages: the next document
    starts on a front side when printed on both sides."""
    if len(writer.pages) % 2:
        last = writer.pages[-1].mediabox
        writer.add_blank_page(width=float(last.width), height=float(last.height))


def print_pdf(documents: list[PackedDocument], title: str, *, duplex: bool = True) -> bytes:
    """All PDFs merged in order, one bookmark per document; each padded to even pages (*duplex*).

    PDF/A-2b when the documents are: the first one's output intent, a new XMP packet titled *title*.
    """
    writer = PdfWriter()
    archival = False
    for index, document in enumerate(documents):
        reader = PdfReader(io.BytesIO(document.pdf))
        writer.append(reader, outline_item=document.title)
        if duplex:
            pad_to_even(writer)
        if index == 0 and pdfa_part(reader):
            carry(reader, writer)
            archival = True
    if archival:
        set_xmp(writer, title, "chibo-docs", dt.datetime.now(dt.UTC))
    else:
        writer.add_metadata({"/Title": title, "/Producer": "chibo-docs"})
    writer.page_mode = "/UseOutlines"
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def zip_package(documents: list[PackedDocument], title: str, failed: list[str]) -> bytes:
    """The ZIP of the meeting: every DOCX and PDF, the print PDF, and failures if any."""
    stem = package_name(title)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for index, document in enumerate(documents, start=1):
            base = f"{stem}/{index:02d}-{document.name}"
            archive.writestr(f"{base}.docx", document.docx)
            archive.writestr(f"{base}.pdf", document.pdf)
            if document.xlsx is not None:
                archive.writestr(f"{base}.xlsx", document.xlsx)
        if documents:
            archive.writestr(f"{stem}/{stem}-ban-in.pdf", print_pdf(documents, title))
        if failed:
            note = "Các tài liệu chưa tạo được:\n" + "\n".join(f"- {line}" for line in failed)
            archive.writestr(f"{stem}/LOI.txt", note + "\n")
    return out.getvalue()


def batch_zip(packages: Iterable[tuple[str, list[PackedDocument], list[str]]]) -> bytes:
    """One ZIP of a whole batch: each job's package (title, documents, failures) as a folder."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for title, documents, failed in packages:
            inner = zipfile.ZipFile(io.BytesIO(zip_package(documents, title, failed)))
            for name in inner.namelist():
                archive.writestr(name, inner.read(name))
    return out.getvalue()
