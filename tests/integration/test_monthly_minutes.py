"""The monthly minutes read back from their PDF: Chỉ thị 50-CT/TW, HD 42-HD/BTCTW and what they add."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from service.conversion.converter import UnoserverConverter
from service.documents import instances
from service.documents.rendering import DocxRenderer
from service.jobs.pipeline import build
from service.meetings.validation import parse_meeting
from tests.support.factories import monthly_payload

pytestmark = pytest.mark.integration
CITATION = ("Thực hiện Chỉ thị số 50-CT/TW, ngày 23/7/2025 của Ban Bí thư về tiếp tục đổi mới và nâng "
            "cao chất lượng sinh hoạt chi bộ trong giai đoạn mới và Hướng dẫn số 42-HD/BTCTW, ngày "
            "28/10/2025 của Ban Tổ chức Trung ương, Chi bộ Văn phòng tiến hành sinh hoạt chi bộ định kỳ "
            "tháng 11 năm 2025.")


def _minutes_text(data: dict, converter: UnoserverConverter, tmp_path: Path) -> str:
    """``pdftotext -layout`` of the minutes of *data*, all white space folded to single spaces."""
    meeting = parse_meeting(data)
    (instance,) = instances(meeting, only=["bien_ban_sinh_hoat"])
    path = tmp_path / "bien_ban_sinh_hoat.pdf"
    path.write_bytes(build(meeting, instance, DocxRenderer(), converter).pdf)
    out = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"], check=True,
                         capture_output=True).stdout.decode()
    return " ".join(out.split())


def test_november_2025_minutes_cite_the_directive_and_print_what_hd_42_adds(converter, tmp_path):
    """The sample: the citation, the preparation, parts I–IV with the quality, the vote."""
    text = _minutes_text(monthly_payload(), converter, tmp_path)
    assert CITATION in text
    assert ("Công tác chuẩn bị: đồng chí Hoàng Thị Hạnh được phân công chuẩn bị nội dung, dự thảo nghị "
            "quyết; bí thư, phó bí thư chi bộ họp ngày 04/11/2025 thống nhất nội dung sinh hoạt") in text
    assert "được đăng trên ứng dụng Sổ tay đảng viên điện tử ngày 05/11/2025." in text
    parts = ["I. Đánh giá kết quả thực hiện nhiệm vụ", "II. Phương hướng, nhiệm vụ",
             "III. Phân công tổ chức thực hiện", "IV. Tự đánh giá chất lượng sinh hoạt chi bộ "
             "Chi bộ tự đánh giá chất lượng buổi sinh hoạt: Tốt."]
    positions = [text.index(part) for part in parts]
    assert positions == sorted(positions)
    assert "- Đồng chí Trịnh Văn Lộc: Hướng dẫn đảng viên sử dụng chữ ký số." in text
    assert "Biểu quyết thông qua nghị quyết: 07/07 đồng chí tán thành (100%)" in text
    assert text.count("tự đánh giá chất lượng buổi sinh hoạt") == 1


def test_earlier_minutes_print_as_before(converter, tmp_path):
    """October 2025, nothing new given: Chỉ thị 50 alone (HD 42 came on 28/10/2025), no preparation,
    no parts; the old quality line."""
    data = monthly_payload(month=10, start="2025-10-07T08:00:00", end="2025-10-07T09:00:00",
                           preparation=None, resolution=None,
                           resolutions=[{"text": "Thống nhất nhiệm vụ tháng 10/2025.", "agree": 7}])
    text = _minutes_text(data, converter, tmp_path)
    for absent in ("42-HD/BTCTW", "Công tác chuẩn bị", "I. Đánh giá", "Sổ tay"):
        assert absent not in text
    assert "Thực hiện Chỉ thị số 50-CT/TW, ngày 23/7/2025 của Ban Bí thư" in text
    assert "Sinh hoạt chi bộ định kỳ tháng 10 năm 2025 -----" in text
    assert ("1. Thống nhất nhiệm vụ tháng 10/2025. Biểu quyết: 07/07 đồng chí tán thành (100%)") in text
    assert "Chi bộ tự đánh giá chất lượng buổi sinh hoạt: Tốt." in text


def test_a_combined_meeting_without_self_assessment(converter, tmp_path):
    """Combined with a thematic meeting; a resolution with only its vote leaves I–III to fill in, no IV."""
    data = monthly_payload(combined_thematic=True, thematic_topic="Học tập và làm theo Bác",
                           preparation=None, resolution={"vote": {"agree": 6, "other": 1}}, quality=None)
    text = _minutes_text(data, converter, tmp_path)
    assert ("tiến hành sinh hoạt chi bộ định kỳ tháng 11 năm 2025 kết hợp sinh hoạt chuyên đề "
            "\"Học tập và làm theo Bác\".") in text
    assert "III. Phân công tổ chức thực hiện " + "…" * 31 in text
    assert "IV." not in text and "tự đánh giá chất lượng" not in text
    assert ("Biểu quyết thông qua nghị quyết: 06/07 đồng chí tán thành (85,7%); 00 đồng chí không tán "
            "thành; 01 đồng chí có ý kiến khác.") in text
