"""The package files: the print PDF merged by qpdf (padded for duplex), the ZIP, the batch ZIP."""

from __future__ import annotations

import io
import subprocess
import time
import zipfile

import pikepdf
from pypdf import PdfReader, PdfWriter

from service.documents import package
from tests.support.bigpdf import many_pages

TITLE = "Chi bộ Thôn Đông năm 2025"


def _doc(name, title, pdf):
    return package.PackedDocument(name, title, pdf, b"docx of " + name.encode())


def _pdfinfo_pages(path) -> int:
    out = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    return int(next(line for line in out.splitlines() if line.startswith("Pages:")).split()[1])


def test_print_pdf_has_every_page_in_order_and_a_bookmark_per_document(tmp_path):
    """Pages follow the documents' order; each bookmark opens its document's first page."""
    documents = [_doc("bien_ban", "Biên bản", many_pages(2, "Bien ban")),
                 _doc("phieu", "Phiếu bầu", many_pages(3, "Phieu")),
                 _doc("kiem_phieu", "Kiểm phiếu", many_pages(1, "Kiem phieu"))]
    target = tmp_path / "print.pdf"
    package.write_print_pdf(documents, TITLE, target, duplex=False)
    with pikepdf.open(target) as pdf, pdf.open_outline() as outline:
        marks = [(item.title, pdf.pages.index(pikepdf.Page(item.destination[0]))) for item in outline.root]
        assert pdf.docinfo["/Title"] == TITLE and pdf.Root.PageMode == "/UseOutlines"
    assert marks == [("Biên bản", 0), ("Phiếu bầu", 2), ("Kiểm phiếu", 5)]
    text = subprocess.run(["pdftotext", "-f", "6", "-l", "6", str(target), "-"], check=True,
                          capture_output=True, text=True).stdout
    assert "Kiem phieu" in text


def test_a_print_pdf_beyond_pypdf_s_100000_page_limit_is_merged(tmp_path):
    """A 2,000-member meeting's ballot (over 100,000 pages) merges into the print PDF."""
    ballot = many_pages(100_500)
    start = time.monotonic()
    target = tmp_path / "print.pdf"
    package.write_print_pdf([_doc("bien_ban", "Biên bản", many_pages(2)),
                             _doc("phieu", "Phiếu bầu", ballot)], TITLE, target)
    assert _pdfinfo_pages(target) == 100_502
    assert target.stat().st_size < 5 * len(ballot)  # the shared content stays shared
    assert time.monotonic() - start < 180


def test_the_zip_holds_each_file_the_print_pdf_and_the_failures(tmp_path):
    """Every DOCX and PDF numbered in order, the print PDF given, and LOI.txt naming failures."""
    printed = tmp_path / "print.pdf"
    printed.write_bytes(b"%PDF-print")
    target = tmp_path / "job.zip"
    package.write_zip_package([_doc("bien_ban", "Biên bản", b"%PDF-1")], TITLE, ["Phiếu: lỗi"],
                              target, printed)
    with zipfile.ZipFile(target) as archive:
        stem = "chi-bo-thon-dong-nam-2025"
        assert archive.namelist() == [f"{stem}/01-bien_ban.docx", f"{stem}/01-bien_ban.pdf",
                                      f"{stem}/{stem}-ban-in.pdf", f"{stem}/LOI.txt"]
        assert archive.read(f"{stem}/{stem}-ban-in.pdf") == b"%PDF-print"
        assert "Phiếu: lỗi" in archive.read(f"{stem}/LOI.txt").decode()


def test_the_batch_zip_is_every_job_zip_s_entries_copied(tmp_path):
    """The batch ZIP has each job's folder with the same bytes, entry for entry."""
    jobs = []
    for index, title in enumerate(["Chi bộ A năm 2025", "Chi bộ B năm 2025"]):
        path = tmp_path / f"{index}.zip"
        package.write_zip_package([_doc("bien_ban", "Biên bản", b"%PDF" + bytes(200_000))], title, [],
                                  path, None)
        jobs.append(path)
    target = tmp_path / "batch.zip"
    package.write_batch_zip(jobs, target)
    with zipfile.ZipFile(target) as archive:
        assert archive.testzip() is None
        assert {n.split("/")[0] for n in archive.namelist()} == {"chi-bo-a-nam-2025", "chi-bo-b-nam-2025"}
        assert archive.read("chi-bo-b-nam-2025/01-bien_ban.pdf") == b"%PDF" + bytes(200_000)


def test_the_cli_s_bytes_helpers_match_the_files():
    """zip_package (bytes, for the CLI) holds the print PDF it merged."""
    data = package.zip_package([_doc("bien_ban", "Biên bản", many_pages(1))], TITLE, [])
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert "chi-bo-thon-dong-nam-2025/chi-bo-thon-dong-nam-2025-ban-in.pdf" in names


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
