"""Context of the biên bản of the annual review meeting (domain §5.1)."""

from __future__ import annotations

from typing import Any

from service.documents.common import (
    DOTS,
    attendance,
    citations,
    comrade,
    header,
    level_text,
    pct,
    score,
    vote_cells,
)
from service.meetings import vnformat as vn
from service.meetings.figures import Figures
from service.meetings.schemas import LEVELS, AnnualReview, Level, Member, Membership, Votes


def context(meeting: AnnualReview, figures: Figures, _subject: object = None) -> dict[str, Any]:
    """Every string the biên bản template prints, computed from *meeting* and *figures*."""
    org = meeting.organisation
    issued = meeting.document_date or meeting.start.date()
    rule = meeting.rules
    rows = [
        {"stt": str(i), "name": item.member.name, "detail": _detail(item.member),
         "self_rating": item.rating.self_rating.label + score(item.score),
         "votes": vote_cells(item.rating.votes, figures.denominator, rule),
         "result": level_text(item.result)}
        for i, item in enumerate((r for r in figures.member_results if r.rating), start=1)
        if item.rating is not None
    ]
    return {
        "h": header(org, issued, "BB", meeting.document_number),
        "title": {
            "summary": "Hội nghị kiểm điểm, đánh giá, xếp loại chất lượng tổ chức đảng "
            f"và đảng viên năm {meeting.review_year}",
        },
        "citations": citations(figures.regime, meeting.local_basis),
        "opening": {
            "start": f"{vn.clock(meeting.start)}, {vn.long_date(meeting.start.date())}",
            "location": meeting.location,
            "chair": comrade(meeting.chair),
            "secretary": comrade(meeting.secretary),
            "documents": _documents_line(meeting, figures),
        },
        "attendance": attendance(figures),
        "guests": [comrade(g, capital=True) + "." for g in meeting.guests],
        "agenda": [f"({i}) {item}" for i, item in enumerate(meeting.agenda, start=1)] or [DOTS] * 3,
        "discussion": [{"speaker": d.speaker, "content": d.content} for d in meeting.discussion],
        "blank_lines": [] if meeting.discussion else [DOTS] * 4,
        "results": {
            "basis_line": _basis_line(figures),
            "rows": rows,
            "denominator_note": denominator_note(figures, meeting),
            "summary": _summary(figures, meeting),
        },
        "chibo": {
            "votes_line": (
                f"Chi bộ tự xếp loại: {meeting.chi_bo_rating.self_rating.label}"
                f"{score(figures.chi_bo_score)}. Kết quả biểu quyết: "
                f"{votes_text(meeting.chi_bo_rating.votes, figures.denominator, meeting)}."
            ),
            "result_line": _chi_bo_result(figures.chi_bo_result),
        },
        "conclusion": list(meeting.conclusion),
        "closing": closing(meeting, figures.voters_present),
        "sign": {
            "secretary_name": meeting.secretary.name,
            "line1": "T/M CHI BỘ" if meeting.chair_signs_for_chi_bo else "CHỦ TRÌ HỘI NGHỊ",
            "line2": "BÍ THƯ" if meeting.chair_signs_for_chi_bo else "",
            "chair_name": meeting.chair.name,
        },
    }


def _documents_line(meeting: AnnualReview, figures: Figures) -> str:
    org = meeting.organisation
    report = meeting.report.number if meeting.report else None
    count = meeting.ballot_count.number if meeting.ballot_count else None
    def numbered(text: str, code: str, number: int | None) -> str:
        return f"{text} ({header(org, None, code, number)['number']})" if number else text

    parts = [
        numbered("Báo cáo kiểm điểm, tự đánh giá, xếp loại chất lượng tập thể", "BC", report),
        f"bản kiểm điểm, tự đánh giá, xếp loại cá nhân của {vn.count(figures.rated)} đảng viên",
        "phiếu đánh giá, xếp loại chất lượng chi bộ và đảng viên",
        numbered("biên bản kiểm phiếu", "BB", count),
    ]
    return "; ".join(parts)


def _basis_line(figures: Figures) -> str:
    ballots = figures.ballots
    line = ("Hội nghị tiến hành bỏ phiếu kín đánh giá, xếp loại chất lượng. Số đảng viên chính thức "
            f"có mặt, có quyền biểu quyết: {vn.count(figures.voters_present)} đồng chí (đảng viên "
            "dự bị không biểu quyết)")
    if not ballots.assumed:
        line += (f"; số phiếu phát ra: {vn.count(ballots.issued)}, thu vào: "
                 f"{vn.count(ballots.returned)}, hợp lệ: {vn.count(ballots.valid)}")
    return line + "."


def _detail(member: Member) -> str:
    status = "chính thức" if member.membership is Membership.CHINH_THUC else "dự bị"
    return f"{member.position}; {status}" if member.position else status.capitalize()


def votes_text(votes: Votes, denominator: int, meeting: AnnualReview) -> str:
    """``08/09 phiếu Hoàn thành tốt nhiệm vụ (88,9%); …`` for the levels that got votes."""
    parts = [f"{vn.ratio(votes.for_level(level), denominator)} phiếu {level.label} "
             f"({pct(votes.for_level(level), denominator, meeting.rules)})"
             for level in LEVELS if votes.for_level(level)]
    return "; ".join(parts) if parts else "không có phiếu"


def denominator_note(figures: Figures, meeting: AnnualReview) -> str:
    """Which whole every percentage of the vote is a share of."""
    choice = meeting.rules.denominator
    if choice == "present_voters":
        base = f"{vn.count(figures.denominator)} đảng viên chính thức có mặt, có quyền biểu quyết"
    elif choice == "valid_ballots":
        base = f"{vn.count(figures.denominator)} phiếu hợp lệ"
    else:
        base = (f"{vn.count(figures.denominator)} đảng viên chính thức của chi bộ được triệu tập "
                "(kể cả đảng viên vắng mặt)")
    return f"Tỷ lệ phần trăm tính trên {base}."


def _summary(figures: Figures, meeting: AnnualReview) -> list[str]:
    rated = figures.rated
    proposals = figures.proposals()
    lines = [f"- {vn.ratio(proposals[level], rated)} đồng chí \"{level.label}\" "
             f"({pct(proposals[level], rated, meeting.rules)} số đảng viên được đánh giá);"
             for level in LEVELS if proposals[level]]
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


def closing(meeting: AnnualReview | Any, voters: int, *, before: str = "hội nghị",
            ended: str = "Hội nghị") -> dict[str, str]:
    """The end time and the vote approving the minutes, by the official members present."""
    same_day = meeting.end.date() == meeting.start.date()
    day = "cùng ngày" if same_day else vn.long_date(meeting.end.date())
    vote = meeting.minutes_vote
    agree = vote.agree if vote else voters
    return {
        "end_line": f"{ended} kết thúc vào hồi {vn.clock(meeting.end)} {day}.",
        "approval_line": (
            f"Biên bản đã được đọc lại trước {before} và được "
            f"{vn.ratio(agree, voters)} đồng chí đảng viên chính thức có mặt tán thành thông qua "
            f"({pct(agree, voters, meeting.rules)})."
        ),
    }
