"""The shared layout of every template, after HD 36-HD/VPTW (domain §4): one import for forms.

The pieces live in one module each: ``styles`` (font and paragraph styles), ``page`` (A4,
margins, page number, reproducible saving), ``paragraphs`` (lines, loops, breaks), ``tables``,
``heads`` (header, form code, title block) and ``signatures``. A form in ``forms/`` imports
what it needs from here; ``build`` writes every template, deterministically.
"""

from __future__ import annotations

from docx.document import Document as DocxDocument
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Mm, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph

from doc_templates.heads import HEADER_WIDTHS, ballot_top, form_code, header_block, title_block
from doc_templates.ooxml import el
from doc_templates.page import TEXT_WIDTH, new_document, save
from doc_templates.paragraphs import add, add_run, body_loop, new_page, tiny
from doc_templates.signatures import recipients_and_sign, sign_single, sign_two
from doc_templates.styles import BODY, CELL, CELL_LEFT, CENTER, HEADING, LEFT, NOTE
from doc_templates.tables import cell_tag_rows, cut_sheet, header_row, new_row, table

__all__ = [
    "BODY", "CELL", "CELL_LEFT", "CENTER", "HEADER_WIDTHS", "HEADING", "LEFT", "NOTE", "TEXT_WIDTH",
    "WD_ALIGN_PARAGRAPH", "WD_CELL_VERTICAL_ALIGNMENT", "Cm", "DocxDocument", "Mm", "Paragraph", "Pt",
    "Table", "add", "add_run", "ballot_top", "body_loop", "cell_tag_rows", "cut_sheet", "el",
    "form_code", "header_block", "header_row", "new_document", "new_page", "new_row",
    "recipients_and_sign", "save", "sign_single", "sign_two", "table", "tiny", "title_block",
]
