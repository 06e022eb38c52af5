"""Vietnamese formatting of dates, counts and shares."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from service.meetings import vnformat as vn
from service.meetings.schemas import VoteRule

HALF_UP = vn.Rounded("half_up", 1)


def test_date_line_pads_day_and_december_is_not_padded():
    """The date line of the issue's example is written exactly."""
    assert vn.date_line("Hà Tĩnh", date(2025, 12, 5)) == "Hà Tĩnh, ngày 05 tháng 12 năm 2025"


@pytest.mark.parametrize(("month", "text"), [(1, "01"), (2, "02"), (3, "3"), (4, "4"), (11, "11")])
def test_months_one_and_two_are_padded(month, text):
    """HD 36 pads January and February only ("tháng 02", "tháng 4")."""
    assert vn.long_date(date(2018, month, 20)) == f"ngày 20 tháng {text} năm 2018"


def test_percent_half_up_with_decimal_comma():
    """7/8 is 87,5%; 2/3 rounds half-up to 66,7%."""
    assert vn.percent(7, 8, HALF_UP) == "87,5%"
    assert vn.percent(2, 3, HALF_UP) == "66,7%"


def test_percent_drops_trailing_zero_and_handles_whole():
    """9/9 is written 100%, 0/9 is 0%."""
    assert vn.percent(9, 9, HALF_UP) == "100%"
    assert vn.percent(0, 9, HALF_UP) == "0%"


def test_percent_of_nothing_is_a_dash():
    """With no voters there is no share to print."""
    assert vn.percent(0, 0, HALF_UP) == "–"


def test_truncation_mode_matches_reports_that_cut():
    """56/58 = 96,55…% is 96,6% half-up and 96,5% truncated."""
    assert vn.percent(56, 58, HALF_UP) == "96,6%"
    assert vn.percent(56, 58, vn.Rounded("truncate", 1)) == "96,5%"


def test_half_up_is_not_bankers_rounding():
    """1/8 = 12,5% at one decimal; at zero decimals it rounds up to 13%."""
    assert vn.share(1, 8, vn.Rounded("half_up", 0)) == Decimal(13)


def test_ratio_pads_small_counts():
    """07/08, but 18/22."""
    assert vn.ratio(7, 8) == "07/08"
    assert vn.ratio(18, 22) == "18/22"


def test_thousands_use_a_dot():
    """4.123 đảng viên."""
    assert vn.count(4123) == "4.123"


def test_document_number_has_no_colon():
    """Party documents write Số 01-BB/CB."""
    assert vn.doc_number(1, "BB", "CB") == "Số 01-BB/CB"
    assert vn.doc_number(12, "BC", "CB") == "Số 12-BC/CB"


def test_clock():
    """14 giờ 00 phút."""
    assert vn.clock(datetime(2025, 12, 5, 14, 0)) == "14 giờ 00 phút"


def test_upper_keeps_diacritics():
    """Headers are upper-cased with their diacritics."""
    assert vn.upper("Chi bộ thôn Tân Phong") == "CHI BỘ THÔN TÂN PHONG"


def test_two_decimals_keep_a_significant_trailing_digit():
    """7/34 = 20,588…% is 20,59% at two decimals and 20,58% truncated; 1/4 is 25%, not 25,00%."""
    assert vn.percent(7, 34, vn.Rounded("half_up", 2)) == "20,59%"
    assert vn.percent(7, 34, vn.Rounded("truncate", 2)) == "20,58%"
    assert vn.percent(1, 4, vn.Rounded("half_up", 2)) == "25%"


def test_a_meetings_rules_block_is_a_rounding_rule():
    """The meeting's ``rules`` (rounding, decimals) is what every share is rounded by."""
    assert vn.percent(56, 58, VoteRule(rounding="truncate", decimals=0)) == "96%"


def test_fold_takes_off_accents_and_case_and_reads_d_for_đ():
    """One folding for every loose comparison: đ/Đ → d, every tone and hat off, lower case."""
    assert vn.fold("Biên bản Đảng ủy ĐÔNG Ưởng Ỹ") == "bien ban dang uy dong uong y"
    assert vn.fold("Bản kiểm điểm — Đông.pdf", keep_case=True) == "Ban kiem diem  Dong.pdf"
    composed, decomposed = "Nguyễn Thị Đào", "Nguye\u0302\u0303n Thi\u0323 \u0110a\u0300o"
    assert vn.fold(composed) == vn.fold(decomposed) == "nguyen thi dao"


def test_fold_words_keeps_letters_and_digits_one_space_apart():
    """Names compare alike however they were typed: spacing, hyphens and case aside."""
    assert vn.fold_words("Chi bộ  Thôn ĐÔNG-1") == vn.fold_words("chi bo thon dong 1") == "chi bo thon dong 1"
    assert vn.fold_words("  (Đảng viên dự bị)  ") == "dang vien du bi"
