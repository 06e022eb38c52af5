"""The checks that refuse data that does not add up, each naming its field."""

from __future__ import annotations

from service.meetings.checks import problems
from service.meetings.schemas import MEETING_ADAPTER
from tests.support.factories import dang_bo_payload, meeting_payload, monthly_payload, small_meeting


def _meeting(data):
    return MEETING_ADAPTER.validate_python(data)


def _fields(data):
    return [p.field for p in problems(_meeting(data))]


def test_more_votes_than_voters_is_a_problem():
    """Ten ballots when nine may vote names the rating's votes."""
    data = meeting_payload()
    data["ratings"][2]["votes"] = {"tot": 10}
    found = problems(_meeting(data))
    assert [p.field for p in found] == ["ratings[2].votes"]


def test_vote_for_unlisted_member_is_a_problem():
    """A rating for someone not in members names the rating."""
    data = meeting_payload()
    data["ratings"][0]["member"] = "Người Lạ"
    found = problems(_meeting(data))
    assert found[0].field == "ratings[0].member"
    assert "Người Lạ" in found[0].detail


def test_typed_counts_that_disagree_are_problems():
    """present + absent must equal members: a typed present count of 12 is refused."""
    data = meeting_payload(check={"member_count": 12, "present_count": 12})
    assert [p.field for p in problems(_meeting(data))] == ["check.present_count"]


def test_duplicate_member_names_are_a_problem():
    """Two members with the same name and no id cannot be told apart."""
    data = small_meeting(members=[{"name": "A"}, {"name": "A"}], ratings=[])
    assert [p.field for p in problems(_meeting(data))] == ["members[1].name"]


def test_end_before_start_is_a_problem():
    """A meeting cannot end before it starts."""
    data = meeting_payload(end="2025-12-05T13:00:00")
    assert [p.field for p in problems(_meeting(data))] == ["end"]


def test_more_ballots_returned_than_issued():
    """issued ≥ returned ≥ invalid, and no more ballots than official members present."""
    data = meeting_payload(ballot_count={"committee": [{"name": "Lê Thị Cúc"}], "issued": 10,
                                         "returned": 11, "invalid": 12})
    assert _fields(data) == ["ballot_count.issued", "ballot_count.returned", "ballot_count.invalid"]


def test_votes_are_bounded_by_valid_ballots():
    """With 2 invalid ballots out of 9, a member cannot have 9 votes."""
    data = meeting_payload(ballot_count={"committee": [{"name": "Lê Thị Cúc"}], "issued": 9,
                                         "returned": 9, "invalid": 2})
    found = problems(_meeting(data))
    assert "ratings[2].votes" in [p.field for p in found]
    assert "số phiếu hợp lệ (7)" in found[0].detail


def test_score_that_contradicts_the_level_is_refused():
    """85 points is 'tốt': self-rating 'xuất sắc' with 85 points is an error."""
    data = meeting_payload()
    data["ratings"][1]["self_rating"] = "xuat_sac"
    assert _fields(data) == ["ratings[1].self_rating"]


def test_disqualifying_case_allows_a_high_score_with_kht():
    """A disqualifying case rates 'không hoàn thành' whatever the score."""
    data = meeting_payload()
    data["ratings"][1]["self_rating"] = "khong_hoan_thanh"
    data["ratings"][1]["disqualifying_case"] = "Bị kỷ luật khiển trách"
    assert _fields(data) == []


def test_group_scores_must_sum_to_the_typed_total():
    """general + tasks must equal self_score when both are given."""
    data = meeting_payload()
    data["ratings"][1]["scores"] = {"general": 28, "tasks": 60}
    assert _fields(data) == ["ratings[1].self_score"]


def test_scores_before_2025_are_refused():
    """The 100-point scale starts with the 2025 review."""
    data = meeting_payload(review_year=2024)
    data["chi_bo_rating"].pop("self_score")
    data["chi_bo_rating"].pop("score_groups")
    for rating in data["ratings"]:
        rating.pop("self_score")
        rating.pop("scores", None)
    data["ratings"][0]["self_score"] = 92
    assert _fields(data) == ["review_year"]


def test_a_review_year_that_does_not_match_the_meeting_is_one_message():
    """The 2025 sample typed as review year 2024: one problem on the year, none per score."""
    data = meeting_payload(review_year=2024)
    found = problems(_meeting(data))
    assert [p.field for p in found] == ["review_year"]
    assert found[0].detail.startswith("Năm đánh giá 2024 chưa áp dụng thang điểm 100 (từ năm 2025) nhưng "
                                      "có điểm tự chấm của ")
    assert "nếu đây là kiểm điểm năm 2025, hãy sửa năm đánh giá" in found[0].detail


def test_a_score_group_over_its_maximum_names_the_group():
    """"Nhóm tiêu chí 2 (…): tối đa 30 điểm", not a bare number."""
    data = meeting_payload()
    group = data["chi_bo_rating"]["score_groups"][1]
    group["score"] = float(group["max_points"]) + 5
    found = [p for p in problems(_meeting(data)) if p.field.endswith("score_groups[1].score")]
    assert found[0].detail.startswith(f"Nhóm tiêu chí 2 ({group['name']}): tối đa {group['max_points']} điểm")


def test_chi_bo_score_groups_must_total_100_points_maximum():
    """The collective's criteria groups must have maxima that add up to 100."""
    data = meeting_payload()
    data["chi_bo_rating"]["score_groups"] = [{"name": "A", "max_points": 50, "score": 45},
                                             {"name": "B", "max_points": 40, "score": 41}]
    fields = _fields(data)
    assert "chi_bo_rating.score_groups[1].score" in fields
    assert "chi_bo_rating.score_groups" in fields


def test_monthly_resolution_votes_are_bounded():
    """A resolution cannot get more votes than official members present."""
    data = monthly_payload(resolutions=[{"text": "Nghị quyết", "agree": 7},
                                        {"text": "Kết luận", "agree": 99}])
    assert _fields(data) == ["resolutions[1]"]


def test_monthly_four_part_resolution_votes_are_bounded():
    """The month's resolution cannot get more hands than official members present (07)."""
    data = monthly_payload()
    data["resolution"]["vote"] = {"agree": 7, "other": 1}
    assert _fields(data) == ["resolution.vote"]


def test_preparation_after_the_meeting_is_refused():
    """A chi ủy meeting or materials dated after the meeting day cannot have prepared it."""
    data = monthly_payload()
    data["preparation"] = {"committee_met": "2025-11-08", "notified": "2025-11-07",
                           "materials_posted": "2025-11-09"}
    found = problems(_meeting(data))
    assert [p.field for p in found] == ["preparation.committee_met", "preparation.materials_posted"]
    assert found[0].detail == "Ngày 08/11/2025 sau ngày sinh hoạt (07/11/2025)."


def test_a_thematic_topic_without_the_combined_flag_is_refused():
    """A topic alone is ambiguous: the field saying the meetings were combined must say so."""
    assert _fields(monthly_payload(thematic_topic="Học tập và làm theo Bác")) == ["thematic_topic"]
    assert _fields(monthly_payload(thematic_topic="Học tập và làm theo Bác", combined_thematic=True)) == []


def test_a_rating_of_a_member_not_rated_for_a_reason_is_refused():
    """A reason not to rate and a rating for the same member contradict: the rating is named."""
    data = small_meeting(members=[{"name": "A"}, {"name": "B", "not_rated_reason": "mới kết nạp"}],
                         ratings=[{"member": "B", "self_rating": "tot", "votes": {"tot": 1}}],
                         chi_bo_votes={"tot": 1})
    found = problems(_meeting(data))
    assert [p.field for p in found] == ["ratings[0].member"]
    assert "đảng viên thứ 2" in found[0].detail and "not_rated_reason" not in found[0].detail


def test_a_committee_that_is_not_a_dang_uy_is_a_problem():
    """The summary is signed T/M ĐẢNG ỦY: a committee named "Ban Thường vụ …" is refused at its field."""
    data = dang_bo_payload()
    data["dang_bo"]["committee"] = "Ban Thường vụ phường Thành Sen"
    assert _fields(data) == ["dang_bo.committee"]
