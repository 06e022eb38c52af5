"""The đảng bộ summary of ratings (biểu tổng hợp, domain §5.7), computed from every chi bộ.

Table A rates the chi bộ (as organisations), table B the đảng viên by chi bộ; both end with
the share of each level, "Hoàn thành tốt nhiệm vụ trở lên" and its "trong đó" line, each
share naming its denominator, and the quota check at đảng bộ level. A chi bộ is counted at the
đảng ủy's decision, else at its own vote; with neither it is "chưa có kết quả", never at its
self-rating. Every share is rounded by one rule (``summary_rounding``). ``summarize`` is pure;
``service.spreadsheets.summary.to_xlsx`` writes the same tables as a workbook.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from service.meetings import vnformat as vn
from service.meetings.dates import summary_notices
from service.meetings.figures import Figures, Standing, compute, quota_limit
from service.meetings.schemas import LEVELS, AnnualReview, DangBoReview, Level, VoteRule
from service.meetings.schemas.common import UNIT_KINDS

_T = TypeVar("_T")

SHORT = {Level.XUAT_SAC: "HTXSNV", Level.TOT: "HTTNV", Level.HOAN_THANH: "HTNV",
         Level.KHONG_HOAN_THANH: "KHTNV"}
NO_RESULT = "Chưa có kết quả"
NO_VOTES = "Chưa nhập số phiếu"
NO_LEVEL = "Chưa đủ số phiếu"
BY_DECISION = "theo quyết định của Đảng ủy"
BY_VOTE = "theo biểu quyết của chi bộ, Đảng ủy chưa quyết định"
NOT_SELF = "không tính theo mức chi bộ tự xếp loại"
WITHOUT = "chưa có báo cáo"
GOOD_OR_BETTER = (Level.XUAT_SAC, Level.TOT)


@dataclass(frozen=True)
class ChiBoLine:
    """One chi bộ's row in both tables.

    Its members split three ways: ``not_rated`` (exempt from party activity and without a
    rating: "không đánh giá"), ``pending`` (no rating, or votes that reached no level: "chưa
    có kết quả") and ``rated`` (at a level, counted in ``counts``).
    """

    name: str
    kind: str
    members: int
    not_rated: int
    pending: int
    counts: dict[Level, int]
    self_level: Level
    voted: bool
    voted_level: Level | None
    decided_level: Level | None
    reason: str | None = None  # why the chi bộ is not rated this year (newly formed…)
    # the đảng ủy's own levels for members: (member, proposed, decided, note) for each it decided
    member_changes: tuple[tuple[str, Level | None, Level, str], ...] = ()

    @property
    def decided_counts(self) -> dict[Level, int]:
        """Members at each level once the đảng ủy's decisions on members replace the proposals."""
        counts = dict(self.counts)
        for _, proposed, decided, _ in self.member_changes:
            if proposed is not None:
                counts[proposed] -= 1
            counts[decided] += 1
        return counts

    @property
    def decided_rated(self) -> int:
        """Members at a level after the đảng ủy's decisions."""
        return sum(self.decided_counts.values())

    @property
    def rated(self) -> int:
        """Members at a level."""
        return sum(self.counts.values())

    @property
    def counted_level(self) -> Level | None:
        """The level the summary counts: the đảng ủy's decision, else the vote; never the self-rating."""
        return self.decided_level or self.voted_level

    @property
    def vote_text(self) -> str:
        """What the chi bộ's own vote gave: a level, or why there is none."""
        if self.voted_level is not None:
            return self.voted_level.label
        return NO_LEVEL if self.voted else NO_VOTES

    @property
    def basis(self) -> str:
        """Why the counted level is what it is, in words for the reader of the summary."""
        if self.decided_level is not None:
            return BY_DECISION
        if self.voted_level is not None:
            return BY_VOTE
        reason = "không mức nào đạt ngưỡng số phiếu" if self.voted else "chi bộ chưa nhập số phiếu biểu quyết"
        return f"{reason}, Đảng ủy chưa quyết định; {NOT_SELF}"


@dataclass(frozen=True)
class Summary:
    """Both tables of the đảng bộ summary."""

    review: DangBoReview
    lines: list[ChiBoLine]
    totals: dict[Level, int]
    organisations: dict[Level, int]
    quota_percent: int
    rule: vn.Rounded
    warnings: list[str] = field(default_factory=list)

    @property
    def members(self) -> int:
        """All đảng viên of the đảng bộ's chi bộ."""
        return sum(line.members for line in self.lines)

    @property
    def rated(self) -> int:
        """Đảng viên at a level."""
        return sum(line.rated for line in self.lines)

    @property
    def not_rated(self) -> int:
        """Đảng viên not rated (exempt)."""
        return sum(line.not_rated for line in self.lines)

    @property
    def pending(self) -> int:
        """Đảng viên without a result."""
        return sum(line.pending for line in self.lines)

    @property
    def rated_chi_bo(self) -> int:
        """Chi bộ counted at a level."""
        return sum(self.organisations.values())

    @property
    def quota_limit(self) -> int:
        """The most "xuất sắc" the "tốt" count allows."""
        return quota_limit(self.totals[Level.TOT], self.quota_percent)

    def pct(self, part: int, whole: int) -> str:
        """A share under the summary's one rounding rule."""
        return vn.percent(part, whole, self.rule)


def _agreed(values: set[_T]) -> _T | None:
    return next(iter(values)) if len(values) == 1 else None


def summary_rounding(review: DangBoReview) -> tuple[vn.Rounded, list[str]]:
    """The rounding of the summary: ``dang_bo.rules``, else the chi bộ's when they all agree.

    When the chi bộ disagree and the đảng bộ chose nothing, the default (half up, one decimal)
    is used and a warning says so.
    """
    chosen, default = review.dang_bo.rules, VoteRule()
    rounding = chosen.rounding or _agreed({m.rules.rounding for m in review.chi_bo})
    digits = chosen.decimals if chosen.decimals is not None else _agreed(
        {m.rules.decimals for m in review.chi_bo})
    rule = vn.Rounded(rounding or default.rounding, default.decimals if digits is None else digits)
    if rounding is not None and digits is not None:
        return rule, []
    how = "lên" if rule.rounding == "half_up" else "xuống"
    return rule, [f"Các chi bộ làm tròn tỷ lệ khác nhau; biểu tổng hợp làm tròn {how} đến "
                  f"{rule.decimals} chữ số thập phân (chọn cách khác ở quy tắc làm tròn của đảng bộ)."]


def _line(chi_bo: AnnualReview, decided: Level | None,
          on_members: dict[str, tuple[Level, str]] | None = None,
          figures: Figures | None = None) -> ChiBoLine:
    if figures is None:
        figures = compute(chi_bo)
    counts = figures.proposals()
    changes = tuple((item.member.name, item.result, *on_members[item.member.name])
                    for item in figures.member_results if on_members and item.member.name in on_members)
    # not rated for a reason (not_rated_reason), or exempt without a rating: "không đánh giá"
    not_rated = len(figures.standing(Standing.NOT_RATED))
    return ChiBoLine(
        name=chi_bo.organisation.name, kind=chi_bo.organisation.kind, members=len(figures.members),
        not_rated=not_rated,
        pending=len(figures.members) - not_rated - sum(counts.values()), counts=counts,
        self_level=chi_bo.chi_bo_rating.self_rating, voted=chi_bo.chi_bo_rating.votes.total > 0,
        voted_level=figures.chi_bo_result, decided_level=decided, member_changes=changes,
        reason=chi_bo.chi_bo_rating.not_rated_reason)


def summarize(review: DangBoReview, figures: Sequence[Figures] | None = None) -> Summary:
    """Compute both tables from every chi bộ's meeting data (*figures*: each chi bộ's, when computed)."""
    decided = {d.chi_bo: d.level for d in review.decisions}
    on_members: dict[str, dict[str, tuple[Level, str]]] = {}
    for d in review.member_decisions:
        on_members.setdefault(d.chi_bo, {})[d.member] = (d.level, d.note or "")
    lines = [_line(chi_bo, decided.get(chi_bo.organisation.name), on_members.get(chi_bo.organisation.name),
                   figures[index] if figures is not None else None)
             for index, chi_bo in enumerate(review.chi_bo)]
    totals = {level: sum(line.counts[level] for line in lines) for level in LEVELS}
    organisations = dict.fromkeys(LEVELS, 0)
    for line in lines:
        if line.counted_level is not None:
            organisations[line.counted_level] += 1
    percent = max(m.rules.quota_percent for m in review.chi_bo)
    rule, warnings = summary_rounding(review)
    summary = Summary(review, lines, totals, organisations, percent, rule, warnings)
    for line in lines:
        if line.counted_level is None and line.reason is None:
            summary.warnings.append(f"{line.name} chưa có kết quả xếp loại ({line.basis} "
                                    f"\"{line.self_level.label}\").")
        if line.pending:
            summary.warnings.append(f"{line.name}: {vn.count(line.pending)} đảng viên chưa có kết quả "
                                    "xếp loại, không tính vào mức nào.")
    if totals[Level.XUAT_SAC] > summary.quota_limit:
        summary.warnings.append(
            f"Toàn đảng bộ có {vn.count(totals[Level.XUAT_SAC])} đảng viên được đề nghị "
            f"\"{Level.XUAT_SAC.label}\", vượt {percent}% số đảng viên \"{Level.TOT.label}\" "
            f"({vn.count(totals[Level.TOT])}): tối đa {vn.count(summary.quota_limit)}.")
    for unit, counts in pools(summary).items():
        org_limit = quota_limit(counts[Level.TOT], percent)
        if counts[Level.XUAT_SAC] > org_limit:
            summary.warnings.append(
                f"{vn.count(counts[Level.XUAT_SAC])} {unit} xếp loại \"{Level.XUAT_SAC.label}\", "
                f"vượt {percent}% số {unit} \"{Level.TOT.label}\" ({vn.count(counts[Level.TOT])}): "
                f"tối đa {vn.count(org_limit)}.")
    summary.warnings.extend(summary_notices(review))
    return summary


# the pools of the cap on organisations (domain §11.2: "theo đối tượng … tương đồng"): the tổ chức
# cơ sở đảng together, the chi bộ trực thuộc, the đảng bộ bộ phận
POOL_OF = {"chi_bo_co_so": "tổ chức cơ sở đảng", "dang_bo_co_so": "tổ chức cơ sở đảng",
           "chi_bo_truc_thuoc": "chi bộ", "dang_bo_bo_phan": "đảng bộ bộ phận"}


def pools(summary: Summary) -> dict[str, dict[Level, int]]:
    """The organisations counted at each level, by pool of the cap (``dang_bo.rules.organisation_pools``).

    One pool of "chi bộ" when every unit is a chi bộ trực thuộc or the rule says "together".
    """
    kinds = {line.kind for line in summary.lines}
    together = summary.review.dang_bo.rules.organisation_pools == "together" or kinds == {"chi_bo_truc_thuoc"}
    found: dict[str, dict[Level, int]] = {}
    for line in summary.lines:
        pool = ("tổ chức đảng" if len(kinds) > 1 else "chi bộ") if together else POOL_OF[line.kind]
        counts = found.setdefault(pool, dict.fromkeys(LEVELS, 0))
        if line.counted_level is not None:
            counts[line.counted_level] += 1
    return found


def units_text(lines: list[ChiBoLine]) -> str:
    """``03 đảng bộ cơ sở và 05 chi bộ trực thuộc``: the units counted by kind."""
    parts = [f"{vn.count(sum(1 for line in lines if line.kind == kind))} {label}"
             for kind, label in UNIT_KINDS.items() if any(line.kind == kind for line in lines)]
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} và {parts[-1]}"


def counted_text(line: ChiBoLine) -> str:
    """Table A's last cell: ``Hoàn thành tốt nhiệm vụ (theo quyết định của Đảng ủy)``, or no result.

    Without a result the vote and decision cells beside it say why; this one says what is not done.
    """
    if line.counted_level is None and line.reason:
        return f"Không đánh giá, xếp loại ({line.reason})"
    if line.counted_level is None:
        return f"{NO_RESULT} ({NOT_SELF})"
    return f"{line.counted_level.label} ({line.basis})"


def organisation_rows(summary: Summary) -> list[list[str]]:
    """Table A: TT, chi bộ, members, self-rating, vote, đảng ủy's decision, the level counted.

    When units of several kinds are listed, each name says its kind.
    """
    several = len({line.kind for line in summary.lines}) > 1
    rows = [[str(index), f"{line.name} ({UNIT_KINDS[line.kind]})" if several else line.name,
             vn.count(line.members), line.self_level.label, line.vote_text,
             line.decided_level.label if line.decided_level else "", counted_text(line)]
            for index, line in enumerate(summary.lines, start=1)]
    start = len(rows) + 1
    rows += [[str(index), unit.name, "", "", WITHOUT.capitalize(), "", f"{NO_RESULT} ({unit.reason})"]
             for index, unit in enumerate(summary.review.without, start=start)]
    return rows


def member_rows(summary: Summary) -> list[list[str]]:
    """Table B: per chi bộ, members, not rated, pending, rated, and count and share of each level.

    A unit of the season without a review has its row, saying so; the total counts only reviews.
    """
    groups = [(str(i), line.name, line.members, line.not_rated, line.pending, line.rated, line.counts)
              for i, line in enumerate(summary.lines, start=1)]
    rows = [_member_cells(summary, *group) for group in groups]
    for index, unit in enumerate(summary.review.without, start=len(groups) + 1):
        rows.append([str(index), unit.name, WITHOUT.capitalize(), *[""] * (3 + 2 * len(LEVELS))])
    rows.append(_member_cells(summary, "", "Tổng cộng", summary.members, summary.not_rated, summary.pending,
                              summary.rated, summary.totals))
    return rows


def _member_cells(summary: Summary, index: str, name: str, members: int, not_rated: int, pending: int,
                  rated: int, counts: dict[Level, int]) -> list[str]:
    cells = [index, name, vn.count(members), vn.count(not_rated), vn.count(pending), vn.count(rated)]
    for level in LEVELS:
        cells += [vn.count(counts[level]), summary.pct(counts[level], rated)]
    return cells


def decided_lines(summary: Summary) -> list[str]:
    """Under table B, when the đảng ủy decided on members: the decided result beside the proposal.

    One line per member it decided (proposal → decision, and its note), then the đảng bộ's
    result by the decisions, each level over its denominator (members at a level).
    """
    changes = [(line.name, *change) for line in summary.lines for change in line.member_changes]
    if not changes:
        return []
    lines = ["Đảng ủy quyết định xếp loại đảng viên sau xem xét (khác hoặc xác nhận mức chi bộ đề nghị):"]
    for chi_bo, member, proposed, decided, note in changes:
        was = proposed.label if proposed is not None else NO_RESULT.lower()
        lines.append(f"- Đồng chí {member} ({chi_bo}): chi bộ đề nghị \"{was}\"; Đảng ủy quyết định "
                     f"\"{decided.label}\"" + (f" – {note}" if note else "") + ".")
    totals = {level: sum(line.decided_counts[level] for line in summary.lines) for level in LEVELS}
    rated = sum(line.decided_rated for line in summary.lines)
    parts = [f"{SHORT[level]} {vn.ratio(totals[level], rated)} ({summary.pct(totals[level], rated)})"
             for level in LEVELS]
    lines.append("Kết quả theo quyết định của Đảng ủy (đề nghị của chi bộ ở bảng trên): "
                 + "; ".join(parts) + " đảng viên được xếp loại.")
    return lines


def _standing(summary: Summary, counts: dict[Level, int], rated: int, unit: str) -> str:
    """"Hoàn thành tốt nhiệm vụ trở lên: X/Y (…%), trong đó …": every denominator named.

    With nothing rated there is nothing to divide: said in words, never ``00/00``.
    """
    if rated == 0:
        return f"chưa có {unit} nào được xếp loại (không tính tỷ lệ)."
    good, best = sum(counts[level] for level in GOOD_OR_BETTER), counts[Level.XUAT_SAC]
    return (f"{Level.TOT.label} trở lên: {vn.ratio(good, rated)} {unit} được xếp loại "
            f"({summary.pct(good, rated)}), trong đó {Level.XUAT_SAC.label}: {vn.count(best)} {unit} "
            f"({summary.pct(best, good)} số {unit} hoàn thành tốt nhiệm vụ trở lên; "
            f"{summary.pct(best, rated)} số {unit} được xếp loại).")


def organisation_totals(summary: Summary) -> list[str]:
    """Under table A: how many chi bộ have a result, each level's share of them, HTT trở lên."""
    count, rated = len(summary.lines) + len(summary.review.without), summary.rated_chi_bo
    if {line.kind for line in summary.lines} <= {"chi_bo_truc_thuoc"}:
        head = f"Tổng số chi bộ: {vn.count(count)}; được xếp loại: {vn.count(rated)}"
    else:
        head = (f"Tổng số tổ chức đảng: {vn.count(count)} ({units_text(summary.lines)}); được xếp loại: "
                f"{vn.count(rated)}")
    pending = [line.name for line in summary.lines if line.counted_level is None and not line.reason]
    pending += [unit.name for unit in summary.review.without]
    excused = [f"{line.name}: {line.reason}" for line in summary.lines
               if line.counted_level is None and line.reason]
    if excused:
        head += f"; không đánh giá, xếp loại: {vn.count(len(excused))} ({'; '.join(excused)})"
    head += f"; chưa có kết quả: {vn.count(len(pending))} ({', '.join(pending)})." if pending else "."
    if summary.review.without:
        head += (f" Chưa có báo cáo: {vn.count(len(summary.review.without))} "
                 f"({', '.join(unit.name for unit in summary.review.without)}).")
    levels = [f"{level.label}: {vn.ratio(summary.organisations[level], rated)} chi bộ được xếp loại "
              f"({summary.pct(summary.organisations[level], rated)});" for level in LEVELS]
    unit = "chi bộ" if {line.kind for line in summary.lines} <= {"chi_bo_truc_thuoc"} else "tổ chức đảng"
    levels = [line.replace(" chi bộ được xếp loại", f" {unit} được xếp loại")
              for line in levels] if rated else []
    by_kind = []
    if len({line.kind for line in summary.lines}) > 1:
        for pool, counts in pools(summary).items():
            members = [line for line in summary.lines if POOL_OF[line.kind] == pool]
            pool_rated = sum(counts.values())
            by_kind.append(f"Trong đó {pool} ({units_text(members)}): " + _standing(
                summary, counts, pool_rated, pool))
    sources = [f"Số liệu: {source}" for source in summary.review.sources]
    standing = _standing(summary, summary.organisations, rated, unit)
    return [head, *levels, standing[0].upper() + standing[1:], *by_kind, *sources]


def member_totals(summary: Summary) -> str:
    """Under table B: HTT trở lên and its "trong đó" part for the đảng viên."""
    standing = _standing(summary, summary.totals, summary.rated, "đảng viên")
    return standing[0].upper() + standing[1:]


def quota_line(summary: Summary) -> str:
    """The đảng bộ-level quota check, its denominator stated."""
    xs, good = summary.totals[Level.XUAT_SAC], summary.totals[Level.TOT]
    verdict = "đạt" if xs <= summary.quota_limit else "vượt"
    if good == 0:
        return (f"Số đảng viên \"{Level.XUAT_SAC.label}\": {vn.count(xs)}; không có đảng viên "
                f"\"{Level.TOT.label}\" để tính giới hạn {summary.quota_percent}% (tối đa "
                f"{vn.count(summary.quota_limit)}): {verdict}.")
    return (f"Số đảng viên \"{Level.XUAT_SAC.label}\" so với số đảng viên \"{Level.TOT.label}\": "
            f"{vn.ratio(xs, good)} ({summary.pct(xs, good)}); giới hạn {summary.quota_percent}% số đảng "
            f"viên \"{Level.TOT.label}\" (tối đa {vn.count(summary.quota_limit)}): {verdict}.")
