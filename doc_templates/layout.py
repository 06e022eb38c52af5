"""Shared layout of every template, after HD 36-HD/VPTW (domain §4).

A4 portrait, margins 20/20/30/15 mm, Times New Roman (mapped to Liberation Serif on the
server), 14 pt justified body, the page number at the top centre from page 2 on; the
two-column borderless header; the signature blocks. Each form in ``forms/`` composes a
document from these pieces; ``build.py`` writes them all, deterministically.
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Cm, Mm, Pt
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph

FONT = "Times New Roman"
LANG = "vi-VN"
FIXED_DATE = datetime(2025, 1, 1, 0, 0, 0)
ZIP_DATE = (2025, 1, 1, 0, 0, 0)
TEXT_WIDTH = 165.0  # mm: 210 - 30 - 15

# Paragraph styles defined here (ASCII names so Word shows them as-is).
BODY, HEADING, CENTER, CELL, NOTE = "CB Body", "CB Heading", "CB Center", "CB Table", "CB Note"
CELL_LEFT, LEFT = "CB Table Left", "CB Left"

HEADER_WIDTHS = (72.0, 93.0)  # mm
# the rule under "ĐẢNG CỘNG SẢN VIỆT NAM" is that paragraph's bottom border: indent it so the
# rule is about as long as the title
RULE_INDENT_MM = 9.0
SIGN_WIDTHS = (82.5, 82.5)

__all__ = [
    "BODY", "CELL", "CELL_LEFT", "CENTER", "HEADING", "LEFT", "NOTE", "TEXT_WIDTH", "WD_ALIGN_PARAGRAPH",
    "WD_CELL_VERTICAL_ALIGNMENT", "Cm", "DocxDocument", "Mm", "Paragraph", "Pt", "Table",
    "add", "add_run", "body_loop", "cell_tag_rows", "el", "header_block", "new_document",
    "new_row", "page_break", "save", "sign_single", "sign_two", "table", "title_block",
]


def el(tag: str, **attrs: str) -> BaseOxmlElement:
    """Return a new ``w:`` element with ``w:``-qualified attributes."""
    el = OxmlElement(f"w:{tag}")
    for key, value in attrs.items():
        el.set(qn(f"w:{key}"), value)
    return el


def _replace(parent: BaseOxmlElement, child: BaseOxmlElement) -> None:
    """Put ``child`` into ``parent``, dropping any existing element with the same tag."""
    for old in parent.findall(child.tag):
        parent.remove(old)
    parent.append(child)


def _font_rpr(rpr: BaseOxmlElement) -> None:
    """Force Times New Roman on every script slot and Vietnamese as the language."""
    fonts = {"ascii": FONT, "hAnsi": FONT, "cs": FONT, "eastAsia": FONT}
    _replace(rpr, el("rFonts", **fonts))
    _replace(rpr, el("lang", val=LANG, eastAsia=LANG, bidi=LANG))


def _mm_twips(mm: float) -> str:
    return str(round(mm * 1440 / 25.4))


def _setup_styles(doc: DocxDocument) -> None:
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for child in list(rpr):
        rpr.remove(child)
    _font_rpr(rpr)
    rpr.append(el("sz", val="28"))
    rpr.append(el("szCs", val="28"))
    ppr = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr"))
    _replace(ppr, el("spacing", before="0", after="0", line="240", lineRule="auto"))

    normal = doc.styles["Normal"]
    normal.font.size = Pt(14)
    _font_rpr(normal.element.get_or_add_rPr())

    def define(name: str, base: str, size: float = 14, align: WD_ALIGN_PARAGRAPH | None = None):
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = doc.styles[base]
        style.quick_style = True
        style.font.size = Pt(size)
        pf = style.paragraph_format
        pf.alignment = align
        pf.space_before, pf.space_after = Pt(0), Pt(0)
        pf.first_line_indent = Cm(0)
        return style

    body = define(BODY, "Normal", align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    body.paragraph_format.first_line_indent = Cm(1)
    body.paragraph_format.space_after = Pt(6)
    body.paragraph_format.line_spacing_rule = WD_LINE_SPACING.AT_LEAST
    body.paragraph_format.line_spacing = Pt(18)
    body.paragraph_format.widow_control = True

    heading = define(HEADING, BODY, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    heading.font.bold = True
    heading.paragraph_format.space_before = Pt(6)
    heading.paragraph_format.space_after = Pt(6)
    heading.paragraph_format.keep_with_next = True

    define(CENTER, "Normal", align=WD_ALIGN_PARAGRAPH.CENTER)
    cell = define(CELL, "Normal", size=12, align=WD_ALIGN_PARAGRAPH.CENTER)
    cell.paragraph_format.space_before = Pt(2)
    cell.paragraph_format.space_after = Pt(2)
    cell_left = define(CELL_LEFT, CELL, size=12, align=WD_ALIGN_PARAGRAPH.LEFT)
    cell_left.paragraph_format.space_before = Pt(2)

    left = define(LEFT, BODY, align=WD_ALIGN_PARAGRAPH.LEFT)
    left.paragraph_format.first_line_indent = Cm(1)
    left.paragraph_format.space_after = Pt(6)
    note = define(NOTE, BODY, size=12, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    note.font.italic = True
    note.paragraph_format.space_before = Pt(4)
    note.paragraph_format.first_line_indent = Cm(1)


def _setup_page(doc: DocxDocument) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance, section.footer_distance = Mm(10), Mm(10)
    section.gutter = Mm(0)
    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False
    section.first_page_header.paragraphs[0].style = doc.styles[CENTER]

    para = section.header.paragraphs[0]
    para.style = doc.styles[CENTER]
    for kind, text in (("begin", ""), ("instr", " PAGE "), ("separate", ""), ("text", "2")):
        run = para.add_run()
        if kind == "instr":
            instr = el("instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        elif kind == "text":
            run.text = text
        else:
            run._r.append(el("fldChar", fldCharType=kind))
    para.add_run()._r.append(el("fldChar", fldCharType="end"))


def _set_core_properties(doc: DocxDocument, title: str) -> None:
    props = doc.core_properties
    props.author = props.last_modified_by = "chibo-docs"
    props.title = title
    props.subject = "Mẫu văn bản (docxtpl) – chibo-docs"
    props.comments = props.keywords = props.category = ""
    props.language = LANG
    props.revision = 1
    props.created = props.modified = FIXED_DATE
    package_rels = doc.part.package.rels
    for rid in [rid for rid, rel in package_rels.items() if rel.reltype == RT.THUMBNAIL]:
        del package_rels[rid]


def add_run(para: Paragraph, text: str, *, bold: bool = False, italic: bool = False,
         size: float | None = None) -> None:
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


def table(doc: DocxDocument, widths: tuple[float, ...], *, borders: bool,
           margin_mm: float) -> Table:
    """A fixed-layout table as wide as the text, widths set on grid and cells."""
    table = doc.add_table(rows=1, cols=len(widths))
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    tbl_pr = table._tbl.tblPr
    _replace(tbl_pr, el("tblW", w=_mm_twips(sum(widths)), type="dxa"))
    edge = {"val": "single", "sz": "4", "space": "0", "color": "000000"} if borders \
        else {"val": "nil"}
    tbl_borders = el("tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        tbl_borders.append(el(side, **edge))
    _replace(tbl_pr, tbl_borders)
    _replace(tbl_pr, el("tblLayout", type="fixed"))
    cell_mar = el("tblCellMar")
    for side in ("left", "right"):
        cell_mar.append(el(side, w=_mm_twips(margin_mm), type="dxa"))
    _replace(tbl_pr, cell_mar)
    for grid_col, width in zip(table._tbl.tblGrid.gridCol_lst, widths, strict=True):
        grid_col.w = Mm(width)
    _size_row(table.rows[0], widths)
    return table


def _size_row(row: _Row, widths: tuple[float, ...]) -> None:
    for cell, width in zip(row.cells, widths, strict=True):
        cell.width = Mm(width)


def new_row(table: Table, widths: tuple[float, ...], flag: str | None = None) -> _Row:
    row = table.add_row()
    _size_row(row, widths)
    if flag:
        row._tr.get_or_add_trPr().append(el(flag))
    return row


def cell_tag_rows(tbl: Table, widths: tuple[float, ...], opener: str, closer: str,
                  fill: list[str], *, left: tuple[int, ...] = (), height_mm: float = 0) -> _Row:
    """A docxtpl row loop: a row holding *opener*, the data row, a row holding *closer*."""
    first = new_row(tbl, widths)
    add(first.cells[0], opener, CELL)
    data = new_row(tbl, widths, "cantSplit")
    if height_mm:
        data._tr.get_or_add_trPr().append(el("trHeight", val=_mm_twips(height_mm), hRule="atLeast"))
    for index, (cell, text) in enumerate(zip(data.cells, fill, strict=True)):
        para = add(cell, text, CELL_LEFT if index in left else CELL)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        para.paragraph_format.keep_with_next = False
    last = new_row(tbl, widths)
    add(last.cells[0], closer, CELL)
    for row in (first, last):  # tag rows vanish on render; keep their cells valid
        for cell in row.cells[1:]:
            add(cell, "", CELL)
    return data


def header_row(tbl: Table, labels: tuple[str, ...], size: float | None = None) -> None:
    """Fill the first row as a bold header that repeats on every page."""
    head = tbl.rows[0]
    head._tr.get_or_add_trPr().append(el("tblHeader"))
    head._tr.get_or_add_trPr().append(el("cantSplit"))
    for cell, label in zip(head.cells, labels, strict=True):
        add(cell, label, CELL, bold=True, size=size)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def body_loop(doc: DocxDocument | _Cell, items: str, var: str, text: str,
              style: str = BODY) -> None:
    """A paragraph repeated for every item of *items*."""
    add(doc, f"{{%p for {var} in {items} %}}", style)
    add(doc, text, style)
    add(doc, "{%p endfor %}", style)


def header_block(doc: DocxDocument, *, number: bool = True, date: bool = True) -> None:
    """The two-column header: the lines above (up to two) / CHI BỘ … / * / Số …; ĐẢNG CỘNG SẢN VIỆT NAM."""
    tbl = table(doc, HEADER_WIDTHS, borders=False, margin_mm=0.5)
    left, right = tbl.rows[0].cells
    body_loop(left, "h.parents", "line", "{{ line }}", CENTER)
    add(left, "{{ h.issuer }}", CENTER, bold=True)
    add(left, "*", CENTER)
    if number:
        add(left, "{{ h.number }}", CENTER)
    title = add(right, "ĐẢNG CỘNG SẢN VIỆT NAM", CENTER, bold=True, size=15)
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
    code = add(doc, f"{{{{ {variable} }}}}", CENTER, size=12, italic=True)
    code.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    add(doc, "{%p endif %}", CENTER)


def title_block(doc: DocxDocument, type_name: str, summary: str | None = "{{ title.summary }}",
                *, extra: tuple[str, ...] = ()) -> None:
    """The document type in capitals, its summary in bold, and a short rule."""
    add(doc, "", CENTER)
    title = add(doc, type_name, CENTER, bold=True, size=16, keep_next=True)
    title.paragraph_format.space_before = Pt(12)
    for line in (summary, *extra):
        if line:
            add(doc, line, CENTER, bold=True, keep_next=True)
    sep = add(doc, "-----", CENTER)
    sep.paragraph_format.space_after = Pt(12)


def ballot_top(doc: DocxDocument) -> None:
    """The head of a ballot copy: the header without number or date, title, instruction."""
    header_block(doc, number=False, date=False)
    add(doc, "", CENTER)
    add(doc, "{{ title }}", CENTER, bold=True, keep_next=True)
    add(doc, "{{ instruction }}", CENTER, italic=True, keep_next=True)
    add(doc, "", CENTER)


def page_break(doc: DocxDocument, condition: str = "not loop.last") -> None:
    """A page break between repeated copies (inside a ``{%p for %}`` loop)."""
    add(doc, f"{{%p if {condition} %}}", CENTER)
    para = add(doc, "", CENTER)
    para.add_run().add_break(WD_BREAK.PAGE)
    add(doc, "{%p endif %}", CENTER)


def _blank_lines(cell: _Cell, count: int) -> None:
    for _ in range(count):
        add(cell, "", CENTER, keep_next=True)


def sign_two(doc: DocxDocument, left: tuple[str, ...], left_name: str,
             right: tuple[str, ...], right_name: str) -> Table:
    """Two signature blocks side by side: titles in bold capitals, blank lines, the name."""
    tbl = table(doc, SIGN_WIDTHS, borders=False, margin_mm=1.0)
    row = tbl.rows[0]
    row._tr.get_or_add_trPr().append(el("cantSplit"))
    cells = row.cells
    for cell, titles, name in ((cells[0], left, left_name), (cells[1], right, right_name)):
        for index, text in enumerate(titles):
            add(cell, text, CENTER, bold=index == 0, keep_next=True)
        _blank_lines(cell, 5 - len(titles))
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
    run = label.add_run("Nơi nhận:")
    run.underline = True
    run.bold = True
    add(left, f"{{%p for r in {recipients} %}}", CELL_LEFT)
    add(left, "{{ r }}", CELL_LEFT, size=12)
    add(left, "{%p endfor %}", CELL_LEFT)
    for index, text in enumerate(titles):
        add(right, text, CENTER, bold=index == 0, keep_next=True)
    _blank_lines(right, 5 - len(titles))
    add(right, name, CENTER, bold=True)


def new_document(title: str, *, landscape: bool = False) -> DocxDocument:
    """An empty A4 document with the house styles, page setup and fixed properties."""
    doc = Document()
    _setup_styles(doc)
    _setup_page(doc)
    if landscape:
        section = doc.sections[0]
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
    _set_core_properties(doc, title)
    return doc


def save(doc: DocxDocument, path: Path) -> None:
    """Save with a tiny closing paragraph and fixed ZIP timestamps (reproducible bytes)."""
    tail = add(doc, "", CENTER, size=1)  # a body must end with a paragraph, keep it tiny
    tail.paragraph_format.line_spacing = Pt(1)
    tail.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    doc.save(str(path))
    with zipfile.ZipFile(path) as src:
        entries = [(info.filename, src.read(info)) for info in src.infolist()]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, data)
    path.write_bytes(buffer.getvalue())
