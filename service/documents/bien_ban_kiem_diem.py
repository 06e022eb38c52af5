"""Context of the biên bản of the annual review meeting (domain §5.1)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from service import vnformat as vn
from service.figures import Figures, MemberResult
from service.schemas import LEVELS, Level, Meeting, Member, Membership, Person, VoteRule, Votes


def context(meeting: Meeting, figures: Figures) -> dict[str, Any]:
    """Every string the biên bản template prints, computed from *meeting* and *figures*."""
    org = meeting.organisation
    issued = meeting.document_date or meeting.start.date()
    return {
        "h": {
            "parent": vn.upper(org.parent),
            "issuer": vn.upper(org.name),
            "number": vn.doc_number(meeting.document_number, "BB", org.issuer_code),
            "date_line": vn.date_line(org.place, issued),
        },
        "title": {
            "summary": "Hội nghị kiểm điểm, đánh giá, xếp loại chất lượng tổ chức đảng "
            f"và đảng viên năm {meeting.review_year}",
        },
        "opening": {
            "start": f"{vn.clock(meeting.start)}, {vn.long_date(meeting.start.date())}",
            "location": meeting.location,
            "chair": _comrade(meeting.chair),
            "secretary": _comrade(meeting.secretary),
        },
        "attendance": _attendance(figures),
        "guests": [_comrade(g, capital=True) + "." for g in meeting.guests],
        "agenda": [f"({i}) {item}" for i, item in enumerate(meeting.agenda, start=1)],
        "discussion": [{"speaker": d.speaker, "content": d.content} for d in meeting.discussion],
        "results": {
            "basis_line": (
                "Hội nghị tiến hành bỏ phiếu kín đánh giá, xếp loại chất lượng. Số đảng viên "
                f"chính thức có mặt, có quyền biểu quyết: {vn.count(figures.voters_present)} "
                f"đồng chí (đảng viên dự bị không biểu quyết)."
            ),
            "rows": [_row(i, item, figures, meeting) for i, item in
                     enumerate(figures.member_results, start=1) if item.rating is not None],
            "denominator_note": _denominator_note(figures, meeting),
            "summary": _summary(figures, meeting),
        },
        "chibo": {
            "votes_line": (
                f"Chi bộ tự xếp loại: {meeting.chi_bo_rating.self_rating.label}"
                f"{_score(meeting.chi_bo_rating.self_score)}. Kết quả biểu quyết: "
                f"{_votes_text(meeting.chi_bo_rating.votes, figures.denominator, meeting)}."
            ),
            "result_line": _chi_bo_result(figures.chi_bo_result),
        },
        "conclusion": list(meeting.conclusion),
        "closing": _closing(meeting, figures),
        "sign": {
            "secretary_name": meeting.secretary.name,
            "authority": "T/M CHI BỘ" if meeting.chair_signs_for_chi_bo else "",
            "title": "BÍ THƯ" if meeting.chair_signs_for_chi_bo else "CHỦ TRÌ HỘI NGHỊ",
            "chair_name": meeting.chair.name,
        },
    }


def _comrade(person: Person, *, capital: bool = False) -> str:
    text = f"{'Đồng chí' if capital else 'đồng chí'} {person.name}"
    return f"{text} – {person.position}" if person.position else text


def _score(score: Decimal | None) -> str:
    return "" if score is None else f" ({vn.number(score)} điểm)"


def _pct(part: int, whole: int, rule: VoteRule) -> str:
    return vn.percent(part, whole, decimals=rule.decimals, rounding=rule.rounding)


def _attendance(figures: Figures) -> dict[str, Any]:
    members = len(figures.members)
    official, probationary = len(figures.official), len(figures.probationary)
    members_line = (f"Tổng số đảng viên của chi bộ: {vn.count(members)} đồng chí "
                    f"({vn.count(official)} chính thức, {vn.count(probationary)} dự bị)")
    if figures.exempt:
        members_line += (f"; miễn công tác và sinh hoạt đảng: {vn.count(len(figures.exempt))} "
                         f"đồng chí; số đảng viên được triệu tập: {vn.count(figures.summoned)} đồng chí")
    present = len(figures.present)
    present_line = (f"Có mặt: {vn.ratio(present, figures.summoned)} đồng chí được triệu tập "
                    f"({vn.percent(present, figures.summoned)}); vắng mặt: "
                    f"{vn.count(len(figures.absent))} đồng chí")
    present_line += ":" if figures.absent else "."
    return {
        "members_line": members_line + ".",
        "present_line": present_line,
        "absent": [{"name": m.name, "reason": m.absence_reason or "không có lý do"}
                   for m in figures.absent],
    }


def _detail(member: Member) -> str:
    status = "chính thức" if member.membership is Membership.CHINH_THUC else "dự bị"
    return f"{member.position}; {status}" if member.position else status.capitalize()


def _row(index: int, item: MemberResult, figures: Figures, meeting: Meeting) -> dict[str, Any]:
    assert item.rating is not None
    votes = item.rating.votes
    rule = meeting.rules
    return {
        "stt": str(index),
        "name": item.member.name,
        "detail": _detail(item.member),
        "self_rating": item.rating.self_rating.label + _score(item.rating.self_score),
        "votes": [f"{vn.count(votes.for_level(level))} ("
                  f"{_pct(votes.for_level(level), figures.denominator, rule)})"
                  for level in LEVELS],
        "result": item.result.label if item.result else "Chưa đủ số phiếu",
    }


def _votes_text(votes: Votes, denominator: int, meeting: Meeting) -> str:
    rule = meeting.rules
    parts = [f"{vn.ratio(votes.for_level(level), denominator)} phiếu {level.label} "
             f"({_pct(votes.for_level(level), denominator, rule)})"
             for level in LEVELS if votes.for_level(level)]
    return "; ".join(parts) if parts else "không có phiếu"


def _denominator_note(figures: Figures, meeting: Meeting) -> str:
    if meeting.rules.denominator == "present_voters":
        base = f"{vn.count(figures.denominator)} đảng viên chính thức có mặt, có quyền biểu quyết"
    else:
        base = (f"{vn.count(figures.denominator)} đảng viên chính thức của chi bộ được triệu tập "
                "(kể cả đảng viên vắng mặt)")
    return f"Tỷ lệ phần trăm tính trên {base}."


def _summary(figures: Figures, meeting: Meeting) -> list[str]:
    rated = sum(1 for r in figures.member_results if r.rating is not None)
    proposals = figures.proposals()
    lines = []
    for level in LEVELS:
        if proposals[level]:
            lines.append(f"- {vn.ratio(proposals[level], rated)} đồng chí \"{level.label}\" "
                         f"({_pct(proposals[level], rated, meeting.rules)} "
                         "số đảng viên được đánh giá);")
    undecided = rated - sum(proposals.values())
    if undecided:
        lines.append(f"- {vn.ratio(undecided, rated)} đồng chí chưa đủ số phiếu để xếp loại;")
    if lines:
        lines[-1] = lines[-1].rstrip(";") + "."
    return [f"Chi bộ đề nghị cấp có thẩm quyền xếp loại {vn.count(rated)} đảng viên như sau:", *lines]


def _chi_bo_result(level: Level | None) -> str:
    if level is None:
        return "Không mức nào đạt số phiếu cần thiết; chi bộ báo cáo cấp trên xem xét."
    return f"Chi bộ đề nghị cấp trên xếp loại chất lượng chi bộ: \"{level.label}\"."


def _closing(meeting: Meeting, figures: Figures) -> dict[str, str]:
    same_day = meeting.end.date() == meeting.start.date()
    day = "cùng ngày" if same_day else vn.long_date(meeting.end.date())
    present = len(figures.present)
    vote = meeting.minutes_vote
    agree = vote.agree if vote else present
    return {
        "end_line": f"Hội nghị kết thúc vào hồi {vn.clock(meeting.end)} {day}.",
        "approval_line": (
            "Biên bản đã được đọc lại trước hội nghị và được "
            f"{vn.ratio(agree, present)} đồng chí có mặt tán thành thông qua "
            f"({_pct(agree, present, meeting.rules)})."
        ),
    }
