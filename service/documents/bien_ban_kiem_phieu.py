"""Context of the vote-count minutes, biên bản kiểm phiếu (domain §5.6)."""

from __future__ import annotations

from typing import Any

from service.documents.bien_ban_kiem_diem import denominator_note
from service.documents.common import DOTS, header, layout_of, level_text, vote_cells
from service.meetings import vnformat as vn
from service.meetings.figures import Figures
from service.meetings.schemas import AnnualReview


def context(meeting: AnnualReview, figures: Figures, _subject: object = None) -> dict[str, Any]:
    """Every string the kiểm phiếu template prints."""
    signers = layout_of(meeting).signers
    count = meeting.ballot_count
    ballots = figures.ballots
    start = count.start if count and count.start else None
    end = count.end if count and count.end else None
    when = (f"Hồi {vn.clock(start)}, {vn.long_date(start.date())}" if start
            else f"Ngày {vn.short_date(meeting.start.date())}")
    committee = ([{"name": p.name, "role": "Tổ trưởng" if i == 0 else "Thành viên"}
                  for i, p in enumerate(count.committee)] if count
                 else [{"name": DOTS[:14], "role": "Tổ trưởng"},
                       {"name": DOTS[:14], "role": "Thành viên"}])
    rule = meeting.rules
    rows = [{"stt": str(i), "name": item.member.name,
             "votes": vote_cells(item.rating.votes, figures.denominator, rule),
             "result": level_text(item.result)}
            for i, item in enumerate((r for r in figures.member_results if r.rating), start=1)
            if item.rating is not None]
    return {
        "h": header(meeting.organisation, meeting.start.date(), "BB", count.number if count else None),
        "title": {"summary": "Kiểm phiếu đánh giá, xếp loại chất lượng chi bộ và đảng viên năm "
                             f"{meeting.review_year}"},
        "opening": f"{when}, tại {meeting.location}, Tổ kiểm phiếu gồm các đồng chí:",
        "committee": committee,
        "form_line": "Hình thức: bỏ phiếu kín.",
        "ballot_lines": [
            "Tổng số đảng viên chính thức của chi bộ được triệu tập: "
            f"{vn.count(figures.voters_all)} đồng chí.",
            "Số đảng viên chính thức có mặt, tham gia bỏ phiếu: "
            f"{vn.count(figures.voters_present)} đồng chí.",
            f"Số phiếu phát ra: {vn.count(ballots.issued)} phiếu; số phiếu thu vào: "
            f"{vn.count(ballots.returned)} phiếu.",
            f"Số phiếu hợp lệ: {vn.count(ballots.valid)} phiếu; số phiếu không hợp lệ: "
            f"{vn.count(ballots.invalid)} phiếu.",
        ],
        "chi_bo": {"name": meeting.organisation.name,
                   "votes": vote_cells(meeting.chi_bo_rating.votes, figures.denominator, rule),
                   "result": level_text(figures.chi_bo_result)},
        "rows": rows,
        "denominator_note": denominator_note(figures, meeting),
        "closing": (f"Biên bản kiểm phiếu được lập xong vào hồi {vn.clock(end)} cùng ngày và được công "
                    "bố trước hội nghị." if end else
                    "Biên bản kiểm phiếu được lập xong và được công bố trước hội nghị."),
        "sign": {"members_title": signers.count_members, "members": [c["name"] for c in committee[1:]],
                 "head_lines": list(signers.count_head), "head": committee[0]["name"]},
    }
