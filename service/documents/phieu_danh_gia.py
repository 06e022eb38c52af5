"""Contexts of the two ballots (domain §5.4, §5.5): one copy per ballot to be issued.

Every copy is the same, so LibreOffice lays out one: the context is one copy (for the chi bộ
ballot, one sheet), and ``members_parts`` / ``chi_bo_parts`` say how many times its pages
stand in the PDF (``service.conversion.repeat``). The DOCX is that one copy; the number to
print is in the document's title (``members_note``, ``chi_bo_note``), never on a copy: a line
the form of a secret ballot does not have is not printed on it, even the same on every copy.
"""

from __future__ import annotations

from typing import Any

from service.documents.common import Part, header, unit_words
from service.meetings import vnformat as vn
from service.meetings.figures import Figures
from service.meetings.schemas import LEVELS, AnnualReview


def copies(figures: Figures) -> int:
    """The ballots to print: one per ballot issued, at least one."""
    return max(figures.ballots.issued, 1)


def sheets(count: int, per_sheet: int) -> list[list[bool]]:
    """The A4 sheets of *count* ballots printed *per_sheet* to a sheet: which places are used.

    Only presence is passed on, never a copy's number: nothing may tell one ballot from another.
    """
    return [[index + place < count for place in range(per_sheet)]
            for index in range(0, count, per_sheet)]


def members_context(meeting: AnnualReview, figures: Figures, _subject: object = None) -> dict[str, Any]:
    """The member ballot, one copy: every member to be rated, four level columns.

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
        "copies": [1],  # the template repeats its copies; LibreOffice is given one
    }


def members_parts(meeting: AnnualReview, figures: Figures, _subject: object = None) -> list[Part]:
    """The member ballot laid out once, its pages standing once per copy."""
    return [Part(members_context(meeting, figures), copies(figures))]


def _chi_bo(meeting: AnnualReview, sheet: list[bool]) -> dict[str, Any]:
    return {
        "h": header(meeting.organisation, None, None, None),
        "title": f"PHIẾU ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG {unit_words(meeting.organisation)['upper']} "
                 f"NĂM {meeting.review_year}",
        "subject": f"{meeting.organisation.name}, năm {meeting.review_year}:",
        "instruction": "(Đánh dấu X vào 01 ô mức xếp loại)",
        "levels": [f"☐  {level.label}" for level in LEVELS],
        "per_sheet": len(sheet),
        "sheets": [sheet],
        "footer": "Phiếu không ký tên.",
    }


def chi_bo_parts(meeting: AnnualReview, figures: Figures, _subject: object = None) -> list[Part]:
    """The chi bộ ballot: a full sheet laid out once and repeated, then the last sheet if partial.

    1, 2 or 4 copies to an A4 sheet (``rules.chi_bo_ballots_per_sheet``); the places of the
    last sheet with no copy are left blank, so exactly the ballots issued are printed.
    """
    per_sheet = meeting.rules.chi_bo_ballots_per_sheet
    full, rest = divmod(copies(figures), per_sheet)
    parts = [Part(_chi_bo(meeting, [True] * per_sheet), full)] if full else []
    if rest:
        parts.append(Part(_chi_bo(meeting, sheets(rest, per_sheet)[0]), 1))
    return parts


def chi_bo_context(meeting: AnnualReview, figures: Figures, _subject: object = None) -> dict[str, Any]:
    """The chi bộ ballot, one sheet of copies (the DOCX): the first sheet of the PDF."""
    return chi_bo_parts(meeting, figures)[0].context


def members_note(_meeting: AnnualReview, figures: Figures) -> str:
    """What the title says of the member ballot: ``in 11 bản``."""
    return f"in {vn.count(copies(figures))} bản"


def chi_bo_note(meeting: AnnualReview, figures: Figures) -> str:
    """What the title says of the chi bộ ballot: ``in 11 bản`` or ``in 11 bản, 04 bản một tờ``."""
    per_sheet = meeting.rules.chi_bo_ballots_per_sheet
    sheet = f", {vn.count(per_sheet)} bản một tờ" if per_sheet > 1 else ""
    return f"in {vn.count(copies(figures))} bản{sheet}"
