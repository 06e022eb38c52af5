"""Dates as registers write them."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from service.roster.dates import read_date, split_dates

TODAY = date(2026, 12, 1)


@pytest.mark.parametrize(("cell", "expected"), [
    ("15.05.76", date(1976, 5, 15)),
    ("15/05/1976", date(1976, 5, 15)),
    ("5/6/2020", date(2020, 6, 5)),
    ("03.02.24", date(2024, 2, 3)),
    ("1976-05-15", date(1976, 5, 15)),
    ("ngày 15 tháng 5 năm 1976", date(1976, 5, 15)),
    (27895, date(1976, 5, 15)),
    (27895.0, date(1976, 5, 15)),
    ("27895", date(1976, 5, 15)),
    (datetime(1976, 5, 15, 0, 0), date(1976, 5, 15)),
    (date(1976, 5, 15), date(1976, 5, 15)),
])
def test_a_date_is_read_in_every_usual_form(cell, expected):
    """Dotted two-digit years, slashes, ISO, words, Excel serials and date cells are one day."""
    assert read_date(cell, TODAY).day == expected


def test_a_two_digit_year_above_this_one_is_of_the_last_century():
    """``15.05.27`` in 2026 is 1927 (a birth), ``15.05.26`` is 2026."""
    assert read_date("15.05.27", TODAY).day == date(1927, 5, 15)
    assert read_date("15.05.26", TODAY).day == date(2026, 5, 15)


@pytest.mark.parametrize("cell", ["1976", 1976])
def test_a_lone_year_is_only_a_year(cell):
    """A year alone is kept as a year, not made into the first of January."""
    reading = read_date(cell, TODAY)
    assert (reading.day, reading.year, reading.problem) == (None, 1976, None)


@pytest.mark.parametrize("cell", ["32/13/1990", "31/02/1990", "hôm qua", "05/1976", True])
def test_what_is_no_date_is_a_problem(cell):
    """An impossible day, a month without a day, words: a problem in Vietnamese, no date."""
    reading = read_date(cell, TODAY)
    assert reading.day is None and reading.problem


def test_an_empty_cell_says_nothing():
    """None and blank text are neither a date nor a problem."""
    assert read_date(None, TODAY) == read_date("  ", TODAY) == read_date("", TODAY)
    assert read_date(None, TODAY).problem is None


@pytest.mark.parametrize(("cell", "parts"), [
    ("15/05/1996\n15/05/1997", ["15/05/1996", "15/05/1997"]),
    ("10/10/1970 - 10/10/1971", ["10/10/1970", "10/10/1971"]),
    ("15/05/1996 15/05/1997", ["15/05/1996", "15/05/1997"]),
    ("03.02.24", ["03.02.24"]),
])
def test_a_cell_of_two_dates_is_split(cell, parts):
    """Mẫu 7-HSĐV's "Ngày vào Đảng, ngày chính thức" holds both dates in one cell."""
    assert split_dates(cell) == parts
