"""Registers made by LibreOffice Calc (.xlsx and old .xls), with merged title rows, read into a roster."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from service.roster import preview
from tests.support.roster_files import register_workbook, through_calc

pytestmark = pytest.mark.integration
TODAY = date(2026, 12, 1)


@pytest.fixture(name="calc_files", scope="module")
def _calc_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The Mẫu 7-HSĐV register written with openpyxl, saved again by Calc as .xlsx and as .xls."""
    folder = tmp_path_factory.mktemp("calc")
    source = register_workbook(folder / "so-danh-sach.xlsx")
    return {fmt: through_calc(source, fmt, folder) for fmt in ("xlsx", "xls")}


@pytest.mark.parametrize("fmt", ["xlsx", "xls"])
def test_a_calc_register_is_read_below_its_merged_title_rows(calc_files, fmt):
    """The header is row 4 under two merged titles; the row of column numbers is passed over."""
    found = preview(calc_files[fmt].read_bytes(), calc_files[fmt].name, TODAY, 2000)
    assert found.sheet == "So DV" and found.header_row == 4
    assert [r.member["name"] for r in found.rows] == ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường",
                                                       "Phạm Văn Dũng"]


@pytest.mark.parametrize("fmt", ["xlsx", "xls"])
def test_the_register_s_combined_columns_are_split(calc_files, fmt):
    """"Ngày vào Đảng, ngày chính thức" gives both dates, "Nam/nữ…" the sex, the card number first."""
    an, binh, cuong, _ = preview(calc_files[fmt].read_bytes(), calc_files[fmt].name, TODAY, 2000).rows
    assert an.member == {"name": "Nguyễn Văn An", "sex": "nam", "admitted_on": "1996-05-15",
                              "official_on": "1997-05-15", "card_number": "01234567"}
    assert binh.member["card_number"] == "00098765" and binh.member["sex"] == "nu"
    assert binh.member["membership"] == "du_bi"  # admitted 03.02.26, no official date: on probation
    assert (cuong.member["left_on"], cuong.member["left_reason"]) == ("2025-03-01", "moved")


@pytest.mark.parametrize("fmt", ["xlsx", "xls"])
def test_a_bad_date_of_the_register_names_its_cell(calc_files, fmt):
    """32/13/1990 is refused on sheet So DV, row 9, column G; the other rows have no problem."""
    problem, = preview(calc_files[fmt].read_bytes(), calc_files[fmt].name, TODAY, 2000).problems
    assert (problem.sheet, problem.row, problem.column) == ("So DV", 9, "G")
