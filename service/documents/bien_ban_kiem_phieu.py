"""Context of the vote-count minutes, biên bản kiểm phiếu (domain §5.6)."""

from __future__ import annotations

from typing import Any

from service.documents.bien_ban_kiem_diem import denominator_note
from service.documents.common import (
    DOTS,
    chi_bo_votes,
    header,
    layout_of,
    member_votes,
    names,
    result_text,
    short_votes,
    unit_words,
)
from service.meetings import vnformat as vn
from service.meetings.figures import Ballots, Figures, Standing
from service.meetings.schemas import AnnualReview, Person

BLANK = "……"  # a figure nobody entered: written in by hand, never assumed


def context(meeting: AnnualReview, figures: Figures, _subject: object = None) -> dict[str, Any]:
    """Every string the kiểm phiếu template prints."""
    signers = layout_of(meeting).signers
    count = meeting.ballot_count
    ballots = figures.ballots
    start = count.start if count and count.start else None
    end = count.end if count and count.end else None
    when = (f"Hồi {vn.clock(start)}, {vn.long_date(start.date())}" if start
            else f"Ngày {vn.short_date(meeting.start.date())}")
    committee = ([{"name": p.name, "role": _post(p, "Tổ trưởng" if i == 0 else "Thành viên")}
                  for i, p in enumerate(count.committee)] if count
                 else [{"name": DOTS[:14], "role": "Tổ trưởng"},
                       {"name": DOTS[:14], "role": "Thành viên"}])
    rule = meeting.rules
    rows = [{"stt": str(i), "name": item.member.name,
             "votes": member_votes(item, figures.denominator, rule), "result": result_text(item)}
            for i, item in enumerate(figures.member_results, start=1)]  # as in the members list
    chi_bo_cells, chi_bo_result = chi_bo_votes(figures, meeting.chi_bo_rating.votes, rule)
    unit = unit_words(meeting.organisation)
    return {
        "h": header(meeting.organisation, meeting.start.date(), "BB", count.number if count else None),
        "unit": unit,
        "title": {"summary": f"Kiểm phiếu đánh giá, xếp loại chất lượng {unit['word']} và đảng viên năm "
                             f"{meeting.review_year}"},
        "opening": f"{when}, tại {meeting.location}, Tổ kiểm phiếu gồm các đồng chí:",
        "committee": committee,
        "form_line": "Hình thức: bỏ phiếu kín.",
        "ballot_lines": [
            f"Tổng số đảng viên chính thức của {unit['word']} được triệu tập: "
            f"{vn.count(figures.voters_all)} đồng chí.",
            "Số đảng viên chính thức có mặt, có quyền bỏ phiếu: "
            f"{vn.count(figures.voters_present)} đồng chí.",
            *_ballot_lines(ballots),
        ],
        "chi_bo": {"name": meeting.organisation.name, "votes": chi_bo_cells, "result": chi_bo_result},
        "rows": rows,
        "notes": _notes(figures) + short_votes(figures, meeting.chi_bo_rating.votes, unit["word"]),
        "denominator_note": denominator_note(figures, meeting),
        "closing": (f"Biên bản kiểm phiếu được lập xong vào hồi {vn.clock(end)} cùng ngày và được công "
                    "bố trước hội nghị." if end else
                    "Biên bản kiểm phiếu được lập xong và được công bố trước hội nghị."),
        "sign": {"members_title": signers.count_members, "members": [c["name"] for c in committee[1:]],
                 "head_lines": list(signers.count_head), "head": committee[0]["name"]},
    }


def _post(person: Person, role: str) -> str:
    """The person's place in the counting team, with the post typed for them.

    A post that already names the team role (``Tổ phó``, ``Thư ký tổ kiểm phiếu``) replaces it;
    another (``Chi ủy viên``) follows it.
    """
    if not person.position:
        return role
    if any(word in person.position.casefold() for word in ("tổ trưởng", "tổ phó", "thành viên", "thư ký")):
        return person.position
    return f"{role}, {person.position}"


def _ballot_lines(ballots: Ballots) -> list[str]:
    """Issued, returned, valid, invalid: as counted, or blanks when no count was entered."""
    def figure(value: int) -> str:
        return BLANK if ballots.assumed else vn.count(value)
    return [f"Số phiếu phát ra: {figure(ballots.issued)} phiếu; số phiếu thu vào: "
            f"{figure(ballots.returned)} phiếu.",
            f"Số phiếu hợp lệ: {figure(ballots.valid)} phiếu; số phiếu không hợp lệ: "
            f"{figure(ballots.invalid)} phiếu."]


def _notes(figures: Figures) -> list[str]:
    """Under the table: who was not on the ballot and why, and who has no result yet."""
    notes = []
    not_rated = figures.standing(Standing.NOT_RATED)
    if not_rated:
        notes.append(f"Không đánh giá, xếp loại (không có tên trong phiếu): "
                     f"{names(not_rated, reasons=True)}.")
    missing = figures.standing(Standing.MISSING)
    if missing:
        notes.append(f"Chưa có kết quả đánh giá, xếp loại: {names(missing)}.")
    return notes
