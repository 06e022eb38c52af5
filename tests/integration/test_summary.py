"""The đảng bộ summary read back from its PDF (real LibreOffice, ``pdftotext -layout``).

A chi bộ without a vote is "Chưa có kết quả" on the page; every share is rounded by one rule;
the issuing đảng ủy heads and signs it; table B's rows are on the page (its header row is kept
with them: alone at a page foot, LibreOffice dropped every row after it).
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from service.conversion.converter import UnoserverConverter
from service.documents import instances
from service.documents.rendering import DocxRenderer
from service.jobs.pipeline import build
from service.meetings.validation import parse_meeting
from tests.support.factories import dang_bo_payload

pytestmark = pytest.mark.integration


def _pages(data: dict[str, Any], converter: UnoserverConverter, tmp_path: Path) -> list[str]:
    """Each page of the summary PDF as ``pdftotext -layout`` reads it, runs of spaces folded."""
    meeting = parse_meeting(data)
    (instance,) = instances(meeting)
    path = tmp_path / "summary.pdf"
    path.write_bytes(build(meeting, instance, DocxRenderer(), converter).pdf)
    out = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"], check=True,
                         capture_output=True).stdout.decode()
    return ["\n".join(" ".join(line.split()) for line in page.splitlines()) for page in out.split("\f")]


def test_summary_pdf_counts_a_chi_bo_without_vote_as_no_result(converter, tmp_path):
    """Thạch Linh: "Chưa nhập số phiếu", "Chưa có kết quả"; the shares are of the two rated."""
    text = "\n".join(_pages(dang_bo_payload(), converter, tmp_path))
    assert "Chưa nhập số phiếu" in text and "Chưa có kết quả (không tính theo" in text
    assert "chưa có kết quả: 01 (Chi bộ Trường Tiểu học Thạch Linh)." in text
    assert "Hoàn thành xuất sắc nhiệm vụ: 01/02 chi bộ được xếp loại (50%);" in text
    assert "Hoàn thành tốt nhiệm vụ trở lên: 02/02 chi bộ được xếp loại (100%), trong đó" in text
    assert "Hoàn thành tốt nhiệm vụ trở lên: 41/47 đảng viên được xếp loại (87,2%), trong đó" in text
    assert "Lưu ý: Chi bộ Trường Tiểu học Thạch Linh chưa có kết quả xếp loại" in text


def test_summary_pdf_is_issued_and_signed_by_the_dang_uy(converter, tmp_path):
    """Header ĐẢNG ỦY PHƯỜNG THÀNH SEN under ĐẢNG BỘ TỈNH HÀ TĨNH; signed T/M ĐẢNG ỦY."""
    text = "\n".join(_pages(dang_bo_payload(), converter, tmp_path))
    assert "ĐẢNG BỘ TỈNH HÀ TĨNH" in text and "ĐẢNG ỦY PHƯỜNG" in text and "THÀNH SEN" in text
    assert "ĐẢNG BỘ PHƯỜNG" not in text
    assert "(Kèm theo Báo cáo số 15-BC/ĐU của Đảng ủy phường Thành Sen)" in text
    assert "T/M ĐẢNG ỦY" in text


def test_table_b_rows_are_on_the_page_with_their_header(converter, tmp_path):
    """Every chi bộ row and the total of table B are printed, on the page of the header row."""
    pages = _pages(dang_bo_payload(), converter, tmp_path)
    (page,) = [p for p in pages if "được xếp loại" in p and "HTXSNV" in p]
    assert "3 Chi bộ Sở Tài chính 30 00 00 30 06 20% 20 66,7% 04 13,3% 00 0%" in page
    assert "Tổng cộng 47 00 00 47 07 14,9% 34 72,3% 06 12,8% 00 0%" in page


def test_one_rounding_rule_rounds_table_and_quota_line_alike(converter, tmp_path):
    """dang_bo.rules truncate: 20/30 is 66,6% in table B and 7/34 is 20,5% in the quota line."""
    data = dang_bo_payload()
    data["dang_bo"]["rules"] = {"rounding": "truncate"}
    text = "\n".join(_pages(data, converter, tmp_path))
    assert "3 Chi bộ Sở Tài chính 30 00 00 30 06 20% 20 66,6% 04 13,3% 00 0%" in text
    assert "07/34 (20,5%)" in text and "20,6%" not in text
