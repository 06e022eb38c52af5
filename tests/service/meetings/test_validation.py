"""Turning submitted data into a Meeting, or into every reason it is refused."""

from __future__ import annotations

import unicodedata

import pytest

from service.errors import InvalidMeetingError
from service.meetings.validation import field_path, parse_meeting
from tests.factories import meeting_payload


def test_sample_is_valid():
    """The bundled sample passes."""
    assert parse_meeting(meeting_payload()).organisation.place == "Hà Tĩnh"


def test_every_problem_is_reported_at_once():
    """Several bad fields come back together, each with its path."""
    data = meeting_payload(review_year="năm nay")
    data["members"][1]["membership"] = "khác"
    del data["location"]
    with pytest.raises(InvalidMeetingError) as caught:
        parse_meeting(data)
    fields = {p.field for p in caught.value.problems}
    assert fields == {"review_year", "members[1].membership", "location"}


def test_messages_are_vietnamese():
    """A missing field says so in Vietnamese."""
    data = meeting_payload()
    del data["chair"]
    with pytest.raises(InvalidMeetingError) as caught:
        parse_meeting(data)
    assert caught.value.problems[0].detail == "Thiếu trường bắt buộc."


def test_names_are_nfc_normalised():
    """A decomposed 'Nguyễn' equals the composed one after parsing."""
    data = meeting_payload()
    decomposed = unicodedata.normalize("NFD", data["members"][2]["name"])
    data["members"][2]["name"] = decomposed
    data["ratings"][2]["member"] = decomposed
    meeting = parse_meeting(data)
    assert meeting.members[2].name == unicodedata.normalize("NFC", decomposed)


def test_arithmetic_problems_come_after_the_schema():
    """Data that parses but does not add up is refused too."""
    data = meeting_payload()
    data["chi_bo_rating"]["votes"] = {"tot": 12}
    with pytest.raises(InvalidMeetingError) as caught:
        parse_meeting(data)
    assert caught.value.problems[0].field == "chi_bo_rating.votes"


def test_not_an_object_is_refused():
    """A JSON list is not a meeting."""
    with pytest.raises(InvalidMeetingError):
        parse_meeting([1, 2])


def test_field_path_format():
    """Paths read like members[2].name."""
    assert field_path(("members", 2, "name")) == "members[2].name"


def test_line_breaks_are_unified_and_tabs_kept():
    """CR LF and CR become LF in text; a tab is allowed; nothing is refused for them."""
    data = meeting_payload()
    data["discussion"][0]["content"] = "Một\r\nHai\rBa\tBốn"
    assert parse_meeting(data).discussion[0].content == "Một\nHai\nBa\tBốn"


@pytest.mark.parametrize("char", ["\x00", "\x1f", "\x7f", "\ud800", "\uffff"])
def test_characters_xml_cannot_hold_are_refused_with_the_field(char):
    """A control character, DEL or an unpaired surrogate names its field and its code point."""
    data = meeting_payload()
    data["members"][2]["position"] = f"Đảng{char}viên"
    with pytest.raises(InvalidMeetingError) as caught:
        parse_meeting(data)
    (problem,) = caught.value.problems
    assert problem.field == "members[2].position"
    assert f"U+{ord(char):04X}" in problem.detail and "ký tự" in problem.detail


def test_an_offset_on_a_time_is_dropped_not_applied():
    """14:00+07:00 is 14:00 as printed; a naive end is still comparable with it."""
    meeting = parse_meeting(meeting_payload(start="2025-12-05T14:00:00+07:00", end="2025-12-05T17:30:00"))
    assert (meeting.start.hour, meeting.start.tzinfo) == (14, None)


def test_an_unknown_key_that_cannot_be_printed_is_escaped():
    """A key's control characters are shown as escapes in the field path."""
    assert field_path(("members", 0, "a\x00\ud800")) == "members[0].a\\u0000\\ud800"


@pytest.mark.parametrize(("field", "value"), [("start", 0), ("start", "2025-12-05"), ("end", 1.5e9),
                                              ("document_date", 20251205)])
def test_dates_and_times_are_text_never_numbers(field, value):
    """A number (a Unix time to pydantic) or a date for a time is refused, as the schema says."""
    with pytest.raises(InvalidMeetingError) as caught:
        parse_meeting(meeting_payload(**{field: value}))
    assert [p.field for p in caught.value.problems] == [field]
    assert "không hợp lệ (dạng 2025-12-05" in caught.value.problems[0].detail


def test_monthly_rules_default_to_hd_42():
    """Without a rules block a monthly meeting follows HD 42 from 1/11/2025: 90 and 120 minutes."""
    from datetime import date

    from tests.factories import monthly_payload

    rules = parse_meeting(monthly_payload()).rules
    assert (rules.directive_from, rules.min_minutes, rules.min_minutes_combined,
            rules.materials_days_before) == (date(2025, 11, 1), 90, 120, 1)


def test_monthly_rules_are_not_annual_rules():
    """An annual review refuses the monthly settings instead of ignoring them."""
    with pytest.raises(InvalidMeetingError) as caught:
        parse_meeting(meeting_payload(rules={"min_minutes": 60}))
    assert [p.field for p in caught.value.problems] == ["rules.min_minutes"]
