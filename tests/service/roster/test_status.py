"""The members on record at a meeting's date, and the roster replaced whole."""

from __future__ import annotations

from datetime import date

import pytest

from service import extensions, roster
from service.errors import InvalidRosterError
from tests.support import people

DAY = date(2025, 12, 5)
MEMBERS = [
    {"name": "Nguyễn Văn An", "party_post": "Bí thư chi bộ", "job_post": "Hiệu trưởng",
     "leadership_post": True, "birth_date": "1976-05-15"},
    {"name": "Trần Thị Bình", "membership": "du_bi", "admitted_on": "2024-11-01",
     "official_on": "2025-11-01"},
    {"name": "Lê Văn Cường", "membership": "du_bi", "admitted_on": "2025-03-01", "official_on": "2026-03-01"},
    {"name": "Phạm Văn Dũng", "left_on": "2025-10-01", "left_reason": "moved"},
    {"name": "Hoàng Thị Em", "admitted_on": "2025-12-20", "membership": "du_bi"},
    {"name": "Vũ Văn Giang", "exempt": True, "outside_political_system": True},
]


@pytest.fixture(name="chi_bo")
def _chi_bo(app) -> str:
    """A chi bộ with the six members above on its roster."""
    org = people.organisation(app, people.DANG_BO, "dang_bo")
    org = people.organisation(app, "Chi bộ thôn Đông", "chi_bo", people.DANG_BO)
    with app.app_context(), extensions.session_scope() as session:
        roster.replace(session, org, roster.parse_roster({"members": MEMBERS}).members)
    return org


def _at(app, org: str, on: date) -> list[roster.MemberOnDate]:
    with app.app_context(), extensions.session_scope() as session:
        return roster.members_at(session, org, on)


def test_a_member_who_left_or_was_not_yet_admitted_is_not_there(app, chi_bo):
    """Dũng moved away in October, Em is admitted after the meeting: four are on record."""
    assert [m.name for m in _at(app, chi_bo, DAY)] == ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường",
                                                        "Vũ Văn Giang"]


def test_a_du_bi_whose_official_date_has_passed_is_chinh_thuc(app, chi_bo):
    """Bình became official on 1 November: chính thức in December; Cường is still dự bị."""
    standing = {m.name: m.membership for m in _at(app, chi_bo, DAY)}
    assert standing["Trần Thị Bình"] == "chinh_thuc" and standing["Lê Văn Cường"] == "du_bi"


def test_a_chinh_thuc_member_was_du_bi_before_the_official_date(app, chi_bo):
    """A meeting of October 2025 sees Bình still dự bị."""
    standing = {m.name: m.membership for m in _at(app, chi_bo, date(2025, 10, 15))}
    assert standing["Trần Thị Bình"] == "du_bi"


def test_posts_and_forms_follow_the_flags(app, chi_bo):
    """An: both posts on one line, form 02A; Giang: 02C and exempt; the others 02B."""
    found = {m.name: m for m in _at(app, chi_bo, DAY)}
    assert found["Nguyễn Văn An"].position == "Bí thư chi bộ, Hiệu trưởng"
    forms = [found[n].form for n in ("Nguyễn Văn An", "Trần Thị Bình", "Vũ Văn Giang")]
    assert forms == ["02A", "02B", "02C"]
    assert found["Vũ Văn Giang"].as_member()["attendance"] == "exempt"


def test_a_member_item_is_valid_meeting_data(app, chi_bo):
    """``as_member`` gives the meeting schema's members[] item, date of birth included."""
    item = _at(app, chi_bo, DAY)[0].as_member()
    assert item == {"name": "Nguyễn Văn An", "membership": "chinh_thuc", "attendance": "present",
                    "leadership_post": True, "outside_political_system": False,
                    "position": "Bí thư chi bộ, Hiệu trưởng", "birth_date": "1976-05-15"}


def test_replacing_keeps_ids_and_names_what_changed(app, chi_bo):
    """A member sent with its id keeps it; the detail names who was added, removed and changed."""
    with app.app_context(), extensions.session_scope() as session:
        rows = roster.members(session, chi_bo)
        kept = roster.entry_of(rows[0]).model_dump(mode="json") | {"job_post": "Giáo viên"}
        entries = roster.parse_roster({"members": [kept, {"name": "Đỗ Thị Hoa"}]}).members
        counts, detail = roster.replace(session, chi_bo, entries)
        after = roster.members(session, chi_bo)
    assert counts == {"added": 1, "changed": 1, "removed": 5}
    assert after[0].id == rows[0].id and "Nguyễn Văn An (job_post)" in detail and "Đỗ Thị Hoa" in detail


def test_an_id_of_another_roster_is_refused_on_its_field(app, chi_bo):
    """An id not on this chi bộ's roster is never taken: a problem on members[0].id."""
    other = people.organisation(app, "Chi bộ thôn Tây", "chi_bo", people.DANG_BO)
    with app.app_context(), extensions.session_scope() as session:
        stranger = roster.members(session, chi_bo)[0].id
        entries = roster.parse_roster({"members": [{"id": stranger, "name": "X"}]}).members
        with pytest.raises(InvalidRosterError) as caught:
            roster.replace(session, other, entries)
    assert caught.value.problems[0].field == "members[0].id"


@pytest.mark.parametrize(("member", "field"), [
    ({"name": "A", "cccd": 1076000123}, "members[0].cccd"),
    ({"name": "A", "cccd": "12345"}, "members[0].cccd"),
    ({"name": "A", "left_on": "2025-01-01"}, "members[0]"),
    ({"name": "A", "admitted_on": "2020-01-01", "official_on": "2019-01-01"}, "members[0]"),
    ({"name": ""}, "members[0].name"),
    ({"name": "A", "membership": "x"}, "members[0].membership"),
])
def test_a_bad_member_is_refused_naming_its_field(member, field):
    """A CCCD as a number or too short, a left date without reason, dates out of order…"""
    with pytest.raises(InvalidRosterError) as caught:
        roster.parse_roster({"members": [member]})
    assert caught.value.problems[0].field == field
