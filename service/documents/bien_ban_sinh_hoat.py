"""Context of the monthly meeting minutes, biên bản sinh hoạt chi bộ định kỳ (domain §5.8)."""

from __future__ import annotations

from typing import Any

from service.documents.bien_ban_kiem_diem import closing
from service.documents.common import DOTS, attendance, comrade, header, pct
from service.meetings import vnformat as vn
from service.meetings.figures import MonthlyFigures
from service.meetings.schemas import MonthlyMeeting

QUALITY = {"tot": "Tốt", "kha": "Khá", "trung_binh": "Trung bình", "kem": "Kém"}


def context(meeting: MonthlyMeeting, figures: MonthlyFigures, _subject: object = None) -> dict[str, Any]:
    """Every string the monthly minutes template prints."""
    voters = figures.voters_present
    resolutions = []
    for index, resolution in enumerate(meeting.resolutions, start=1):
        line = (f"Biểu quyết: {vn.ratio(resolution.agree, voters)} đồng chí tán thành "
                f"({pct(resolution.agree, voters, meeting.rules)}); "
                f"{vn.count(resolution.disagree)} đồng chí không tán thành; "
                f"{vn.count(resolution.other)} đồng chí có ý kiến khác.")
        resolutions.append({"text": f"{index}. {resolution.text}", "vote_line": line})
    month = f"{meeting.month:02d}" if meeting.month <= 2 else str(meeting.month)
    return {
        "h": header(meeting.organisation, meeting.start.date(),
                    "BB" if meeting.document_number else None, meeting.document_number),
        "title": {"summary": f"Sinh hoạt chi bộ định kỳ tháng {month} năm {meeting.year}"},
        "opening": {
            "start": f"{vn.clock(meeting.start)}, {vn.long_date(meeting.start.date())}",
            "location": meeting.location,
            "chair": comrade(meeting.chair),
            "secretary": comrade(meeting.secretary),
            "documents": "",
        },
        "attendance": attendance(figures, meeting.rules),
        "guests": [comrade(g, capital=True) + "." for g in meeting.guests],
        "agenda": [f"({i}) {item}" for i, item in enumerate(meeting.agenda, start=1)] or [DOTS] * 3,
        "discussion": [{"speaker": d.speaker, "content": d.content} for d in meeting.discussion],
        "blank_lines": [] if meeting.discussion else [DOTS] * 4,
        "resolutions": resolutions,
        "voters_note": (f"Tỷ lệ biểu quyết tính trên {vn.count(voters)} đảng viên chính thức có mặt "
                        "(đảng viên dự bị không biểu quyết)."),
        "quality_line": (f"Chi bộ tự đánh giá chất lượng buổi sinh hoạt: {QUALITY[meeting.quality]}."
                         if meeting.quality else ""),
        "conclusion": list(meeting.conclusion),
        "closing": closing(meeting, figures.voters_present, before="chi bộ", ended="Buổi sinh hoạt"),
        "sign": {"secretary_name": meeting.secretary.name, "line1": "T/M CHI BỘ",
                 "line2": "BÍ THƯ", "chair_name": meeting.chair.name},
    }
