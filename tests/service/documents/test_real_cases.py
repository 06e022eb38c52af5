"""Real published cases the documents got wrong: short votes, wording, names (issue 25)."""

from __future__ import annotations

from service.documents import bao_cao_kiem_diem, bien_ban_kiem_diem, bien_ban_kiem_phieu, bien_ban_sinh_hoat
from service.meetings.figures import compute, compute_monthly
from service.meetings.validation import parse_meeting
from tests.support.factories import meeting_payload, monthly_payload, small_meeting

TEN = [{"name": f"Đảng viên {i:02d}"} for i in range(1, 11)]
FULL = {"tot": 10}


def _annual(ratings_votes: dict[int, dict[str, int]], **overrides):
    ratings = [{"member": m["name"], "self_rating": "tot", "self_score": 80,
                "votes": ratings_votes.get(i, FULL)} for i, m in enumerate(TEN)]
    return parse_meeting(small_meeting(TEN, ratings, chi_bo_votes={"tot": 10}, **overrides))


def test_a_member_with_fewer_votes_than_ballots_is_warned_and_printed():
    """6 votes counted of 10 ballots: a warning names the member, the minutes print 06/10."""
    meeting = _annual({2: {"tot": 6}})
    figures = compute(meeting)
    assert [w for w in figures.warnings if "ghi nhận" in w] == [
        "Đồng chí Đảng viên 03: ghi nhận 06/10 phiếu hợp lệ, thiếu 04: kiểm tra lại số phiếu đã nhập "
        "(phiếu để trống, phiếu chưa nhập)."]
    printed = bien_ban_kiem_diem.context(meeting, figures)["results"]["warnings"]
    assert printed[0].startswith("Lưu ý: Đồng chí Đảng viên 03: ghi nhận 06/10 phiếu hợp lệ, thiếu 04")
    notes = bien_ban_kiem_phieu.context(meeting, figures)["notes"]
    assert any("Đảng viên 03: ghi nhận 06/10 phiếu hợp lệ" in n for n in notes)


def test_a_full_vote_has_no_shortfall():
    """Every ballot counted for every member and the chi bộ: nothing to say."""
    figures = compute(_annual({}))
    assert not [w for w in figures.warnings if "ghi nhận" in w]


def test_a_resolution_voted_by_fewer_than_the_voters_present_is_warned_and_printed():
    """10 for, 0 against, 0 other among 19 official members present: 10/19 voted, 09 did not."""
    members = [{"name": f"Đảng viên {i:02d}"} for i in range(1, 20)]
    meeting = parse_meeting(monthly_payload(
        members=members, resolution=None, minutes_vote=None, check=None,
        resolutions=[{"text": "Thông qua kế hoạch tháng 12.", "agree": 10}]))
    figures = compute_monthly(meeting)
    assert ("Nghị quyết 1: 10/19 đảng viên chính thức có mặt biểu quyết (tán thành, không tán thành, ý kiến "
            "khác), thiếu 09 đồng chí: kiểm tra lại số biểu quyết.") in figures.warnings
    line = bien_ban_sinh_hoat.context(meeting, figures)["resolutions"][0]["vote_line"]
    assert line.endswith("Số đồng chí biểu quyết: 10/19; 09 đồng chí chưa biểu quyết.")


def test_no_probationary_note_without_probationary_members():
    """"(đảng viên dự bị không biểu quyết)" only when the chi bộ has a dự bị member."""
    without = _annual({})
    basis = bien_ban_kiem_diem.context(without, compute(without))["results"]["basis_line"]
    assert "dự bị" not in basis
    monthly = parse_meeting(monthly_payload(members=[{"name": "A"}, {"name": "B"}], minutes_vote=None,
                                            check=None, resolution=None,
                                            resolutions=[{"text": "X.", "agree": 2}]))
    assert "dự bị" not in bien_ban_sinh_hoat.context(monthly, compute_monthly(monthly))["voters_note"]
    sample = parse_meeting(meeting_payload())  # has dự bị members
    assert "(đảng viên dự bị không biểu quyết)" in bien_ban_kiem_diem.context(
        sample, compute(sample))["results"]["basis_line"]


def test_the_report_goes_to_the_dang_uy_not_the_dang_bo():
    """Nơi nhận: "Đảng ủy phường Thành Sen (để báo cáo)", the committee, not the organisation."""
    meeting = parse_meeting(meeting_payload())
    assert meeting.organisation.parent == "Đảng bộ phường Thành Sen"
    recipients = bao_cao_kiem_diem.context(meeting, compute(meeting))["recipients"]
    assert recipients[0] == "- Đảng ủy phường Thành Sen (để báo cáo),"


def test_a_guest_typed_with_dong_chi_is_not_doubled():
    """"Đồng chí Hà Văn Sơn" typed: printed "Đồng chí Hà Văn Sơn – …" once."""
    guest = {"name": "Đồng chí Hà Văn Sơn", "position": "Đảng ủy viên"}
    meeting = parse_meeting(meeting_payload(guests=[guest]))
    guests = bien_ban_kiem_diem.context(meeting, compute(meeting))["guests"]
    assert guests == ["Đồng chí Hà Văn Sơn – Đảng ủy viên."]


def test_the_counting_team_posts_reach_the_vote_count_minutes():
    """A post typed for a member of the team is printed with the team role."""
    data = meeting_payload()
    data["ballot_count"]["committee"] = [{"name": "Võ Văn Khánh", "position": "Chi ủy viên"},
                                         {"name": "Hồ Thị Thu Trang", "position": "Thư ký tổ kiểm phiếu"},
                                         {"name": "Ngô Thị Mai"}]
    meeting = parse_meeting(data)
    committee = bien_ban_kiem_phieu.context(meeting, compute(meeting))["committee"]
    assert [c["role"] for c in committee] == ["Tổ trưởng, Chi ủy viên", "Thư ký tổ kiểm phiếu", "Thành viên"]


def test_no_field_name_in_what_a_secretary_reads():
    """A member without a result and without a reason: the warning says what to enter, in words."""
    meeting = parse_meeting(small_meeting(TEN, [], chi_bo_votes={"tot": 10}))
    for warning in compute(meeting).warnings:
        assert not any(name in warning for name in ("not_rated_reason", "ratings", "ballot_count"))


def test_why_a_member_or_the_chi_bo_is_not_rated_is_printed():
    """The reason, not a bare "chưa có kết quả", in the minutes, the vote count and the summary."""
    members = [*TEN, {"name": "Đảng viên mới", "not_rated_reason": "mới kết nạp ngày 20/10/2025"}]
    ratings = [{"member": m["name"], "self_rating": "tot", "self_score": 80, "votes": FULL} for m in TEN]
    meeting = parse_meeting(small_meeting(members, ratings, chi_bo_rating={
        "self_rating": "tot", "votes": {}, "not_rated_reason": "chi bộ mới thành lập tháng 10/2025"}))
    figures = compute(meeting)
    minutes = bien_ban_kiem_diem.context(meeting, figures)
    assert minutes["results"]["rows"][-1]["result"] == "Không đánh giá"  # the reason: under the table
    assert any("đồng chí Đảng viên mới (mới kết nạp ngày 20/10/2025)" in line
               for line in minutes["results"]["summary"])
    assert minutes["chibo"]["result_line"] == ("Chi bộ không đánh giá, xếp loại chất lượng năm nay: chi bộ "
                                               "mới thành lập tháng 10/2025.")
    count = bien_ban_kiem_phieu.context(meeting, figures)
    assert count["chi_bo"]["result"] == "Không đánh giá (chi bộ mới thành lập tháng 10/2025)"
    assert not [w for w in figures.warnings if w.startswith("Chi bộ")]
