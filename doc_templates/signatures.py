"""Signature blocks: titles in bold capitals, room to sign, the name; Nơi nhận beside one.

HD 36-HD/VPTW (domain §4.5): the authority (``T/M CHI BỘ``) bold, the post (``BÍ THƯ``), the
name bold; Nơi nhận at the bottom left, the signature at the bottom right. A block never
splits across pages.
"""

from __future__ import annotations

from docx.document import Document as DocxDocument
from docx.enum.text import WD_LINE_SPACING
from docx.shared import Mm, Pt
from docx.table import Table, _Cell

from doc_templates.ooxml import el
from doc_templates.paragraphs import add, blank_lines
from doc_templates.styles import CELL_LEFT, CENTER
from doc_templates.tables import table
from service.meetings.layouts import DEFAULT

SIGN_WIDTHS = (82.5, 82.5)
SIGN_ROOM_MM = 26  # the blank room between the titles and the name, for a hand or digital signature


def sign_room(cell: _Cell, lines: int) -> None:
    """*lines* blank lines (so that names side by side align), then a line ``SIGN_ROOM_MM`` high."""
    blank_lines(cell, lines)
    room = add(cell, "", CENTER, keep_next=True)
    room.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    room.paragraph_format.line_spacing = Mm(SIGN_ROOM_MM)


def sign_two(doc: DocxDocument, left: tuple[str, ...], left_name: str,
             right: tuple[str, ...], right_name: str) -> Table:
    """Two signature blocks side by side: titles in bold capitals, blank lines, the name."""
    tbl = table(doc, SIGN_WIDTHS, borders=False, margin_mm=1.0)
    row = tbl.rows[0]
    row._tr.get_or_add_trPr().append(el("cantSplit"))
    cells = row.cells
    most = max(len(left), len(right))
    for cell, titles, name in ((cells[0], left, left_name), (cells[1], right, right_name)):
        for index, text in enumerate(titles):
            add(cell, text, CENTER, bold=index == 0, keep_next=True)
        sign_room(cell, most - len(titles))
        add(cell, name, CENTER, bold=True)
        cell.paragraphs[0].paragraph_format.space_before = Pt(6)
    return tbl


def sign_single(doc: DocxDocument, titles: tuple[str, ...], name: str) -> Table:
    """One signature block on the right half."""
    return sign_two(doc, (), "", titles, name)


def recipients_and_sign(doc: DocxDocument, titles: tuple[str, ...], name: str,
                        recipients: str = "recipients") -> None:
    """Nơi nhận at the bottom left, the signature block at the bottom right."""
    tbl = table(doc, SIGN_WIDTHS, borders=False, margin_mm=1.0)
    row = tbl.rows[0]
    row._tr.get_or_add_trPr().append(el("cantSplit"))
    left, right = row.cells
    label = add(left, "", CELL_LEFT)
    run = label.add_run(DEFAULT.endings.recipients)
    run.underline = True
    run.bold = True
    add(left, f"{{%p for r in {recipients} %}}", CELL_LEFT)
    add(left, "{{ r }}", CELL_LEFT, size=DEFAULT.sizes.recipients)
    add(left, "{%p endfor %}", CELL_LEFT)
    for index, text in enumerate(titles):
        add(right, text, CENTER, bold=index == 0, keep_next=True)
    sign_room(right, 0)
    add(right, name, CENTER, bold=True)
