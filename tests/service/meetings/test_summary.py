"""The đảng bộ summary: both tables, totals and the quota at đảng bộ level."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from service.meetings.schemas import DangBoReview, Level
from service.meetings.summary import member_rows, organisation_rows, quota_line, summarize
from service.spreadsheets.summary import to_xlsx
from tests.factories import dang_bo_payload


def _summary():
    return summarize(DangBoReview.model_validate(dang_bo_payload()))


def test_totals_add_up_over_chi_bo():
    """47 members in three chi bộ: 7 xuất sắc, 34 tốt, 6 hoàn thành."""
    summary = _summary()
    assert summary.members == 47
    assert summary.totals == {Level.XUAT_SAC: 7, Level.TOT: 34, Level.HOAN_THANH: 6,
                              Level.KHONG_HOAN_THANH: 0}


def test_total_row_has_shares_over_those_rated():
    """The Tổng cộng row: 07 (14,9%) xuất sắc of 47 rated."""
    total = member_rows(_summary())[-1]
    assert total[1] == "Tổng cộng"
    assert total[5:7] == ["07", "14,9%"]


def test_quota_is_checked_at_dang_bo_level():
    """7 xuất sắc against 34 tốt exceeds 20% (at most 6): a warning, and the line says so."""
    summary = _summary()
    assert "vượt" in quota_line(summary)
    assert any("tối đa 06" in w for w in summary.warnings)


def test_decision_of_the_dang_uy_is_shown():
    """A decision given for a chi bộ fills its column in table A."""
    rows = organisation_rows(_summary())
    assert rows[1][4] == "Hoàn thành tốt nhiệm vụ"
    assert rows[0][4] == ""


def test_xlsx_has_both_tables():
    """The workbook has a sheet per table with the same rows."""
    book = load_workbook(io.BytesIO(to_xlsx(_summary())))
    assert book.sheetnames == ["Tổ chức đảng", "Đảng viên"]
    assert book["Đảng viên"]["B7"].value == "Tổng cộng"
