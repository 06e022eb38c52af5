"""The meeting form: the payload it makes, and each error placed beside its field."""

from __future__ import annotations

from service.errors import FieldProblem
from service.http.pages.forms.meeting_form import form_to_payload, problems_by_row, rows_needed
from service.meetings.schemas import AnnualReview
from service.meetings.validation import parse_meeting


def _form(**extra: str) -> dict[str, str]:
    form = {"org_parent": "Đảng bộ xã Kỳ Anh", "org_name": "Chi bộ thôn Tân Phong", "org_place": "Kỳ Anh",
            "document_number": "3", "review_year": "2025", "date": "2025-12-14", "start_time": "14:00",
            "end_time": "16:30", "location": "Nhà văn hóa thôn", "chair_name": "Nguyễn Văn Hải",
            "secretary_name": "Trần Thị Mỹ", "cb-rating": "tot", "cb-tot": "2",
            "m-0-name": "Nguyễn Văn Hải", "m-0-rating": "tot", "m-0-tot": "2",
            "m-1-name": "Trần Thị Mỹ", "m-1-rating": "tot", "m-1-tot": "2"}
    form.update(extra)
    return form


def test_a_filled_form_is_a_valid_annual_review():
    """The plain form validates into an annual review with two members."""
    meeting = parse_meeting(form_to_payload(_form()))
    assert isinstance(meeting, AnnualReview) and [m.name for m in meeting.members] == [
        "Nguyễn Văn Hải", "Trần Thị Mỹ"]


def test_the_form_carries_what_the_workbook_carries():
    """Speeches, the vote count and its team, the report number, a birth date and Mẫu 02A/02C."""
    meeting = parse_meeting(form_to_payload(_form(**{
        "s-0-speaker": "Nguyễn Văn Hải", "s-0-content": "Trình bày báo cáo.",
        "bc-number": "4", "bc-issued": "2", "bc-committee": "Trần Thị Mỹ, tổ trưởng\nNguyễn Văn Hải",
        "report_number": "7", "m-0-birth": "1970-03-02", "m-0-position": "Bí thư chi bộ",
        "m-0-variant": "02A", "m-1-variant": "02C"})))
    assert [(s.speaker, s.content) for s in meeting.discussion] == [("Nguyễn Văn Hải", "Trình bày báo cáo.")]
    assert meeting.ballot_count is not None and meeting.ballot_count.number == 4
    assert [(p.name, p.position) for p in meeting.ballot_count.committee] == [
        ("Trần Thị Mỹ", "tổ trưởng"), ("Nguyễn Văn Hải", None)]
    assert meeting.report is not None and meeting.report.number == 7
    first, second = meeting.members
    assert str(first.birth_date) == "1970-03-02"
    assert first.leadership_post and not first.outside_political_system
    assert second.outside_political_system and not second.leadership_post


def test_a_score_with_a_decimal_comma_is_read():
    """"85,5" typed the Vietnamese way is 85.5 points."""
    payload = form_to_payload(_form(**{"m-0-general": "27", "m-0-tasks": "58,5", "m-0-score": "85,5"}))
    assert payload["ratings"][0]["self_score"] == "85.5"
    assert payload["ratings"][0]["scores"] == {"general": "27", "tasks": "58.5"}


def test_an_empty_document_number_is_reported_as_missing():
    """A number left empty is "missing", not "at least 1"."""
    payload = form_to_payload(_form(document_number=""))
    assert "document_number" not in payload


def test_errors_land_beside_their_cells():
    """A member's votes, a speech and the vote count's team are keyed by their form fields."""
    form = _form(**{"s-2-speaker": "X", "m-5-name": "Lê Văn C", "m-5-rating": "tot"})
    errors, general = problems_by_row([
        FieldProblem("ratings[2].votes", "nhiều hơn"), FieldProblem("discussion[0].content", "trống"),
        FieldProblem("ballot_count.committee", "thiếu"), FieldProblem("members[1].birth_date", "sai"),
        FieldProblem("rules.method", "lạ")], form)
    assert errors == {"m-5-votes": "nhiều hơn", "s-2-content": "trống", "bc-committee": "thiếu",
                      "m-1-birth": "sai"}
    assert general == ["lạ"]  # the detail alone: no field name reaches the page


def test_rows_grow_with_what_was_typed():
    """A form typed to row 14 comes back with 16 rows; selects alone do not count as typed."""
    assert rows_needed({"m-14-name": "A", "m-20-attendance": "present"}, "m", 12) == 16
    assert rows_needed({}, "s", 3) == 3


def test_a_member_row_without_a_rating_is_a_member_not_rated():
    """A row with a name and nothing of a rating lists the member and gives no rating (not a 422)."""
    payload = form_to_payload(_form(**{"m-5-name": "Lê Văn C"}))
    assert payload["members"][-1]["name"] == "Lê Văn C"
    assert "Lê Văn C" not in [r["member"] for r in payload["ratings"]]


def test_the_review_year_follows_the_meeting_date_typed_the_vietnamese_way():
    """"05/12/2026" with no review year: the meeting of 2026-12-05 reviews 2026; a January one the
    year before. Ballots per sheet, the higher header line, a reason not to rate and local texts go in."""
    form = {"date": "05/12/2026", "org_parent": "Đảng ủy xã Kỳ Anh", "org_parent_top": "Đảng bộ tỉnh Hà Tĩnh",
            "ballots_per_sheet": "4", "m-0-name": "Nguyễn Văn An",
            "m-0-notrated": "mới kết nạp ngày 20/10/2026",
            "local_basis": "Kế hoạch số 45-KH/ĐU, ngày 10/11/2026 của Đảng ủy xã Kỳ Anh về kiểm điểm năm "
                           "2026"}
    payload = form_to_payload(form)
    assert payload["review_year"] == 2026 and payload["start"] == "2026-12-05T00:00"
    assert form_to_payload({"date": "15/01/2027"})["review_year"] == 2026
    assert payload["organisation"]["parents"] == ["Đảng bộ tỉnh Hà Tĩnh", "Đảng ủy xã Kỳ Anh"]
    assert payload["rules"] == {"chi_bo_ballots_per_sheet": 4}
    assert payload["members"][0]["not_rated_reason"] == "mới kết nạp ngày 20/10/2026"
    assert payload["local_basis"] == [{"kind": "Kế hoạch", "number": "45-KH/ĐU", "date": "2026-11-10",
                                       "issuer": "Đảng ủy xã Kỳ Anh", "subject": "về kiểm điểm năm 2026"}]
