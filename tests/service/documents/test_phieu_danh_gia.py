"""The ballots' contexts: copies to a sheet, and nothing that numbers a copy."""

from __future__ import annotations

from service.documents.phieu_danh_gia import chi_bo_context, sheets
from service.meetings.figures import figures_for
from service.meetings.validation import parse_meeting
from tests.factories import meeting_payload


def test_copies_fill_the_sheets_and_the_last_is_left_partly_blank():
    """Five copies two to a sheet are three sheets, the last with one place used."""
    assert sheets(5, 2) == [[True, True], [True, True], [True, False]]
    assert sheets(4, 4) == [[True] * 4]
    assert sheets(3, 1) == [[True]] * 3


def test_chi_bo_ballot_context_takes_the_setting_and_numbers_nothing():
    """rules.chi_bo_ballots_per_sheet reaches the template; the sheets hold only yes/no."""
    meeting = parse_meeting(meeting_payload(rules={"chi_bo_ballots_per_sheet": 4}))
    context = chi_bo_context(meeting, figures_for(meeting))
    assert context["per_sheet"] == 4
    places = [place for sheet in context["sheets"] for place in sheet]
    assert all(place is True or place is False for place in places)
    assert sum(places) == figures_for(meeting).ballots.issued


def test_chi_bo_ballots_default_to_one_a_sheet():
    """Without the setting, each chi bộ ballot is a sheet of its own."""
    meeting = parse_meeting(meeting_payload())
    assert chi_bo_context(meeting, figures_for(meeting))["per_sheet"] == 1
