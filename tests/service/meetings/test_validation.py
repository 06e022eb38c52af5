"""Turning submitted data into a Meeting, or into every reason it is refused."""

from __future__ import annotations

import unicodedata

import pytest

from service.errors import InvalidMeetingError
from service.meetings.schemas.text import INVISIBLE
from service.meetings.validation import field_path, parse_meeting
from tests.support.factories import meeting_payload, monthly_payload


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

    from tests.support.factories import monthly_payload

    rules = parse_meeting(monthly_payload()).rules
    assert (rules.directive_from, rules.min_minutes, rules.min_minutes_combined,
            rules.materials_days_before) == (date(2025, 11, 1), 90, 120, 1)


def test_monthly_rules_are_not_annual_rules():
    """An annual review refuses the monthly settings instead of ignoring them."""
    with pytest.raises(InvalidMeetingError) as caught:
        parse_meeting(meeting_payload(rules={"min_minutes": 60}))
    assert [p.field for p in caught.value.problems] == ["rules.min_minutes"]


def _problems(data):
    with pytest.raises(InvalidMeetingError) as caught:
        parse_meeting(data)
    return caught.value.problems


@pytest.mark.parametrize("invisible", ["\u200b", "\u200c", "\u200d", "\u00ad", "\u2060", "\ufeff",
                                       "\u200e", "\u202e", "\ufe0f", "\U000e0041"])
def test_invisible_characters_are_removed_from_names(invisible):
    """A zero-width space, joiner, soft hyphen, word joiner, BOM… leaves no trace in a name."""
    data = meeting_payload()
    data["members"][2]["name"] = f"Nguyễn Thị{invisible} Hồng Nh{invisible}ung"
    data["ratings"][2]["member"] = "Nguyễn Thị Hồng Nhung"
    assert parse_meeting(data).members[2].name == "Nguyễn Thị Hồng Nhung"


def test_two_members_who_look_identical_are_refused_as_duplicates():
    """'Võ Văn Khánh' and 'Võ Văn\u200b Khánh' are one name: the second is a duplicate."""
    data = meeting_payload()
    data["members"][5]["name"] = "Võ Văn\u200b Kh\u00adánh"
    problems = _problems(data)
    assert [p.field for p in problems if "bị trùng" in p.detail] == ["members[5].name"]


def test_a_name_of_only_invisible_characters_is_refused():
    """A name that prints as nothing is refused with a message saying why."""
    data = meeting_payload()
    data["members"][3]["name"] = "\u200b\u2060\ufeff \u00ad"
    (problem,) = [p for p in _problems(data) if p.field == "members[3].name"]
    assert "không hiển thị" in problem.detail


def test_invisible_characters_are_removed_from_paragraphs_too():
    """Text fields lose them as well; a Unicode line separator becomes a line feed."""
    data = meeting_payload()
    data["discussion"][0]["content"] = "Nhất\u200b trí\u2028với báo cáo"
    assert parse_meeting(data).discussion[0].content == "Nhất trí\nvới báo cáo"


@pytest.mark.parametrize(("path", "value"), [
    (("organisation", "parent"), "Đảng bộ phường\nThành Sen"),
    (("organisation", "name"), "Chi bộ Trường Tiểu học\r\nThạch Linh"),
    (("organisation", "place"), "Hà\u2028Tĩnh"),
    (("chair", "position"), "Bí thư\n chi bộ"),
])
def test_a_newline_in_a_one_line_field_is_folded_to_a_space(path, value):
    """A line typed over two lines is one line in the header, the date line and Nơi nhận."""
    data = meeting_payload()
    data[path[0]][path[1]] = value
    meeting = parse_meeting(data)
    assert getattr(getattr(meeting, path[0]), path[1]) == " ".join(value.split())


def test_a_member_id_is_folded_like_the_rating_that_names_it():
    """An id typed with a newline still matches the rating that names it on one line."""
    data = meeting_payload()
    data["members"][0]["id"] = "ĐV\n01"
    data["ratings"][0]["member"] = "ĐV 01"
    assert parse_meeting(data).members[0].key == "ĐV 01"


def test_header_lines_above_the_chi_bo_come_from_parents():
    """parents lists up to two lines, highest first; parent becomes the last of them."""
    data = meeting_payload()
    data["organisation"] = {"parents": ["Đảng bộ tỉnh Hà Tĩnh", "Đảng ủy phường Thành Sen"],
                            "name": "Chi bộ Trường Tiểu học Thạch Linh", "place": "Hà Tĩnh"}
    org = parse_meeting(data).organisation
    assert (org.parents, org.parent) == (["Đảng bộ tỉnh Hà Tĩnh", "Đảng ủy phường Thành Sen"],
                                         "Đảng ủy phường Thành Sen")


def test_parent_alone_is_a_one_line_chain():
    """The one-line form still works: parents is [parent]."""
    assert parse_meeting(meeting_payload()).organisation.parents == ["Đảng bộ phường Thành Sen"]


@pytest.mark.parametrize(("organisation", "expected"), [
    ({"name": "Chi bộ A", "place": "Kỳ Anh"}, "Thiếu cấp trên"),
    ({"parents": ["Đảng bộ tỉnh Hà Tĩnh", "Đảng ủy xã Kỳ Anh"], "parent": "Đảng bộ xã Kỳ Anh",
      "name": "Chi bộ A", "place": "Kỳ Anh"}, "dòng cuối của parents"),
])
def test_a_missing_or_contradicting_parent_is_refused(organisation, expected):
    """Neither parent nor parents, or a parent that is not the last of parents, is refused."""
    (problem,) = _problems(meeting_payload(organisation=organisation))
    assert problem.field == "organisation" and expected in problem.detail


def test_more_than_three_header_lines_are_refused():
    """Three parents would make four lines with the chi bộ: refused."""
    organisation = {"parents": ["A", "B", "C"], "name": "Chi bộ A", "place": "Kỳ Anh"}
    (problem,) = _problems(meeting_payload(organisation=organisation))
    assert problem.field == "organisation.parents"


def test_local_basis_number_loses_a_typed_so():
    """'Số 129-KH/HU' and '129-KH/HU' are the same number; the documents print 'số' once."""
    basis = {"kind": "Kế hoạch", "number": "Số: 129-KH/HU", "date": "2025-11-20",
             "issuer": "Đảng ủy phường Thành Sen"}
    meeting = parse_meeting(meeting_payload(local_basis=[basis]))
    assert meeting.local_basis[0].number == "129-KH/HU"


# format characters that print a visible mark (Arabic number signs, Syriac abbreviation mark,
# Kaithi and Egyptian hieroglyph controls…): not invisible, so kept
_VISIBLE_FORMAT = {*range(0x0600, 0x0606), 0x06DD, 0x070F, 0x0890, 0x0891, 0x08E2, 0x110BD, 0x110CD,
                   *range(0x13430, 0x13456)}


def test_every_invisible_format_character_is_removed():
    """Each Unicode format character (category Cf) but the visible ones is in INVISIBLE."""
    missed = [f"U+{code:04X}" for code in range(0x110000)
              if unicodedata.category(chr(code)) == "Cf" and code not in _VISIBLE_FORMAT
              and not INVISIBLE.fullmatch(chr(code))]
    assert missed == []


def test_a_member_score_over_its_group_maximum_names_the_group():
    """"Nhóm tiêu chí 1 (tiêu chí chung): tối đa 30 điểm", not "Phải nhỏ hơn hoặc bằng 30."."""
    data = meeting_payload()
    data["ratings"][0]["scores"] = {"general": 35, "tasks": 60}
    with pytest.raises(InvalidMeetingError) as caught:
        parse_meeting(data)
    assert [(p.field, p.detail) for p in caught.value.problems] == [
        ("ratings[0].scores.general", "Nhóm tiêu chí 1 (tiêu chí chung): tối đa 30 điểm.")]


def test_an_empty_vote_box_says_to_type_0():
    """A count left empty: "nhập 0 nếu không có ai", not "Phải là số nguyên."."""
    data = monthly_payload(resolutions=[{"text": "Thông qua.", "agree": ""}])
    with pytest.raises(InvalidMeetingError) as caught:
        parse_meeting(data)
    assert [(p.field, p.detail) for p in caught.value.problems] == [
        ("resolutions[0].agree", "Chưa nhập số: nhập 0 nếu không có ai.")]
