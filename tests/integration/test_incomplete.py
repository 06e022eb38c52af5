"""An incomplete meeting read back from its PDFs: nobody dropped, no figure assumed, gaps said.

Each test builds the documents of ``annual_review_2025_incomplete.json`` (or a variant) with
the real converter and reads them with ``pdftotext -layout``.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from service.conversion.converter import UnoserverConverter
from service.documents import instances
from service.documents.rendering import DocxRenderer
from service.jobs.pipeline import build
from service.meetings.validation import parse_meeting
from tests.support.factories import SAMPLES

pytestmark = pytest.mark.integration
NOT_RATED = ("Hoàng Văn Long", "Bùi Văn Tâm", "Phan Văn Quý")


@pytest.fixture(name="pdf_texts")
def _pdf_texts(converter: UnoserverConverter, tmp_path: Path) -> Callable[..., dict[str, str]]:
    """``texts(edit, only)``: the layout text of each document, whitespace folded to one space."""
    def texts(edit: Callable[[dict[str, Any]], None] | None = None,
              only: tuple[str, ...] = ()) -> dict[str, str]:
        data = json.loads((SAMPLES / "annual_review_2025_incomplete.json").read_text(encoding="utf-8"))
        if edit is not None:
            edit(data)
        meeting = parse_meeting(data)
        found = {}
        for instance in instances(meeting, list(only) or None):
            path = tmp_path / f"{instance.name}.pdf"
            path.write_bytes(build(meeting, instance, DocxRenderer(), converter).pdf)
            out = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"],
                                 check=True, capture_output=True).stdout.decode()
            found[instance.name] = " ".join(out.split())
        return found
    return texts


def test_every_member_is_in_the_minutes_and_the_count(pdf_texts):
    """Biên bản and kiểm phiếu name all twelve members; the count says 07/12 and why not the rest."""
    texts = pdf_texts(only=("bien_ban_kiem_diem", "bien_ban_kiem_phieu", "bao_cao_kiem_diem"))
    data = json.loads((SAMPLES / "annual_review_2025_incomplete.json").read_text(encoding="utf-8"))
    for member in data["members"]:
        assert member["name"] in texts["bien_ban_kiem_diem"]
        assert member["name"] in texts["bien_ban_kiem_phieu"]
    minutes = texts["bien_ban_kiem_diem"]
    assert "xếp loại 07/12 đảng viên của chi bộ" in minutes
    assert "Chưa xếp loại 05/12 đồng chí:" in minutes
    assert "01 đồng chí chưa nhập số phiếu: đồng chí Ngô Văn Đức" in minutes
    assert "đồng chí Phan Văn Quý (mới kết nạp ngày 20/10/2025)" in minutes
    assert "cá nhân của 08/09 đảng viên thuộc diện đánh giá, xếp loại" in minutes
    assert "Không đánh giá, xếp loại (không có tên trong phiếu): đồng chí Hoàng Văn Long" in (
        texts["bien_ban_kiem_phieu"])
    assert ("Số đảng viên kiểm điểm, đánh giá, xếp loại năm 2025: 09/12 đồng chí; không đánh giá, "
            "xếp loại 03 đồng chí") in texts["bao_cao_kiem_diem"]


def test_the_ballot_lists_everyone_to_be_rated(pdf_texts):
    """The member ballot has the dự bị member to be rated and the one with no data, not the excused."""
    ballot = pdf_texts(only=("phieu_danh_gia_dang_vien",))["phieu_danh_gia_dang_vien"]
    assert "8 Lý Văn Sơn 9 Đinh Thị Mai" in ballot
    assert not any(name in ballot for name in NOT_RATED)


def test_a_meeting_without_votes_says_so(pdf_texts):
    """No vote entered: no '00 (0%)' cell anywhere, and the documents say the votes are not in."""
    def no_votes(data):
        for rating in data["ratings"]:
            rating["votes"] = {}
        data["chi_bo_rating"]["votes"] = {}
    texts = pdf_texts(no_votes, only=("bien_ban_kiem_diem", "bien_ban_kiem_phieu"))
    for text in texts.values():
        assert "(0%)" not in text and "Chưa nhập số phiếu" in text
    assert ("Chưa nhập số phiếu: chưa có kết quả xếp loại của 09/12 đảng viên thuộc diện đánh giá, "
            "xếp loại.") in texts["bien_ban_kiem_diem"]


def test_the_quota_warning_is_printed_in_the_report_and_the_minutes(pdf_texts):
    """Two 'xuất sắc' against five 'tốt': Mẫu 01 and the biên bản both carry the warning."""
    texts = pdf_texts(only=("bien_ban_kiem_diem", "bao_cao_kiem_diem"))
    for text in texts.values():
        assert "Lưu ý: Số đảng viên được đề nghị \"Hoàn thành xuất sắc nhiệm vụ\" (02) vượt 20%" in text


def test_no_ballot_figure_is_assumed(pdf_texts):
    """Without a ballot count the kiểm phiếu leaves issued, returned, valid and invalid blank."""
    text = pdf_texts(only=("bien_ban_kiem_phieu",))["bien_ban_kiem_phieu"]
    assert "Số phiếu phát ra: …… phiếu; số phiếu thu vào: …… phiếu." in text
    assert "Số phiếu hợp lệ: …… phiếu; số phiếu không hợp lệ: …… phiếu." in text


def test_a_zero_part_of_the_membership_is_not_printed(pdf_texts):
    """With no dự bị member the biên bản and Mẫu 01 write '(12 chính thức)'."""
    def all_official(data):
        for member in data["members"]:
            member.pop("membership", None)
    texts = pdf_texts(all_official, only=("bien_ban_kiem_diem", "bao_cao_kiem_diem"))
    assert "Tổng số đảng viên của chi bộ: 12 đồng chí (12 chính thức);" in texts["bien_ban_kiem_diem"]
    assert "Tổng số đảng viên: 12 đồng chí (12 chính thức);" in texts["bao_cao_kiem_diem"]
    assert all("00 dự bị" not in text for text in texts.values())


def test_self_reviews_are_numbered_as_the_members_list(pdf_texts):
    """The tenth member's Mẫu 02 is file 10 and is a blank form in that member's name."""
    texts = pdf_texts(only=("ban_kiem_diem_ca_nhan",))
    assert [name.split("-")[1] for name in texts] == ["01", "02", "03", "04", "06", "08", "09", "10", "12"]
    blank = texts["ban_kiem_diem_ca_nhan-10-ly-van-son"]
    assert "Họ và tên: Lý Văn Sơn" in blank and "Tổng điểm: ……/100 điểm." in blank
