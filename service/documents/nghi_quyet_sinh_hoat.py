"""Context of the monthly resolution as its own document, Nghị quyết chi bộ tháng … (domain §11.5).

Made when a meeting with a four-part resolution says ``issue_resolution``: ``Số …-NQ/CB``, a
Căn cứ block (Điều lệ Đảng, the texts the meeting carries out, the meeting itself), the four
parts as the minutes print them, the vote, T/M CHI BỘ – BÍ THƯ and Nơi nhận. The texts cited are
those in force on the meeting's day (``texts.monthly_texts``), then the local ones. The four parts are
local practice, not HD 42's: nothing here attributes them to it.
"""

from __future__ import annotations

from typing import Any

from service.documents.bao_cao_kiem_diem import recipient
from service.documents.bien_ban_sinh_hoat import QUALITY, four_parts, month_text
from service.documents.common import chi_bo_authority, header, layout_of, local_text, unit_words
from service.meetings import vnformat as vn
from service.meetings.figures import MonthlyFigures
from service.meetings.schemas import MonthlyMeeting
from service.meetings.texts import monthly_texts


def applies(meeting: MonthlyMeeting) -> bool:
    """Only a meeting that voted a four-part resolution and issues it as a document."""
    return meeting.issue_resolution and meeting.resolution is not None


def context(meeting: MonthlyMeeting, figures: MonthlyFigures, _subject: object = None) -> dict[str, Any]:
    """Every string the resolution template prints."""
    org = meeting.organisation
    unit = unit_words(org)
    quality = (f"{unit['capital']} tự đánh giá chất lượng buổi sinh hoạt: {QUALITY[meeting.quality]}."
               if meeting.quality else "")
    four = four_parts(meeting, figures.voters_present, quality)
    layout = layout_of(meeting)
    citations = ["Căn cứ Điều lệ Đảng Cộng sản Việt Nam;"]
    citations += [f"Căn cứ {text.line};" for text in monthly_texts(meeting.start.date())]
    citations += [f"Căn cứ {local_text(basis)};" for basis in meeting.local_basis]
    citations.append(f"Căn cứ kết quả sinh hoạt {unit['word']} định kỳ ngày "
                     f"{vn.short_date(meeting.start.date())},")
    return {
        "h": header(org, meeting.start.date(), "NQ", meeting.resolution_number),
        "unit": unit,
        "title": {"summary": f"Sinh hoạt {unit['word']} định kỳ tháng {month_text(meeting)} "
                             f"năm {meeting.year}"},
        "citations": citations,
        "decides": f"{vn.upper(org.name)} QUYẾT NGHỊ:",
        "parts": four["parts"],
        "vote_line": four["vote_line"].replace("Biểu quyết thông qua nghị quyết: ",
                                               f"Nghị quyết được {unit['word']} biểu quyết thông qua: "),
        "sign": {"authority": chi_bo_authority(org, layout), "title": layout.signers.secretary,
                 "name": meeting.chair.name},
        "recipients": [f"- {recipient(org.parent)} (để báo cáo),", f"- Đảng viên trong {unit['word']},",
                       f"- Lưu {unit['word']}."],
    }

