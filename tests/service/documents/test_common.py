"""Pieces every document shares: shares rounded by the meeting's one rule."""

from __future__ import annotations

from service.documents import DOCUMENT_TYPES
from service.documents.common import attendance, vote_cells
from service.meetings.figures import compute, compute_monthly
from service.meetings.validation import parse_meeting
from tests.factories import meeting_payload, monthly_payload


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
