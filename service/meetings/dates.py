"""Dates that make sense, and what a date says about the rest of the data.

``problems`` refuses dates no real meeting has: a review year that is neither the meeting's
year nor the year before, a monthly meeting held in neither its month nor the month after, a
meeting (or a document date) further in the future than ``Calendar.days_ahead`` allows, a
local document cited as basis that was issued after the meeting. ``notices`` lists what is
accepted but probably stale, for the secretary to check: a header naming a district level
(``HUYỆN``, ``QUẬN``, ``THỊ XÃ``) on a document dated from 1/7/2025, when that level was
abolished (QĐ 294-QĐ/TW; domain §10), and an agenda item of the review citing another year.

Pure: today's date is the caller's ``Calendar``, never read from a clock here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from service.errors import FieldProblem
from service.meetings.schemas import AnnualReview, DangBoReview, MonthlyMeeting
from service.meetings.vnformat import short_date

# QĐ 294-QĐ/TW (26/5/2025) in force: no district level between xã/phường and tỉnh
TWO_TIER_FROM = date(2025, 7, 1)
_DISTRICT = re.compile(r"\b(huyện|quận|thị xã)\b", re.IGNORECASE)
# "kiểm điểm … năm 2025" in an agenda item; "năm học 2024–2025" is a school year, not a review
_REVIEW_YEAR_IN_TEXT = re.compile(r"\bnăm (\d{4})\b", re.IGNORECASE)
_ABOUT_REVIEW = re.compile(r"kiểm điểm|đánh giá|xếp loại", re.IGNORECASE)


@dataclass(frozen=True)
class Calendar:
    """Today, as the caller knows it, and how many days ahead a meeting may be dated.

    The edges (the web, the API, ``chibo render``) pass ``date.today()`` and the setting
    ``MEETING_DAYS_AHEAD``; tests pass a fixed day.
    """

    today: date
    days_ahead: int

    @property
    def latest(self) -> date:
        """The last day a meeting or a document may be dated."""
        return self.today + timedelta(days=self.days_ahead)


def problems(meeting: AnnualReview | MonthlyMeeting | DangBoReview,
             calendar: Calendar | None) -> list[FieldProblem]:
    """The dates of *meeting* that cannot be right (the future only when *calendar* is given)."""
    if isinstance(meeting, DangBoReview):
        return _dang_bo(meeting, calendar)
    held = meeting.start.date()
    found = _future(calendar, "start", held, "Ngày họp")
    for index, basis in enumerate(meeting.local_basis):
        # a text is never cited before it was issued (domain §11.1), in every kind of minutes
        if basis.date > held:
            found.append(FieldProblem(f"local_basis[{index}].date", f"Văn bản căn cứ ban hành ngày "
                                      f"{short_date(basis.date)}, sau ngày họp ({short_date(held)}): "
                                      "không thể căn cứ văn bản chưa ban hành."))
    if isinstance(meeting, MonthlyMeeting):
        return found + _month(meeting)
    if meeting.review_year > held.year:
        found.append(FieldProblem("review_year", f"Năm đánh giá {meeting.review_year} sau năm họp "
                                  f"({held.year}): hội nghị kiểm điểm năm nào họp cuối năm đó (hoặc "
                                  "đầu năm sau); hãy kiểm tra năm đánh giá và ngày họp."))
    elif meeting.review_year < held.year - 1:
        found.append(FieldProblem("review_year", f"Năm đánh giá {meeting.review_year} cách năm họp "
                                  f"({held.year}) hơn một năm: năm đánh giá là năm họp hoặc năm "
                                  "trước đó; hãy kiểm tra năm đánh giá và ngày họp."))
    if meeting.document_date is not None:
        found += _future(calendar, "document_date", meeting.document_date, "Ngày ban hành")
    return found


def _future(calendar: Calendar | None, field: str, day: date, what: str) -> list[FieldProblem]:
    if calendar is None or day <= calendar.latest:
        return []
    return [FieldProblem(field, f"{what} {short_date(day)} còn ở phía trước: quá "
                         f"{calendar.days_ahead} ngày kể từ hôm nay ({short_date(calendar.today)}); "
                         "hãy kiểm tra ngày, tháng, năm.")]


def _month(meeting: MonthlyMeeting) -> list[FieldProblem]:
    held = meeting.start.date()
    before = (held.year, held.month - 1) if held.month > 1 else (held.year - 1, 12)
    if (meeting.year, meeting.month) in {(held.year, held.month), before}:
        return []
    return [FieldProblem("month", f"Biên bản sinh hoạt tháng {meeting.month}/{meeting.year} nhưng "
                         f"ngày họp là {short_date(held)}: tháng sinh hoạt là tháng họp hoặc tháng "
                         "trước đó.")]


def _dang_bo(review: DangBoReview, calendar: Calendar | None) -> list[FieldProblem]:
    dang_bo = review.dang_bo
    if dang_bo.report_date is None:
        return []
    found = _future(calendar, "dang_bo.report_date", dang_bo.report_date, "Ngày lập biểu tổng hợp")
    if dang_bo.report_date.year not in (dang_bo.review_year, dang_bo.review_year + 1):
        found.append(FieldProblem("dang_bo.report_date", f"Biểu tổng hợp năm {dang_bo.review_year} "
                                  f"lập ngày {short_date(dang_bo.report_date)}: phải trong năm đánh giá "
                                  "hoặc năm sau đó."))
    return found


def ahead(meeting: AnnualReview | MonthlyMeeting | DangBoReview, today: date) -> list[str]:
    """A meeting (or a summary) dated after *today*: accepted within the days allowed, but said."""
    if isinstance(meeting, DangBoReview):
        day, what = meeting.dang_bo.report_date, "Biểu tổng hợp đề ngày"
    else:
        day, what = meeting.start.date(), "Ngày họp"
    if day is None or day <= today:
        return []
    return [f"{what} {short_date(day)}, sau hôm nay ({short_date(today)}): văn bản ghi ngày chưa đến; "
            "hãy kiểm tra ngày, tháng, năm (nếu đúng là soạn trước, ký sau ngày đó)."]


def issued(meeting: AnnualReview | MonthlyMeeting) -> date:
    """The date the meeting's documents carry."""
    if isinstance(meeting, AnnualReview) and meeting.document_date is not None:
        return meeting.document_date
    return meeting.start.date()


def district_level(lines: list[str], day: date) -> str | None:
    """The first of *lines* naming a district level when *day* is from 1/7/2025, else None."""
    if day < TWO_TIER_FROM:
        return None
    return next((line for line in lines if _DISTRICT.search(line)), None)


def _stale_header(lines: list[str], day: date) -> list[str]:
    line = district_level(lines, day)
    if line is None:
        return []
    return [f"Tiêu đề ghi \"{line.upper()}\" nhưng văn bản đề ngày {short_date(day)}: từ 01/7/2025 "
            "không còn cấp huyện (Quy định số 294-QĐ/TW); hãy kiểm tra tên cấp trên (ví dụ: "
            "Đảng ủy xã …, Đảng ủy phường …)."]


def notices(meeting: AnnualReview | MonthlyMeeting) -> list[str]:
    """What the secretary should check in data that was accepted."""
    org = meeting.organisation
    found = _stale_header([*org.parents, org.name], issued(meeting))
    for basis in meeting.local_basis:
        if district_level([basis.issuer], basis.date):
            found.append(f"Văn bản căn cứ {basis.kind} số {basis.number} ngày {short_date(basis.date)} "
                         f"do \"{basis.issuer}\" ban hành, sau 01/7/2025 khi không còn cấp huyện; hãy "
                         "kiểm tra cơ quan ban hành.")
    if isinstance(meeting, MonthlyMeeting):
        return found
    held = meeting.start.date()
    if meeting.review_year == held.year - 1 and held.month >= 3:
        found.append(f"Năm đánh giá {meeting.review_year} nhưng hội nghị họp ngày {short_date(held)}: hội "
                     f"nghị kiểm điểm năm {held.year} họp cuối năm {held.year}; hãy kiểm tra năm đánh giá.")
    for index, item in enumerate(meeting.agenda, start=1):
        years = {int(y) for y in _REVIEW_YEAR_IN_TEXT.findall(item)} - {meeting.review_year}
        if years and _ABOUT_REVIEW.search(item):
            found.append(f"Nội dung chương trình mục ({index}) ghi năm {min(years)} nhưng năm đánh giá "
                         f"là {meeting.review_year}; hãy kiểm tra.")
    return found


def summary_notices(review: DangBoReview) -> list[str]:
    """What to check in the đảng bộ's own header (the summary's)."""
    dang_bo = review.dang_bo
    day = dang_bo.report_date or max(m.end.date() for m in review.chi_bo)
    return _stale_header([dang_bo.parent, dang_bo.name], day)
