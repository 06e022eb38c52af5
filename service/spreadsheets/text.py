"""Text written into an XLSX file stays text: never a formula, never a DDE link.

A spreadsheet treats a cell beginning with ``=``, ``+``, ``-`` or ``@`` (and, after a paste or a
CSV round trip, a tab or a carriage return) as the start of a formula: a chi bộ named
``=cmd|' /C calc'!A0`` would be a command to run (CSV/formula injection). Every text cell this
service writes (the đảng bộ summary, the blank workbook) goes through ``write_row``:

- a string is always stored as a string (``t="s"``), never as openpyxl's formula (``=…``) or
  error (``#N/A``) cell, so nothing is evaluated when the file is opened;
- one that begins like a formula also gets Excel's *quote prefix* (the style that a typed
  leading apostrophe sets): Excel and LibreOffice show it as text, exactly as written, and it
  stays text when the cell is edited. No visible ``'`` is added, so the value is unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(text: str) -> bool:
    """True when a spreadsheet could read *text* as the start of a formula."""
    return text.startswith(FORMULA_STARTS)


def as_text(cell: Any) -> Any:
    """Make an openpyxl cell holding a string a plain text cell; return it."""
    if isinstance(cell.value, str):
        cell.data_type = "s"
        if looks_like_formula(cell.value):
            cell.quotePrefix = True
    return cell


def write_row(sheet: Any, values: Iterable[Any]) -> None:
    """Append *values* as a row of *sheet*, every string as text (``as_text``)."""
    row = list(values)
    sheet.append(row)
    if row:
        for cell in sheet[sheet.max_row]:
            as_text(cell)
