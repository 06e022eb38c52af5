"""Columns of the đảng bộ workbook found by header: any order, diacritics and case aside."""

from __future__ import annotations

from service.spreadsheets.headers import dang_bo_row, layout, plain
from service.spreadsheets.workbook import CHI_BO_SHEET, MEMBER_COLUMNS, MEMBER_SHEET, VOTE_COLUMNS, VOTE_SHEET


def _headers(*names):
    return [c.header for c in MEMBER_COLUMNS if c.header not in names]


def test_plain_drops_diacritics_case_and_punctuation():
    """"Họ và TÊN", "ho va ten" and "Họ  và tên:" compare the same."""
    assert plain("Họ và TÊN") == plain("ho va ten") == plain(" Họ  và tên: ") == "ho va ten"
    assert plain("Đảng viên") == "dang vien"


def test_reordered_headers_find_their_columns():
    """Swapped headers put each field at the column it was found at."""
    headers = [c.header for c in MEMBER_COLUMNS]
    headers[2], headers[4] = headers[4], headers[2]
    where, problems = layout(MEMBER_SHEET, MEMBER_COLUMNS, headers)
    assert problems == [] and where["name"] == 4 and where["position"] == 2


def test_headers_without_diacritics_or_their_note_and_synonyms_are_known():
    """"ho ten", "TU XEP LOAI" and "Lý do không đánh giá" (the note in brackets left out) match."""
    headers = ["ma chi bo", "ho ten", "TU XEP LOAI", "Lý do không đánh giá", "Sinh ngày"]
    where, problems = layout(MEMBER_SHEET, MEMBER_COLUMNS, headers)
    assert problems == []
    assert where == {"chi_bo": 0, "name": 1, "self_rating": 2, "not_rated_reason": 3, "birth_date": 4}


def test_short_level_names_are_vote_columns():
    """HTXS, HTT, HT, KHT head the vote columns."""
    where, problems = layout(VOTE_SHEET, VOTE_COLUMNS, ["Mã chi bộ", "Đối tượng", "KHT", "HT", "HTT", "HTXS"])
    assert problems == [] and where["xuat_sac"] == 5 and where["khong_hoan_thanh"] == 2


def test_an_unknown_header_is_named_with_its_cell():
    """A header of no column is refused at its cell, the typed header named."""
    headers = [*_headers(), "Quê quán"]
    _, problems = layout(MEMBER_SHEET, MEMBER_COLUMNS, headers)
    assert [(p.sheet, p.row, p.column) for p in problems] == [(MEMBER_SHEET, 1, "Quê quán")]
    assert problems[0].field == f"Sheet \"{MEMBER_SHEET}\", ô P1 (tiêu đề \"Quê quán\")"
    assert "không phải cột nào của mẫu" in problems[0].detail


def test_a_missing_required_column_is_named():
    """Without "Họ và tên" the sheet is refused naming that column; optional ones may be missing."""
    _, problems = layout(MEMBER_SHEET, MEMBER_COLUMNS, _headers("Họ và tên", "Lý do vắng"))
    assert [(p.column, p.detail.split(" (")[0]) for p in problems] == [
        ("Họ và tên", "Thiếu cột \"Họ và tên\"")]


def test_a_column_given_twice_is_refused():
    """"Họ tên" after "Họ và tên" is the same column twice."""
    _, problems = layout(MEMBER_SHEET, MEMBER_COLUMNS, [*_headers(), "Họ tên"])
    assert len(problems) == 1 and "trùng với cột C" in problems[0].detail


def test_question_marks_match_nothing():
    """Headers lost to "???" are each refused, and every required column is missing."""
    _, problems = layout(CHI_BO_SHEET, (), ["???", "???"])
    assert [p.column for p in problems] == ["???", "???"]


def test_dang_bo_labels_are_read_loosely():
    """"ten dang bo" is the row "Tên đảng bộ"; an unknown label is none."""
    assert dang_bo_row("ten dang bo").field == "name"
    assert dang_bo_row("Ngày lập biểu").field == "report_date"
    assert dang_bo_row("???") is None


def test_a_row_number_and_a_notes_column_are_left_unread():
    """"STT" and "Ghi chú" columns, common in registers, are neither read nor refused."""
    where, problems = layout(MEMBER_SHEET, MEMBER_COLUMNS, ["STT", *_headers(), "Ghi chú"])
    assert problems == [] and where["chi_bo"] == 1
