"""The arithmetic of a meeting: attendance, voters, tallies and resulting levels."""

from __future__ import annotations

from service.meetings.figures import EXEMPT_REASON, Standing, compute, quota_limit, resulting_level
from service.meetings.schemas import Level, Meeting, VoteRule, Votes
from tests.support.factories import meeting_payload, small_meeting

RULE = VoteRule()


def _meeting(data):
    return Meeting.model_validate(data)


def test_sample_figures():
    """The sample: 12 members, 11 present, 9 official members present vote."""
    figures = compute(_meeting(meeting_payload()))
    assert len(figures.members) == 12
    assert len(figures.present) == 11
    assert figures.voters_present == 9
    assert figures.denominator == 9
    assert figures.chi_bo_result is Level.TOT
    assert figures.proposals()[Level.XUAT_SAC] == 1


def test_probationary_members_do_not_vote():
    """Dự bị members count as present but not as voters."""
    data = small_meeting(
        members=[{"name": "A"}, {"name": "B", "membership": "du_bi"}],
        ratings=[{"member": "B", "self_rating": "tot", "votes": {"tot": 1}}],
        chi_bo_votes={"tot": 1},
    )
    figures = compute(_meeting(data))
    assert figures.voters_present == 1
    assert figures.member_results[1].result is Level.TOT


def test_majority_is_cumulative_from_the_top():
    """4 XS + 4 Tốt of 8: XS has only half, so the member is rated Tốt (8/8 at Tốt or above)."""
    votes = Votes(xuat_sac=4, tot=4)
    assert resulting_level(votes, 8, RULE) is Level.TOT


def test_majority_needs_more_than_half():
    """5 of 8 for XS is more than half."""
    assert resulting_level(Votes(xuat_sac=5, tot=3), 8, RULE) is Level.XUAT_SAC


def test_exactly_half_is_not_enough_when_strict():
    """'Quá một nửa': 4 of 8 does not pass; with strictly_above off it does."""
    votes = Votes(xuat_sac=4, hoan_thanh=4)
    assert resulting_level(votes, 8, RULE) is Level.HOAN_THANH
    lenient = VoteRule(strictly_above=False)
    assert resulting_level(votes, 8, lenient) is Level.XUAT_SAC


def test_plurality_tie_goes_to_the_lower_level():
    """Under the plurality rule a tie is not a mandate for the higher level."""
    rule = VoteRule(method="plurality")
    assert resulting_level(Votes(xuat_sac=3, tot=3), 6, rule) is Level.TOT


def test_two_thirds_threshold():
    """A 2/3 threshold (the old HD 07 rule for XS) is a setting."""
    rule = VoteRule(threshold="2/3", strictly_above=False)
    assert resulting_level(Votes(xuat_sac=6, tot=3), 9, rule) is Level.XUAT_SAC
    assert resulting_level(Votes(xuat_sac=5, tot=4), 9, rule) is Level.TOT


def test_zero_voters_gives_no_level():
    """With nobody entitled to vote, no level can be reached."""
    assert resulting_level(Votes(), 0, RULE) is None


def test_too_few_votes_gives_no_level():
    """2 ballots out of 9 voters reach no majority at any level."""
    assert resulting_level(Votes(tot=2), 9, RULE) is None


def test_single_member_chi_bo():
    """A one-member chi bộ: the member's own vote is 1/1."""
    data = small_meeting(members=[{"name": "A"}],
                         ratings=[{"member": "A", "self_rating": "tot", "votes": {"tot": 1}}],
                         chi_bo_votes={"tot": 1})
    figures = compute(_meeting(data))
    assert figures.member_results[0].result is Level.TOT
    assert figures.chi_bo_result is Level.TOT


def test_denominator_can_be_all_summoned_voters():
    """With denominator all_voters an absent official member counts against the majority."""
    members = [{"name": "A"}, {"name": "B"}, {"name": "C", "attendance": "absent"},
               {"name": "D", "attendance": "absent"}]
    ratings = [{"member": "A", "self_rating": "tot", "votes": {"tot": 2}}]
    data = small_meeting(members=members, ratings=ratings, chi_bo_votes={"tot": 2},
                         rules={"denominator": "all_voters"})
    figures = compute(_meeting(data))
    assert figures.denominator == 4
    assert figures.member_results[0].result is None


def test_exempt_members_are_not_summoned():
    """Members exempt from party activity are neither present nor absent."""
    members = [{"name": "A"}, {"name": "B", "attendance": "exempt"}]
    data = small_meeting(members=members, ratings=[], chi_bo_votes={"tot": 1})
    figures = compute(_meeting(data))
    assert figures.summoned == 1
    assert figures.voters_all == 1


def test_quota_limit_rounds_down():
    """18 'tốt' allow 3 'xuất sắc' (3,6 → 3); 10 allow exactly 2."""
    assert quota_limit(18) == 3
    assert quota_limit(10) == 2


def test_over_quota_is_a_warning_not_a_change():
    """Proposing 2 XS against 1 Tốt warns and keeps the proposals as voted."""
    members = [{"name": n} for n in "ABC"]
    ratings = [{"member": "A", "self_rating": "xuat_sac", "votes": {"xuat_sac": 3}},
               {"member": "B", "self_rating": "xuat_sac", "votes": {"xuat_sac": 3}},
               {"member": "C", "self_rating": "tot", "votes": {"tot": 3}}]
    figures = compute(_meeting(small_meeting(members=members, ratings=ratings,
                                             chi_bo_votes={"tot": 3})))
    assert figures.proposals()[Level.XUAT_SAC] == 2
    assert any("vượt 20%" in w for w in figures.warnings)


def _monthly(start="2025-11-07T08:00:00", end="2025-11-07T10:30:00", **overrides):
    from service.meetings.schemas import MonthlyMeeting
    from tests.support.factories import monthly_payload

    return MonthlyMeeting.model_validate(monthly_payload(start=start, end=end, **overrides))


def _duration_warnings(meeting):
    from service.meetings.figures import compute_monthly

    return [w for w in compute_monthly(meeting).warnings if "kéo dài" in w]


def test_a_monthly_meeting_under_90_minutes_warns():
    """80 minutes in November 2025 falls short of HD 42's 90."""
    warnings = _duration_warnings(_monthly(end="2025-11-07T09:20:00"))
    assert warnings == ["Buổi sinh hoạt kéo dài 80 phút, dưới mức tối thiểu 90 phút (Hướng dẫn số "
                        "42-HD/BTCTW); nếu cấp ủy cấp trên quy định mức khác cho chi bộ ít đảng viên, "
                        "ghi mức đó vào quy tắc \"Thời lượng tối thiểu\"."]


def test_a_monthly_meeting_of_90_minutes_does_not_warn():
    """Exactly the minimum is enough."""
    assert _duration_warnings(_monthly(end="2025-11-07T09:30:00")) == []


def test_a_combined_meeting_needs_120_minutes():
    """100 minutes is enough alone but not with the thematic meeting held in the same session."""
    assert _duration_warnings(_monthly(end="2025-11-07T09:40:00")) == []
    warnings = _duration_warnings(_monthly(end="2025-11-07T09:40:00", combined_thematic=True))
    assert len(warnings) == 1
    assert "dưới mức tối thiểu 120 phút khi sinh hoạt thường kỳ kết hợp sinh hoạt chuyên đề" in warnings[0]
    assert "Thời lượng tối thiểu khi kết hợp chuyên đề" in warnings[0]


def test_the_minimum_is_a_setting_of_the_meeting():
    """A small chi bộ whose đảng ủy set 60 minutes gets no warning at 75."""
    meeting = _monthly(end="2025-11-07T09:15:00", rules={"min_minutes": 60})
    assert _duration_warnings(meeting) == []


def test_a_meeting_before_the_directive_is_not_held_to_it():
    """An October 2025 meeting of 60 minutes warns of nothing; the start date is a setting."""
    october = _monthly(start="2025-10-07T08:00:00", end="2025-10-07T09:00:00")
    assert _duration_warnings(october) == []
    earlier_rule = _monthly(start="2025-10-07T08:00:00", end="2025-10-07T09:00:00",
                            rules={"directive_from": "2025-10-01"})
    assert len(_duration_warnings(earlier_rule)) == 1


def _materials_warnings(posted, **rules):
    from service.meetings.figures import compute_monthly

    meeting = _monthly(preparation={"materials_posted": posted}, rules=rules)
    return [w for w in compute_monthly(meeting).warnings if "Sổ tay" in w]


def test_materials_posted_on_the_day_of_the_meeting_warn():
    """Materials must be on the Sổ tay đảng viên at least one day before."""
    assert _materials_warnings("2025-11-07") == [
        "Tài liệu sinh hoạt đăng trên Sổ tay đảng viên điện tử ngày 07/11/2025, chưa đủ 01 ngày trước "
        "buổi sinh hoạt (Hướng dẫn số 42-HD/BTCTW)."]
    assert _materials_warnings("2025-11-06") == []


def test_the_days_before_for_materials_are_a_setting():
    """Two days asked: the day before is too late; zero: never a warning."""
    assert len(_materials_warnings("2025-11-06", materials_days_before=2)) == 1
    assert _materials_warnings("2025-11-07", materials_days_before=0) == []


def _standings(**overrides):
    """A five-member meeting: rated, no votes yet, missing, not rated for a reason, exempt."""
    members = [{"name": "A"}, {"name": "B"}, {"name": "C"},
               {"name": "D", "membership": "du_bi", "not_rated_reason": "mới kết nạp"},
               {"name": "E", "attendance": "exempt"}]
    ratings = [{"member": "A", "self_rating": "tot", "votes": {"tot": 3}},
               {"member": "B", "self_rating": "tot", "votes": {}}]
    data = small_meeting(members=members, ratings=ratings, chi_bo_votes={"tot": 3})
    data.update(overrides)
    return compute(_meeting(data))


def test_every_member_has_a_standing():
    """Each member is rated, waiting for votes, missing, or not rated with the reason."""
    figures = _standings()
    assert [r.standing for r in figures.member_results] == [
        Standing.RATED, Standing.NO_VOTES, Standing.MISSING, Standing.NOT_RATED, Standing.NOT_RATED]
    assert figures.member_results[3].reason == "mới kết nạp"
    assert figures.member_results[4].reason == EXEMPT_REASON


def test_members_not_rated_for_a_reason_are_off_the_ballot():
    """The ballot lists everyone to be rated, in list order: not those with a reason or exempt."""
    figures = _standings()
    assert [r.member.name for r in figures.to_rate] == ["A", "B", "C"]
    assert figures.evaluated == 1


def test_missing_and_unvoted_members_are_warned_of_by_name():
    """A member with no rating and no reason, and one whose votes are not in, are named."""
    warnings = _standings().warnings
    assert "Đồng chí B: chưa nhập số phiếu." in warnings
    assert any(w.startswith("Đồng chí C chưa có kết quả") for w in warnings)
    assert not any("Đồng chí D" in w or "Đồng chí E" in w for w in warnings)


def test_a_meeting_without_any_vote_warns_once():
    """No vote at all: one warning for the meeting, none per member."""
    data = small_meeting(members=[{"name": "A"}, {"name": "B"}],
                         ratings=[{"member": "A", "self_rating": "tot", "votes": {}},
                                  {"member": "B", "self_rating": "tot", "votes": {}}])
    figures = compute(_meeting(data))
    assert not figures.votes_entered
    assert len(figures.warnings) == 1 and figures.warnings[0].startswith("Chưa nhập số phiếu")


def test_a_rating_of_an_exempt_member_is_flagged():
    """An exempt member who was rated anyway is rated as voted, and a warning says to check."""
    data = small_meeting(members=[{"name": "A"}, {"name": "E", "attendance": "exempt"}],
                         ratings=[{"member": "E", "self_rating": "tot", "votes": {"tot": 1}}],
                         chi_bo_votes={"tot": 1})
    figures = compute(_meeting(data))
    assert figures.member_results[1].result is Level.TOT
    assert any(w.startswith("Đồng chí E được miễn công tác") for w in figures.warnings)


def test_quota_warning_is_kept_apart():
    """The over-quota warning is its own field, so documents can print exactly it."""
    members = [{"name": n} for n in "AB"]
    ratings = [{"member": "A", "self_rating": "xuat_sac", "votes": {"xuat_sac": 2}},
               {"member": "B", "self_rating": "tot", "votes": {"tot": 2}}]
    figures = compute(_meeting(small_meeting(members=members, ratings=ratings,
                                             chi_bo_votes={"tot": 2})))
    assert figures.quota_warning is not None and "tối đa 00" in figures.quota_warning
    assert figures.quota_warning in figures.warnings


def test_valid_ballot_shares_without_a_count_are_warned_of():
    """Shares over valid ballots with no ballot count: the assumption is a warning."""
    figures = _standings(rules={"denominator": "valid_ballots"})
    assert figures.ballots.assumed
    assert any("chưa nhập kiểm phiếu" in w for w in figures.warnings)
