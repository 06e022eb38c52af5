"""Turning submitted data into a Meeting, or into every reason it is refused."""

from __future__ import annotations

import unicodedata

import pytest

from service.errors import InvalidMeetingError
from service.validation import field_path, parse_meeting
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
