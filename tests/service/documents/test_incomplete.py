"""Contexts of a meeting with gaps: nobody dropped, no figure assumed, every gap said."""

from __future__ import annotations

import json

from service.documents import (
    bao_cao_kiem_diem,
    bien_ban_kiem_diem,
    bien_ban_kiem_phieu,
    instances,
    phieu_danh_gia,
)
from service.documents.common import composition
from service.meetings.figures import compute
from service.meetings.validation import parse_meeting
from tests.support.factories import SAMPLES, small_meeting

INCOMPLETE = SAMPLES / "annual_review_2025_incomplete.json"


def _sample(edit=None):
    data = json.loads(INCOMPLETE.read_text(encoding="utf-8"))
    if edit is not None:
        edit(data)
    meeting = parse_meeting(data)
    return meeting, compute(meeting)


def _no_votes(data):
    for rating in data["ratings"]:
        rating["votes"] = {}
    data["chi_bo_rating"]["votes"] = {}


def test_the_minutes_table_lists_every_member_in_list_order():
    """Twelve members, twelve rows, numbered as the members list; the gaps say what they are."""
    meeting, figures = _sample()
    rows = bien_ban_kiem_diem.context(meeting, figures)["results"]["rows"]
    assert [r["name"] for r in rows] == [m.name for m in meeting.members]
    assert [r["stt"] for r in rows] == [str(i) for i in range(1, 13)]
    results = {r["name"]: r["result"] for r in rows}
    assert results["Hoàng Văn Long"] == "Không đánh giá"
    assert results["Ngô Văn Đức"] == "Chưa nhập số phiếu"
    assert results["Lý Văn Sơn"] == "Chưa có kết quả"
    assert {r["name"]: r["votes"] for r in rows}["Ngô Văn Đức"] == ["", "", "", ""]


def test_the_minutes_count_says_what_it_counts():
    """The summary counts of all twelve, then names each member without a level and why."""
    meeting, figures = _sample()
    summary = bien_ban_kiem_diem.context(meeting, figures)["results"]["summary"]
    assert summary[0] == ("Chi bộ đề nghị cấp có thẩm quyền xếp loại 07/12 đảng viên của chi bộ "
                          "như sau:")
    assert "Chưa xếp loại 05/12 đồng chí:" in summary
    assert "- 01 đồng chí chưa nhập số phiếu: đồng chí Ngô Văn Đức;" in summary
    assert summary[-1].startswith("- 03 đồng chí không đánh giá, xếp loại: đồng chí Hoàng Văn Long (")
    assert "đồng chí Phan Văn Quý (mới kết nạp ngày 20/10/2025)." in summary[-1]


def test_the_minutes_say_when_no_vote_is_entered():
    """No vote at all: no '00 (0%)' cell, and the summary says the votes are not entered."""
    meeting, figures = _sample(_no_votes)
    context = bien_ban_kiem_diem.context(meeting, figures)
    assert all(cell == "" for row in context["results"]["rows"] for cell in row["votes"])
    assert context["results"]["summary"][0] == ("Chưa nhập số phiếu: chưa có kết quả xếp loại của "
                                                "09/12 đảng viên thuộc diện đánh giá, xếp loại.")
    assert context["chibo"]["votes_line"].endswith("Kết quả biểu quyết: chưa nhập số phiếu.")


def test_the_minutes_carry_the_quota_warning():
    """Over the 20% quota, the biên bản prints the warning under its summary."""
    meeting, figures = _sample()
    warnings = bien_ban_kiem_diem.context(meeting, figures)["results"]["warnings"]
    assert warnings == [f"Lưu ý: {figures.quota_warning}"]


def test_the_count_minutes_leave_unentered_ballots_blank():
    """Without a ballot count, issued/returned/valid/invalid are blanks, not assumed figures."""
    meeting, figures = _sample()
    lines = bien_ban_kiem_phieu.context(meeting, figures)["ballot_lines"]
    assert lines[-2:] == ["Số phiếu phát ra: …… phiếu; số phiếu thu vào: …… phiếu.",
                          "Số phiếu hợp lệ: …… phiếu; số phiếu không hợp lệ: …… phiếu."]


def test_the_count_minutes_list_everyone_and_the_reasons():
    """The kiểm phiếu table has every member; the note names those not on the ballot, with why."""
    meeting, figures = _sample()
    context = bien_ban_kiem_phieu.context(meeting, figures)
    assert len(context["rows"]) == 12
    assert context["notes"][0].startswith("Không đánh giá, xếp loại (không có tên trong phiếu): "
                                          "đồng chí Hoàng Văn Long (")
    assert context["notes"][1] == "Chưa có kết quả đánh giá, xếp loại: đồng chí Lý Văn Sơn."


def test_the_report_counts_who_is_rated_and_names_who_is_not():
    """Mẫu 01 gives the number rated this year out of all members, and names the others."""
    meeting, figures = _sample()
    facts = bao_cao_kiem_diem.context(meeting, figures)["facts"]
    assert facts[0] == ("Tổng số đảng viên: 12 đồng chí (10 chính thức, 02 dự bị); miễn công tác "
                        "và sinh hoạt đảng: 01 đồng chí.")
    assert facts[1].startswith("Số đảng viên kiểm điểm, đánh giá, xếp loại năm 2025: 09/12 đồng chí; "
                               "không đánh giá, xếp loại 03 đồng chí: đồng chí Hoàng Văn Long (")


def test_the_ballot_lists_everyone_to_be_rated_probationary_included():
    """Members to be rated, dự bị included, in list order; not those not rated for a reason."""
    meeting, figures = _sample()
    names = [r["name"] for r in phieu_danh_gia.members_context(meeting, figures)["rows"]]
    assert names == ["Nguyễn Văn Hải", "Trần Thị Hoa", "Lê Văn Nam", "Phạm Thị Thu", "Đỗ Thị Hạnh",
                     "Vũ Thị Lan", "Ngô Văn Đức", "Lý Văn Sơn", "Đinh Thị Mai"]


def test_self_reviews_are_numbered_by_the_members_list():
    """Mẫu 02 files carry the member's number in the list, as the tables do, and skip no one to rate."""
    meeting, _ = _sample()
    names = [i.name for i in instances(meeting) if i.doc_type.id == "ban_kiem_diem_ca_nhan"]
    assert names[4] == "ban_kiem_diem_ca_nhan-06-do-thi-hanh"
    assert names[-2:] == ["ban_kiem_diem_ca_nhan-10-ly-van-son", "ban_kiem_diem_ca_nhan-12-dinh-thi-mai"]


def test_self_reviews_follow_the_list_not_the_ratings():
    """Ratings given in another order still number the files by the members list."""
    data = small_meeting(members=[{"name": "An"}, {"name": "Bình"}],
                         ratings=[{"member": "Bình", "self_rating": "tot", "votes": {"tot": 2}},
                                  {"member": "An", "self_rating": "tot", "votes": {"tot": 2}}],
                         chi_bo_votes={"tot": 2})
    names = [i.name for i in instances(parse_meeting(data)) if i.doc_type.per_member]
    assert names == ["ban_kiem_diem_ca_nhan-01-an", "ban_kiem_diem_ca_nhan-02-binh"]


def test_a_zero_part_of_the_membership_is_left_out():
    """'(12 chính thức, 00 dự bị)' is written '(12 chính thức)'."""
    assert composition(12, 0) == "(12 chính thức)"
    assert composition(10, 2) == "(10 chính thức, 02 dự bị)"
