"""The monthly minutes' context: the texts it carries out, the preparation, the four-part resolution."""

from __future__ import annotations

from service.documents.bien_ban_sinh_hoat import context
from service.documents.common import DOTS
from service.meetings.figures import compute_monthly
from service.meetings.validation import parse_meeting
from tests.support.factories import monthly_payload


def _context(**overrides):
    meeting = parse_meeting(monthly_payload(**overrides))
    return context(meeting, compute_monthly(meeting))


def _october(**overrides):
    """The sample moved to October 2025, before the directive's date, with nothing new in it."""
    return _context(month=10, start="2025-10-07T08:00:00", end="2025-10-07T10:30:00",
                    preparation=None, resolution=None, **overrides)


def test_a_meeting_from_november_2025_cites_chi_thi_50_and_hd_42():
    """The minutes open by naming Chỉ thị 50-CT/TW and HD 42-HD/BTCTW with their dates."""
    intro = _context()["intro"]
    assert intro.startswith("Thực hiện Chỉ thị số 50-CT/TW, ngày 23/7/2025 của Ban Bí thư về tiếp tục "
                            "đổi mới và nâng cao chất lượng sinh hoạt chi bộ trong giai đoạn mới và "
                            "Hướng dẫn số 42-HD/BTCTW, ngày 28/10/2025 của Ban Tổ chức Trung ương, ")
    assert intro.endswith("Chi bộ Văn phòng tiến hành sinh hoạt chi bộ định kỳ tháng 11 năm 2025.")


def test_a_meeting_before_hd_42_cites_chi_thi_50_alone():
    """7/10/2025: Chỉ thị 50 (23/7/2025) is issued, HD 42 (28/10/2025) is not: never cited before it."""
    intro = _october()["intro"]
    assert intro == ("Thực hiện Chỉ thị số 50-CT/TW, ngày 23/7/2025 của Ban Bí thư về tiếp tục đổi mới và "
                     "nâng cao chất lượng sinh hoạt chi bộ trong giai đoạn mới, Chi bộ Văn phòng tiến hành "
                     "sinh hoạt chi bộ định kỳ tháng 10 năm 2025.")
    assert "42-HD" not in intro


def test_a_meeting_before_chi_thi_50_cites_the_texts_it_replaced():
    """June 2025: Chỉ thị 10, Kết luận 18 and HD 12, none of the 2025 texts."""
    intro = _context(month=6, start="2025-06-07T08:00:00", end="2025-06-07T10:30:00", preparation=None,
                     resolution=None)["intro"]
    assert intro.startswith("Thực hiện Chỉ thị số 10-CT/TW, ngày 30/3/2007 của Ban Bí thư")
    assert "Kết luận số 18-KL/TW, ngày 22/9/2017" in intro
    assert "Hướng dẫn số 12-HD/BTCTW, ngày 06/7/2018" in intro
    assert "50-CT" not in intro and "42-HD" not in intro


def test_a_monthly_meeting_cites_its_local_texts_after_the_central_ones():
    """The đảng ủy's công văn follows Chỉ thị 50 and HD 42, with its number, date and issuer."""
    basis = [{"kind": "công văn", "number": "Số 112-CV/ĐU", "date": "2025-11-03",
              "issuer": "Đảng ủy phường Thành Sen", "subject": "về nội dung sinh hoạt chi bộ tháng 11"}]
    intro = _context(local_basis=basis)["intro"]
    assert ("28/10/2025 của Ban Tổ chức Trung ương và Công văn số 112-CV/ĐU, ngày 03/11/2025 của Đảng ủy "
            "phường Thành Sen về nội dung sinh hoạt chi bộ tháng 11, Chi bộ Văn phòng tiến hành") in intro


def test_a_combined_meeting_names_its_topic():
    """A combined meeting says so, with its topic."""
    intro = _october(combined_thematic=True, thematic_topic="Học tập và làm theo Bác")["intro"]
    assert intro.endswith("Chi bộ Văn phòng tiến hành sinh hoạt chi bộ định kỳ tháng 10 năm 2025 kết hợp "
                          "sinh hoạt chuyên đề \"Học tập và làm theo Bác\".")


def test_preparation_lists_only_the_steps_given():
    """Without a chi ủy the bí thư and phó bí thư meet; missing steps are left out."""
    prep = {"committee_met": "2025-11-04", "materials_posted": "2025-11-05"}
    line = _context(preparation=prep)["preparation"]
    assert line == ("Công tác chuẩn bị: bí thư, phó bí thư chi bộ họp ngày 04/11/2025 thống nhất nội "
                    "dung sinh hoạt; tài liệu sinh hoạt được đăng trên ứng dụng Sổ tay đảng viên điện tử "
                    "ngày 05/11/2025.")


def test_a_chi_bo_with_a_committee_says_the_chi_uy_met():
    """With a chi ủy, it is the chi ủy that meets to prepare."""
    data = monthly_payload()
    data["organisation"]["has_committee"] = True
    meeting = parse_meeting(data)
    assert "chi ủy họp ngày 04/11/2025" in context(meeting, compute_monthly(meeting))["preparation"]


def test_no_preparation_no_line():
    """Nothing given, or an empty block, prints nothing."""
    assert _context(preparation=None)["preparation"] == ""
    assert _context(preparation={})["preparation"] == ""


def test_the_four_part_resolution():
    """Parts I–IV in order, part IV with the quality; the vote over the official members present."""
    four = _context()["four_part"]
    assert four["lead"] == "Chi bộ thống nhất nghị quyết tháng 11 năm 2025 như sau:"
    assert [p["heading"] for p in four["parts"]] == [
        "I. Đánh giá kết quả thực hiện nhiệm vụ", "II. Phương hướng, nhiệm vụ",
        "III. Phân công tổ chức thực hiện", "IV. Tự đánh giá chất lượng sinh hoạt chi bộ"]
    assert four["parts"][3]["lines"][0] == "Chi bộ tự đánh giá chất lượng buổi sinh hoạt: Tốt."
    assert four["vote_line"] == ("Biểu quyết thông qua nghị quyết: 07/07 đồng chí tán thành (100%); "
                                 "00 đồng chí không tán thành; 00 đồng chí có ý kiến khác.")


def test_assignments_name_who_what_and_when():
    """``- who: task; thời hạn: dd/mm/yyyy.``, a typed final period not doubled."""
    lines = _context()["four_part"]["parts"][2]["lines"]
    assert lines == [
        "- Đồng chí Lê Sỹ Trường: Chỉ đạo xây dựng báo cáo tổng kết năm 2025 của Văn phòng; thời hạn: "
        "28/11/2025.",
        "- Đồng chí Hoàng Thị Hạnh: Chuẩn bị dự thảo báo cáo kiểm điểm tập thể chi bộ năm 2025; thời hạn: "
        "30/11/2025.",
        "- Đồng chí Trịnh Văn Lộc: Hướng dẫn đảng viên sử dụng chữ ký số."]


def test_empty_parts_are_lines_to_fill_in_and_part_iv_is_optional():
    """A resolution with only its vote: I–III are dotted lines, no part IV without an assessment."""
    ctx = _context(resolution={"vote": {"agree": 7}}, quality=None)
    parts = ctx["four_part"]["parts"]
    assert [p["lines"] for p in parts] == [[DOTS] * 2] * 3
    assert ctx["quality_line"] == ""


def test_without_four_parts_the_quality_stands_alone():
    """No four-part resolution: the quality is its own line, and no parts are printed."""
    ctx = _context(resolution=None)
    assert ctx["four_part"]["parts"] == []
    assert ctx["quality_line"] == "Chi bộ tự đánh giá chất lượng buổi sinh hoạt: Tốt."
    assert ctx["voters_note"] == ""
    assert _context()["quality_line"] == ""  # in part IV instead
