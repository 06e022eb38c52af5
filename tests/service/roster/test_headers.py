"""Columns found by header, whatever the case and diacritics."""

from __future__ import annotations

import pytest

from service.roster.headers import column_letter, role_of


@pytest.mark.parametrize(("header", "role"), [
    ("Họ và tên", "name"), ("HỌ VÀ TÊN", "name"), ("ho va ten", "name"),
    ("Họ và tên (tên khai sinh)", "name"), ("Ngày sinh", "birth_date"), ("NGAY SINH", "birth_date"),
    ("Ngày, tháng, năm sinh", "birth_date"), ("Giới tính", "sex"), ("Nam/nữ, dân tộc, tôn giáo", "sex_etc"),
    ("NGÀY KẾT NẠP", "admitted_on"), ("Ngày vào Đảng", "admitted_on"), ("Ngày chính thức", "official_on"),
    ("Ngày vào Đảng, ngày chính thức", "admitted_official"), ("Số thẻ Đảng", "card_number"),
    ("Số thẻ, số lý lịch, số Huy hiệu", "card_etc"), ("CCCD", "cccd"), ("Số CMND/CCCD", "cccd"),
    ("Chức vụ Đảng (ĐVDB = dự bị, CUV, Bí thư, Phó BTCB)", "party_post"),
    ("CHỨC VỤ CHÍNH QUYỀN", "job_post"), ("Chức vụ", "job_post"), ("Miễn sinh hoạt", "exempt"),
    ("Ngày chuyển đi", "moved_on"), ("Ngày từ trần", "died_on"),
    ("Ngày ra khỏi Đảng, hình thức", "struck_off"), ("Mẫu kiểm điểm", "form"),
])
def test_a_known_header_has_its_role(header, role):
    """The registers' headers and their synonyms, in capitals or without diacritics, are found."""
    assert role_of(header) == role


@pytest.mark.parametrize("header", ["Quê quán", "TRÌNH ĐỘ", "STT", "Số TT", "Ngày chuyển đến", "Ghi chú"])
def test_a_column_the_roster_does_not_keep_is_known_but_not_kept(header):
    """Quê quán, trình độ…: recognised, listed as not kept."""
    assert role_of(header) == ""


@pytest.mark.parametrize("header", ["Sở thích", "???", "Cột 7", "Ngày"])
def test_an_unknown_header_is_not_guessed(header):
    """A header that names nothing known has no role at all."""
    assert role_of(header) is None


def test_columns_are_lettered_like_a_spreadsheet():
    """0 is A, 25 is Z, 26 is AA."""
    assert [column_letter(i) for i in (0, 25, 26, 27)] == ["A", "Z", "AA", "AB"]
