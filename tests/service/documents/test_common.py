"""Pieces every document shares: shares rounded by the meeting's one rule, the header lines,
place names, the Căn cứ lines."""

from __future__ import annotations

from datetime import date

import pytest

from service.documents import DOCUMENT_TYPES
from service.documents.common import NBSP, attendance, citation, citations, header, keep_names, vote_cells
from service.meetings.figures import compute, compute_monthly
from service.meetings.rules import regime_for
from service.meetings.schemas import LocalBasis, Organisation
from service.meetings.validation import parse_meeting
from tests.support.factories import meeting_payload, monthly_payload


def test_attendance_and_vote_cells_round_by_the_same_rule():
    """Truncating: 11/12 present is 91,6% and 7/9 ballots 77,7%, never 91,7% beside 77,7%."""
    meeting = parse_meeting(meeting_payload(rules={"rounding": "truncate"}))
    figures = compute(meeting)
    assert "(91,6%)" in attendance(figures, meeting.rules)["present_line"]
    assert vote_cells(meeting.ratings[0].votes, figures.denominator, meeting.rules)[:2] == [
        "07 (77,7%)", "02 (22,2%)"]


def test_zero_decimals_reach_the_attendance_line():
    """decimals 0: 11/12 present is written 92%."""
    meeting = parse_meeting(meeting_payload(rules={"decimals": 0}))
    assert "(92%)" in attendance(compute(meeting), meeting.rules)["present_line"]


def test_the_collective_report_rounds_meetings_held_by_the_rule():
    """Mẫu 01: 11 of 12 monthly meetings is 91,6% when the meeting truncates."""
    data = meeting_payload(rules={"rounding": "truncate"})
    data["report"]["meetings_held"] = 11
    meeting = parse_meeting(data)
    facts = DOCUMENT_TYPES["bao_cao_kiem_diem"].context(meeting, compute(meeting), None)["facts"]
    assert any("11/12 tháng (91,6%)" in fact for fact in facts)


def test_monthly_minutes_round_attendance_by_their_rule():
    """The monthly minutes' rules block too: 7/8 present, truncated to whole percent, is 87%."""
    data = monthly_payload(rules={"rounding": "truncate", "decimals": 0})
    data["members"][-1].update(attendance="absent", absence_reason="Đi công tác")
    data.pop("check", None)
    meeting = parse_meeting(data)
    context = DOCUMENT_TYPES["bien_ban_sinh_hoat"].context(meeting, compute_monthly(meeting), None)
    assert "07/08 đồng chí được triệu tập (87%)" in context["attendance"]["present_line"]


@pytest.mark.parametrize(("line", "expected"), [
    ("Đảng bộ phường Thành Sen", "Đảng bộ phường Thành_Sen"),
    ("Đảng bộ các cơ quan tỉnh Hà Tĩnh", "Đảng bộ các cơ quan tỉnh Hà_Tĩnh"),
    ("Chi bộ thôn Tân Phong xã Kỳ Anh", "Chi bộ thôn Tân_Phong xã Kỳ_Anh"),
    ("CHI BỘ THÔN TÂN PHONG", "CHI BỘ THÔN TÂN_PHONG"),
    ("Đảng bộ thị xã Kỳ Anh", "Đảng bộ thị xã Kỳ_Anh"),
    ("Đảng bộ thành phố Hồ Chí Minh", "Đảng bộ thành phố Hồ_Chí_Minh"),
    ("Chi bộ Trường Tiểu học Thạch Linh", "Chi bộ Trường Tiểu học Thạch_Linh"),
    ("Chi bộ Sở Tài chính", "Chi bộ Sở Tài chính"),
    ("Chi bộ Bà Rịa - Vũng Tàu", "Chi bộ Bà_Rịa_-_Vũng_Tàu"),
])
def test_place_names_are_held_together(line, expected):
    """Spaces inside a place name do not break; those between the words of the kind do."""
    assert keep_names(line).replace(NBSP, "_") == expected


def test_a_long_run_of_words_is_not_taken_for_one_name():
    """Seven capitalised words may still break: the column must not overflow."""
    assert NBSP not in keep_names("Chi bộ Công Ty Cổ Phần Sông Đà Hai")


def test_the_header_has_one_line_per_parent_then_the_chi_bo():
    """parents are the lines above CHI BỘ …, in capitals, highest first."""
    org = Organisation(parents=["Đảng bộ tỉnh Hà Tĩnh", "Đảng ủy xã Kỳ Anh"], name="Chi bộ thôn Tân Phong",
                       place="Kỳ Anh")
    h = header(org, date(2025, 12, 14), "BB", 1)
    assert [line.replace(NBSP, " ") for line in h["parents"]] == ["ĐẢNG BỘ TỈNH HÀ TĨNH", "ĐẢNG ỦY XÃ KỲ ANH"]
    assert h["issuer"].replace(NBSP, " ") == "CHI BỘ THÔN TÂN PHONG"
    assert h["date_line"] == f"Kỳ{NBSP}Anh, ngày 14 tháng 12 năm 2025"


def test_a_local_document_is_cited_like_the_central_ones():
    """Kind, number, date (as the central texts write it), issuer, then the summary."""
    basis = LocalBasis(kind="kế hoạch", number="129-KH/HU", date=date(2023, 11, 22), issuer="Huyện ủy Kỳ Anh",
                       subject="về kiểm điểm cuối năm 2023")
    assert citation(basis) == ("Căn cứ Kế hoạch số 129-KH/HU, ngày 22/11/2023 của Huyện ủy Kỳ Anh "
                               "về kiểm điểm cuối năm 2023;")


def test_local_documents_follow_the_central_ones():
    """The regulation and the guidance first, then each local document in the order given."""
    first = LocalBasis(kind="Hướng dẫn", number="20-HD/TU", date=date(2025, 11, 5), issuer="Tỉnh ủy Hà Tĩnh")
    second = LocalBasis(kind="Kế hoạch", number="45-KH/ĐU", date=date(2025, 11, 10),
                        issuer="Đảng ủy xã Kỳ Anh")
    lines = citations(regime_for(2025), [first, second], date(2025, 12, 5))
    assert [line.split(",")[0] for line in lines] == [
        "Căn cứ Quy định số 366-QĐ/TW", "Căn cứ Hướng dẫn số 43-HD/BTCTW", "Căn cứ Hướng dẫn số 20-HD/TU",
        "Căn cứ Kế hoạch số 45-KH/ĐU"]
