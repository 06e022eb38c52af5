"""The đảng bộ summary: both tables, the level counted for each chi bộ, shares and their rounding."""

from __future__ import annotations

from typing import Any

from service.meetings import vnformat as vn
from service.meetings.schemas import DangBoReview, Level
from service.meetings.summary import (
    decided_lines,
    member_rows,
    member_totals,
    organisation_rows,
    organisation_totals,
    quota_line,
    summarize,
)
from tests.support.factories import dang_bo_payload

THACH_LINH, TAN_PHONG, SO_TAI_CHINH = 0, 1, 2  # the sample's chi bộ; Thạch Linh has no vote


def _summary(data: dict[str, Any] | None = None):
    return summarize(DangBoReview.model_validate(data or dang_bo_payload()))


def _with_rules(**rules: Any) -> dict[str, Any]:
    data = dang_bo_payload()
    for chi_bo in data["chi_bo"]:
        chi_bo["rules"] = dict(rules)
    return data


def test_totals_add_up_over_chi_bo():
    """47 members in three chi bộ: 7 xuất sắc, 34 tốt, 6 hoàn thành."""
    summary = _summary()
    assert summary.members == 47
    assert summary.totals == {Level.XUAT_SAC: 7, Level.TOT: 34, Level.HOAN_THANH: 6,
                              Level.KHONG_HOAN_THANH: 0}


def test_total_row_has_shares_over_those_rated():
    """The Tổng cộng row: 47 members, none without a result, 07 (14,9%) xuất sắc of 47."""
    total = member_rows(_summary())[-1]
    assert total[1:6] == ["Tổng cộng", "47", "00", "00", "47"]
    assert total[6:8] == ["07", "14,9%"]


def test_a_chi_bo_without_votes_has_no_result_not_its_self_rating():
    """Thạch Linh rated itself "tốt" and entered no vote: counted nowhere, its row says why."""
    summary = _summary()
    line = summary.lines[THACH_LINH]
    assert line.self_level is Level.TOT and line.counted_level is None
    assert summary.organisations == {Level.XUAT_SAC: 1, Level.TOT: 1, Level.HOAN_THANH: 0,
                                     Level.KHONG_HOAN_THANH: 0}
    row = organisation_rows(summary)[THACH_LINH]
    assert row[4] == "Chưa nhập số phiếu"
    assert row[6].startswith("Chưa có kết quả")
    assert any("Thạch Linh chưa có kết quả" in w for w in summary.warnings)


def test_a_vote_that_reaches_no_level_has_no_result():
    """10 of 27 ballots for Sở Tài chính reach no level: "Chưa đủ số phiếu", counted nowhere."""
    data = dang_bo_payload()
    data["chi_bo"][SO_TAI_CHINH]["chi_bo_rating"]["votes"] = {"xuat_sac": 5, "tot": 5}
    summary = _summary(data)
    line = summary.lines[SO_TAI_CHINH]
    assert line.counted_level is None and line.voted
    assert organisation_rows(summary)[SO_TAI_CHINH][4] == "Chưa đủ số phiếu"
    assert "không mức nào đạt ngưỡng" in line.basis
    assert summary.rated_chi_bo == 1


def test_the_dang_uy_decision_counts_over_the_vote():
    """A decision for the chi bộ without a vote counts it at the decided level, and says so."""
    data = dang_bo_payload()
    data["decisions"].append({"chi_bo": "Chi bộ Trường Tiểu học Thạch Linh", "level": "hoan_thanh"})
    summary = _summary(data)
    assert summary.lines[THACH_LINH].counted_level is Level.HOAN_THANH
    row = organisation_rows(summary)[THACH_LINH]
    assert row[5] == "Hoàn thành nhiệm vụ"
    assert row[6] == "Hoàn thành nhiệm vụ (theo quyết định của Đảng ủy)"


def test_chi_bo_lines_name_their_denominator():
    """Two of three chi bộ have a result: each share is "of the chi bộ rated", the rest named."""
    lines = organisation_totals(_summary())
    assert lines[0] == ("Tổng số chi bộ: 03; được xếp loại: 02; chưa có kết quả: 01 "
                        "(Chi bộ Trường Tiểu học Thạch Linh).")
    assert "Hoàn thành xuất sắc nhiệm vụ: 01/02 chi bộ được xếp loại (50%);" in lines
    assert lines[-1] == ("Hoàn thành tốt nhiệm vụ trở lên: 02/02 chi bộ được xếp loại (100%), trong đó "
                         "Hoàn thành xuất sắc nhiệm vụ: 01 chi bộ (50% số chi bộ hoàn thành tốt nhiệm vụ "
                         "trở lên; 50% số chi bộ được xếp loại).")


def test_member_line_gives_good_or_better_and_the_best_share_of_both():
    """41/47 đảng viên HTT trở lên; 7 xuất sắc = 17,1% of the 41 and 14,9% of the 47."""
    assert member_totals(_summary()) == (
        "Hoàn thành tốt nhiệm vụ trở lên: 41/47 đảng viên được xếp loại (87,2%), trong đó Hoàn thành "
        "xuất sắc nhiệm vụ: 07 đảng viên (17,1% số đảng viên hoàn thành tốt nhiệm vụ trở lên; 14,9% số "
        "đảng viên được xếp loại).")


def test_members_without_a_result_or_exempt_are_split_out():
    """An exempt member with no rating is "không đánh giá"; one with no votes "chưa có kết quả"."""
    data = dang_bo_payload()
    chi_bo = data["chi_bo"][TAN_PHONG]
    chi_bo["members"][4]["attendance"] = "exempt"
    chi_bo["ratings"] = [r for r in chi_bo["ratings"] if r["member"] != chi_bo["members"][4]["name"]]
    chi_bo["ratings"][0]["votes"] = {}
    summary = _summary(data)
    line = summary.lines[TAN_PHONG]
    assert (line.members, line.not_rated, line.pending, line.rated) == (5, 1, 1, 3)
    assert member_rows(summary)[TAN_PHONG][2:6] == ["05", "01", "01", "03"]
    assert any("Tân Phong: 01 đảng viên chưa có kết quả" in w for w in summary.warnings)


def test_quota_is_checked_at_dang_bo_level():
    """7 xuất sắc against 34 tốt exceeds 20% (at most 6): a warning, and the line says so."""
    summary = _summary()
    assert quota_line(summary) == (
        "Số đảng viên \"Hoàn thành xuất sắc nhiệm vụ\" so với số đảng viên \"Hoàn thành tốt nhiệm vụ\": "
        "07/34 (20,6%); giới hạn 20% số đảng viên \"Hoàn thành tốt nhiệm vụ\" (tối đa 06): vượt.")
    assert any("tối đa 06" in w for w in summary.warnings)


def test_the_chi_bo_rounding_rule_rounds_every_share_of_the_summary():
    """Every chi bộ truncates: 20/30 is 66,6% in table B and 7/34 is 20,5% in the quota line."""
    summary = _summary(_with_rules(rounding="truncate"))
    assert member_rows(summary)[SO_TAI_CHINH][9] == "66,6%"
    assert "07/34 (20,5%)" in quota_line(summary)
    assert "(17%" in member_totals(summary)  # 7/41 = 17,07…% truncated


def test_the_dang_bo_rule_overrides_the_chi_bo():
    """dang_bo.rules with two decimals: 7/34 is 20,59%, 7/47 is 14,89%."""
    data = dang_bo_payload()
    data["dang_bo"]["rules"] = {"decimals": 2}
    summary = _summary(data)
    assert "07/34 (20,59%)" in quota_line(summary)
    assert member_rows(summary)[-1][7] == "14,89%"


def test_chi_bo_that_round_differently_get_the_default_and_a_warning():
    """One chi bộ truncates, the others round half up: the summary rounds half up and says so."""
    data = dang_bo_payload()
    data["chi_bo"][SO_TAI_CHINH]["rules"] = {"rounding": "truncate"}
    summary = _summary(data)
    assert (summary.rule.rounding, summary.rule.decimals) == ("half_up", 1)
    assert member_rows(summary)[SO_TAI_CHINH][9] == "66,7%"
    assert any("làm tròn tỷ lệ khác nhau" in w for w in summary.warnings)


def test_decision_of_the_dang_uy_is_shown():
    """A decision given for a chi bộ fills its column in table A; none leaves it empty."""
    rows = organisation_rows(_summary())
    assert rows[TAN_PHONG][5] == "Hoàn thành tốt nhiệm vụ"
    assert rows[SO_TAI_CHINH][5] == ""
    assert rows[SO_TAI_CHINH][6] == ("Hoàn thành xuất sắc nhiệm vụ (theo biểu quyết của chi bộ, "
                                     "Đảng ủy chưa quyết định)")


def test_a_member_not_rated_for_a_reason_counts_as_not_rated():
    """Table B: a member with a not_rated_reason is "không đánh giá", not "chưa có kết quả"."""
    data = dang_bo_payload()
    chi_bo = data["chi_bo"][TAN_PHONG]
    chi_bo["members"][4]["not_rated_reason"] = "mới kết nạp"
    chi_bo["ratings"] = [r for r in chi_bo["ratings"] if r["member"] != chi_bo["members"][4]["name"]]
    line = _summary(data).lines[TAN_PHONG]
    assert (line.not_rated, line.pending) == (1, 0)


def test_the_dang_uy_s_decision_on_a_member_is_shown_beside_the_proposals():
    """Table B keeps the proposals; the lines under it name the member, both levels, the note, and
    the result by the decisions over its denominator."""
    data = dang_bo_payload()
    chi_bo = data["chi_bo"][TAN_PHONG]
    member = chi_bo["ratings"][0]["member"]
    data["member_decisions"] = [{"chi_bo": chi_bo["organisation"]["name"], "member": member,
                                 "level": "hoan_thanh", "note": "Vi phạm quy định sinh hoạt"}]
    summary = _summary(data)
    line = summary.lines[TAN_PHONG]
    proposed = next(m for m in line.member_changes)[1]
    assert proposed is not None and line.decided_counts[Level.HOAN_THANH] == line.counts[Level.HOAN_THANH] + 1
    lines = decided_lines(summary)
    assert lines[1] == (f"- Đồng chí {member} ({chi_bo['organisation']['name']}): chi bộ đề nghị "
                        f"\"{proposed.label}\"; Đảng ủy quyết định \"Hoàn thành nhiệm vụ\" – "
                        "Vi phạm quy định sinh hoạt.")
    assert lines[-1].startswith("Kết quả theo quyết định của Đảng ủy (đề nghị của chi bộ ở bảng trên): "
                                "HTXSNV ")
    assert f"/{vn.count(summary.rated)} (" in lines[-1]  # every level over the members rated
    assert decided_lines(_summary()) == []


def test_a_unit_without_a_review_is_listed_never_counted():
    """Its row in both tables says so; the totals count the reviews only; the sources are printed."""
    data = dang_bo_payload()
    data["without"] = [{"name": "Chi bộ thôn Tây", "reason": "chưa có báo cáo"}]
    data["sources"] = ["Chi bộ thôn Tân Phong: biên bản hội nghị ngày 14/12/2025, bản gốc (lần 1)."]
    summary = _summary(data)
    org = organisation_rows(summary)
    assert org[-1][1:] == ["Chi bộ thôn Tây", "", "", "Chưa có báo cáo", "",
                           "Chưa có kết quả (chưa có báo cáo)"]
    members = member_rows(summary)
    assert members[-2][1:3] == ["Chi bộ thôn Tây", "Chưa có báo cáo"] and members[-1][1] == "Tổng cộng"
    assert members[-1][2] == vn.count(summary.members) == member_rows(_summary())[-1][2]
    totals = organisation_totals(summary)
    assert "Chưa có báo cáo: 01 (Chi bộ thôn Tây)." in totals[0]
    assert totals[0].startswith(f"Tổng số chi bộ: {vn.count(len(summary.lines) + 1)};")
    assert totals[-1] == "Số liệu: Chi bộ thôn Tân Phong: biên bản hội nghị ngày 14/12/2025, bản gốc (lần 1)."
