"""Units of every level under a đảng ủy xã/phường: kinds, their signing line and code, the summary."""

from __future__ import annotations

import json

from service.documents import bao_cao_kiem_diem, bien_ban_kiem_diem
from service.meetings.figures import compute
from service.meetings.summary import organisation_rows, organisation_totals, pools, summarize
from service.meetings.validation import parse_meeting
from tests.support.factories import dang_bo_payload, meeting_payload


def _mixed():
    """The đảng bộ sample with its school as a đảng bộ cơ sở and the Sở's chi bộ as a chi bộ cơ sở."""
    data = dang_bo_payload()
    data["chi_bo"][0]["organisation"].update(kind="dang_bo_co_so", name="Đảng bộ Trường Tiểu học Thạch Linh")
    data["chi_bo"][2]["organisation"]["kind"] = "chi_bo_co_so"
    return parse_meeting(data)


def test_a_dang_bo_signs_for_its_dang_uy_with_its_own_code():
    """A đảng bộ cơ sở's minutes: -BB/ĐU and T/M ĐẢNG ỦY; a chi bộ's: -BB/CB and T/M CHI BỘ."""
    data = meeting_payload()
    data["organisation"]["kind"] = "dang_bo_co_so"
    meeting = parse_meeting(data)
    minutes = bien_ban_kiem_diem.context(meeting, compute(meeting))
    assert minutes["h"]["number"].endswith("-BB/ĐU") and minutes["sign"]["line1"] == "T/M ĐẢNG ỦY"
    report = bao_cao_kiem_diem.context(meeting, compute(meeting))
    assert report["sign"]["authority"] == "T/M ĐẢNG ỦY"
    chi_bo = parse_meeting(meeting_payload())
    minutes = bien_ban_kiem_diem.context(chi_bo, compute(chi_bo))
    assert minutes["h"]["number"].endswith("-BB/CB") and minutes["sign"]["line1"] == "T/M CHI BỘ"


def test_the_summary_counts_each_kind_apart_and_caps_each_pool():
    """"03 tổ chức đảng (01 chi bộ cơ sở, 01 đảng bộ cơ sở và 01 chi bộ trực thuộc)"; pools per kind."""
    summary = summarize(_mixed())
    head = organisation_totals(summary)[0]
    assert head.startswith("Tổng số tổ chức đảng: 03 (01 chi bộ trực thuộc, 01 chi bộ cơ sở và 01 đảng bộ "
                           "cơ sở); được xếp loại: ")
    assert set(pools(summary)) == {"tổ chức cơ sở đảng", "chi bộ"}
    assert any(line.startswith("Trong đó tổ chức cơ sở đảng (01 chi bộ cơ sở và 01 đảng bộ cơ sở): ")
               for line in organisation_totals(summary))
    assert organisation_rows(summary)[0][1] == "Đảng bộ Trường Tiểu học Thạch Linh (đảng bộ cơ sở)"


def test_a_summary_of_chi_bo_only_reads_as_before():
    """Every unit a chi bộ trực thuộc: "Tổng số chi bộ", one pool, names without a kind."""
    summary = summarize(parse_meeting(dang_bo_payload()))
    assert organisation_totals(summary)[0].startswith("Tổng số chi bộ: 03")
    assert list(pools(summary)) == ["chi bộ"]


def test_a_chi_bo_not_rated_for_a_reason_is_said_so_in_the_summary():
    """"không đánh giá, xếp loại: 01 (… : mới thành lập)", not "chưa có kết quả", and no warning."""
    data = dang_bo_payload()
    rating = data["chi_bo"][0]["chi_bo_rating"]
    rating.update(votes={}, not_rated_reason="chi bộ mới thành lập tháng 10/2025")
    summary = summarize(parse_meeting(data))
    assert organisation_totals(summary)[0] == (
        "Tổng số chi bộ: 03; được xếp loại: 02; không đánh giá, xếp loại: 01 (Chi bộ Trường Tiểu học Thạch "
        "Linh: chi bộ mới thành lập tháng 10/2025).")
    assert organisation_rows(summary)[0][-1] == ("Không đánh giá, xếp loại (chi bộ mới thành lập tháng "
                                                 "10/2025)")
    assert not [w for w in summary.warnings if "Thạch Linh chưa có kết quả" in w]


def test_a_pool_with_no_rated_unit_says_so_in_words():
    """Both tổ chức cơ sở đảng not rated (newly formed): their pool's line says none is rated, with no
    "00/00" and no "(–)" anywhere under table A; the chi bộ pool keeps its shares."""
    data = _mixed().model_dump(mode="json")
    for index in (0, 2):
        data["chi_bo"][index]["chi_bo_rating"].update(votes={}, not_rated_reason="mới thành lập")
    lines = organisation_totals(summarize(parse_meeting(data)))
    pool = next(line for line in lines if line.startswith("Trong đó tổ chức cơ sở đảng"))
    assert pool == ("Trong đó tổ chức cơ sở đảng (01 chi bộ cơ sở và 01 đảng bộ cơ sở): chưa có tổ chức "
                    "cơ sở đảng nào được xếp loại (không tính tỷ lệ).")
    assert not [line for line in lines if "00/00" in line or "(–)" in line]
    assert any(line.startswith("Trong đó chi bộ (01 chi bộ trực thuộc): Hoàn thành tốt nhiệm vụ trở lên: ")
               for line in lines)


def test_a_dang_bo_s_monthly_minutes_and_resolution_speak_of_the_dang_bo():
    """A đảng bộ bộ phận's month: its own word everywhere the service writes it (the texts cited
    keep their titles: Chỉ thị 50 is about "sinh hoạt chi bộ")."""
    from service.documents import bien_ban_sinh_hoat, nghi_quyet_sinh_hoat
    from service.meetings.figures import compute_monthly
    from tests.support.factories import monthly_payload

    data = monthly_payload(check=None)
    typed = json.dumps({k: v for k, v in data.items() if k != "organisation"}, ensure_ascii=False)
    data.update(json.loads(typed.replace("chi bộ", "đảng bộ").replace("Chi bộ", "Đảng bộ")))
    data["organisation"].update(kind="dang_bo_bo_phan", name="Đảng bộ bộ phận Khối Cơ quan")
    meeting = parse_meeting(data)
    figures = compute_monthly(meeting)
    for module in (bien_ban_sinh_hoat, nghi_quyet_sinh_hoat):
        text = json.dumps(module.context(meeting, figures), ensure_ascii=False)
        text = text.replace("nâng cao chất lượng sinh hoạt chi bộ trong giai đoạn mới", "")
        assert "chi bộ" not in text.casefold() and "chi ủy" not in text.casefold(), module.__name__
    minutes = bien_ban_sinh_hoat.context(meeting, figures)
    assert minutes["title"]["summary"] == "Sinh hoạt đảng bộ định kỳ tháng 11 năm 2025"
    assert minutes["four_part"]["lead"].startswith("Đảng bộ thống nhất nghị quyết tháng 11")
    assert "đảng ủy họp ngày 04/11/2025" in minutes["preparation"]
