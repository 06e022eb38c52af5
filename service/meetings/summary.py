"""The đảng bộ summary of ratings (biểu tổng hợp, domain §5.7), computed from every chi bộ.

Table A rates the chi bộ (as organisations), table B the đảng viên by chi bộ; both end with
totals, the share of each level and the 20% quota check at đảng bộ level. ``summarize`` is
pure; ``service.spreadsheets.summary.to_xlsx`` writes the same tables as a workbook.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from service.meetings import vnformat as vn
from service.meetings.dates import summary_notices
from service.meetings.figures import compute, quota_limit
from service.meetings.schemas import LEVELS, DangBoReview, Level

SHORT = {Level.XUAT_SAC: "HTXSNV", Level.TOT: "HTTNV", Level.HOAN_THANH: "HTNV",
         Level.KHONG_HOAN_THANH: "KHTNV"}


@dataclass(frozen=True)
class ChiBoLine:
    """One chi bộ's row in both tables."""

    name: str
    members: int
    not_rated: int
    rated: int
    counts: dict[Level, int]
    undecided: int
    self_level: Level
    voted_level: Level | None
    decided_level: Level | None


@dataclass(frozen=True)
class Summary:
    """Both tables of the đảng bộ summary."""

    review: DangBoReview
    lines: list[ChiBoLine]
    totals: dict[Level, int]
    organisations: dict[Level, int]
    quota_percent: int
    warnings: list[str] = field(default_factory=list)

    @property
    def members(self) -> int:
        """All đảng viên of the đảng bộ's chi bộ."""
        return sum(line.members for line in self.lines)

    @property
    def rated(self) -> int:
        """Đảng viên rated."""
        return sum(line.rated for line in self.lines)

    @property
    def quota_limit(self) -> int:
        """The most "xuất sắc" the "tốt" count allows."""
        return quota_limit(self.totals[Level.TOT], self.quota_percent)


def summarize(review: DangBoReview) -> Summary:
    """Compute both tables from every chi bộ's meeting data."""
    decided = {d.chi_bo: d.level for d in review.decisions}
    lines = []
    for meeting in review.chi_bo:
        figures = compute(meeting)
        proposals = figures.proposals()
        lines.append(ChiBoLine(
            name=meeting.organisation.name, members=len(figures.members),
            not_rated=len(figures.members) - figures.rated, rated=figures.rated, counts=proposals,
            undecided=figures.rated - sum(proposals.values()),
            self_level=meeting.chi_bo_rating.self_rating, voted_level=figures.chi_bo_result,
            decided_level=decided.get(meeting.organisation.name)))
    totals = {level: sum(line.counts[level] for line in lines) for level in LEVELS}
    organisations = dict.fromkeys(LEVELS, 0)
    for line in lines:
        organisations[line.decided_level or line.voted_level or line.self_level] += 1
    percent = max(m.rules.quota_percent for m in review.chi_bo)
    summary = Summary(review, lines, totals, organisations, percent)
    if totals[Level.XUAT_SAC] > summary.quota_limit:
        summary.warnings.append(
            f"Toàn đảng bộ có {vn.count(totals[Level.XUAT_SAC])} đảng viên được đề nghị "
            f"\"{Level.XUAT_SAC.label}\", vượt {percent}% số đảng viên \"{Level.TOT.label}\" "
            f"({vn.count(totals[Level.TOT])}): tối đa {vn.count(summary.quota_limit)}.")
    org_limit = quota_limit(organisations[Level.TOT], percent)
    if organisations[Level.XUAT_SAC] > org_limit:
        summary.warnings.append(
            f"{vn.count(organisations[Level.XUAT_SAC])} chi bộ xếp loại \"{Level.XUAT_SAC.label}\", "
            f"vượt {percent}% số chi bộ \"{Level.TOT.label}\" ({vn.count(organisations[Level.TOT])}): "
            f"tối đa {vn.count(org_limit)}.")
    summary.warnings.extend(summary_notices(review))
    return summary


def organisation_rows(summary: Summary) -> list[list[str]]:
    """Table A: STT, chi bộ, members, self-rating, đảng ủy's decision, note."""
    rows = []
    for index, line in enumerate(summary.lines, start=1):
        voted = SHORT[line.voted_level] if line.voted_level else "chưa đủ phiếu"
        rows.append([str(index), line.name, vn.count(line.members), line.self_level.label,
                     line.decided_level.label if line.decided_level else "",
                     f"Chi bộ biểu quyết: {voted}"])
    return rows


def member_rows(summary: Summary) -> list[list[str]]:
    """Table B: per chi bộ, members, not rated, rated, and count and share of each level."""
    rows = []
    for index, line in enumerate(summary.lines, start=1):
        cells = [str(index), line.name, vn.count(line.members), vn.count(line.not_rated),
                 vn.count(line.rated)]
        for level in LEVELS:
            cells += [vn.count(line.counts[level]), vn.percent(line.counts[level], line.rated)]
        rows.append(cells)
    total = ["", "Tổng cộng", vn.count(summary.members), vn.count(summary.members - summary.rated),
             vn.count(summary.rated)]
    for level in LEVELS:
        total += [vn.count(summary.totals[level]), vn.percent(summary.totals[level], summary.rated)]
    rows.append(total)
    return rows


def organisation_totals(summary: Summary) -> list[str]:
    """The count and share of chi bộ at each level (by decision, else by vote)."""
    count = len(summary.lines)
    return [f"{level.label}: {vn.ratio(summary.organisations[level], count)} chi bộ "
            f"({vn.percent(summary.organisations[level], count)})" for level in LEVELS]


def quota_line(summary: Summary) -> str:
    """The đảng bộ-level quota check, its denominator stated."""
    xs, good = summary.totals[Level.XUAT_SAC], summary.totals[Level.TOT]
    verdict = "đạt" if xs <= summary.quota_limit else "vượt"
    return (f"Tỷ lệ đảng viên \"{Level.XUAT_SAC.label}\" so với số đảng viên \"{Level.TOT.label}\": "
            f"{vn.ratio(xs, good)} ({vn.percent(xs, good, decimals=2)}); giới hạn "
            f"{summary.quota_percent}% (tối đa {vn.count(summary.quota_limit)}): {verdict}.")
