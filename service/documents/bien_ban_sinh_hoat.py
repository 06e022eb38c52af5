"""Context of the monthly meeting minutes, biên bản sinh hoạt chi bộ định kỳ (domain §5.8, §10).

The minutes open with the texts the meeting carries out, those issued by its date
(``service.meetings.texts.monthly_texts``: Chỉ thị 50-CT/TW from 23/7/2025, HD 42-HD/BTCTW from
28/10/2025, the older texts before), then the local ones (``local_basis``). The preparation and the
four-part resolution are printed when given; the quality self-assessment only when given.
"""

from __future__ import annotations

from typing import Any

from service.documents.bien_ban_kiem_diem import closing, minutes_signers
from service.documents.common import DOTS, attendance, comrade, header, local_text, pct, unit_words
from service.meetings import vnformat as vn
from service.meetings.figures import MonthlyFigures
from service.meetings.schemas import MonthlyMeeting, MonthlyResolution, Preparation, VoteRule
from service.meetings.texts import monthly_texts

QUALITY = {"tot": "Tốt", "kha": "Khá", "trung_binh": "Trung bình", "kem": "Kém"}
PARTS = ("I. Đánh giá kết quả thực hiện nhiệm vụ", "II. Phương hướng, nhiệm vụ",
         "III. Phân công tổ chức thực hiện", "IV. Tự đánh giá chất lượng sinh hoạt {word}")


def context(meeting: MonthlyMeeting, figures: MonthlyFigures, _subject: object = None) -> dict[str, Any]:
    """Every string the monthly minutes template prints."""
    voters = figures.voters_present
    rule = meeting.rules
    resolutions = [{"text": f"{index}. {r.text}",
                    "vote_line": "Biểu quyết: " + vote_line(r.agree, r.disagree, r.other, voters, rule)}
                   for index, r in enumerate(meeting.resolutions, start=1)]
    unit = unit_words(meeting.organisation)
    quality = (f"{unit['capital']} tự đánh giá chất lượng buổi sinh hoạt: {QUALITY[meeting.quality]}."
               if meeting.quality else "")
    four = four_parts(meeting, voters, quality)
    return {
        "h": header(meeting.organisation, meeting.start.date(),
                    "BB" if meeting.document_number else None, meeting.document_number),
        "unit": unit,
        "title": {"summary": f"Sinh hoạt {unit['word']} định kỳ tháng {month_text(meeting)} "
                             f"năm {meeting.year}"},
        "intro": intro(meeting),
        "preparation": preparation_line(meeting.preparation,
                                        has_committee=meeting.organisation.has_committee, unit=unit),
        "opening": {
            "start": f"{vn.clock(meeting.start)}, {vn.long_date(meeting.start.date())}",
            "location": meeting.location,
            "chair": comrade(meeting.chair),
            "secretary": comrade(meeting.secretary),
            "documents": "",
        },
        "attendance": attendance(figures, meeting.rules, unit["word"]),
        "guests": [comrade(g, capital=True) + "." for g in meeting.guests],
        "agenda": [f"({i}) {item}" for i, item in enumerate(meeting.agenda, start=1)] or [DOTS] * 3,
        "discussion": [{"speaker": d.speaker, "content": d.content} for d in meeting.discussion],
        "blank_lines": [] if meeting.discussion else [DOTS] * 4,
        "four_part": four,
        "resolutions": resolutions,
        "voters_note": (f"Tỷ lệ biểu quyết tính trên {vn.count(voters)} đảng viên chính thức có mặt"
                        + (" (đảng viên dự bị không biểu quyết)." if figures.probationary else ".")
                        if resolutions or four["parts"] else ""),
        # with a four-part resolution the self-assessment is its part IV
        "quality_line": "" if four["parts"] else quality,
        "conclusion": list(meeting.conclusion),
        "closing": closing(meeting, figures.voters_present, before=unit["word"], ended="Buổi sinh hoạt"),
        "sign": minutes_signers(meeting, for_chi_bo=True),
    }


def month_text(meeting: MonthlyMeeting) -> str:
    """The month as the title prints it: 01, 02, then 3 … 12."""
    return f"{meeting.month:02d}" if meeting.month <= 2 else str(meeting.month)


def vote_line(agree: int, disagree: int, other: int, voters: int, rule: VoteRule) -> str:
    """``07/07 đồng chí tán thành (100%); 00 đồng chí không tán thành; …``.

    A show of hands that counts fewer than the official members present says how many of them
    voted and how many did not.
    """
    line = (f"{vn.ratio(agree, voters)} đồng chí tán thành ({pct(agree, voters, rule)}); "
            f"{vn.count(disagree)} đồng chí không tán thành; {vn.count(other)} đồng chí có ý kiến khác.")
    cast = agree + disagree + other
    if cast < voters:
        line += (f" Số đồng chí biểu quyết: {vn.ratio(cast, voters)}; {vn.count(voters - cast)} đồng chí "
                 "chưa biểu quyết.")
    return line


def intro(meeting: MonthlyMeeting) -> str:
    """The texts the meeting carries out and what kind of meeting it is; empty when nothing to say."""
    word = unit_words(meeting.organisation)["word"]
    kind = f"sinh hoạt {word} định kỳ tháng {month_text(meeting)} năm {meeting.year}"
    if meeting.combined_thematic:
        kind += " kết hợp sinh hoạt chuyên đề"
        if meeting.thematic_topic:
            kind += f" \"{meeting.thematic_topic}\""
    sentence = f"{meeting.organisation.name} tiến hành {kind}."
    cited = [text.line for text in monthly_texts(meeting.start.date())]
    cited += [local_text(basis) for basis in meeting.local_basis]
    if not cited:
        return sentence
    listed = cited[0] if len(cited) == 1 else f"{'; '.join(cited[:-1])} và {cited[-1]}"
    return f"Thực hiện {listed}, {sentence}"


def preparation_line(prep: Preparation | None, *, has_committee: bool,
                     unit: dict[str, str] | None = None) -> str:
    """``Công tác chuẩn bị: chi ủy họp ngày …; …`` from the steps given, or nothing; *unit* the
    unit's own words (``unit_words``: a đảng bộ's committee is its đảng ủy)."""
    if prep is None:
        return ""
    unit = unit or {"word": "chi bộ", "committee": "chi ủy"}
    if unit["word"] != "chi bộ":
        has_committee = True  # a đảng bộ always has its đảng ủy
    steps = []
    if prep.drafted_by:
        steps.append(f"đồng chí {prep.drafted_by} được phân công chuẩn bị nội dung, dự thảo nghị quyết")
    if prep.committee_met:
        who = unit["committee"] if has_committee else f"bí thư, phó bí thư {unit['word']}"
        steps.append(f"{who} họp ngày {vn.short_date(prep.committee_met)} thống nhất nội dung sinh hoạt")
    if prep.notified:
        steps.append(f"ngày {vn.short_date(prep.notified)} thông báo thời gian, địa điểm, nội dung sinh "
                     f"hoạt đến đảng viên và cấp ủy cấp trên theo dõi {unit['word']}")
    if prep.materials_posted:
        steps.append("tài liệu sinh hoạt được đăng trên ứng dụng Sổ tay đảng viên điện tử ngày "
                     f"{vn.short_date(prep.materials_posted)}")
    return f"Công tác chuẩn bị: {'; '.join(steps)}." if steps else ""


def four_parts(meeting: MonthlyMeeting, voters: int, quality: str) -> dict[str, Any]:
    """Parts I–III (dotted lines where empty), IV when assessed, and the vote; no parts without one."""
    resolution: MonthlyResolution | None = meeting.resolution
    if resolution is None:
        return {"lead": "", "parts": [], "vote_line": ""}
    assignments = [f"- {a.who}: {_clause(a.task)}"
                   + (f"; thời hạn: {vn.short_date(a.due)}." if a.due else ".")
                   for a in resolution.assignments]
    parts = [{"heading": heading, "lines": lines or [DOTS] * 2}
             for heading, lines in zip(PARTS, (resolution.results, resolution.tasks, assignments),
                                       strict=False)]
    assessed = ([quality] if quality else []) + list(resolution.assessment)
    word = unit_words(meeting.organisation)["word"]
    if assessed:
        parts.append({"heading": PARTS[3].format(word=word), "lines": assessed})
    vote = resolution.vote
    return {
        "lead": f"{word[:1].upper()}{word[1:]} thống nhất nghị quyết tháng {month_text(meeting)} "
                f"năm {meeting.year} như sau:",
        "parts": parts,
        "vote_line": "Biểu quyết thông qua nghị quyết: "
                     + vote_line(vote.agree, vote.disagree, vote.other, voters, meeting.rules),
    }


def _clause(text: str) -> str:
    # the assignment line adds its own ending; a typed final period would double it
    return text.rstrip().rstrip(".;")
