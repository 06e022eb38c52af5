"""Context of a member's self-review, Mẫu 02A / 02B / 02C (domain §5.3), one per member."""

from __future__ import annotations

from typing import Any

from service.documents.bao_cao_kiem_diem import sections
from service.documents.common import DOTS, chi_bo_authority, header, layout_of, result_text, unit_words
from service.meetings import vnformat as vn
from service.meetings.figures import Figures, MemberResult, Standing
from service.meetings.schemas import LEVELS, AnnualReview, Member

VARIANTS = {
    "02A": "(Dùng cho cá nhân giữ chức vụ lãnh đạo, quản lý)",
    "02B": "(Dùng cho cá nhân không giữ chức vụ lãnh đạo, quản lý)",
    "02C": "(Dùng cho đảng viên không làm việc trong hệ thống chính trị)",
}


def variant(member: Member) -> str:
    """02C outside the political system, 02A with a leadership post, else 02B."""
    if member.outside_political_system:
        return "02C"
    return "02A" if member.leadership_post else "02B"


def context(meeting: AnnualReview, figures: Figures, subject: str | None) -> dict[str, Any]:
    """Every string the self-review template prints for the member *subject*."""
    item = next(r for r in figures.member_results if r.member.key == subject)
    member, rating = item.member, item.rating  # no rating yet: a blank form to fill in by hand
    org = meeting.organisation
    unit = unit_words(org)
    layout = layout_of(meeting)
    form = variant(member)
    scored = figures.regime.scored
    identity = [
        ("Họ và tên", member.name),
        ("Ngày sinh", vn.short_date(member.birth_date) if member.birth_date else DOTS[:18]),
        ("Chức vụ", member.position or DOTS[:18]),
        ("Đơn vị công tác", member.unit or DOTS[:18]),
        (unit["capital"], org.name),
    ]
    return {
        "h": header(org, meeting.start.date(), None, None),
        "unit": unit,
        "form_code": figures.regime.form_code(form) if scored else "",
        "title": {"year": f"Năm {meeting.review_year}",
                  "variant": VARIANTS[form] if scored else ""},
        "identity": [{"label": label, "value": value} for label, value in identity],
        "sections": sections(rating.review if rating else None),
        "scored": scored,
        "scores": _scores(item) if scored else [],
        "levels": [{"mark": "☒" if rating and level is rating.self_rating else "☐", "label": level.label}
                   for level in LEVELS],
        "disqualifying_line": (f"Trường hợp không hoàn thành nhiệm vụ: {rating.disqualifying_case}."
                               if rating and rating.disqualifying_case else ""),
        "chi_bo": {
            "result_line": _result_line(item, unit["capital"]),
            "authority": chi_bo_authority(org, layout),
            **_assessor(meeting, member),
        },
        "sign": {"title": layout.signers.self_review, "name": member.name},
    }


def _result_line(item: MemberResult, who: str = "Chi bộ") -> str:
    """The unit's proposal; once the đảng ủy decided (``rating.decision``), its level beside."""
    decision = item.rating.decision if item.rating is not None else None
    if item.result is not None and decision is not None:
        decided = f"{decision.by} quyết định xếp loại: \"{decision.level.label}\""
        why = f" ({decision.note})" if decision.note and decision.level is not item.result else ""
        return f"{who} đề nghị xếp loại: \"{item.result.label}\". {decided}{why}."
    if item.result is not None:
        return f"{who} đề nghị xếp loại: \"{item.result.label}\"."
    if item.standing is Standing.RATED:  # votes counted, no level reached
        return f"{who} đề nghị xếp loại: {result_text(item).lower()}."
    return f"{who} đề nghị xếp loại: {DOTS[:18]}"  # written in after the vote


def _scores(item: MemberResult) -> list[str]:
    rating = item.rating
    if rating is not None and rating.scores is not None:
        general, tasks = vn.number(rating.scores.general), vn.number(rating.scores.tasks)
    else:
        general = tasks = "……"
    total = vn.number(item.score) if item.score is not None else "……"
    return [f"1. Nhóm tiêu chí chung: {general}/30 điểm.",
            f"2. Nhóm tiêu chí về kết quả thực hiện nhiệm vụ: {tasks}/70 điểm.",
            f"Tổng điểm: {total}/100 điểm."]


def _assessor(meeting: AnnualReview, member: Member) -> dict[str, str]:
    """The Bí thư signs the chi bộ's assessment; for the Bí thư's own, a Phó Bí thư does."""
    signers = layout_of(meeting).signers
    if member.name != meeting.chair.name:
        return {"title": signers.secretary, "name": meeting.chair.name}
    deputy = next((m for m in meeting.members if m.position and "phó bí thư" in m.position.lower()
                   and m.name != member.name), None)
    if deputy is None:
        return {"title": signers.secretary, "name": meeting.chair.name}
    return {"title": signers.deputy, "name": deputy.name}
