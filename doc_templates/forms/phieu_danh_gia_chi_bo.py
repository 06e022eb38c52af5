"""Phiếu đánh giá, xếp loại chất lượng chi bộ: one copy per voter (domain §5.5).

A secret ballot: no page number and no number of any kind. ``per_sheet`` copies share an A4
sheet: 1 (a page each, the default), 2 (halves, one above the other) or 4 (quarters), with
dashed cut lines between them; the last sheet leaves the unused places blank.
"""

from __future__ import annotations

from collections.abc import Callable

from docx.table import _Cell

from doc_templates.layout import (
    BODY,
    CENTER,
    HEADER_WIDTHS,
    LEFT,
    NOTE,
    DocxDocument,
    Mm,
    Pt,
    add,
    ballot_top,
    cut_sheet,
    new_page,
    tiny,
)

TITLE = "Phiếu đánh giá, xếp loại chất lượng chi bộ"
PAGE_NUMBER = False
HALF_MM = 128.0  # of the 257 mm between the top and bottom margins: two rows and 1 mm spare
HALF_INNER = 157.0  # mm: 165 less the sheet's 4 mm cell margins


def _levels(doc: DocxDocument | _Cell, style: str, indent_mm: float, size: float | None = None) -> None:
    add(doc, "{%p for lv in levels %}", style)
    box = add(doc, "{{ lv }}", style, size=size)
    box.paragraph_format.left_indent = Mm(indent_mm)
    box.paragraph_format.first_line_indent = Mm(0)
    add(doc, "{%p endfor %}", style)


def _full(doc: DocxDocument | _Cell, widths: tuple[float, float] = HEADER_WIDTHS) -> None:
    """A whole ballot in the house layout: on its own page, or on half a sheet."""
    ballot_top(doc, widths)
    add(doc, "{{ subject }}", BODY, bold=True)
    _levels(doc, BODY, 20)
    add(doc, "", CENTER)
    add(doc, "{{ footer }}", NOTE)


def _quarter(cell: _Cell) -> None:
    """A ballot on a quarter sheet: the header lines stacked, 11–12 pt."""
    add(cell, "ĐẢNG CỘNG SẢN VIỆT NAM", CENTER, bold=True, size=12)
    add(cell, "{{ h.parent }}", CENTER, size=11).paragraph_format.space_before = Pt(6)
    add(cell, "{{ h.issuer }}", CENTER, bold=True, size=11)
    add(cell, "*", CENTER, size=11)
    title = add(cell, "{{ title }}", CENTER, bold=True, size=12)
    title.paragraph_format.space_before = Pt(10)
    instruction = add(cell, "{{ instruction }}", CENTER, italic=True, size=11)
    instruction.paragraph_format.space_after = Pt(10)
    subject = add(cell, "{{ subject }}", LEFT, bold=True, size=12)
    subject.paragraph_format.first_line_indent = Mm(0)
    _levels(cell, LEFT, 4, size=12)
    footer = add(cell, "{{ footer }}", NOTE, size=11)
    footer.paragraph_format.space_before = Pt(10)
    footer.paragraph_format.first_line_indent = Mm(0)


def _place(cell: _Cell, index: int, fill: Callable[[_Cell], None]) -> None:
    """One place on a sheet: a ballot when the sheet has a copy for it, else blank."""
    add(cell, f"{{%p if sheet[{index}] %}}", CENTER)
    fill(cell)
    add(cell, "{%p endif %}", CENTER)
    tiny(cell)  # a cell must hold a paragraph even when its place is blank


def compose(doc: DocxDocument) -> None:
    """Every sheet: one ballot, two halves or four quarters."""
    add(doc, "{%p for sheet in sheets %}", CENTER)
    new_page(doc)
    add(doc, "{%p if per_sheet == 1 %}", CENTER)
    _full(doc)
    add(doc, "{%p endif %}", CENTER)
    add(doc, "{%p if per_sheet == 2 %}", CENTER)
    halves = cut_sheet(doc, (165.0,), 2, HALF_MM)
    for index, row in enumerate(halves.rows):
        _place(row.cells[0], index, lambda cell: _full(cell, (64.0, HALF_INNER - 64.0)))
    add(doc, "{%p endif %}", CENTER)
    add(doc, "{%p if per_sheet == 4 %}", CENTER)
    quarters = cut_sheet(doc, (82.5, 82.5), 2, HALF_MM)
    for index, cell in enumerate(c for row in quarters.rows for c in row.cells):
        _place(cell, index, _quarter)
    add(doc, "{%p endif %}", CENTER)
    add(doc, "{%p endfor %}", CENTER)
