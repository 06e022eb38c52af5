"""Context of the đảng bộ summary of ratings (domain §5.7)."""

from __future__ import annotations

from typing import Any

from service.documents.common import DOTS, header
from service.meetings.layouts import DEFAULT
from service.meetings.schemas import DangBoReview, Organisation
from service.meetings.summary import Summary, member_rows, organisation_rows, organisation_totals, quota_line


def context(review: DangBoReview, summary: Summary, _subject: object = None) -> dict[str, Any]:
    """Every string the summary template prints."""
    dang_bo = review.dang_bo
    org = Organisation(parent=dang_bo.parent, name=dang_bo.name, place=dang_bo.place,
                       issuer_code=dang_bo.issuer_code)
    issued = dang_bo.report_date or max(m.end.date() for m in review.chi_bo)
    attached = ""
    if dang_bo.report_number:
        number = header(org, None, "BC", dang_bo.report_number)["number"]
        attached = f"(Kèm theo Báo cáo {number[0].lower()}{number[1:]} của {dang_bo.name})"
    return {
        "h": header(org, issued, None, None),
        "title": {"summary": "kết quả đánh giá, xếp loại chất lượng tổ chức đảng và đảng viên "
                             f"năm {dang_bo.review_year}", "attached": attached},
        "org_rows": [{"cells": row} for row in organisation_rows(summary)],
        "org_totals": organisation_totals(summary),
        "member_rows": [{"cells": row} for row in member_rows(summary)],
        "member_note": ("Tỷ lệ phần trăm tính trên số đảng viên được đánh giá của từng chi bộ "
                        "(dòng Tổng cộng: của toàn đảng bộ); mức xếp loại là mức chi bộ đề nghị "
                        "theo kết quả biểu quyết."),
        "quota_line": quota_line(summary),
        "warnings": [f"Lưu ý: {w}" for w in summary.warnings],
        "sign": {"authority": DEFAULT.signers.dang_uy, "title": DEFAULT.signers.secretary,
                 "name": dang_bo.secretary or DOTS[:20]},
    }
