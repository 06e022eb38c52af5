"""The ballots' contexts: one copy laid out, its pages repeated, and nothing that numbers a copy."""

from __future__ import annotations

from dataclasses import replace

import pytest

from service.documents import DOCUMENT_TYPES, instances, render_parts
from service.documents.phieu_danh_gia import chi_bo_context, chi_bo_parts, members_parts, sheets
from service.meetings.figures import Ballots, figures_for
from service.meetings.validation import parse_meeting
from tests.support.factories import meeting_payload


def test_copies_fill_the_sheets_and_the_last_is_left_partly_blank():
    """Five copies two to a sheet are three sheets, the last with one place used."""
    assert sheets(5, 2) == [[True, True], [True, True], [True, False]]
    assert sheets(4, 4) == [[True] * 4]
    assert sheets(3, 1) == [[True]] * 3


def test_chi_bo_ballot_context_takes_the_setting_and_numbers_nothing():
    """rules.chi_bo_ballots_per_sheet reaches the template; the sheets hold only yes/no."""
    meeting = parse_meeting(meeting_payload(rules={"chi_bo_ballots_per_sheet": 4}))
    parts = chi_bo_parts(meeting, figures_for(meeting))
    assert [part.context["per_sheet"] for part in parts] == [4, 4]
    places = [[place for sheet in part.context["sheets"] for place in sheet] for part in parts]
    assert all(place is True or place is False for used in places for place in used)
    assert sum(sum(used) * part.times for used, part in zip(places, parts, strict=True)) == (
        figures_for(meeting).ballots.issued)


@pytest.mark.parametrize(("per_sheet", "copies", "expected"), [
    (1, 9, [([True], 9)]),
    (2, 9, [([True, True], 4), ([True, False], 1)]),
    (4, 9, [([True] * 4, 2), ([True, False, False, False], 1)]),
    (4, 8, [([True] * 4, 2)]),
    (4, 3, [([True, True, True, False], 1)]),
])
def test_chi_bo_ballot_is_a_full_sheet_repeated_then_the_last_sheet(per_sheet, copies, expected):
    """One sheet laid out, standing once per full sheet; a partly blank last sheet laid out once."""
    meeting = parse_meeting(meeting_payload(rules={"chi_bo_ballots_per_sheet": per_sheet}))
    figures = replace(figures_for(meeting), ballots=Ballots(copies, copies, 0, assumed=False))
    parts = chi_bo_parts(meeting, figures)
    assert [(part.context["sheets"], part.times) for part in parts] == [([s], t) for s, t in expected]
    assert chi_bo_context(meeting, figures) == parts[0].context  # the DOCX


def test_member_ballot_is_one_copy_standing_once_per_ballot_issued():
    """The member ballot is laid out as one copy of every row; its pages stand 9 times."""
    meeting = parse_meeting(meeting_payload())
    figures = figures_for(meeting)
    (part,) = members_parts(meeting, figures)
    assert part.context["copies"] == [1]
    assert len(part.context["rows"]) == len(figures.to_rate)
    assert part.times == figures.ballots.issued == 9


def test_other_documents_are_one_part_standing_once():
    """A document that is not made of copies is its own context, laid out once."""
    meeting = parse_meeting(meeting_payload())
    (instance,) = instances(meeting, ["bien_ban_kiem_diem"])
    assert [part.times for part in render_parts(instance, meeting)] == [1]


def test_the_number_to_print_is_in_the_title_not_on_the_ballot():
    """The ballots' titles say how many copies to print (and per sheet); the context does not."""
    meeting = parse_meeting(meeting_payload(rules={"chi_bo_ballots_per_sheet": 4}))
    titles = {i.doc_type.id: i.title for i in instances(meeting)}
    assert titles["phieu_danh_gia_dang_vien"] == (
        f"{DOCUMENT_TYPES['phieu_danh_gia_dang_vien'].title} (in 09 bản)")
    assert titles["phieu_danh_gia_chi_bo"] == (
        f"{DOCUMENT_TYPES['phieu_danh_gia_chi_bo'].title} (in 09 bản, 04 bản một tờ)")
    assert titles["bien_ban_kiem_diem"] == DOCUMENT_TYPES["bien_ban_kiem_diem"].title
    ballots = [i for i in instances(meeting) if i.doc_type.parts is not None]
    assert [i.doc_type.id for i in ballots] == ["phieu_danh_gia_dang_vien", "phieu_danh_gia_chi_bo"]
    for instance in ballots:
        assert all("bản" not in str(part.context) for part in render_parts(instance, meeting))
