"""Dates as registers write them: ``15.05.76``, ``15/05/1976``, ``1976-05-15``, Excel serials, date cells.

``read_date`` answers a ``Reading``: the date, or only a year (``1976``: recorded as a year, for a
date of birth; refused elsewhere by the caller), or why it could not be read. Two-digit years
are of this century up to the current year (``15.05.20`` is 2020), of the last one above it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

_EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 is 1900-01-01 (Excel's false 1900-02-29 aside)
_DMY = re.compile(r"(\d{1,2})\s*[./-]\s*(\d{1,2})\s*[./-]\s*(\d{2}|\d{4})")
_YMD = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?")
_MONTH_YEAR = re.compile(r"(\d{1,2})\s*[./-]\s*(\d{4})")
_WORDS = re.compile(r"ngày\s*(\d{1,2})\s*tháng\s*(\d{1,2})\s*năm\s*(\d{4})", re.IGNORECASE)


@dataclass(frozen=True)
class Reading:
    """What a cell says about a date: a day, only a year, or a problem (all None: empty)."""

    day: date | None = None
    year: int | None = None
    problem: str | None = None


def _year(text: str, today: date) -> int:
    value = int(text)
    if len(text) == 4:
        return value
    return 2000 + value if value <= today.year % 100 else 1900 + value


def _day(year: int, month: int, day: int, raw: str) -> Reading:
    try:
        return Reading(day=date(year, month, day))
    except ValueError:
        return Reading(problem=f"Ngày không có thật: {raw} (ghi ngày/tháng/năm, ví dụ 15/05/1976).")


def _serial(value: float, raw: str) -> Reading:
    if not 1 <= value < 100_000 or value != int(value):
        return Reading(problem=f"Không đọc được ngày: {raw}.")
    return Reading(day=_EXCEL_EPOCH + timedelta(days=int(value)))


def read_date(value: object, today: date) -> Reading:
    """The date a cell holds: a date cell, an Excel serial, or text in a usual Vietnamese form."""
    if value is None or value == "":
        return Reading()
    if isinstance(value, datetime):
        return Reading(day=value.date())
    if isinstance(value, date):
        return Reading(day=value)
    if isinstance(value, bool):
        return Reading(problem="Không đọc được ngày.")
    if isinstance(value, int | float):
        if 1900 <= value <= 2100 and value == int(value):
            return Reading(year=int(value))
        return _serial(float(value), str(value))
    text = " ".join(str(value).split())
    if not text:
        return Reading()
    if m := _DMY.fullmatch(text):
        return _day(_year(m.group(3), today), int(m.group(2)), int(m.group(1)), text)
    if m := _YMD.fullmatch(text):
        return _day(int(m.group(1)), int(m.group(2)), int(m.group(3)), text)
    if m := _WORDS.search(text):
        return _day(int(m.group(3)), int(m.group(2)), int(m.group(1)), text)
    if re.fullmatch(r"\d{4}", text) and 1900 <= int(text) <= 2100:
        return Reading(year=int(text))
    if re.fullmatch(r"\d{5}(\.0+)?", text):
        return _serial(float(text), text)
    if _MONTH_YEAR.fullmatch(text):
        return Reading(problem=f"Thiếu ngày: {text} (cần ngày/tháng/năm).")
    return Reading(problem=f"Không đọc được ngày: {text} (ghi ngày/tháng/năm, ví dụ 15/05/1976).")


def split_dates(value: object) -> list[object]:
    """A cell holding two dates (Mẫu 7-HSĐV "Ngày vào Đảng, ngày chính thức"): each of them."""
    if not isinstance(value, str):
        return [value]
    parts = [p.strip() for p in re.split(r"[\n;,]|\s+-\s+|\s{2,}|\s+và\s+", value) if p.strip()]
    if len(parts) == 1 and len(found := re.findall(r"\d{1,2}[./-]\d{1,2}[./-]\d{2,4}", value)) == 2:
        return list(found)
    return list(parts) or [value]
