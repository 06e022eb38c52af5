"""Unusual input, read back from the PDFs: header chain, local Căn cứ, place names, invisible
characters, dates (LibreOffice through unoserver, ``pdftotext -layout``)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from service.conversion.converter import UnoserverConverter
from service.documents import instances
from service.documents.rendering import DocxRenderer
from service.jobs.pipeline import build
from service.meetings.validation import parse_meeting
from tests.support.factories import SAMPLES, dang_bo_payload, meeting_payload

pytestmark = pytest.mark.integration


def _sample(name: str) -> dict[str, Any]:
    return json.loads((SAMPLES / f"{name}.json").read_text(encoding="utf-8"))


def _lines(data: dict[str, Any], name: str, converter: UnoserverConverter, tmp_path: Path) -> list[str]:
    """The lines of document *name* of *data*, as ``pdftotext -layout`` reads its PDF, spaces folded."""
    meeting = parse_meeting(data)
    (instance,) = [i for i in instances(meeting) if i.name == name]
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(build(meeting, instance, DocxRenderer(), converter).pdf)
    out = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"], check=True,
                         capture_output=True).stdout.decode()
    return [" ".join(line.split()) for line in out.splitlines() if line.strip()]


def _left_column(lines: list[str]) -> list[str]:
    """The header's left column: each line up to the right column's text."""
    return [line.split(" ĐẢNG CỘNG SẢN")[0] for line in lines[:6] if not line.startswith(("Kỳ Anh", "Hà"))]


def test_three_header_lines_print_above_the_chi_bo(converter, tmp_path):
    """parents print one line each, highest first, then CHI BỘ …, on the biên bản and the ballot."""
    for name in ("bien_ban_kiem_diem", "phieu_danh_gia_dang_vien"):
        lines = _lines(_sample("annual_review_2025_small"), name, converter, tmp_path)
        assert _left_column(lines)[:3] == ["ĐẢNG BỘ TỈNH HÀ TĨNH", "ĐẢNG ỦY XÃ KỲ ANH",
                                           "CHI BỘ THÔN TÂN PHONG"]


@pytest.mark.parametrize("name", ["bien_ban_kiem_diem", "bao_cao_kiem_diem"])
def test_local_documents_are_cited_after_the_central_ones(name, converter, tmp_path):
    """The biên bản and Mẫu 01 cite QĐ 366, HD 43, then the đảng ủy's plan with number and date."""
    text = " ".join(_lines(_sample("annual_review_2025_small"), name, converter, tmp_path))
    central = text.index("Căn cứ Quy định số 366-QĐ/TW")
    guidance = text.index("Căn cứ Hướng dẫn số 43-HD/BTCTW")
    local = text.index("Căn cứ Kế hoạch số 45-KH/ĐU, ngày 10/11/2025 của Đảng ủy xã Kỳ Anh về kiểm điểm")
    assert central < guidance < local


def test_a_newline_typed_in_the_parent_is_not_printed(converter, tmp_path):
    """A parent typed over two lines prints on one line in the Nơi nhận of Mẫu 01 (its committee)."""
    data = meeting_payload()
    data["organisation"]["parent"] = "Đảng bộ phường\nThành Sen"
    lines = _lines(data, "bao_cao_kiem_diem", converter, tmp_path)
    (recipient,) = [line for line in lines if "(để báo cáo)" in line]
    assert "- Đảng ủy phường Thành Sen (để báo cáo)," in recipient


def test_place_names_do_not_break_at_the_column_edge(converter, tmp_path):
    """ĐẢNG BỘ PHƯỜNG THÀNH SEN wraps before THÀNH SEN, never between THÀNH and SEN."""
    column = _left_column(_lines(meeting_payload(), "bien_ban_kiem_diem", converter, tmp_path))
    assert column[:4] == ["ĐẢNG BỘ PHƯỜNG", "THÀNH SEN", "CHI BỘ TRƯỜNG TIỂU HỌC", "THẠCH LINH"]


def test_invisible_characters_never_reach_the_documents(converter, tmp_path):
    """A name typed with a zero-width space and a soft hyphen prints clean, in the tables too."""
    data = meeting_payload()
    data["members"][2]["name"] = "Nguyễn Thị\u200b Hồng Nh\u00adung"
    data["ratings"][2]["member"] = "Nguyễn Thị Hồng Nhung"
    for name in ("bien_ban_kiem_diem", "phieu_danh_gia_dang_vien"):
        text = "\n".join(_lines(data, name, converter, tmp_path))
        assert "Nguyễn Thị Hồng Nhung" in text
        assert not {"\u200b", "\u00ad"} & set(text)


def test_the_2024_review_says_2024(converter, tmp_path):
    """The 2024 sample's biên bản and report name no later review year."""
    for name in ("bien_ban_kiem_diem", "bao_cao_kiem_diem"):
        text = " ".join(_lines(_sample("annual_review_2024"), name, converter, tmp_path))
        assert "năm 2024" in text and "2025" not in text


def test_a_district_parent_is_flagged_on_the_summary(converter, tmp_path):
    """A đảng bộ under a 'huyện' after 1/7/2025 gets the notice printed on its summary."""
    data = dang_bo_payload()
    data["dang_bo"]["parent"] = "Đảng bộ huyện Thạch Hà"
    text = " ".join(_lines(data, "tong_hop_xep_loai", converter, tmp_path))
    assert "Lưu ý: Tiêu đề ghi \"ĐẢNG BỘ HUYỆN THẠCH HÀ\"" in text
