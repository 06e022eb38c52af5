"""Context of the collective report, Mẫu 01 (domain §5.2)."""

from __future__ import annotations

from typing import Any

from service.documents.common import (
    chi_bo_authority,
    citations,
    composition,
    header,
    layout_of,
    names,
    paragraphs_or_dots,
    pct,
    unit_words,
)
from service.meetings import vnformat as vn
from service.meetings.figures import Figures, Standing
from service.meetings.schemas import AnnualReview
from service.meetings.schemas.annual import ReviewText
from service.meetings.schemas.dang_bo import committee_of

SECTIONS = (
    ("strengths", "I. Ưu điểm, kết quả đạt được"),
    ("shortcomings", "II. Hạn chế, khuyết điểm và nguyên nhân"),
    ("remediation", "III. Kết quả khắc phục những hạn chế, khuyết điểm đã được cấp có thẩm quyền "
                    "kết luận hoặc được chỉ ra ở các kỳ kiểm điểm trước"),
    ("explanations", "IV. Giải trình những vấn đề được gợi ý kiểm điểm (nếu có)"),
    ("responsibility", "V. Trách nhiệm của tập thể, cá nhân"),
    ("direction", "VI. Phương hướng, biện pháp khắc phục hạn chế, khuyết điểm"),
)


def sections(review: ReviewText | None) -> list[dict[str, Any]]:
    """The six headed sections of part A, dotted lines where nothing was written."""
    result = []
    for field, heading in SECTIONS:
        items = list(getattr(review, field)) if review else []
        written = review is not None and any(getattr(review, name) for name, _ in SECTIONS)
        if not items and field == "explanations" and written:
            items = ["Không có."]  # the author wrote the review and had nothing to explain
        result.append({"heading": heading, "paragraphs": paragraphs_or_dots(items)})
    return result


def context(meeting: AnnualReview, figures: Figures, _subject: object = None) -> dict[str, Any]:
    """Every string the Mẫu 01 template prints."""
    org = meeting.organisation
    layout = layout_of(meeting)
    issued = meeting.document_date or meeting.start.date()
    report = meeting.report
    unit = unit_words(org)
    collective = unit["committee"] if org.has_committee or org.is_dang_bo else unit["word"]
    facts = _member_facts(figures, meeting.review_year)
    if report and report.meetings_held is not None:
        facts.append(f"Sinh hoạt {unit['word']} định kỳ: {vn.ratio(report.meetings_held, 12)} tháng "
                     f"({pct(report.meetings_held, 12, meeting.rules)}).")
    chi_bo = meeting.chi_bo_rating
    groups = [{"name": g.name, "points": f"{vn.number(g.score)}/{vn.number(g.max_points)} điểm"}
              for g in chi_bo.score_groups]
    total = figures.chi_bo_score
    return {
        "h": header(org, issued, "BC", report.number if report else None),
        "unit": unit,
        "form_code": figures.regime.form_code("01") if figures.regime.scored else "",
        "title": {"summary": f"kiểm điểm, tự đánh giá, xếp loại chất lượng tập thể {collective} "
                             f"năm {meeting.review_year}"},
        "citations": citations(figures.regime, meeting.local_basis, meeting.start.date()),
        "intro": (f"Thực hiện hướng dẫn của cấp trên, {org.name} báo cáo kết quả kiểm điểm, tự đánh "
                  f"giá, xếp loại chất lượng tập thể {collective} năm {meeting.review_year} như sau:"),
        "facts": facts,
        "sections": sections(report),
        "scored": figures.regime.scored,
        "score_groups": groups,
        "score_total": f"{vn.number(total)}/100 điểm" if total is not None else "……/100 điểm",
        "proposed_line": f"Tự đánh giá, xếp loại: \"{chi_bo.self_rating.label}\".",
        "disqualifying_line": (f"Trường hợp không hoàn thành nhiệm vụ: {chi_bo.disqualifying_case}."
                               if chi_bo.disqualifying_case else ""),
        "warnings": [f"Lưu ý: {figures.quota_warning}"] if figures.quota_warning else [],
        "sign": {"authority": chi_bo_authority(org, layout), "title": layout.signers.secretary,
                 "name": _secretary_name(meeting)},
        "recipients": [f"- {recipient(org.parent)} (để báo cáo),", f"- Đảng viên trong {unit['word']},",
                       f"- Lưu {unit['word']}."],
    }


_COMMITTEES = {"huyện": "Huyện ủy", "thị xã": "Thị ủy", "thành phố": "Thành ủy", "quận": "Quận ủy",
               "tỉnh": "Tỉnh ủy"}


def recipient(parent: str | None) -> str:
    """The committee a report goes to, not the đảng bộ: ``Đảng bộ xã A`` → ``Đảng ủy xã A``,
    ``Đảng bộ thị xã B`` → ``Thị ủy B`` (a district or province names its committee so)."""
    name = parent or ""
    if not name.casefold().startswith("đảng bộ "):
        return name
    rest = name[len("đảng bộ "):]
    for unit, committee in _COMMITTEES.items():
        if rest.casefold().startswith(unit + " "):
            return f"{committee} {rest[len(unit) + 1:]}"
    return committee_of(name)


def _member_facts(figures: Figures, year: int) -> list[str]:
    """How many members the chi bộ has, how many are rated this year, and who is not, and why."""
    members = len(figures.members)
    line = (f"Tổng số đảng viên: {vn.count(members)} đồng chí "
            f"{composition(len(figures.official), len(figures.probationary))}")
    if figures.exempt:
        line += f"; miễn công tác và sinh hoạt đảng: {vn.count(len(figures.exempt))} đồng chí"
    facts = [line + "."]
    not_rated = figures.standing(Standing.NOT_RATED)
    if not_rated:
        facts.append(f"Số đảng viên kiểm điểm, đánh giá, xếp loại năm {year}: "
                     f"{vn.ratio(len(figures.to_rate), members)} đồng chí; không đánh giá, xếp loại "
                     f"{vn.count(len(not_rated))} đồng chí: {names(not_rated, reasons=True)}.")
    return facts


def _secretary_name(meeting: AnnualReview) -> str:
    # the Bí thư signs; the chair of the review meeting is the Bí thư in practice
    return meeting.chair.name
