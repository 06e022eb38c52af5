"""Vietnamese ways of writing dates, counts and shares in Party documents.

Pure functions, no I/O: ``date_line`` gives "Hà Tĩnh, ngày 05 tháng 12 năm 2025",
``percent`` gives "87,5%", ``ratio`` gives "07/08", ``doc_number`` gives "Số 01-BB/CB".
Every share takes a ``RoundingRule`` (a meeting's ``rules``, the đảng bộ's summary rule): there
is no default rounding, so no percentage on a page can be rounded differently from its neighbours.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import Literal, Protocol

from babel.numbers import format_decimal

Rounding = Literal["half_up", "truncate"]
_ROUNDING = {"half_up": ROUND_HALF_UP, "truncate": ROUND_DOWN}


class RoundingRule(Protocol):
    """How a share is rounded: a meeting's ``rules`` block, or the summary's ``Rounded``."""

    @property
    def rounding(self) -> Rounding:
        """``half_up`` (87,45 → 87,5) or ``truncate`` (96,55 → 96,5)."""
        ...

    @property
    def decimals(self) -> int:
        """Digits after the decimal comma (0 to 2)."""
        ...


@dataclass(frozen=True)
class Rounded:
    """A rounding rule that is not a meeting's: the đảng bộ summary's, or a test's."""

    rounding: Rounding = "half_up"
    decimals: int = 1


def _day(value: date) -> str:
    return f"{value.day:02d}"


def _month(value: date) -> str:
    # HD 36 examples pad days below 10 and the months 1 and 2 ("tháng 02", but "tháng 4")
    return f"{value.month:02d}" if value.month <= 2 else str(value.month)


def long_date(value: date) -> str:
    """``ngày 05 tháng 12 năm 2025``."""
    return f"ngày {_day(value)} tháng {_month(value)} năm {value.year}"


def date_line(place: str, value: date) -> str:
    """The place-and-date line under the national title: ``Kỳ Anh, ngày 05 tháng 12 năm 2025``."""
    return f"{place}, {long_date(value)}"


def citation_date(value: date) -> str:
    """``22/11/2023``, ``08/3/2018``: a date in a "Căn cứ" line, as the central texts write it."""
    return f"{_day(value)}/{_month(value)}/{value.year}"


def short_date(value: date) -> str:
    """``05/12/2025``."""
    return f"{value.day:02d}/{value.month:02d}/{value.year}"


def clock(value: datetime) -> str:
    """``14 giờ 00 phút``."""
    return f"{value.hour:02d} giờ {value.minute:02d} phút"


def count(value: int) -> str:
    """A count as written in Party reports: zero-padded to two digits (``07``), dots for thousands."""
    if value < 10:
        return f"{value:02d}"
    return format_decimal(value, locale="vi_VN", group_separator=True)


def ratio(part: int, whole: int) -> str:
    """``07/08``: a part of a stated whole."""
    return f"{count(part)}/{count(whole)}"


def share(part: int, whole: int, rule: RoundingRule) -> Decimal | None:
    """The percentage ``part/whole`` rounded by *rule*, or None when *whole* is 0."""
    if whole <= 0:
        return None
    exact = Decimal(part) * 100 / Decimal(whole)
    step = Decimal(1).scaleb(-rule.decimals)
    return exact.quantize(step, rounding=_ROUNDING[rule.rounding])


def percent(part: int, whole: int, rule: RoundingRule) -> str:
    """``87,5%``: decimal comma, no trailing ``,0``, ``–`` when there is nothing to divide by."""
    value = share(part, whole, rule)
    if value is None:
        return "–"
    return format_percent_value(value)


def format_percent_value(value: Decimal) -> str:
    """Write an already rounded percentage: ``Decimal('87.5')`` → ``87,5%``, ``100.0`` → ``100%``."""
    return number(value) + "%"


def number(value: Decimal | int) -> str:
    """A decimal number with a decimal comma and no trailing zeros: ``86.50`` → ``86,5``."""
    text = f"{Decimal(value):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def doc_number(number: int, type_code: str, issuer_code: str) -> str:
    """``Số 01-BB/CB``: no colon after Số in Party documents, numbers below 10 padded."""
    return f"Số {number:02d}-{type_code}/{issuer_code}"


def upper(text: str) -> str:
    """Upper-case Vietnamese text for headers (``Chi bộ thôn Tân Phong`` → ``CHI BỘ THÔN TÂN PHONG``)."""
    return text.upper()


def fold(text: str, *, keep_case: bool = False) -> str:
    """``Biên bản Đảng ủy`` → ``bien ban dang uy``: đ as d, no accents, lower case (*keep_case*: as typed).

    The one Vietnamese text folding of the service (names and headers compared loosely, search,
    ASCII file names). What does not fold to ASCII (``—``, ``…``) is dropped.
    """
    plain = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    ascii_text = plain.encode("ascii", "ignore").decode()
    return ascii_text if keep_case else ascii_text.lower()


def fold_words(text: str) -> str:
    """``Chi bộ  Thôn-Đông`` → ``chi bo thon dong``: ``fold``, letters and digits only, one space apart."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", fold(text)).split())
