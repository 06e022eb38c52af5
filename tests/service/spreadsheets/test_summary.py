"""The summary workbook: both tables, the level counted for each chi bộ and why, rounded shares."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import load_workbook

from service.meetings.schemas import DangBoReview
from service.meetings.summary import summarize
from service.spreadsheets.summary import to_xlsx
from tests.support.factories import dang_bo_payload


def _book(data: dict[str, Any] | None = None):
    summary = summarize(DangBoReview.model_validate(data or dang_bo_payload()))
    return load_workbook(io.BytesIO(to_xlsx(summary)))


def test_xlsx_has_both_tables():
    """The workbook has a sheet per table; table B ends with Tổng cộng after three chi bộ."""
    book = _book()
    assert book.sheetnames == ["Tổ chức đảng", "Đảng viên"]
    assert book["Đảng viên"]["B7"].value == "Tổng cộng"


def test_each_chi_bo_row_says_which_level_was_counted_and_why():
    """Thạch Linh (no vote): counted "Chưa có kết quả", not its self-rating; Tân Phong by decision."""
    sheet = _book()["Tổ chức đảng"]
    head = [c.value for c in sheet[3]]
    assert head[-2:] == ["Mức tính vào tổng hợp", "Căn cứ"]
    thach_linh = [c.value for c in sheet[4]]
    assert thach_linh[3:5] == ["Hoàn thành tốt nhiệm vụ", "Chưa nhập số phiếu"]
    assert thach_linh[6] == "Chưa có kết quả"
    assert "không tính theo mức chi bộ tự xếp loại" in thach_linh[7]
    assert [c.value for c in sheet[5]][6:] == ["Hoàn thành tốt nhiệm vụ", "Theo quyết định của Đảng ủy"]


def test_level_counts_leave_out_the_chi_bo_without_a_result():
    """Under table A: one chi bộ per level counted, 50% of the two rated, one without a result."""
    rows = [[c.value for c in row][1:4] for row in _book()["Tổ chức đảng"].iter_rows(min_row=9, max_row=13)]
    assert rows[0] == ["Hoàn thành xuất sắc nhiệm vụ", 1, 0.5]
    assert rows[-1] == ["Chưa có kết quả", 1, None]


def test_shares_are_stored_rounded_by_the_rule_with_its_decimals():
    """Truncated: 20/30 is stored 0,666 and shown "0.0%", as the PDF's 66,6%; not Excel's 66,7%."""
    data = dang_bo_payload()
    data["dang_bo"]["rules"] = {"rounding": "truncate"}
    cell = _book(data)["Đảng viên"]["J6"]
    assert cell.value == 0.666
    assert cell.number_format == "0.0%"


def test_two_decimals_give_a_two_decimal_format():
    """decimals 2: 7/47 is stored 0,1489 and shown "0.00%"."""
    data = dang_bo_payload()
    data["dang_bo"]["rules"] = {"decimals": 2}
    cell = _book(data)["Đảng viên"]["H7"]
    assert (cell.value, cell.number_format) == (0.1489, "0.00%")
