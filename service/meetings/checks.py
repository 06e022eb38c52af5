"""Everything in meeting data that does not add up, each problem naming its field.

Run after the schema has parsed and before anything is queued or rendered; all problems
come back at once. Pure: no I/O.
"""

from __future__ import annotations

from decimal import Decimal

from service.errors import FieldProblem
from service.meetings import dates
from service.meetings.dates import Calendar
from service.meetings.rules import level_for_score, regime_for, score_contradicts
from service.meetings.schemas import AnnualReview, Attendance, DangBoReview, Member, MonthlyMeeting, Votes
from service.meetings.schemas.annual import MemberRating
from service.meetings.schemas.dang_bo import is_committee
from service.meetings.vnformat import short_date


def is_voter(member: Member) -> bool:
    """Only đảng viên chính thức vote (Điều lệ Đảng, Điều 3): dự bị members are rated only."""
    return member.membership.value == "chinh_thuc"


def _present(members: list[Member]) -> int:
    return sum(1 for m in members if m.attendance is Attendance.PRESENT)


def voters_present(members: list[Member]) -> int:
    """Official members at the meeting: the people who receive a ballot."""
    return sum(1 for m in members if is_voter(m) and m.attendance is Attendance.PRESENT)


def problems(meeting: AnnualReview | MonthlyMeeting | DangBoReview,
             calendar: Calendar | None = None) -> list[FieldProblem]:
    """Every inconsistency of *meeting*; dates in the future too when *calendar* says today."""
    if isinstance(meeting, DangBoReview):
        return _dang_bo(meeting, calendar)
    found = _common(meeting) + dates.problems(meeting, calendar)
    if isinstance(meeting, AnnualReview):
        found += _annual(meeting)
    else:
        found += _monthly(meeting)
    return found


def _monthly(meeting: MonthlyMeeting) -> list[FieldProblem]:
    found: list[FieldProblem] = []
    voters = voters_present(meeting.members)
    votes = [(f"resolutions[{i}]", r.agree + r.disagree + r.other) for i, r in enumerate(meeting.resolutions)]
    if meeting.resolution is not None:
        vote = meeting.resolution.vote
        votes.append(("resolution.vote", vote.agree + vote.disagree + vote.other))
    found += [FieldProblem(where, f"Số biểu quyết ({cast}) nhiều hơn số đảng viên chính thức có mặt "
                                  f"({voters}).") for where, cast in votes if cast > voters]
    if meeting.thematic_topic and not meeting.combined_thematic:
        found.append(FieldProblem("thematic_topic", "Có tên chuyên đề nhưng buổi sinh hoạt không ghi là "
                                                    "kết hợp sinh hoạt chuyên đề: hãy chọn kết hợp hoặc bỏ "
                                                    "tên chuyên đề."))
    preparation, day = meeting.preparation, meeting.start.date()
    if preparation is not None:
        for name in ("committee_met", "notified", "materials_posted"):
            when = getattr(preparation, name)
            if when is not None and when > day:
                found.append(FieldProblem(f"preparation.{name}", f"Ngày {short_date(when)} sau ngày sinh "
                                                                 f"hoạt ({short_date(day)})."))
    return found


def _dang_bo(review: DangBoReview, calendar: Calendar | None) -> list[FieldProblem]:
    found = dates.problems(review, calendar)
    committee = review.dang_bo.committee
    if committee is not None and not is_committee(committee):
        # the summary is signed "T/M ĐẢNG ỦY": its header must name the same body
        found.append(FieldProblem("dang_bo.committee", f"Tên đảng ủy \"{committee}\" phải bắt đầu bằng "
                                  "\"Đảng ủy\" (biểu tổng hợp ký T/M ĐẢNG ỦY), ví dụ \"Đảng ủy phường "
                                  "Thành Sen\"."))
    names: dict[str, int] = {}
    for index, chi_bo in enumerate(review.chi_bo):
        where = f"chi_bo[{index}]"
        found += [FieldProblem(f"{where}.{p.field}", p.detail) for p in problems(chi_bo, calendar)]
        if chi_bo.review_year != review.dang_bo.review_year:
            found.append(FieldProblem(f"{where}.review_year", f"Năm đánh giá {chi_bo.review_year} khác "
                                      f"năm của đảng bộ ({review.dang_bo.review_year})."))
        name = chi_bo.organisation.name
        if name in names:
            found.append(FieldProblem(f"{where}.organisation.name", f"Chi bộ '{name}' bị trùng với "
                                      f"chi bộ thứ {names[name] + 1} trong danh sách."))
        names.setdefault(name, index)
    for index, decision in enumerate(review.decisions):
        if decision.chi_bo not in names:
            found.append(FieldProblem(f"decisions[{index}].chi_bo",
                                      f"Không có chi bộ '{decision.chi_bo}' trong danh sách."))
    return found


def _common(meeting: AnnualReview | MonthlyMeeting) -> list[FieldProblem]:
    found: list[FieldProblem] = []
    if meeting.end <= meeting.start:
        found.append(FieldProblem("end", "Thời gian kết thúc phải sau thời gian bắt đầu."))
    keys: dict[str, int] = {}
    for index, member in enumerate(meeting.members):
        if member.key in keys:
            where = f"members[{index}].{'id' if member.id else 'name'}"
            found.append(FieldProblem(where, f"Đảng viên '{member.key}' bị trùng với "
                                             f"đảng viên thứ {keys[member.key] + 1} trong danh sách; "
                                             "hãy ghi mã đảng viên riêng."))
        keys.setdefault(member.key, index)
    present, voters = _present(meeting.members), voters_present(meeting.members)
    if meeting.minutes_vote is not None:
        cast = meeting.minutes_vote.agree + meeting.minutes_vote.disagree
        if cast > voters:
            found.append(FieldProblem("minutes_vote", f"Số biểu quyết ({cast}) nhiều hơn số đảng "
                                                      f"viên chính thức có mặt ({voters})."))
    check = meeting.check
    if check is not None:
        pairs = (("member_count", check.member_count, len(meeting.members), "tổng số đảng viên"),
                 ("present_count", check.present_count, present, "số đảng viên có mặt"),
                 ("voter_count", check.voter_count, voters, "số đảng viên có quyền biểu quyết có mặt"))
        for name, typed, computed, what in pairs:
            if typed is not None and typed != computed:
                found.append(FieldProblem(f"check.{name}", f"Ghi {typed} nhưng danh sách đảng viên "
                                                           f"cho {what} là {computed}."))
    return found


def _annual(meeting: AnnualReview) -> list[FieldProblem]:
    found: list[FieldProblem] = []
    keys = {m.key for m in meeting.members}
    excused = {m.key: index for index, m in enumerate(meeting.members) if m.not_rated_reason}
    voters = voters_present(meeting.members)
    bound, bound_name = voters, f"số đảng viên chính thức có mặt được biểu quyết ({voters})"
    count = meeting.ballot_count
    if count is not None:
        ballot_problems = _ballot_problems(count.issued, count.returned, count.invalid, voters)
        found += ballot_problems
        if not ballot_problems:
            valid = count.returned - count.invalid
            bound, bound_name = valid, f"số phiếu hợp lệ ({valid})"
    rated: dict[str, int] = {}
    scored = regime_for(meeting.review_year).scored
    for index, rating in enumerate(meeting.ratings):
        where = f"ratings[{index}]"
        if rating.member not in keys:
            found.append(FieldProblem(f"{where}.member",
                                      f"Không có đảng viên '{rating.member}' trong danh sách đảng viên."))
        elif rating.member in rated:
            found.append(FieldProblem(f"{where}.member", f"Đảng viên '{rating.member}' đã có kết quả "
                                                         f"ở dòng kết quả thứ {rated[rating.member] + 1}."))
        elif rating.member in excused:
            found.append(FieldProblem(f"{where}.member", f"Đảng viên '{rating.member}' có lý do không "
                                      f"đánh giá, xếp loại (đảng viên thứ {excused[rating.member] + 1}) "
                                      "nhưng lại có kết quả đánh giá; hãy bỏ một trong hai."))
        rated.setdefault(rating.member, index)
        found += _vote_problems(rating.votes, bound, bound_name, f"{where}.votes")
        if scored:
            found += _member_score_problems(rating, where)
    chi_bo = meeting.chi_bo_rating
    found += _vote_problems(chi_bo.votes, bound, bound_name, "chi_bo_rating.votes")
    if scored:
        found += _chi_bo_score_problems(meeting)
    else:
        found += _unscored_year(meeting)
    return found


def _unscored_year(meeting: AnnualReview) -> list[FieldProblem]:
    """Scores in a year before the 100-point scale: one message on the review year, not one per score."""
    scored = [r for r in meeting.ratings if r.scores is not None or r.self_score is not None]
    chi_bo = meeting.chi_bo_rating
    chi_bo_scored = bool(chi_bo.score_groups) or chi_bo.self_score is not None
    if not scored and not chi_bo_scored:
        return []
    held = meeting.start.date()
    whose = [f"{len(scored)} đảng viên"] if scored else []
    whose += ["chi bộ"] if chi_bo_scored else []
    hint = (f" Hội nghị họp ngày {short_date(held)}: nếu đây là kiểm điểm năm {held.year}, hãy sửa năm "
            "đánh giá." if regime_for(held.year).scored else " Hãy bỏ điểm.")
    return [FieldProblem("review_year", f"Năm đánh giá {meeting.review_year} chưa áp dụng thang điểm 100 "
                         f"(từ năm 2025) nhưng có điểm tự chấm của {' và '.join(whose)}.{hint}")]


def _ballot_problems(issued: int, returned: int, invalid: int, voters: int) -> list[FieldProblem]:
    found = []
    if issued > voters:
        found.append(FieldProblem("ballot_count.issued", f"Số phiếu phát ra ({issued}) nhiều hơn số "
                                                         f"đảng viên chính thức có mặt ({voters})."))
    if returned > issued:
        found.append(FieldProblem("ballot_count.returned", f"Số phiếu thu vào ({returned}) nhiều hơn "
                                                           f"số phiếu phát ra ({issued})."))
    if invalid > returned:
        found.append(FieldProblem("ballot_count.invalid", f"Số phiếu không hợp lệ ({invalid}) nhiều "
                                                          f"hơn số phiếu thu vào ({returned})."))
    return found


def _vote_problems(votes: Votes, bound: int, bound_name: str, where: str) -> list[FieldProblem]:
    if votes.total <= bound:
        return []
    return [FieldProblem(where, f"Tổng số phiếu ({votes.total}) nhiều hơn {bound_name}.")]


def member_total(rating: MemberRating) -> Decimal | None:
    """The member's total score: the sum of the groups when given, else the typed total."""
    if rating.scores is not None:
        return rating.scores.general + rating.scores.tasks
    return rating.self_score


def _member_score_problems(rating: MemberRating, where: str) -> list[FieldProblem]:
    found = []
    if rating.scores is not None and rating.self_score is not None:
        parts = rating.scores.general + rating.scores.tasks
        if parts != rating.self_score:
            found.append(FieldProblem(f"{where}.self_score", f"Tổng điểm ghi {rating.self_score} "
                                      f"nhưng các nhóm tiêu chí cộng lại là {parts}."))
    total = member_total(rating)
    if total is not None and score_contradicts(total, rating.self_rating,
                                               disqualified=bool(rating.disqualifying_case)):
        found.append(FieldProblem(f"{where}.self_rating", _contradiction(total, rating.self_rating.label,
                                                                         rating.disqualifying_case)))
    return found


def _contradiction(total: Decimal, label: str, case: str | None) -> str:
    if case:
        return (f"Có trường hợp không hoàn thành nhiệm vụ ({case}) nên phải tự xếp loại "
                f"\"Không hoàn thành nhiệm vụ\", không phải \"{label}\".")
    return (f"{total} điểm thuộc mức \"{level_for_score(total).label}\", không khớp với mức tự xếp "
            f"loại \"{label}\" (từ 90 điểm: xuất sắc; 70 đến dưới 90: tốt; 50 đến dưới 70: hoàn thành; "
            "dưới 50: không hoàn thành).")


def _chi_bo_score_problems(meeting: AnnualReview) -> list[FieldProblem]:
    chi_bo = meeting.chi_bo_rating
    found = []
    for index, group in enumerate(chi_bo.score_groups):
        if group.score > group.max_points:
            found.append(FieldProblem(f"chi_bo_rating.score_groups[{index}].score",
                                      f"Nhóm tiêu chí {index + 1} ({group.name}): tối đa "
                                      f"{group.max_points} điểm, ghi {group.score} điểm."))
    if chi_bo.score_groups:
        maximum = sum(g.max_points for g in chi_bo.score_groups)
        if maximum != 100:
            found.append(FieldProblem("chi_bo_rating.score_groups", f"Điểm tối đa các nhóm cộng lại "
                                      f"là {maximum}, phải là 100."))
    total = chi_bo_total(meeting)
    if chi_bo.score_groups and chi_bo.self_score is not None and total != chi_bo.self_score:
        found.append(FieldProblem("chi_bo_rating.self_score", f"Tổng điểm ghi {chi_bo.self_score} "
                                  f"nhưng các nhóm tiêu chí cộng lại là {total}."))
    if total is not None and score_contradicts(total, chi_bo.self_rating,
                                               disqualified=bool(chi_bo.disqualifying_case)):
        found.append(FieldProblem("chi_bo_rating.self_rating",
                                  _contradiction(total, chi_bo.self_rating.label, chi_bo.disqualifying_case)))
    return found


def chi_bo_total(meeting: AnnualReview) -> Decimal | None:
    """The chi bộ's total score: the sum of its groups when given, else the typed total."""
    groups = meeting.chi_bo_rating.score_groups
    if groups:
        return sum((g.score for g in groups), Decimal(0))
    return meeting.chi_bo_rating.self_score
