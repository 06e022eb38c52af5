"""Typing cells of the đảng bộ workbook: dates and times however Excel stored them."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from service.spreadsheets.cells import _date, _time, cell_name


@pytest.mark.parametrize("value", [date(2026, 5, 15), datetime(2026, 5, 15, 0, 0), 46157, 46157.0,
                                   "15/05/2026", "15.05.26", "15-05-2026", "15/5/2026", "2026-05-15",
                                   "2026-05-15 00:00:00", " 15 / 05 / 2026 "])
def test_a_date_is_read_as_a_date_a_serial_or_text(value):
    """A date cell, Excel's day number and text typed day first all read as 15 May 2026."""
    assert _date(value) == date(2026, 5, 15)


def test_a_two_digit_year_from_50_is_last_century():
    """"15.05.76" is a birth date of 1976; "01.01.49" is 2049."""
    assert _date("15.05.76") == date(1976, 5, 15) and _date("01.01.49") == date(2049, 1, 1)


@pytest.mark.parametrize("value", ["31/02/2026", "hôm qua", "2026", 0.5, -3])
def test_what_is_no_date_is_refused(value):
    """An impossible day, words, a bare year and a fraction are no date."""
    with pytest.raises(ValueError):
        _date(value)


@pytest.mark.parametrize("value", [time(14, 30), datetime(1899, 12, 30, 14, 30), 0.6041666667, "14:30",
                                   "14h30", "14g30", "14:30:00", "14.30"])
def test_a_time_is_read_as_a_time_a_fraction_or_text(value):
    """A time cell, Excel's fraction of a day and typed text all read as 14:30."""
    assert _time(value) == time(14, 30)


def test_a_cell_is_named_by_the_letter_it_was_found_at():
    """A column found at D is named D, whatever the template's order."""
    assert cell_name(("Đảng viên", 4, "Họ và tên"), {("Đảng viên", "Họ và tên"): "E"}) == \
        "Sheet \"Đảng viên\", ô E4 (cột \"Họ và tên\")"
