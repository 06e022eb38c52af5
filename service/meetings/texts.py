"""The central texts a document cites, each with its date, and which of them a date may cite.

Titles, issuers and dates as domain §11.1 lists them: ``<loại> số <số>, ngày <d/m/yyyy> của <cơ
quan> <trích yếu>``. A document never cites a text issued after its own date (the date guard of
§11.1): ``issued_by(texts, day)`` keeps only those already issued. Monthly minutes cite, by the
meeting's date, Chỉ thị 10, Kết luận 18 and HD 12 before 23/7/2025; Chỉ thị 50 from then on;
Chỉ thị 50 and HD 42 from 28/10/2025.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from service.meetings.vnformat import citation_date


@dataclass(frozen=True)
class CitedText:
    """One central text: kind, number, date of issue, the body that signed it, its subject."""

    kind: str
    number: str
    issued: date
    issuer: str
    subject: str = ""

    @property
    def line(self) -> str:
        """``Quy định số 366-QĐ/TW, ngày 30/8/2025 của Bộ Chính trị về việc …``."""
        subject = f" {self.subject}" if self.subject else ""
        return f"{self.kind} số {self.number}, ngày {citation_date(self.issued)} của {self.issuer}{subject}"


BCT, BBT, BTC = "Bộ Chính trị", "Ban Bí thư", "Ban Tổ chức Trung ương"
_ANNUAL_2018 = ("kiểm điểm, đánh giá, xếp loại chất lượng hằng năm đối với tổ chức đảng, đảng viên và "
                "tập thể, cá nhân cán bộ lãnh đạo, quản lý các cấp")

QD_132 = CitedText("Quy định", "132-QĐ/TW", date(2018, 3, 8), BCT,
                   "về việc kiểm điểm và đánh giá, xếp loại chất lượng hằng năm đối với tập thể, cá nhân "
                   "trong hệ thống chính trị")
HD_16 = CitedText("Hướng dẫn", "16-HD/BTCTW", date(2018, 9, 24), BTC, f"về {_ANNUAL_2018}")
HD_21 = CitedText("Hướng dẫn", "21-HD/BTCTW", date(2019, 10, 18), BTC, f"về {_ANNUAL_2018}")
QD_124 = CitedText("Quy định", "124-QĐ/TW", date(2023, 10, 4), BCT,
                   "về kiểm điểm và đánh giá, xếp loại chất lượng hằng năm đối với các tập thể, cá nhân "
                   "trong hệ thống chính trị")
HD_25 = CitedText("Hướng dẫn", "25-HD/BTCTW", date(2023, 11, 10), BTC,
                  "về một số nội dung về kiểm điểm và đánh giá, xếp loại chất lượng hằng năm đối với tập "
                  "thể, cá nhân trong hệ thống chính trị")
# no "hằng năm": QĐ 366 covers terms, years and quarters (domain §11.1, confirmed)
QD_366 = CitedText("Quy định", "366-QĐ/TW", date(2025, 8, 30), BCT,
                   "về việc kiểm điểm và đánh giá, xếp loại chất lượng đối với tập thể, cá nhân trong hệ "
                   "thống chính trị")
HD_43 = CitedText("Hướng dẫn", "43-HD/BTCTW", date(2025, 10, 31), BTC,
                  "về một số nội dung về kiểm điểm và đánh giá, xếp loại chất lượng đối với tập thể, cá "
                  "nhân trong hệ thống chính trị")

CT_10 = CitedText("Chỉ thị", "10-CT/TW", date(2007, 3, 30), BBT, "về nâng cao chất lượng sinh hoạt chi bộ")
KL_18 = CitedText("Kết luận", "18-KL/TW", date(2017, 9, 22), BBT)  # trích yếu not in domain §11
HD_12 = CitedText("Hướng dẫn", "12-HD/BTCTW", date(2018, 7, 6), BTC,
                  "về một số vấn đề về nâng cao chất lượng sinh hoạt chi bộ")
CT_50 = CitedText("Chỉ thị", "50-CT/TW", date(2025, 7, 23), BBT,
                  "về tiếp tục đổi mới và nâng cao chất lượng sinh hoạt chi bộ trong giai đoạn mới")
# the printed trích yếu of HD 42 is unverified (domain §11.1): cited by number, date and issuer
HD_42 = CitedText("Hướng dẫn", "42-HD/BTCTW", date(2025, 10, 28), BTC)


def issued_by(texts: tuple[CitedText, ...], day: date) -> list[CitedText]:
    """The *texts* already issued on *day*: a document never cites a later one."""
    return [text for text in texts if text.issued <= day]


def monthly_texts(day: date) -> list[CitedText]:
    """What monthly minutes of *day* carry out: the texts on chi bộ meetings in force that day."""
    if day < CT_50.issued:
        return issued_by((CT_10, KL_18, HD_12), day)
    return issued_by((CT_50, HD_42), day)
