"""The secret ballots read back from their PDFs: no number, a page per copy, no empty page."""

from __future__ import annotations

import io
import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from service.conversion.converter import UnoserverConverter
from service.conversion.repeat import convert_repeated
from service.documents import instances, meeting_figures
from service.documents.rendering import DocxRenderer
from service.jobs.pipeline import build, render
from service.meetings.validation import parse_meeting
from tests.support.factories import SAMPLES

pytestmark = pytest.mark.integration
LARGE = json.loads((SAMPLES / "annual_review_2025_large.json").read_text(encoding="utf-8"))
MEMBER_TITLE = "PHIẾU ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG ĐẢNG VIÊN"
CHI_BO_TITLE = "PHIẾU ĐÁNH GIÁ, XẾP LOẠI CHẤT"  # a quarter sheet wraps the rest


def _meeting(members: int, copies: int, **rules: Any) -> Any:
    """The large sample cut to its first *members*, with *copies* ballots issued."""
    data = json.loads(json.dumps(LARGE))
    data["members"] = data["members"][:members]
    data["ratings"] = [{**rating, "votes": {"tot": copies}} for rating in data["ratings"][:members]]
    data["chi_bo_rating"]["votes"] = {"tot": copies}
    data["ballot_count"] = {**data["ballot_count"], "issued": copies, "returned": copies, "invalid": 0}
    data.pop("check", None)
    data["rules"] = rules
    return parse_meeting(data)


def _pages(meeting: Any, document: str, converter: UnoserverConverter, tmp_path: Path) -> list[str]:
    """The text of each page of *document* (pdftotext -layout), after checking the page count."""
    instance = next(i for i in instances(meeting) if i.name == document)
    return _text(build(meeting, instance, DocxRenderer(), converter).pdf, tmp_path)


def _text(pdf: bytes, tmp_path: Path) -> list[str]:
    """The text of each page of *pdf* (pdftotext -layout), after checking the page count."""
    path = tmp_path / f"ballot-{len(list(tmp_path.iterdir()))}.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"], check=True,
                          capture_output=True).stdout.decode()
    pages = text.split("\f")[:-1]  # each page ends with a form feed
    assert len(pages) == len(PdfReader(io.BytesIO(pdf)).pages)
    return pages


def _lines(page: str) -> list[str]:
    return [line.strip() for line in page.splitlines() if line.strip()]


def _numbers(page: str) -> list[str]:
    """Lines that are only a number (a page number) or a document number (``Số …``)."""
    return [line for line in _lines(page) if re.fullmatch(r"\d+", line) or line.startswith("Số ")]


def test_member_ballot_of_22_names_takes_one_page_per_copy(converter, tmp_path):
    """22 names fill a page: three copies are three pages, each a whole ballot, none empty."""
    pages = _pages(_meeting(22, 3), "phieu_danh_gia_dang_vien", converter, tmp_path)
    assert len(pages) == 3
    for page in pages:
        lines = _lines(page)
        assert lines[0].startswith("ĐẢNG BỘ CÁC CƠ QUAN TỈNH")
        assert MEMBER_TITLE in page
        assert lines[-2].startswith("22 ") and lines[-1] == "Phiếu không ký tên."


def test_member_ballot_longer_than_a_page_repeats_its_header(converter, tmp_path):
    """30 names: each copy takes two pages, the second starts with the table header again."""
    pages = _pages(_meeting(30, 3), "phieu_danh_gia_dang_vien", converter, tmp_path)
    assert len(pages) == 6
    for first, second in zip(pages[::2], pages[1::2], strict=True):
        assert _lines(first)[0].startswith("ĐẢNG BỘ CÁC CƠ QUAN TỈNH")
        assert MEMBER_TITLE not in second
        assert _lines(second)[0].startswith("Hoàn thành")  # the header row, repeated
        assert "Họ và tên đảng viên" in second
        assert "30 Dương Ngọc Toàn" in " ".join(second.split())


@pytest.mark.parametrize("document", ["phieu_danh_gia_dang_vien", "phieu_danh_gia_chi_bo"])
def test_ballots_carry_no_number(document, converter, tmp_path):
    """No page number on any page of a ballot (not even the second of a copy), no Số line."""
    pages = _pages(_meeting(30, 2), document, converter, tmp_path)
    assert len(pages) == (4 if document == "phieu_danh_gia_dang_vien" else 2)
    assert [_numbers(page) for page in pages] == [[] for _ in pages]


def test_chi_bo_ballots_default_to_one_a_page(converter, tmp_path):
    """Without the setting, each chi bộ ballot has a page of its own."""
    pages = _pages(_meeting(10, 5), "phieu_danh_gia_chi_bo", converter, tmp_path)
    assert [page.count(CHI_BO_TITLE) for page in pages] == [1] * 5


@pytest.mark.parametrize(("per_sheet", "expected"), [(2, [2, 2, 1]), (4, [4, 1])])
def test_chi_bo_ballots_share_a_sheet(per_sheet, expected, converter, tmp_path):
    """2 or 4 chi bộ ballots to an A4 sheet: five copies fill the sheets, the rest left blank."""
    meeting = _meeting(10, 5, chi_bo_ballots_per_sheet=per_sheet)
    pages = _pages(meeting, "phieu_danh_gia_chi_bo", converter, tmp_path)
    assert [page.count(CHI_BO_TITLE) for page in pages] == expected
    assert [page.count("Phiếu không ký tên.") for page in pages] == expected
    assert [_numbers(page) for page in pages] == [[] for _ in pages]


def test_ballots_converted_together_are_the_ballots_converted_alone(converter, tmp_path):
    """Two meetings' chi bộ ballots, a full sheet and a last one each, in one load: the same pages."""
    meetings = [_meeting(10, 5, chi_bo_ballots_per_sheet=4), _meeting(10, 7, chi_bo_ballots_per_sheet=2)]
    parts = [render(next(i for i in instances(m) if i.name == "phieu_danh_gia_chi_bo"), m,
                    meeting_figures(m), DocxRenderer()) for m in meetings]
    assert [len(p) for p in parts] == [2, 2]  # a sheet repeated, and the last sheet
    together = [_text(pdf, tmp_path) for pdf in convert_repeated(converter, parts)]
    alone = [_text(convert_repeated(converter, [p])[0], tmp_path) for p in parts]
    assert together == alone
    assert [[page.count("Phiếu không ký tên.") for page in pdf] for pdf in together] == [[4, 1], [2, 2, 2, 1]]
