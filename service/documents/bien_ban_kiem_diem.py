"""Context of the biên bản of the annual review meeting (domain §5.1)."""

from __future__ import annotations

from typing import Any

from service.documents.common import (
    DOTS,
    NO_VOTES,
    attendance,
    citations,
    comrade,
    header,
    layout_of,
    member_votes,
    pct,
    result_text,
    score,
    short_votes,
    unit_words,
    unrated_lines,
)
from service.meetings import vnformat as vn
from service.meetings.figures import Figures, MemberResult, Standing
from service.meetings.schemas import LEVELS, AnnualReview, Attendance, Member, Membership, Votes


def context(meeting: AnnualReview, figures: Figures, _subject: object = None) -> dict[str, Any]:
    """Every string the biên bản template prints, computed from *meeting* and *figures*."""
    org = meeting.organisation
    unit = unit_words(org)
    issued = meeting.document_date or meeting.start.date()
    rule = meeting.rules
    rows = [
        {"stt": str(i), "name": item.member.name, "detail": _detail(item.member),
         "self_rating": _self_rating(item),
         "votes": member_votes(item, figures.denominator, rule),
         "result": result_text(item)}
        for i, item in enumerate(figures.member_results, start=1)  # STT: place in the members list
    ]
    return {
        "h": header(org, issued, "BB", meeting.document_number),
        "unit": unit,
        "title": {
            "summary": "Hội nghị kiểm điểm, đánh giá, xếp loại chất lượng tổ chức đảng "
            f"và đảng viên năm {meeting.review_year}",
        },
        "citations": citations(figures.regime, meeting.local_basis, meeting.start.date()),
        "opening": {
            "start": f"{vn.clock(meeting.start)}, {vn.long_date(meeting.start.date())}",
            "location": meeting.location,
            "chair": comrade(meeting.chair),
            "secretary": comrade(meeting.secretary),
            "documents": _documents_line(meeting, figures),
        },
        "attendance": attendance(figures, meeting.rules, unit["word"]),
        "guests": [comrade(g, capital=True) + "." for g in meeting.guests],
        "agenda": [f"({i}) {item}" for i, item in enumerate(meeting.agenda, start=1)] or [DOTS] * 3,
        "discussion": [{"speaker": d.speaker, "content": d.content} for d in meeting.discussion],
        "blank_lines": [] if meeting.discussion else [DOTS] * 4,
        "results": {
            "basis_line": _basis_line(figures),
            "rows": rows,
            "denominator_note": denominator_note(figures, meeting),
            "summary": _summary(figures, meeting),
            "warnings": short_votes(figures, meeting.chi_bo_rating.votes, unit["word"])
            + ([f"Lưu ý: {figures.quota_warning}"] if figures.quota_warning else []),
        },
        "chibo": {
            "votes_line": (
                f"{unit['capital']} tự xếp loại: {meeting.chi_bo_rating.self_rating.label}"
                f"{score(figures.chi_bo_score)}. Kết quả biểu quyết: "
                f"{votes_text(meeting.chi_bo_rating.votes, figures.denominator, meeting)}."
            ),
            "result_line": _chi_bo_result(figures, unit["word"]),
        },
        "conclusion": list(meeting.conclusion),
        "closing": closing(meeting, figures.voters_present),
        "sign": minutes_signers(meeting, for_chi_bo=meeting.chair_signs_for_chi_bo),
    }


def _documents_line(meeting: AnnualReview, figures: Figures) -> str:
    org = meeting.organisation
    report = meeting.report.number if meeting.report else None
    count = meeting.ballot_count.number if meeting.ballot_count else None
    def numbered(text: str, code: str, number: int | None) -> str:
        return f"{text} ({header(org, None, code, number)['number']})" if number else text

    to_rate = len(figures.to_rate)
    if figures.rated == to_rate == len(figures.members):
        written = f"{vn.count(to_rate)} đảng viên"
    else:  # say whose reviews are missing from the whole that should have written one
        written = f"{vn.ratio(figures.rated, to_rate)} đảng viên thuộc diện đánh giá, xếp loại"
    parts = [
        numbered("Báo cáo kiểm điểm, tự đánh giá, xếp loại chất lượng tập thể", "BC", report),
        f"bản kiểm điểm, tự đánh giá, xếp loại cá nhân của {written}",
        f"phiếu đánh giá, xếp loại chất lượng {unit_words(org)['word']} và đảng viên",
        numbered("biên bản kiểm phiếu", "BB", count),
    ]
    return "; ".join(parts)


def _basis_line(figures: Figures) -> str:
    ballots = figures.ballots
    line = ("Hội nghị tiến hành bỏ phiếu kín đánh giá, xếp loại chất lượng. Số đảng viên chính thức "
            f"có mặt, có quyền biểu quyết: {vn.count(figures.voters_present)} đồng chí"
            + (" (đảng viên dự bị không biểu quyết)" if figures.probationary else ""))
    if not ballots.assumed:
        line += (f"; số phiếu phát ra: {vn.count(ballots.issued)}, thu vào: "
                 f"{vn.count(ballots.returned)}, hợp lệ: {vn.count(ballots.valid)}")
    return line + "."


def _detail(member: Member) -> str:
    status = "chính thức" if member.membership is Membership.CHINH_THUC else "dự bị"
    if member.attendance is Attendance.EXEMPT:
        status += ", miễn sinh hoạt"
    return f"{member.position}; {status}" if member.position else status.capitalize()


def _self_rating(item: MemberResult) -> str:
    if item.rating is None:
        return "Chưa có" if item.standing is Standing.MISSING else "–"
    return item.rating.self_rating.label + score(item.score)


def votes_text(votes: Votes, denominator: int, meeting: AnnualReview) -> str:
    """``08/09 phiếu Hoàn thành tốt nhiệm vụ (88,9%); …`` for the levels that got votes."""
    parts = [f"{vn.ratio(votes.for_level(level), denominator)} phiếu {level.label} "
             f"({pct(votes.for_level(level), denominator, meeting.rules)})"
             for level in LEVELS if votes.for_level(level)]
    return "; ".join(parts) if parts else NO_VOTES.lower()


def denominator_note(figures: Figures, meeting: AnnualReview) -> str:
    """Which whole every percentage of the vote is a share of."""
    choice = meeting.rules.denominator
    if choice == "present_voters":
        base = f"{vn.count(figures.denominator)} đảng viên chính thức có mặt, có quyền biểu quyết"
    elif choice == "valid_ballots" and figures.ballots.assumed:
        base = (f"số phiếu hợp lệ (chưa nhập kiểm phiếu: tạm tính bằng {vn.count(figures.denominator)} "
                "đảng viên chính thức có mặt)")
    elif choice == "valid_ballots":
        base = f"{vn.count(figures.denominator)} phiếu hợp lệ"
    else:
        base = (f"{vn.count(figures.denominator)} đảng viên chính thức của "
                f"{unit_words(meeting.organisation)['word']} được triệu tập "
                "(kể cả đảng viên vắng mặt)")
    return f"Tỷ lệ phần trăm tính trên {base}."


def _summary(figures: Figures, meeting: AnnualReview) -> list[str]:
    """Who the chi bộ proposes at each level, then every member without a level, named."""
    word = unit_words(meeting.organisation)["word"]
    members = len(figures.members)
    proposals = figures.proposals()
    decided = sum(proposals.values())
    if not figures.votes_entered:
        head = [f"{NO_VOTES}: chưa có kết quả xếp loại của {vn.ratio(len(figures.to_rate), members)} "
                "đảng viên thuộc diện đánh giá, xếp loại."]
        rest = unrated_lines(figures, no_votes=False)
        if rest:
            head.append(f"Trong số {vn.count(members)} đảng viên của {word} có:")
        return head + _listed(rest)
    head = [f"{word[:1].upper()}{word[1:]} đề nghị cấp có thẩm quyền xếp loại {vn.ratio(decided, members)} "
            f"đảng viên của {word}" + (" như sau:" if decided else ".")]
    head += _listed([f"{vn.ratio(proposals[level], decided)} đồng chí \"{level.label}\" "
                     f"({pct(proposals[level], decided, meeting.rules)} số đảng viên được đề nghị "
                     "xếp loại)" for level in LEVELS if proposals[level]])
    rest = unrated_lines(figures)
    if rest:
        head.append(f"Chưa xếp loại {vn.ratio(members - decided, members)} đồng chí:")
    return head + _listed(rest)


def _listed(lines: list[str]) -> list[str]:
    """``- a;`` … ``- z.``: the items of a list, the last one closed."""
    items = [f"- {line};" for line in lines]
    if items:
        items[-1] = items[-1][:-1] + "."
    return items


def _chi_bo_result(figures: Figures, word: str = "chi bộ") -> str:
    capital = word[:1].upper() + word[1:]
    if figures.chi_bo_reason:
        return f"{capital} không đánh giá, xếp loại chất lượng năm nay: {figures.chi_bo_reason}."
    if not figures.chi_bo_votes:
        return f"{NO_VOTES}: chưa có kết quả biểu quyết xếp loại chất lượng {word}."
    level = figures.chi_bo_result
    if level is None:
        return f"Không mức nào đạt số phiếu cần thiết; {word} báo cáo cấp trên xem xét."
    return f"{capital} đề nghị cấp trên xếp loại chất lượng {word}: \"{level.label}\"."


def closing(meeting: AnnualReview | Any, voters: int, *, before: str = "hội nghị",
            ended: str = "Hội nghị") -> dict[str, str]:
    """The end time and the vote approving the minutes, by the official members present."""
    same_day = meeting.end.date() == meeting.start.date()
    day = "cùng ngày" if same_day else vn.long_date(meeting.end.date())
    vote = meeting.minutes_vote
    agree = vote.agree if vote else voters
    endings = layout_of(meeting).endings
    return {
        "end_line": endings.minutes_end.format(who=ended, time=vn.clock(meeting.end), day=day),
        "approval_line": endings.minutes_approval.format(
            before=before, agree=vn.ratio(agree, voters), share=pct(agree, voters, meeting.rules)),
    }


def minutes_signers(meeting: AnnualReview | Any, *, for_chi_bo: bool) -> dict[str, str]:
    """The secretary on the left; on the right T/M CHI BỘ – BÍ THƯ, or the chair (by regime)."""
    signers = layout_of(meeting).signers
    right = signers.minutes_for_chi_bo if for_chi_bo else signers.minutes_chair
    if for_chi_bo and meeting.organisation.is_dang_bo and right[0] == signers.chi_bo:
        right = (signers.dang_uy, *right[1:])  # a đảng bộ's minutes: signed for its đảng ủy
    return {
        "secretary_title": signers.minutes_secretary,
        "secretary_name": meeting.secretary.name,
        "line1": right[0],
        "line2": right[1] if len(right) > 1 else "",
        "chair_name": meeting.chair.name,
    }
