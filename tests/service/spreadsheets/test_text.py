"""Text written to XLSX stays text: string cells, the quote prefix on what looks like a formula."""

from __future__ import annotations

import pytest
from openpyxl import Workbook

from service.spreadsheets.text import as_text, looks_like_formula, write_row


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@A1", "\tx", "\rx", "=cmd|' /C calc'!A0"])
def test_formula_starts_get_the_quote_prefix(text):
    """= + - @ tab and CR at the start: a text cell with Excel's quote prefix, the value as typed."""
    sheet = Workbook().active
    write_row(sheet, [text])
    cell = sheet["A1"]
    assert (cell.value, cell.data_type, cell.quotePrefix) == (text, "s", True)
    assert looks_like_formula(text)


def test_plain_text_and_numbers_are_left_as_they_are():
    """Ordinary text has no prefix; numbers stay numbers; an error code stays text."""
    sheet = Workbook().active
    write_row(sheet, ["Chi bộ A", 7, 0.5, "#N/A", None])
    a, b, c, d, _ = sheet[1]
    assert (a.data_type, a.quotePrefix) == ("s", False)
    assert (b.data_type, c.data_type) == ("n", "n")
    assert d.data_type == "s"


def test_as_text_leaves_other_values_alone():
    """A number cell passes through untouched."""
    cell = Workbook().active["A1"]
    cell.value = 5
    assert as_text(cell).data_type == "n"


def test_an_empty_row_is_a_blank_line():
    """write_row([]) leaves a blank line like append([])."""
    sheet = Workbook().active
    write_row(sheet, ["a"])
    write_row(sheet, [])
    write_row(sheet, ["=b"])
    assert sheet["A3"].value == "=b" and sheet["A3"].data_type == "s"
