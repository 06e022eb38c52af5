"""Every figure a document prints, computed from the meeting data and never copied from it.

``problems(meeting)`` lists everything that does not add up (all at once, each with the
path of its field); ``compute(meeting)`` turns valid data into ``Figures``: attendance,
who may vote, the tallies, each member's resulting level and the chi bộ's. Pure: no I/O,
no clock, no configuration beyond the meeting's own ``rules``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from service.errors import FieldProblem
from service.schemas import (
    LEVELS,
    Attendance,
    Level,
    Meeting,
    Member,
    MemberRating,
    Membership,
    VoteRule,
    Votes,
)
from service.vnformat import count


@dataclass(frozen=True)
class MemberResult:
    """A member, their rating (None when the data has none) and the level the votes give."""

    member: Member
    rating: MemberRating | None
    result: Level | None


@dataclass(frozen=True)
class Figures:
    """The computed figures of one annual review meeting."""

    members: list[Member]
    present: list[Member]
    absent: list[Member]
    exempt: list[Member]
    official: list[Member]
    probationary: list[Member]
    voters_present: int
    voters_all: int
    denominator: int
    member_results: list[MemberResult]
    chi_bo_result: Level | None
    warnings: list[str] = field(default_factory=list)

    @property
    def summoned(self) -> int:
        """Members called to the meeting: everyone not exempt from party activity."""
        return len(self.members) - len(self.exempt)

    def proposals(self) -> dict[Level, int]:
        """How many members the votes put at each level."""
        counts = dict.fromkeys(LEVELS, 0)
        for item in self.member_results:
            if item.result is not None:
                counts[item.result] += 1
        return counts


def is_voter(member: Member) -> bool:
    """Only đảng viên chính thức vote (Điều lệ Đảng, Điều 3): dự bị members are rated only."""
    return member.membership is Membership.CHINH_THUC


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


def problems(meeting: Meeting) -> list[FieldProblem]:
    """Everything in *meeting* that does not add up, each naming its field."""
    found: list[FieldProblem] = []
    if meeting.end <= meeting.start:
        found.append(FieldProblem("end", "Thời gian kết thúc phải sau thời gian bắt đầu."))
    keys: dict[str, int] = {}
    for index, member in enumerate(meeting.members):
        where = f"members[{index}].{'id' if member.id else 'name'}"
        if member.key in keys:
            found.append(FieldProblem(where, f"Đảng viên '{member.key}' bị trùng với "
                                             f"members[{keys[member.key]}]; hãy ghi mã (id) riêng."))
        keys.setdefault(member.key, index)
    voters = sum(1 for m in meeting.members if is_voter(m) and m.attendance is Attendance.PRESENT)
    present = sum(1 for m in meeting.members if m.attendance is Attendance.PRESENT)
    rated: dict[str, int] = {}
    for index, rating in enumerate(meeting.ratings):
        if rating.member not in keys:
            found.append(FieldProblem(f"ratings[{index}].member",
                                      f"Không có đảng viên '{rating.member}' trong danh sách members."))
        elif rating.member in rated:
            found.append(FieldProblem(f"ratings[{index}].member",
                                      f"Đảng viên '{rating.member}' đã có kết quả ở "
                                      f"ratings[{rated[rating.member]}]."))
        rated.setdefault(rating.member, index)
        found.extend(_vote_problems(rating.votes, voters, f"ratings[{index}].votes"))
    found.extend(_vote_problems(meeting.chi_bo_rating.votes, voters, "chi_bo_rating.votes"))
    if meeting.minutes_vote is not None:
        cast = meeting.minutes_vote.agree + meeting.minutes_vote.disagree
        if cast > present:
            found.append(FieldProblem("minutes_vote", f"Số biểu quyết ({cast}) nhiều hơn số "
                                                      f"đảng viên có mặt ({present})."))
    found.extend(_check_problems(meeting, present, voters))
    return found


def _vote_problems(votes: Votes, voters: int, where: str) -> list[FieldProblem]:
    if votes.total <= voters:
        return []
    return [FieldProblem(where, f"Tổng số phiếu ({votes.total}) nhiều hơn số đảng viên chính "
                                f"thức có mặt được biểu quyết ({voters}).")]


def _check_problems(meeting: Meeting, present: int, voters: int) -> list[FieldProblem]:
    check = meeting.check
    if check is None:
        return []
    found = []
    pairs = (("member_count", check.member_count, len(meeting.members), "tổng số đảng viên"),
             ("present_count", check.present_count, present, "số đảng viên có mặt"),
             ("voter_count", check.voter_count, voters, "số đảng viên có quyền biểu quyết có mặt"))
    for name, typed, computed, what in pairs:
        if typed is not None and typed != computed:
            found.append(FieldProblem(f"check.{name}", f"Ghi {typed} nhưng danh sách đảng viên cho "
                                                       f"{what} là {computed}."))
    return found


def compute(meeting: Meeting) -> Figures:
    """The figures of a meeting that has passed ``problems`` without any."""
    members = list(meeting.members)
    present = [m for m in members if m.attendance is Attendance.PRESENT]
    exempt = [m for m in members if m.attendance is Attendance.EXEMPT]
    voters_present = sum(1 for m in present if is_voter(m))
    voters_all = sum(1 for m in members if is_voter(m) and m.attendance is not Attendance.EXEMPT)
    rule = meeting.rules
    denominator = voters_present if rule.denominator == "present_voters" else voters_all
    ratings = {r.member: r for r in meeting.ratings}
    results = []
    warnings = []
    for member in members:
        rating = ratings.get(member.key)
        level = resulting_level(rating.votes, denominator, rule) if rating else None
        if rating is None and member.attendance is not Attendance.EXEMPT:
            warnings.append(f"Đồng chí {member.name} chưa có kết quả đánh giá, xếp loại.")
        elif rating is not None and level is None:
            warnings.append(f"Đồng chí {member.name}: không mức nào đạt ngưỡng số phiếu theo quy tắc.")
        results.append(MemberResult(member, rating, level))
    chi_bo = resulting_level(meeting.chi_bo_rating.votes, denominator, rule)
    if chi_bo is None:
        warnings.append("Chi bộ: không mức nào đạt ngưỡng số phiếu theo quy tắc.")
    figures = Figures(
        members=members,
        present=present,
        absent=[m for m in members if m.attendance is Attendance.ABSENT],
        exempt=exempt,
        official=[m for m in members if is_voter(m)],
        probationary=[m for m in members if not is_voter(m)],
        voters_present=voters_present,
        voters_all=voters_all,
        denominator=denominator,
        member_results=results,
        chi_bo_result=chi_bo,
        warnings=warnings,
    )
    proposals = figures.proposals()
    limit = quota_limit(proposals[Level.TOT])
    if proposals[Level.XUAT_SAC] > limit:
        warnings.append(
            f"Số đảng viên được đề nghị \"{Level.XUAT_SAC.label}\" ({count(proposals[Level.XUAT_SAC])}) "
            f"vượt 20% số đảng viên \"{Level.TOT.label}\" ({count(proposals[Level.TOT])}); "
            f"tối đa {count(limit)} theo quy định, cấp trên sẽ xem xét."
        )
    return figures
