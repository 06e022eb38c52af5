"""The meeting package: one ZIP named by chi bộ and year, and one print-ready PDF.

The print PDF is every document's PDF in the order of the file, merged by qpdf (through
pikepdf), with one bookmark per document so a reader can jump to each member's
self-review. qpdf merges a page tree of any size (a 2,000-member meeting's ballot alone is
134,000 pages, beyond pypdf's 100,000-entry reading limit) and copies once the content the
repeated ballot pages share. The ZIP holds each document as DOCX and PDF, the print PDF, and a note listing
any document that failed. The batch ZIP copies the entries of each job's ZIP, one entry at a
time, into a file: neither ZIP is ever whole in memory.
"""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pikepdf

from service.documents.common import slug

CHUNK = 1 << 20  # bytes copied at a time between ZIP entries


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


def write_print_pdf(documents: list[PackedDocument], title: str, target: Path, *,
                    duplex: bool = True) -> None:
    """All PDFs merged in order into *target*, one bookmark per document; with *duplex* each
    document padded to an even number of pages, so each starts on a front side.

    qpdf's own page merge (its ``--pages``, run in-process through pikepdf's ``Job``) copies
    the pages; pikepdf's page-by-page ``extend`` is quadratic in the pages of one source. The
    first document is the primary input: its catalog (PDF/A output intent, XMP) is kept, the
    XMP titled by *title*.
    """
    with tempfile.TemporaryDirectory(prefix="chibo-merge-") as folder:
        sources, counts = [], []
        for index, document in enumerate(documents):
            source = Path(folder) / f"{index}.pdf"
            source.write_bytes(document.pdf)
            sources.append(str(source))
            with pikepdf.open(source) as part:
                counts.append(len(part.pages))
        merged = Path(folder) / "merged.pdf"
        primary = [sources[0]] if sources else ["--empty"]
        pikepdf.Job(["chibo", *primary, "--remove-unreferenced-resources=no", "--no-warn",
                     "--pages", ".", *sources[1:], "--", str(merged)]).run()
        with pikepdf.open(merged) as pdf:
            firsts = _pad(pdf, counts) if duplex else _starts(counts)
            with pdf.open_outline() as outline:
                outline.root.clear()
                for document, first in zip(documents, firsts, strict=True):
                    outline.root.append(pikepdf.OutlineItem(document.title, first))
            with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
                meta["dc:title"] = title
            pdf.Root.PageMode = pikepdf.Name.UseOutlines
            pdf.save(target, object_stream_mode=pikepdf.ObjectStreamMode.generate)


def _starts(counts: list[int]) -> list[int]:
    firsts, first = [], 0
    for count in counts:
        firsts.append(first)
        first += count
    return firsts


def _pad(pdf: pikepdf.Pdf, counts: list[int]) -> list[int]:
    """A blank page (the size of the one before) after each document of an odd number of pages;
    the first page of each document after the padding."""
    firsts, first = [], 0
    for count in counts:
        firsts.append(first)
        first += count
        if count % 2:
            before = pdf.pages[first - 1]
            blank = pikepdf.Dictionary(Type=pikepdf.Name.Page, MediaBox=before.mediabox,
                                       Resources=pikepdf.Dictionary(), Contents=pdf.make_stream(b""))
            pdf.pages.insert(first, pikepdf.Page(pdf.make_indirect(blank)))
            first += 1
    return firsts


def print_pdf(documents: list[PackedDocument], title: str, *, duplex: bool = True) -> bytes:
    """The print PDF as bytes (the CLI's; the service writes it to a file)."""
    with tempfile.TemporaryDirectory(prefix="chibo-print-") as folder:
        target = Path(folder) / "print.pdf"
        write_print_pdf(documents, title, target, duplex=duplex)
        return target.read_bytes()


def write_zip_package(documents: list[PackedDocument], title: str, failed: list[str],
                      target: Path, printed: Path | None) -> None:
    """The ZIP of the meeting into *target*: every DOCX and PDF, the print PDF *printed*, failures."""
    stem = package_name(title)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for index, document in enumerate(documents, start=1):
            base = f"{stem}/{index:02d}-{document.name}"
            # DOCX, PDF and XLSX are compressed already: stored as they are (deflating them again
            # took most of a package's time and saved 1-2%)
            archive.writestr(f"{base}.docx", document.docx, zipfile.ZIP_STORED)
            archive.writestr(f"{base}.pdf", document.pdf, zipfile.ZIP_STORED)
            if document.xlsx is not None:
                archive.writestr(f"{base}.xlsx", document.xlsx, zipfile.ZIP_STORED)
        if printed is not None:
            archive.write(printed, f"{stem}/{stem}-ban-in.pdf", zipfile.ZIP_STORED)
        if failed:
            note = "Các tài liệu chưa tạo được:\n" + "\n".join(f"- {line}" for line in failed)
            archive.writestr(f"{stem}/LOI.txt", note + "\n")


def zip_package(documents: list[PackedDocument], title: str, failed: list[str]) -> bytes:
    """The ZIP of the meeting as bytes (the CLI's; the service writes it to a file)."""
    with tempfile.TemporaryDirectory(prefix="chibo-zip-") as folder:
        printed = Path(folder) / "print.pdf" if documents else None
        if printed is not None:
            write_print_pdf(documents, title, printed)
        target = Path(folder) / "package.zip"
        write_zip_package(documents, title, failed, target, printed)
        return target.read_bytes()


def write_batch_zip(job_zips: Iterable[Path], target: Path) -> None:
    """One ZIP of a whole batch into *target*: the entries of each job's ZIP (a folder each).

    Entries are copied a chunk at a time; memory does not grow with the batch.
    """
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in job_zips:
            with zipfile.ZipFile(path) as inner:
                for info in inner.infolist():
                    entry = zipfile.ZipInfo(info.filename, info.date_time)
                    entry.compress_type, entry.external_attr = info.compress_type, info.external_attr
                    with inner.open(info) as source, archive.open(entry, "w", force_zip64=True) as sink:
                        shutil.copyfileobj(source, sink, CHUNK)
