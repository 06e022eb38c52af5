"""A benchmark's report: failed or missing documents are figures, a failed measurement a line."""

from __future__ import annotations

import io

from bench.report import Report, big_line, documents_line


def test_a_failed_document_and_one_without_pages_are_counted_and_named():
    """The 2,000-member crash: a document with no 'pages' is named with its state, never a KeyError."""
    documents = [{"name": "bien_ban", "status": "done", "pages": 3},
                 {"name": "phieu_dang_vien", "status": "failed",
                  "error": {"type": "timeout", "detail": "LibreOffice took longer than 120 s"}},
                 {"name": "kiem_phieu", "status": "done", "pages": None},
                 {"name": "mau_01", "status": "running"}]
    pages, not_done, named = documents_line(documents)
    assert (pages, not_done) == (3, 3)
    assert named == ("phieu_dang_vien (failed: timeout LibreOffice took longer than 120 s); "
                     "kiem_phieu (no page count); mau_01 (running)")


def test_more_than_five_problems_are_counted():
    """Past five, the rest are a count."""
    _, not_done, named = documents_line([{"name": f"d{i}", "status": "failed"} for i in range(8)])
    assert not_done == 8 and named.endswith("d4 (failed); and 3 more")


def test_a_big_meeting_that_failed_has_its_figures_and_no_print_pdf():
    """A failed meeting: its time, pages, failures named, and why there is no print PDF."""
    line = big_line({"members": 2000, "done": 812.5, "status": "failed", "pages": 140000, "documents": 37,
                     "not_done": 1, "named": "phieu_dang_vien (failed: timeout)", "peak_worker": 2**30,
                     "peak_office": 2**29, "print": None})
    assert line.startswith("meeting of 2000 members: submit → failed 812.5 s (140000 pages, 37 documents, "
                           "1 not done: phieu_dang_vien (failed: timeout)), no print PDF")
    assert "worker processes 1024 MiB, LibreOffice 512 MiB" in line


def test_a_measurement_that_raises_is_reported_and_the_next_goes_on():
    """Every line is printed at once; a raising measurement is one line, the run goes on, exit 1."""
    out = io.StringIO()
    report = Report(out)
    report.line("first figure")
    with report.measuring("the batch ZIP"):
        raise TimeoutError("/api/v1/batches/x/package still 409 after 600 s")
    with report.measuring("the next"):
        report.line("second figure")
    assert out.getvalue().splitlines() == [
        "first figure", "the batch ZIP: NOT MEASURED (TimeoutError: /api/v1/batches/x/package still 409 "
        "after 600 s)", "second figure"]
    assert report.failures == ["the batch ZIP"] and report.exit_code == 1
