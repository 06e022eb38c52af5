"""Contexts of the two ballots (domain §5.4, §5.5): one copy per ballot to be issued."""

from __future__ import annotations

from typing import Any

from service.documents.common import header
from service.meetings.figures import Figures
from service.meetings.schemas import LEVELS, AnnualReview


def _copies(figures: Figures) -> list[int]:
    return list(range(1, max(figures.ballots.issued, 1) + 1))


def members_context(meeting: AnnualReview, figures: Figures, _subject: object = None) -> dict[str, Any]:
    """The member ballot: every member to be rated, four level columns, one copy per voter."""
    return {
        "h": header(meeting.organisation, None, None, None),
        "title": f"PHIẾU ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG ĐẢNG VIÊN NĂM {meeting.review_year}",
        "instruction": ("(Đánh dấu X vào ô mức xếp loại đối với từng đồng chí; mỗi đồng chí chỉ "
                        "đánh dấu vào 01 ô)"),
        "levels": [level.label for level in LEVELS],
        # everyone to be rated, dự bị included, in the order of the members list
        "rows": [{"stt": str(i), "name": item.member.name}
                 for i, item in enumerate(figures.to_rate, start=1)],
        "copies": _copies(figures),
        "footer": "Phiếu không ký tên.",
    }


def chi_bo_context(meeting: AnnualReview, figures: Figures, _subject: object = None) -> dict[str, Any]:
    """The chi bộ ballot: four boxes, one copy per voter."""
    return {
        "h": header(meeting.organisation, None, None, None),
        "title": f"PHIẾU ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG CHI BỘ NĂM {meeting.review_year}",
        "subject": f"{meeting.organisation.name}, năm {meeting.review_year}:",
        "instruction": "(Đánh dấu X vào 01 ô mức xếp loại)",
        "levels": [f"☐  {level.label}" for level in LEVELS],
        "copies": _copies(figures),
        "footer": "Phiếu không ký tên.",
    }
