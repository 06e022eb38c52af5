"""Every figure a document prints, computed from the meeting data and never copied from it.

``compute(meeting)`` turns data that passed ``service.checks.problems`` into ``Figures``:
attendance, who may vote, the ballots, the tallies, each member's resulting level and the
chi bộ's, and the warnings the secretary must see. Pure: no I/O, no clock, no
configuration beyond the meeting's own ``rules``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from service.meetings.checks import chi_bo_total, is_voter, member_total
from service.meetings.dates import notices
from service.meetings.rules import Regime, regime_for
from service.meetings.schemas import (
    LEVELS,
    AnnualReview,
    Attendance,
    Level,
    Meeting,
    Member,
    MemberRating,
    MonthlyMeeting,
    VoteRule,
    Votes,
)
from service.meetings.vnformat import count


@dataclass(frozen=True)
class MemberResult:
    """A member, their rating (None when the data has none), total score and resulting level."""

    member: Member
    rating: MemberRating | None
    result: Level | None
    score: Decimal | None = None


@dataclass(frozen=True)
class Presence:
    """Who belongs to the meeting, who came and who may vote."""

    members: list[Member]
    present: list[Member]
    absent: list[Member]
    exempt: list[Member]
    official: list[Member]
    probationary: list[Member]
    voters_present: int
    voters_all: int

    @property
    def summoned(self) -> int:
        """Members called to the meeting: everyone not exempt from party activity."""
        return len(self.members) - len(self.exempt)


@dataclass(frozen=True)
class Ballots:
    """The ballots of the secret vote; ``assumed`` when the data gave no count."""

    issued: int
    returned: int
    invalid: int
    assumed: bool

    @property
    def valid(self) -> int:
        """Returned ballots that count."""
        return self.returned - self.invalid


@dataclass(frozen=True)
class Figures(Presence):
    """The computed figures of one annual review meeting."""

    regime: Regime
    ballots: Ballots
    denominator: int
    member_results: list[MemberResult]
    chi_bo_result: Level | None
    chi_bo_score: Decimal | None
    quota_limit: int
    warnings: list[str] = field(default_factory=list)

    def proposals(self) -> dict[Level, int]:
        """How many members the votes put at each level."""
        counts = dict.fromkeys(LEVELS, 0)
        for item in self.member_results:
            if item.result is not None:
                counts[item.result] += 1
        return counts

    @property
    def rated(self) -> int:
        """Members with a rating in the data."""
        return sum(1 for item in self.member_results if item.rating is not None)


def presence(members: list[Member]) -> Presence:
    """Attendance and voting rights of *members*."""
    present = [m for m in members if m.attendance is Attendance.PRESENT]
    return Presence(
        members=list(members),
        present=present,
        absent=[m for m in members if m.attendance is Attendance.ABSENT],
        exempt=[m for m in members if m.attendance is Attendance.EXEMPT],
        official=[m for m in members if is_voter(m)],
        probationary=[m for m in members if not is_voter(m)],
        voters_present=sum(1 for m in present if is_voter(m)),
        voters_all=sum(1 for m in members if is_voter(m) and m.attendance is not Attendance.EXEMPT),
    )


def resulting_level(votes: Votes, denominator: int, rule: VoteRule) -> Level | None:
    """The level the votes give under *rule*, or None when no level qualifies."""
    if denominator <= 0 or votes.total == 0:
        return None
    if rule.method == "plurality":
        best = max(votes.for_level(level) for level in LEVELS)
        # on a tie the lower level wins: a tie is not a mandate for the higher one
        return [level for level in LEVELS if votes.for_level(level) == best][-1]
    cumulative = 0
    for level in LEVELS:
        # a ballot for a higher level also supports every level below it
        cumulative += votes.for_level(level)
        if _passes(cumulative, denominator, rule):
            return level
    return None


def _passes(votes: int, denominator: int, rule: VoteRule) -> bool:
    share = Fraction(votes, denominator)
    return share > rule.threshold if rule.strictly_above else share >= rule.threshold


def quota_limit(good: int, percent: int = 20) -> int:
    """The most "xuất sắc" ratings allowed for *good* "tốt" ratings (20%, rounded down)."""
    return good * percent // 100


def compute(meeting: Meeting) -> Figures:
    """The figures of a meeting that has passed ``service.checks.problems``."""
    base = presence(meeting.members)
    count_ = meeting.ballot_count
    ballots = (Ballots(count_.issued, count_.returned, count_.invalid, assumed=False) if count_
               else Ballots(base.voters_present, base.voters_present, 0, assumed=True))
    rule = meeting.rules
    denominator = {"present_voters": base.voters_present, "all_voters": base.voters_all,
                   "valid_ballots": ballots.valid}[rule.denominator]
    ratings = {r.member: r for r in meeting.ratings}
    results, warnings = [], []
    for member in base.members:
        rating = ratings.get(member.key)
        level = resulting_level(rating.votes, denominator, rule) if rating else None
        if rating is None and member.attendance is not Attendance.EXEMPT:
            warnings.append(f"Đồng chí {member.name} chưa có kết quả đánh giá, xếp loại.")
        elif rating is not None and level is None:
            warnings.append(f"Đồng chí {member.name}: không mức nào đạt ngưỡng số phiếu theo quy tắc.")
        results.append(MemberResult(member, rating, level, member_total(rating) if rating else None))
    chi_bo = resulting_level(meeting.chi_bo_rating.votes, denominator, rule)
    if chi_bo is None:
        warnings.append("Chi bộ: không mức nào đạt ngưỡng số phiếu theo quy tắc.")
    proposed = dict.fromkeys(LEVELS, 0)
    for item in results:
        if item.result is not None:
            proposed[item.result] += 1
    limit = quota_limit(proposed[Level.TOT], rule.quota_percent)
    if proposed[Level.XUAT_SAC] > limit:
        warnings.append(
            f"Số đảng viên được đề nghị \"{Level.XUAT_SAC.label}\" ({count(proposed[Level.XUAT_SAC])}) "
            f"vượt {rule.quota_percent}% số đảng viên \"{Level.TOT.label}\" "
            f"({count(proposed[Level.TOT])}): tối đa {count(limit)}; cấp có thẩm quyền xem xét, quyết định."
        )
    warnings += notices(meeting)
    return Figures(
        **vars(base), regime=regime_for(meeting.review_year), ballots=ballots,
        denominator=denominator, member_results=results, chi_bo_result=chi_bo,
        chi_bo_score=chi_bo_total(meeting), quota_limit=limit, warnings=warnings,
    )


@dataclass(frozen=True)
class MonthlyFigures(Presence):
    """The computed figures of a monthly meeting."""

    warnings: list[str] = field(default_factory=list)


def compute_monthly(meeting: MonthlyMeeting) -> MonthlyFigures:
    """Attendance and voting rights of a monthly meeting."""
    return MonthlyFigures(**vars(presence(meeting.members)), warnings=notices(meeting))


def figures_for(meeting: AnnualReview | MonthlyMeeting) -> Figures | MonthlyFigures:
    """The figures of either kind of meeting."""
    if isinstance(meeting, MonthlyMeeting):
        return compute_monthly(meeting)
    return compute(meeting)
