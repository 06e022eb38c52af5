"""The head of a document: the two-column header, the form code, the title block.

The header follows HD 36-HD/VPTW (domain §4.3): on the left the đảng bộ cấp trên, the bold
issuing body, ``*`` and the number; on the right **ĐẢNG CỘNG SẢN VIỆT NAM** over its rule and
the italic date line, in two borderless columns.
"""

from __future__ import annotations

from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt
from docx.table import _Cell

from doc_templates.ooxml import el
from doc_templates.paragraphs import add, body_loop
from doc_templates.styles import CENTER
from doc_templates.tables import table
from service.meetings.layouts import DEFAULT

HEADER_WIDTHS = (72.0, 93.0)  # mm
# the rule under "ĐẢNG CỘNG SẢN VIỆT NAM" is that paragraph's bottom border: indent it so the
# rule is about as long as the title
RULE_INDENT_MM = 9.0


def header_block(doc: DocxDocument | _Cell, *, number: bool = True, date: bool = True,
                 widths: tuple[float, float] = HEADER_WIDTHS) -> None:
    """The two-column header: the lines above (up to two) / CHI BỘ … / * / Số …; ĐẢNG CỘNG SẢN VIỆT NAM."""
    tbl = table(doc, widths, borders=False, margin_mm=0.5)
    left, right = tbl.rows[0].cells
    body_loop(left, "h.parents", "line", "{{ line }}", CENTER)
    add(left, "{{ h.issuer }}", CENTER, bold=True)
    add(left, "*", CENTER)
    if number:
        add(left, "{{ h.number }}", CENTER)
    title = add(right, "ĐẢNG CỘNG SẢN VIỆT NAM", CENTER, bold=True, size=DEFAULT.sizes.party_title)
    title.paragraph_format.left_indent = Mm(RULE_INDENT_MM)
    title.paragraph_format.right_indent = Mm(RULE_INDENT_MM)
    title.paragraph_format.space_after = Pt(6)
    border = el("pBdr")
    border.append(el("bottom", val="single", sz="6", space="1", color="000000"))
    title._p.get_or_add_pPr().append(border)
    if date:
        add(right, "{{ h.date_line }}", CENTER, italic=True)


def form_code(doc: DocxDocument, variable: str = "form_code") -> None:
    """The official form code (``Mẫu 01-HD KĐ.ĐG 2025``), right-aligned above the header."""
    add(doc, f"{{%p if {variable} %}}", CENTER)
    code = add(doc, f"{{{{ {variable} }}}}", CENTER, size=DEFAULT.sizes.form_code, italic=True)
    code.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    add(doc, "{%p endif %}", CENTER)


def title_block(doc: DocxDocument, type_name: str, summary: str | None = "{{ title.summary }}",
                *, extra: tuple[str, ...] = ()) -> None:
    """The document type in capitals, its summary in bold, and a short rule."""
    add(doc, "", CENTER)
    title = add(doc, type_name, CENTER, bold=True, size=DEFAULT.sizes.type_name, keep_next=True)
    title.paragraph_format.space_before = Pt(12)
    for line in (summary, *extra):
        if line:
            add(doc, line, CENTER, bold=True, keep_next=True)
    sep = add(doc, DEFAULT.endings.title_rule, CENTER)
    sep.paragraph_format.space_after = Pt(12)


def ballot_top(doc: DocxDocument | _Cell, widths: tuple[float, float] = HEADER_WIDTHS) -> None:
    """The head of a ballot copy: the header without number or date, title, instruction."""
    header_block(doc, number=False, date=False, widths=widths)
    add(doc, "", CENTER)
    add(doc, "{{ title }}", CENTER, bold=True, keep_next=True)
    add(doc, "{{ instruction }}", CENTER, italic=True, keep_next=True)
    add(doc, "", CENTER)
