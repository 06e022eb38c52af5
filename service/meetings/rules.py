"""The rules of each review year, in one place (domain §1, §2).

2018–2022: QĐ 132-QĐ/TW with HD 16 and HD 21; 2023–2024: QĐ 124-QĐ/TW with HD 25;
2025 on: QĐ 366-QĐ/TW with HD 43, which adds the 100-point score and its level bands.
Every document cites the "Căn cứ" lines of its year; a score that contradicts the
proposed level is refused unless a disqualifying case is given.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from service.meetings.schemas import Level


@dataclass(frozen=True)
class Regime:
    """The texts and scoring of one range of review years."""

    first_year: int
    last_year: int | None
    regulation: str
    guidance: tuple[str, ...]
    scored: bool
    form_suffix: str

    def citations(self) -> list[str]:
        """The "Căn cứ" lines a document of this regime opens with."""
        return [f"Căn cứ {self.regulation};", *(f"Căn cứ {g};" for g in self.guidance)]

    def form_code(self, form: str) -> str:
        """``Mẫu 02B-HD KĐ.ĐG 2025``: the official code of a form in this regime."""
        return f"Mẫu {form}-HD KĐ.ĐG {self.form_suffix}".rstrip()


REGIMES: tuple[Regime, ...] = (
    Regime(
        first_year=2018, last_year=2022,
        regulation="Quy định số 132-QĐ/TW, ngày 08/3/2018 của Bộ Chính trị về kiểm điểm và "
        "đánh giá, xếp loại chất lượng hằng năm đối với tập thể, cá nhân trong hệ thống chính trị",
        guidance=("Hướng dẫn số 16-HD/BTCTW, ngày 24/9/2018 và Hướng dẫn số 21-HD/BTCTW, "
                  "ngày 18/10/2019 của Ban Tổ chức Trung ương",),
        scored=False, form_suffix="",
    ),
    Regime(
        first_year=2023, last_year=2024,
        regulation="Quy định số 124-QĐ/TW, ngày 04/10/2023 của Bộ Chính trị về kiểm điểm và "
        "đánh giá, xếp loại chất lượng hằng năm đối với tập thể, cá nhân trong hệ thống chính trị",
        guidance=("Hướng dẫn số 25-HD/BTCTW, ngày 10/11/2023 của Ban Tổ chức Trung ương",),
        scored=False, form_suffix="",
    ),
    Regime(
        first_year=2025, last_year=None,
        regulation="Quy định số 366-QĐ/TW, ngày 30/8/2025 của Bộ Chính trị về kiểm điểm, "
        "đánh giá, xếp loại chất lượng hằng năm đối với tập thể, cá nhân trong hệ thống chính trị",
        guidance=("Hướng dẫn số 43-HD/BTCTW, ngày 31/10/2025 của Ban Tổ chức Trung ương",),
        scored=True, form_suffix="2025",
    ),
)


def regime_for(year: int) -> Regime:
    """The regime that governs the review of *year*."""
    for regime in REGIMES:
        if regime.first_year <= year and (regime.last_year is None or year <= regime.last_year):
            return regime
    raise ValueError(f"no rules for review year {year}")


# QĐ 366 Điều 11: ≥ 90 xuất sắc, 70 to < 90 tốt, 50 to < 70 hoàn thành, < 50 không hoàn thành
SCORE_BANDS: tuple[tuple[Decimal, Level], ...] = (
    (Decimal(90), Level.XUAT_SAC),
    (Decimal(70), Level.TOT),
    (Decimal(50), Level.HOAN_THANH),
    (Decimal(0), Level.KHONG_HOAN_THANH),
)


def level_for_score(score: Decimal) -> Level:
    """The level a 100-point score falls in (2025 on)."""
    for floor, level in SCORE_BANDS:
        if score >= floor:
            return level
    return Level.KHONG_HOAN_THANH


def score_contradicts(score: Decimal, level: Level, *, disqualified: bool) -> bool:
    """True when *level* is not the band of *score*; a disqualifying case forces KHT."""
    if disqualified:
        return level is not Level.KHONG_HOAN_THANH
    return level_for_score(score) is not level


QUOTA_PERCENT = 20
QUOTA_PERCENT_EXCEPTION = 25


# Monthly meetings (domain §10): Chỉ thị 50-CT/TW of the Ban Bí thư and its guidance HD 42-HD/BTCTW.
# The titles are as two newspapers quote them (nld.com.vn 1/12/2025, vneconomy.vn 11/8/2025).
MONTHLY_CITATIONS: tuple[str, ...] = (
    "Chỉ thị số 50-CT/TW, ngày 23/7/2025 của Ban Bí thư về tiếp tục đổi mới và nâng cao chất "
    "lượng sinh hoạt chi bộ trong giai đoạn mới",
    "Hướng dẫn số 42-HD/BTCTW, ngày 28/10/2025 của Ban Tổ chức Trung ương",
)
MONTHLY_GUIDANCE = "Hướng dẫn số 42-HD/BTCTW"

