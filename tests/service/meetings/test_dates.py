"""Dates that make sense: the review year, the future, the month; notices on stale headers."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from service.errors import InvalidMeetingError
from service.meetings.dates import Calendar, ahead, notices, summary_notices
from service.meetings.figures import compute
from service.meetings.summary import summarize
from service.meetings.validation import parse_meeting
from service.meetings.vnformat import short_date
from tests.support.factories import SAMPLES, dang_bo_payload, meeting_payload, monthly_payload

# the sample meeting is on 05/12/2025
DECEMBER_1 = Calendar(date(2025, 12, 1), days_ahead=10)


def _fields(data, calendar=None):
    with pytest.raises(InvalidMeetingError) as caught:
        parse_meeting(data, calendar)
    return {p.field: p.detail for p in caught.value.problems}


def test_review_year_may_be_the_year_before_the_meeting():
    """A 2025 review held in January 2026 (units with a special calendar) is accepted."""
    meeting = parse_meeting(meeting_payload(start="2026-01-10T08:00:00", end="2026-01-10T11:00:00"))
    assert meeting.review_year == 2025


def test_review_year_after_the_meeting_year_is_refused():
    """The 2026 review cannot be held in December 2025."""
    fields = _fields(meeting_payload(review_year=2026))
    assert list(fields) == ["review_year"] and "sau năm họp (2025)" in fields["review_year"]


def test_review_year_two_years_before_the_meeting_is_refused():
    """A 2023 review dated December 2025 is a mistake in one of the two."""
    data = meeting_payload(review_year=2023)
    for rating in data["ratings"]:  # no scores before 2025: leave only the date problem
        rating.pop("self_score", None)
        rating.pop("scores", None)
    data["chi_bo_rating"].pop("self_score")
    data["chi_bo_rating"].pop("score_groups")
    assert list(_fields(data)) == ["review_year"]


def test_a_meeting_a_few_days_ahead_is_accepted():
    """Ballots and the draft report are made before the meeting: four days ahead is fine."""
    assert parse_meeting(meeting_payload(), DECEMBER_1).start.day == 5


def test_a_meeting_further_ahead_than_the_setting_is_refused():
    """With three days allowed, a meeting four days ahead is refused, naming today."""
    fields = _fields(meeting_payload(), Calendar(date(2025, 12, 1), days_ahead=3))
    assert list(fields) == ["start"]
    assert "quá 3 ngày kể từ hôm nay (01/12/2025)" in fields["start"]


def test_a_document_date_too_far_ahead_is_refused():
    """The issue date obeys the same window as the meeting."""
    assert list(_fields(meeting_payload(document_date="2026-05-05"), DECEMBER_1)) == ["document_date"]


def test_without_a_calendar_the_future_is_not_checked():
    """Data already accepted and built again later is not refused for its date."""
    assert parse_meeting(meeting_payload(), None).start.year == 2025


def test_a_monthly_meeting_is_held_in_its_month_or_the_next():
    """November's meeting on 02/12 is accepted; on 02/01 of the next year it is refused."""
    assert parse_meeting(monthly_payload(start="2025-12-02T08:00:00", end="2025-12-02T10:00:00"))
    fields = _fields(monthly_payload(start="2026-01-02T08:00:00", end="2026-01-02T10:00:00"))
    assert list(fields) == ["month"]


def test_a_monthly_meeting_in_the_future_is_refused():
    """The future check applies to monthly minutes too."""
    assert list(_fields(monthly_payload(), Calendar(date(2025, 10, 1), days_ahead=10))) == ["start"]


def test_a_summary_dated_two_years_after_its_review_is_refused():
    """The đảng bộ summary of 2025 is made in 2025 or 2026."""
    data = dang_bo_payload()
    data["dang_bo"]["report_date"] = "2027-01-05"
    assert "dang_bo.report_date" in _fields(data)


def test_a_local_basis_issued_after_the_meeting_is_refused():
    """A plan cannot be the basis of a meeting held before it was issued."""
    basis = {"kind": "Kế hoạch", "number": "45-KH/ĐU", "date": "2025-12-20", "issuer": "Đảng ủy phường"}
    assert list(_fields(meeting_payload(local_basis=[basis]))) == ["local_basis[0].date"]


def _with_parents(*parents, **overrides):
    data = meeting_payload(**overrides)
    data["organisation"] = {"parents": list(parents), "name": "Chi bộ thôn Tân Phong", "place": "Kỳ Anh"}
    return parse_meeting(data)


def test_a_district_level_after_1_july_2025_is_noticed():
    """ĐẢNG BỘ HUYỆN … on a document of December 2025 gets a warning that reaches the job."""
    meeting = _with_parents("Đảng bộ huyện Kỳ Anh", "Đảng bộ xã Kỳ Tân")
    (notice,) = notices(meeting)
    assert "ĐẢNG BỘ HUYỆN KỲ ANH" in notice and "không còn cấp huyện" in notice
    assert notice in compute(meeting).warnings


def test_a_district_level_before_1_july_2025_is_not_noticed():
    """The 2024 sample's "thị xã" was right when it was held."""
    meeting = parse_meeting(json.loads((SAMPLES / "annual_review_2024.json").read_text(encoding="utf-8")))
    assert notices(meeting) == []


@pytest.mark.parametrize("parent", ["Đảng bộ quận Ba Đình", "Thị xã ủy Kỳ Anh", "HUYỆN ỦY CAN LỘC"])
def test_every_district_level_word_is_noticed(parent):
    """Quận and thị xã were district levels too; capitals are recognised."""
    assert notices(_with_parents(parent))


def test_a_commune_level_is_not_noticed():
    """ĐẢNG ỦY XÃ … and ĐẢNG BỘ TỈNH … are the levels after the reform."""
    assert notices(_with_parents("Đảng bộ tỉnh Hà Tĩnh", "Đảng ủy xã Kỳ Anh")) == []


def test_a_local_basis_from_a_district_after_the_reform_is_noticed():
    """A Huyện ủy plan dated after 1/7/2025 is stale; one of 2023 is not."""
    late = {"kind": "Kế hoạch", "number": "12-KH/HU", "date": "2025-11-01", "issuer": "Huyện ủy Kỳ Anh"}
    early = {**late, "number": "129-KH/HU", "date": "2023-11-22"}
    found = notices(parse_meeting(meeting_payload(local_basis=[early, late])))
    assert len(found) == 1 and "12-KH/HU" in found[0]


def test_an_agenda_item_citing_another_review_year_is_noticed():
    """Last year's agenda copied into this year's meeting is pointed out."""
    data = meeting_payload()
    data["agenda"][0] = "Thông qua báo cáo kiểm điểm tập thể chi bộ năm 2024."
    (notice,) = notices(parse_meeting(data))
    assert "mục (1) ghi năm 2024" in notice


def test_a_school_year_in_the_agenda_is_not_noticed():
    """'năm học 2024–2025' is not a review year."""
    data = meeting_payload()
    data["agenda"][0] = "Đánh giá kết quả năm học 2024–2025."
    assert notices(parse_meeting(data)) == []


def test_the_dang_bo_header_is_checked_in_the_summary():
    """A đảng bộ whose own parent is a district gets the notice in the summary's warnings."""
    data = dang_bo_payload()
    data["dang_bo"]["parent"] = "Đảng bộ huyện Thạch Hà"
    review = parse_meeting(data)
    (notice,) = summary_notices(review)
    assert notice in summarize(review).warnings


def test_a_meeting_dated_after_today_is_a_warning_even_when_allowed():
    """Two days ahead is accepted (within the days allowed) but said, with both dates."""
    meeting = parse_meeting(monthly_payload())
    day = meeting.start.date()
    assert ahead(meeting, day) == []
    found = ahead(meeting, day - timedelta(days=2))
    assert len(found) == 1 and found[0].startswith(f"Ngày họp {short_date(day)}, sau hôm nay "
                                                   f"({short_date(day - timedelta(days=2))})")


def test_a_past_review_year_on_a_december_meeting_is_a_notice():
    """Review year 2025 on a December 2026 meeting: accepted, never silently."""
    meeting = parse_meeting(meeting_payload(review_year=2025, start="2026-12-05T14:00:00",
                                            end="2026-12-05T17:00:00", document_date=None))
    assert any(n.startswith("Năm đánh giá 2025 nhưng hội nghị họp ngày 05/12/2026") for n in notices(meeting))
