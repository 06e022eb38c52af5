"""Context of the đảng bộ summary of ratings (domain §5.7), issued and signed by the đảng ủy."""

from __future__ import annotations

from typing import Any

from service.documents.common import DOTS, header
from service.meetings import vnformat as vn
from service.meetings.layouts import DEFAULT
from service.meetings.schemas import DangBoReview, Organisation
from service.meetings.summary import (
    Summary,
    decided_lines,
    member_rows,
    member_totals,
    organisation_rows,
    organisation_totals,
    quota_line,
)


def authority(committee: str) -> str:
    """``T/M ĐẢNG ỦY`` (or ``T/M ĐẢNG UỶ``): the committee's own first two words, so the
    signature names the body the header names."""
    return "T/M " + vn.upper(" ".join(committee.split()[:2]))


def context(review: DangBoReview, summary: Summary, _subject: object = None) -> dict[str, Any]:
    """Every string the summary template prints."""
    dang_bo = review.dang_bo
    committee = dang_bo.committee_name
    org = Organisation(parent=dang_bo.parent, name=committee, place=dang_bo.place,
                       issuer_code=dang_bo.issuer_code)
    issued = dang_bo.report_date or max(m.end.date() for m in review.chi_bo)
    attached = ""
    if dang_bo.report_number:
        number = header(org, None, "BC", dang_bo.report_number)["number"]
        attached = f"(Kèm theo Báo cáo {number[0].lower()}{number[1:]} của {committee})"
    return {
        "h": header(org, issued, None, None),
        "title": {"summary": "kết quả đánh giá, xếp loại chất lượng tổ chức đảng và đảng viên "
                             f"năm {dang_bo.review_year}", "attached": attached},
        "org_rows": [{"cells": row} for row in organisation_rows(summary)],
        "org_totals": organisation_totals(summary),
        "member_rows": [{"cells": row} for row in member_rows(summary)],
        "member_note": ("Tỷ lệ mỗi mức tính trên số đảng viên được xếp loại của chi bộ (dòng Tổng cộng: "
                        "của toàn đảng bộ); mức là mức chi bộ đề nghị theo kết quả biểu quyết. Không đánh "
                        "giá: miễn công tác và sinh hoạt đảng; chưa có kết quả: chưa đánh giá, chưa có số "
                        "phiếu hoặc không mức nào đạt ngưỡng."),
        "member_totals": member_totals(summary),
        "member_decided": decided_lines(summary),
        "quota_line": quota_line(summary),
        "warnings": [f"Lưu ý: {w}" for w in summary.warnings],
        "sign": {"authority": authority(committee), "title": DEFAULT.signers.secretary,
                 "name": dang_bo.secretary or DOTS[:20]},
    }
