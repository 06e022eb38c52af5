"""The rules of each review year, in one place (domain §1, §2).

2018: QĐ 132-QĐ/TW with HD 16; 2019–2022: with HD 21; 2023–2024: QĐ 124-QĐ/TW with HD 25;
2025 on: QĐ 366-QĐ/TW with HD 43, which adds the 100-point score and its level bands.
Every document cites the "Căn cứ" lines of its year; a score that contradicts the
proposed level is refused unless a disqualifying case is given.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from service.meetings.schemas import Level
from service.meetings.texts import HD_16, HD_21, HD_25, HD_43, QD_124, QD_132, QD_366, CitedText, issued_by


@dataclass(frozen=True)
class Regime:
    """The texts and scoring of one range of review years."""

    first_year: int
    last_year: int | None
    regulation: CitedText
    guidance: tuple[CitedText, ...]
    scored: bool
    form_suffix: str

    def citations(self, day: date) -> list[str]:
        """The "Căn cứ" lines of a document dated *day*: only the texts issued by then."""
        return [f"Căn cứ {text.line};" for text in issued_by((self.regulation, *self.guidance), day)]

    def form_code(self, form: str) -> str:
        """``Mẫu 02B-HD KĐ.ĐG 2025``: the official code of a form in this regime."""
        return f"Mẫu {form}-HD KĐ.ĐG {self.form_suffix}".rstrip()


# domain §11.1: 2018 → 132 + HD 16; 2019–2022 → 132 + HD 21 (which replaces HD 16);
# 2023–2024 → 124 + HD 25; 2025 on → 366 + HD 43
REGIMES: tuple[Regime, ...] = (
    Regime(first_year=2018, last_year=2018, regulation=QD_132, guidance=(HD_16,), scored=False,
           form_suffix=""),
    Regime(first_year=2019, last_year=2022, regulation=QD_132, guidance=(HD_21,), scored=False,
           form_suffix=""),
    Regime(first_year=2023, last_year=2024, regulation=QD_124, guidance=(HD_25,), scored=False,
           form_suffix=""),
    Regime(first_year=2025, last_year=None, regulation=QD_366, guidance=(HD_43,), scored=True,
           form_suffix="2025"),
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


# Monthly meetings (domain §10): HD 42-HD/BTCTW sets the durations and the materials' delay
MONTHLY_GUIDANCE = "Hướng dẫn số 42-HD/BTCTW"
