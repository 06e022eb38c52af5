"""Every figure a document prints, computed from the meeting data and never copied from it.

``compute(meeting)`` turns data that passed ``service.checks.problems`` into ``Figures``:
attendance, who may vote, the ballots, the tallies, each member's resulting level and the
chi bộ's, and the warnings the secretary must see. Pure: no I/O, no clock, no
configuration beyond the meeting's own ``rules``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from service.meetings.checks import chi_bo_total, is_voter, member_total
from service.meetings.dates import notices
from service.meetings.rules import MONTHLY_GUIDANCE, Regime, regime_for
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
from service.meetings.vnformat import count, ratio, short_date

EXEMPT_REASON = "được miễn công tác và sinh hoạt đảng"
VOTES_PENDING = "chưa nhập số phiếu"  # in every warning about votes not entered (lower case)


class Standing(StrEnum):
    """Where a member stands in this review; every member of the list has exactly one."""

    RATED = "rated"  # a rating with votes; ``result`` is None when no level reached the threshold
    NO_VOTES = "no_votes"  # a rating (self-rating) but no vote entered yet
    MISSING = "missing"  # to be rated, but the data has no rating and no reason
    NOT_RATED = "not_rated"  # not rated this year, for a stated reason (or exempt)


@dataclass(frozen=True)
class MemberResult:
    """A member, their rating (None when the data has none), total score and resulting level."""

    member: Member
    rating: MemberRating | None
    result: Level | None
    score: Decimal | None = None

    @property
    def standing(self) -> Standing:
        """Rated, waiting for votes, missing from the data, or not rated for a reason."""
        if self.rating is not None:
            return Standing.RATED if self.rating.votes.total else Standing.NO_VOTES
        if self.reason is not None:
            return Standing.NOT_RATED
        return Standing.MISSING

    @property
    def reason(self) -> str | None:
        """Why a member without a rating is not rated: the reason given, or the exemption."""
        if self.rating is not None:
            return None
        if self.member.not_rated_reason:
            return self.member.not_rated_reason
        return EXEMPT_REASON if self.member.attendance is Attendance.EXEMPT else None

    @property
    def on_ballot(self) -> bool:
        """Whether the member is to be rated at this meeting (listed on the ballot, has a Mẫu 02)."""
        return self.standing is not Standing.NOT_RATED


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
    chi_bo_votes: int
    quota_limit: int
    chi_bo_reason: str | None = None  # why the chi bộ itself is not rated this year
    quota_warning: str | None = None
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

    def standing(self, standing: Standing) -> list[MemberResult]:
        """The members in *standing*, in the order of the members list."""
        return [item for item in self.member_results if item.standing is standing]

    @property
    def evaluated(self) -> int:
        """Members whose votes were entered: the whole the shares of each level are taken of."""
        return len(self.standing(Standing.RATED))

    @property
    def to_rate(self) -> list[MemberResult]:
        """The members to be rated at this meeting: everyone but those not rated for a reason."""
        return [item for item in self.member_results if item.on_ballot]

    @property
    def possible_votes(self) -> int:
        """Ballots that could carry a vote on each member and on the chi bộ: the valid ones."""
        return self.ballots.valid

    def short(self, counted: int) -> int:
        """How many of the possible votes a tally of *counted* (votes entered) lacks; 0 when none."""
        return max(self.possible_votes - counted, 0) if counted else 0

    @property
    def votes_entered(self) -> bool:
        """Whether any vote at all, on a member or on the chi bộ, is in the data."""
        return self.chi_bo_votes > 0 or any(item.standing is Standing.RATED for item in self.member_results)


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
    results = []
    for member in base.members:
        rating = ratings.get(member.key)
        level = resulting_level(rating.votes, denominator, rule) if rating else None
        results.append(MemberResult(member, rating, level, member_total(rating) if rating else None))
    chi_bo_votes = meeting.chi_bo_rating.votes
    chi_bo = resulting_level(chi_bo_votes, denominator, rule)
    proposed = dict.fromkeys(LEVELS, 0)
    for item in results:
        if item.result is not None:
            proposed[item.result] += 1
    limit = quota_limit(proposed[Level.TOT], rule.quota_percent)
    quota = None
    if proposed[Level.XUAT_SAC] > limit:
        quota = (
            f"Số đảng viên được đề nghị \"{Level.XUAT_SAC.label}\" ({count(proposed[Level.XUAT_SAC])}) "
            f"vượt {rule.quota_percent}% số đảng viên \"{Level.TOT.label}\" "
            f"({count(proposed[Level.TOT])}): tối đa {count(limit)}; cấp có thẩm quyền xem xét, quyết định."
        )
    figures = Figures(
        **vars(base), regime=regime_for(meeting.review_year), ballots=ballots,
        denominator=denominator, member_results=results, chi_bo_result=chi_bo,
        chi_bo_score=chi_bo_total(meeting), chi_bo_votes=chi_bo_votes.total, quota_limit=limit,
        quota_warning=quota, chi_bo_reason=meeting.chi_bo_rating.not_rated_reason,
    )
    figures.warnings.extend(_warnings(figures, meeting))
    figures.warnings.extend(notices(meeting))
    return figures


def _warnings(figures: Figures, meeting: Meeting) -> list[str]:
    """What the secretary must see before signing, one line each, in the order of the list."""
    found = []
    if not figures.votes_entered:
        found.append("Chưa nhập số phiếu của chi bộ và của đảng viên nào: các bảng kết quả để trống "
                     "ô số phiếu, ghi \"Chưa nhập số phiếu\".")
    for item in figures.member_results:
        name = item.member.name
        if item.standing is Standing.MISSING:
            found.append(f"Đồng chí {name} chưa có kết quả đánh giá, xếp loại và không có lý do "
                         "không đánh giá, xếp loại (mới kết nạp, ốm đau dài ngày…): hãy nhập kết quả hoặc "
                         "lý do.")
        elif item.standing is Standing.NO_VOTES and figures.votes_entered:
            found.append(f"Đồng chí {name}: chưa nhập số phiếu.")
        elif item.standing is Standing.RATED and item.result is None:
            found.append(f"Đồng chí {name}: không mức nào đạt ngưỡng số phiếu theo quy tắc.")
        if item.rating is not None and figures.short(item.rating.votes.total):
            found.append(f"Đồng chí {name}: {shortfall(item.rating.votes.total, figures.possible_votes)}")
        if item.rating is not None and item.member.attendance is Attendance.EXEMPT:
            found.append(f"Đồng chí {name} được miễn công tác và sinh hoạt đảng nhưng có kết quả đánh "
                         "giá, xếp loại: kiểm tra lại (đảng viên được miễn thường không đánh giá, "
                         "xếp loại; nếu vậy, bỏ kết quả đánh giá của đồng chí).")
    if figures.chi_bo_reason:
        if figures.chi_bo_votes:
            found.append("Chi bộ có lý do không đánh giá, xếp loại nhưng lại có số phiếu: kiểm tra lại.")
    elif figures.chi_bo_votes == 0:
        if figures.votes_entered:
            found.append("Chi bộ: chưa nhập số phiếu đánh giá, xếp loại chất lượng chi bộ.")
    elif figures.chi_bo_result is None:
        found.append("Chi bộ: không mức nào đạt ngưỡng số phiếu theo quy tắc.")
    if figures.short(figures.chi_bo_votes):
        found.append(f"Phiếu đánh giá chi bộ: {shortfall(figures.chi_bo_votes, figures.possible_votes)}")
    found += minutes_vote_warnings(meeting, figures.voters_present)
    if figures.ballots.assumed and meeting.rules.denominator == "valid_ballots":
        found.append("Tỷ lệ tính trên số phiếu hợp lệ nhưng chưa nhập kiểm phiếu (số phiếu phát ra, thu "
                     "vào, hợp lệ): "
                     "tạm lấy số đảng viên chính thức có mặt làm số phiếu hợp lệ.")
    if figures.quota_warning:
        found.append(figures.quota_warning)
    return found


def shortfall(counted: int, possible: int, *, what: str = "phiếu hợp lệ") -> str:
    """``ghi nhận 06/10 phiếu hợp lệ, thiếu 04 phiếu: …``: a tally that falls short, said so."""
    return (f"ghi nhận {ratio(counted, possible)} {what}, thiếu {count(possible - counted)}: kiểm tra "
            "lại số phiếu đã nhập (phiếu để trống, phiếu chưa nhập).")


def hands_short(counted: int, voters: int) -> str:
    """``10/19 đảng viên chính thức có mặt biểu quyết, thiếu 09 …``: a show of hands that falls short."""
    return (f"{ratio(counted, voters)} đảng viên chính thức có mặt biểu quyết (tán thành, không tán "
            f"thành, ý kiến khác), thiếu {count(voters - counted)} đồng chí: kiểm tra lại số biểu quyết.")


def minutes_vote_warnings(meeting: AnnualReview | MonthlyMeeting, voters: int) -> list[str]:
    """The vote approving the minutes, when it counts fewer hands than official members present."""
    vote = meeting.minutes_vote
    if vote is None or vote.agree + vote.disagree >= voters:
        return []
    return [f"Biểu quyết thông qua biên bản: {hands_short(vote.agree + vote.disagree, voters)}"]


def resolution_votes(meeting: MonthlyMeeting) -> list[tuple[str, int]]:
    """Each show of hands on a resolution: its name and how many hands were counted."""
    votes = [(f"Nghị quyết {index}", r.agree + r.disagree + r.other)
             for index, r in enumerate(meeting.resolutions, start=1)]
    if meeting.resolution is not None:
        vote = meeting.resolution.vote
        votes.append(("Nghị quyết tháng", vote.agree + vote.disagree + vote.other))
    return votes


@dataclass(frozen=True)
class MonthlyFigures(Presence):
    """The computed figures of a monthly meeting."""

    warnings: list[str] = field(default_factory=list)


def compute_monthly(meeting: MonthlyMeeting) -> MonthlyFigures:
    """Attendance and voting rights of a monthly meeting, and what falls short of HD 42."""
    base = presence(meeting.members)
    short = [f"{name}: {hands_short(cast, base.voters_present)}"
             for name, cast in resolution_votes(meeting) if cast < base.voters_present]
    return MonthlyFigures(**vars(base), warnings=short + minutes_vote_warnings(meeting, base.voters_present)
                          + monthly_warnings(meeting) + notices(meeting))


def monthly_warnings(meeting: MonthlyMeeting) -> list[str]:
    """A meeting shorter than the minimum, materials posted too late; none before the directive."""
    if not meeting.follows_directive:
        return []
    rules, warnings = meeting.rules, []
    minimum = rules.min_minutes_combined if meeting.combined_thematic else rules.min_minutes
    if meeting.minutes < minimum:
        when, label = ((" khi sinh hoạt thường kỳ kết hợp sinh hoạt chuyên đề", " khi kết hợp chuyên đề")
                       if meeting.combined_thematic else ("", ""))
        warnings.append(f"Buổi sinh hoạt kéo dài {meeting.minutes} phút, dưới mức tối thiểu {minimum} "
                        f"phút{when} ({MONTHLY_GUIDANCE}); nếu cấp ủy cấp trên quy định mức khác cho chi "
                        f"bộ ít đảng viên, ghi mức đó vào quy tắc \"Thời lượng tối thiểu{label}\".")
    posted = meeting.preparation.materials_posted if meeting.preparation else None
    if posted is not None and (meeting.start.date() - posted).days < rules.materials_days_before:
        warnings.append(f"Tài liệu sinh hoạt đăng trên Sổ tay đảng viên điện tử ngày {short_date(posted)}, "
                        f"chưa đủ {count(rules.materials_days_before)} ngày trước buổi sinh hoạt "
                        f"({MONTHLY_GUIDANCE}).")
    return warnings


def figures_for(meeting: AnnualReview | MonthlyMeeting) -> Figures | MonthlyFigures:
    """The figures of either kind of meeting."""
    if isinstance(meeting, MonthlyMeeting):
        return compute_monthly(meeting)
    return compute(meeting)
