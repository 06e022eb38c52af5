"""Paragraphs: one-run lines in a house style, docxtpl paragraph loops, page breaks."""

from __future__ import annotations

from docx.document import Document as DocxDocument
from docx.enum.text import WD_LINE_SPACING
from docx.shared import Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from doc_templates.styles import BODY, CENTER


def add_run(para: Paragraph, text: str, *, bold: bool = False, italic: bool = False,
            size: float | None = None) -> None:
    """Append a run of *text* to *para*, bold, italic or resized when asked."""
    run = para.add_run(text)
    if bold:
        run.bold = True
    if italic:
        run.italic = True
    if size is not None:
        run.font.size = Pt(size)


def add(parent: DocxDocument | _Cell, text: str = "", style: str = BODY, *,
        bold: bool = False, italic: bool = False, size: float | None = None,
        keep_next: bool = False) -> Paragraph:
    """Append a one-run paragraph; the pristine first paragraph of a cell is reused."""
    first = parent.paragraphs[0] if isinstance(parent, _Cell) else None
    if first is not None and len(parent.paragraphs) == 1 and first._p.pPr is None \
            and not first.runs:
        para = first
        para.style = style
    else:
        para = parent.add_paragraph(style=style)
    if text:
        add_run(para, text, bold=bold, italic=italic, size=size)
    if keep_next:
        para.paragraph_format.keep_with_next = True
    return para


def body_loop(doc: DocxDocument | _Cell, items: str, var: str, text: str,
              style: str = BODY) -> None:
    """A paragraph repeated for every item of *items*."""
    add(doc, f"{{%p for {var} in {items} %}}", style)
    add(doc, text, style)
    add(doc, "{%p endfor %}", style)


def new_page(doc: DocxDocument, condition: str = "not loop.first") -> None:
    """Start a new page when *condition* holds (inside a ``{%p for %}`` loop of copies).

    The break is a 1 pt paragraph that begins the next copy (page break before), not one
    that ends the previous: a copy that fills its last page to the bottom is not followed by
    an empty page.
    """
    add(doc, f"{{%p if {condition} %}}", CENTER)
    tiny(doc).paragraph_format.page_break_before = True
    add(doc, "{%p endif %}", CENTER)


def tiny(parent: DocxDocument | _Cell) -> Paragraph:
    """An empty 1 pt paragraph: where the format needs a paragraph but the page no line."""
    para = add(parent, "", CENTER, size=1)
    para.paragraph_format.line_spacing = Pt(1)
    para.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    return para


def blank_lines(cell: _Cell, count: int) -> None:
    """*count* empty centred lines kept with what follows (room for a signature)."""
    for _ in range(count):
        add(cell, "", CENTER, keep_next=True)
