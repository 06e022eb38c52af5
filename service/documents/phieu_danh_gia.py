"""Contexts of the two ballots (domain §5.4, §5.5): one copy per ballot to be issued."""

from __future__ import annotations

from typing import Any

from service.documents.common import header
from service.meetings.figures import Figures
from service.meetings.schemas import LEVELS, AnnualReview


def _copies(figures: Figures) -> list[int]:
    return list(range(1, max(figures.ballots.issued, 1) + 1))


def sheets(copies: int, per_sheet: int) -> list[list[bool]]:
    """The A4 sheets of *copies* ballots printed *per_sheet* to a sheet: which places are used.

    Only presence is passed on, never a copy's number: nothing may tell one ballot from another.
    """
    return [[index + place < copies for place in range(per_sheet)]
            for index in range(0, copies, per_sheet)]


def members_context(meeting: AnnualReview, figures: Figures, _subject: object = None) -> dict[str, Any]:
    """The member ballot: every member to be rated, four level columns, one copy per voter.

    "Phiếu không ký tên." is fixed in the template's page footer.
    """
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
    }


def chi_bo_context(meeting: AnnualReview, figures: Figures, _subject: object = None) -> dict[str, Any]:
    """The chi bộ ballot: four boxes, one copy per voter, 1, 2 or 4 copies to an A4 sheet."""
    per_sheet = meeting.rules.chi_bo_ballots_per_sheet
    return {
        "h": header(meeting.organisation, None, None, None),
        "title": f"PHIẾU ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG CHI BỘ NĂM {meeting.review_year}",
        "subject": f"{meeting.organisation.name}, năm {meeting.review_year}:",
        "instruction": "(Đánh dấu X vào 01 ô mức xếp loại)",
        "levels": [f"☐  {level.label}" for level in LEVELS],
        "per_sheet": per_sheet,
        "sheets": sheets(len(_copies(figures)), per_sheet),
        "footer": "Phiếu không ký tên.",
    }
