"""A season's board as an XLSX workbook: one row per unit, every text cell written as text.

The caller hands plain rows (``service.seasons`` sits above this row and is never imported):
the title, the header and the rows, all strings or numbers.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from service.spreadsheets.text import write_row

WIDTHS = (6, 34, 20, 14, 12, 40, 60, 30)


def board_xlsx(
    title: str,
    head: Sequence[str],
    rows: Sequence[Sequence[str | int | None]],
    counts: Sequence[tuple[str, int]],
) -> bytes:
    """The board: a title line, the header, a row per unit, then how many units are in each state."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Theo dõi"
    write_row(sheet, [title])
    sheet.cell(row=1, column=1).font = Font(bold=True, size=13)
    write_row(sheet, list(head))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in rows:
        write_row(sheet, list(row))
    write_row(sheet, [])
    for label, count in counts:
        write_row(sheet, ["", label, count])
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for line in sheet.iter_rows(min_row=3):
        for cell in line:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A3"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
