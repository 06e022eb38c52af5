"""A sent meeting back in the form, and a correction laid over the data it came from."""

from __future__ import annotations

import pytest

from service.documents import instances, render_context
from service.errors import InvalidMeetingError
from service.http.pages.forms.meeting_form import form_to_payload, problems_by_row
from service.http.pages.forms.prefill import corrected, payload_to_form
from service.meetings.validation import parse_meeting
from service.spreadsheets.reader import parse_workbook
from tests.support.factories import SAMPLES, meeting_payload, workbook_bytes


def _stored(data: dict) -> dict:
    return parse_meeting(data).model_dump(mode="json")


def _round_trip(base: dict, edit=None) -> dict:
    form = payload_to_form(base)
    if edit:
        edit(form)
    return _stored(corrected(base, form_to_payload(form), form))


@pytest.mark.parametrize("name", sorted(p.name for p in SAMPLES.glob("annual_review_*.json")))
def test_an_unchanged_form_gives_back_the_same_meeting(name):
    """Every annual sample sent as JSON, shown in the form and saved unchanged, is the same data."""
    base = _stored(__import__("json").loads((SAMPLES / name).read_text(encoding="utf-8")))
    assert _round_trip(base) == base


def test_a_workbook_meeting_round_trips_through_the_form():
    """A chi bộ read from the workbook comes back identical from the unchanged form."""
    for chi_bo in parse_workbook(workbook_bytes()).chi_bo:
        base = chi_bo.model_dump(mode="json")
        assert _round_trip(base) == base


def test_correcting_one_vote_changes_only_that_vote():
    """Moving one vote of the third member changes that rating's votes and nothing else."""
    base = _stored(meeting_payload())

    def edit(form):
        form["m-2-tot"], form["m-2-ht"] = "8", "1"

    after = _round_trip(base, edit)
    assert after["ratings"][2]["votes"]["tot"] == 8 and after["ratings"][2]["votes"]["hoan_thanh"] == 1
    after["ratings"][2]["votes"] = base["ratings"][2]["votes"]
    assert after == base


def test_a_renamed_member_keeps_her_review_text():
    """The row's key carries the review text of Mẫu 02 to the corrected name."""
    base = _stored(meeting_payload())

    def edit(form):
        form["m-0-name"] = form["chair_name"] = "Trần Văn Bính"

    after = _round_trip(base, edit)
    assert after["members"][0]["name"] == "Trần Văn Bính"
    assert after["ratings"][0]["review"] == base["ratings"][0]["review"]
    assert after["members"][0]["unit"] == base["members"][0]["unit"]


def test_a_changed_attendance_drops_the_typed_counts():
    """Marking one more member absent drops the self-check counts that described the old list."""
    base = _stored(meeting_payload())
    assert base["check"] is not None
    form = payload_to_form(base)
    form["m-4-attendance"], form["m-4-reason"] = "absent", "ốm"
    after = corrected(base, form_to_payload(form), form)
    assert "check" not in after and after["members"][4]["attendance"] == "absent"
    assert corrected(base, form_to_payload(payload_to_form(base)), payload_to_form(base))["check"]


def test_the_chi_bo_s_score_groups_are_on_the_form_and_checked_beside_their_row():
    """Mẫu 01 part B: the groups come back on the form (name, maximum, score) and round-trip; a
    score over its group's maximum is told on that row, naming the group; rows cleared go."""
    base = _stored(meeting_payload())
    form = payload_to_form(base)
    assert (form["g-1-name"], form["g-1-max"], form["g-1-score"]) == (
        base["chi_bo_rating"]["score_groups"][1]["name"], "70", "60")
    assert "g-2-name" not in form
    form["g-0-score"] = "31"
    with pytest.raises(InvalidMeetingError) as refused:
        parse_meeting(corrected(base, form_to_payload(form), form))
    errors, _ = problems_by_row(refused.value.problems, form)
    assert errors["g-0-score"].startswith("Nhóm tiêu chí 1 (Nhóm tiêu chí về xây dựng Đảng") and \
        "tối đa 30 điểm" in errors["g-0-score"]
    form.update({"g-0-score": "26", "g-2-name": "Nhóm thêm", "g-2-max": "10", "g-2-score": "5"})
    with pytest.raises(InvalidMeetingError) as refused:  # the maxima now add up to 110
        parse_meeting(corrected(base, form_to_payload(form), form))
    assert "phải là 100" in problems_by_row(refused.value.problems, form)[0]["cb-groups"]

    form.update({"g-0-score": "25,5", "g-2-name": "", "g-2-max": "", "g-2-score": "", "cb-score": ""})
    meeting = parse_meeting(corrected(base, form_to_payload(form), form))
    (report,) = instances(meeting, ["bao_cao_kiem_diem"])
    printed = render_context(report, meeting)  # what Mẫu 01 part B prints
    assert [g["points"] for g in printed["score_groups"]] == ["25,5/30 điểm", "60/70 điểm"]
    assert printed["score_total"] == "85,5/100 điểm"

    def cleared(form):
        for n in (0, 1):
            form[f"g-{n}-name"] = form[f"g-{n}-max"] = form[f"g-{n}-score"] = ""

    after = _round_trip(base, cleared)
    assert after["chi_bo_rating"]["score_groups"] == [] and after["chi_bo_rating"]["self_score"] == "86"


def test_the_report_body_is_written_on_the_form_and_a_cleared_section_stays_cleared():
    """Mẫu 01's sections come back on the form; one rewritten and one emptied are saved so."""
    base = meeting_payload()
    form = payload_to_form(base)
    assert form["rp-strengths"].splitlines() == base["report"]["strengths"]
    form["rp-strengths"] = "Hoàn thành 100% chỉ tiêu.\n\nXây dựng chi bộ trong sạch."
    form["rp-direction"] = ""
    stored = _stored(corrected(base, form_to_payload(form), form))
    assert stored["report"]["strengths"] == ["Hoàn thành 100% chỉ tiêu.", "Xây dựng chi bộ trong sạch."]
    assert stored["report"]["direction"] == [] and stored["report"]["number"] == base["report"]["number"]
    assert stored["report"]["shortcomings"] == base["report"]["shortcomings"]
