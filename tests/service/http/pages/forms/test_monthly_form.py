"""The monthly form: the payload it makes, the form a meeting fills, errors beside their fields."""

from __future__ import annotations

import json

import pytest

from service.errors import FieldProblem
from service.http.pages.forms.monthly_form import member_rows, monthly_form_to_payload, problems_by_field
from service.http.pages.forms.prefill import initial_attendance, monthly_corrected, monthly_payload_to_form
from service.meetings.validation import parse_meeting
from tests.support.factories import SAMPLES

MONTHLY = sorted(SAMPLES.glob("monthly_*.json"))


@pytest.mark.parametrize("path", MONTHLY, ids=lambda p: p.stem)
def test_an_unchanged_form_gives_back_the_same_meeting(path):
    """A sample laid into the form and sent back untouched is the same meeting."""
    data = json.loads(path.read_text(encoding="utf-8"))
    form = monthly_payload_to_form(data)
    keys = [form[f"m-{row}-key"] for row in member_rows(form)]
    again = monthly_corrected(data, monthly_form_to_payload(form), keys)
    assert parse_meeting(again) == parse_meeting(data)


def test_a_resolution_of_nothing_typed_is_left_out():
    """An empty part I–IV and no vote make no resolution (it is optional)."""
    payload = monthly_form_to_payload({"m-0-name": "Lê Văn Sơn", "res-agree": "", "res-results": " "})
    assert "resolution" not in payload and payload["members"][0]["attendance"] == "present"


def test_an_absence_with_its_reason_is_sent():
    """A member row marked absent carries the reason typed."""
    payload = monthly_form_to_payload({"m-0-name": "Lê Văn Sơn", "m-0-attendance": "absent",
                                       "m-0-reason": "đi công tác"})
    assert payload["members"] == [{"name": "Lê Văn Sơn", "position": None, "membership": "chinh_thuc",
                                   "attendance": "absent", "absence_reason": "đi công tác"}]


def test_errors_land_beside_their_fields():
    """Problems of a member, an assignment, another resolution and the vote find their cells."""
    form = {"m-0-name": "A", "m-2-name": "B", "a-1-who": "C", "r-0-text": "D"}
    errors, general = problems_by_field([
        FieldProblem("members[1].absence_reason", "x"), FieldProblem("resolution.assignments[0].due", "y"),
        FieldProblem("resolutions[0]", "z"), FieldProblem("resolution.vote", "v"),
        FieldProblem("preparation.notified", "n"), FieldProblem("rules.min_minutes", "g")], form)
    assert errors == {"m-2-reason": "x", "a-1-due": "y", "r-0-agree": "z", "res-agree": "v",
                      "prep-notified": "n"}
    assert general == ["g"]  # the detail alone: no field name reaches the page


def test_initial_attendance_is_last_month_s_members_present_again():
    """Last month's absent member is present again, the exempt one stays exempt, codes kept."""
    previous = {"members": [
        {"id": "07", "name": "Lê Văn Sơn", "attendance": "absent", "absence_reason": "ốm"},
        {"name": "Cao Thị Thảo", "membership": "du_bi"},
        {"name": "Vũ Văn Hòa", "attendance": "exempt", "absence_reason": "tuổi cao"}]}
    assert initial_attendance(previous) == [
        {"id": "07", "name": "Lê Văn Sơn"}, {"name": "Cao Thị Thảo", "membership": "du_bi"},
        {"name": "Vũ Văn Hòa", "attendance": "exempt", "absence_reason": "tuổi cao"}]


def test_no_previous_meeting_starts_with_nobody():
    """Without a monthly meeting before, the attendance list is empty."""
    assert initial_attendance(None) == []
