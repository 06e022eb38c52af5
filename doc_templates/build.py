"""Build ``bien_ban_kiem_diem.docx``, the docxtpl template of the annual review minutes.

The template is the "Biên bản hội nghị kiểm điểm, đánh giá, xếp loại chất lượng tổ chức
đảng và đảng viên", laid out after HD 36-HD/VPTW: A4, margins 20/20/30/15 mm, Times New
Roman, 14 pt justified body, page number at the top centre from page 2 on. It holds only
Jinja placeholders, loops and ifs; every figure is computed by the calling code.

Run ``.venv/bin/python doc_templates/build.py`` to regenerate it. The output is byte-for-byte
deterministic: fixed core properties and fixed ZIP timestamps.
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
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Cm, Mm, Pt
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph

OUTPUT = Path(__file__).with_name("bien_ban_kiem_diem.docx")
FONT = "Times New Roman"
LANG = "vi-VN"
FIXED_DATE = datetime(2025, 1, 1, 0, 0, 0)
ZIP_DATE = (2025, 1, 1, 0, 0, 0)

# Paragraph styles defined by this script (ASCII names so Word shows them as-is).
BODY, HEADING, CENTER, CELL, NOTE = "CB Body", "CB Heading", "CB Center", "CB Table", "CB Note"

HEADER_WIDTHS = (72.0, 93.0)  # mm; 165 mm text width
# Rule under "ĐẢNG CỘNG SẢN VIỆT NAM": indent from each side of the 93 mm cell.
RULE_INDENT_MM = 15.5
RESULT_WIDTHS = (10.0, 37.0, 25.0, 19.0, 19.0, 19.0, 19.0, 17.0)  # mm; sums to 165
RESULT_HEAD = (
    "STT",
    "Họ và tên",
    "Tự xếp loại",
    "Hoàn thành xuất sắc nhiệm vụ",
    "Hoàn thành tốt nhiệm vụ",
    "Hoàn thành nhiệm vụ",
    "Không hoàn thành nhiệm vụ",
    "Chi bộ đề nghị xếp loại",
)
RESULT_CELLS = (
    "{{ r.self_rating }}",
    "{{ r.votes[0] }}",
    "{{ r.votes[1] }}",
    "{{ r.votes[2] }}",
    "{{ r.votes[3] }}",
    "{{ r.result }}",
)
SIGN_WIDTHS = (82.5, 82.5)


# --------------------------------------------------------------------------- XML helpers
def _el(tag: str, **attrs: str) -> BaseOxmlElement:
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
    _replace(rpr, _el("rFonts", **fonts))
    _replace(rpr, _el("lang", val=LANG, eastAsia=LANG, bidi=LANG))


def _mm_twips(mm: float) -> str:
    return str(round(mm * 1440 / 25.4))


# --------------------------------------------------------------------------- styles, page
def _setup_styles(doc: DocxDocument) -> None:
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for child in list(rpr):
        rpr.remove(child)
    _font_rpr(rpr)
    rpr.append(_el("sz", val="28"))
    rpr.append(_el("szCs", val="28"))
    ppr = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr"))
    _replace(ppr, _el("spacing", before="0", after="0", line="240", lineRule="auto"))

    normal = doc.styles["Normal"]
    normal.font.size = Pt(14)
    _font_rpr(normal.element.get_or_add_rPr())

    def add(name: str, base: str, size: float = 14, align: WD_ALIGN_PARAGRAPH | None = None):  # noqa: ANN202
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = doc.styles[base]
        style.quick_style = True
        style.font.size = Pt(size)
        pf = style.paragraph_format
        pf.alignment = align
        pf.space_before, pf.space_after = Pt(0), Pt(0)
        pf.first_line_indent = Cm(0)
        return style

    body = add(BODY, "Normal", align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    body.paragraph_format.first_line_indent = Cm(1)
    body.paragraph_format.space_after = Pt(6)
    body.paragraph_format.line_spacing_rule = WD_LINE_SPACING.AT_LEAST
    body.paragraph_format.line_spacing = Pt(18)
    body.paragraph_format.widow_control = True

    heading = add(HEADING, BODY, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    heading.font.bold = True
    heading.paragraph_format.space_before = Pt(6)
    heading.paragraph_format.space_after = Pt(6)
    heading.paragraph_format.keep_with_next = True

    add(CENTER, "Normal", align=WD_ALIGN_PARAGRAPH.CENTER)
    cell = add(CELL, "Normal", size=12, align=WD_ALIGN_PARAGRAPH.CENTER)
    cell.paragraph_format.space_before = Pt(2)
    cell.paragraph_format.space_after = Pt(2)

    note = add(NOTE, BODY, size=12, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
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
            instr = _el("instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        elif kind == "text":
            run.text = text
        else:
            run._r.append(_el("fldChar", fldCharType=kind))
    para.add_run()._r.append(_el("fldChar", fldCharType="end"))


def _set_core_properties(doc: DocxDocument) -> None:
    props = doc.core_properties
    props.author = props.last_modified_by = "chibo-docs"
    props.title = "Biên bản hội nghị kiểm điểm, đánh giá, xếp loại chất lượng"
    props.subject = "Mẫu biên bản (docxtpl) – chibo-docs"
    props.comments = props.keywords = props.category = ""
    props.language = LANG
    props.revision = 1
    props.created = props.modified = FIXED_DATE
    package_rels = doc.part.package.rels
    for rid in [rid for rid, rel in package_rels.items() if rel.reltype == RT.THUMBNAIL]:
        del package_rels[rid]


# --------------------------------------------------------------------------- content helpers
def _run(para: Paragraph, text: str, *, bold: bool = False, italic: bool = False,
         size: float | None = None) -> None:
    run = para.add_run(text)
    if bold:
        run.bold = True
    if italic:
        run.italic = True
    if size is not None:
        run.font.size = Pt(size)


def _add(parent: DocxDocument | _Cell, text: str = "", style: str = BODY, *,
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
        _run(para, text, bold=bold, italic=italic, size=size)
    if keep_next:
        para.paragraph_format.keep_with_next = True
    return para


def _table(doc: DocxDocument, widths: tuple[float, ...], *, borders: bool,
           margin_mm: float) -> Table:
    """A fixed-layout table as wide as the text, widths set on grid and cells."""
    table = doc.add_table(rows=1, cols=len(widths))
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    tbl_pr = table._tbl.tblPr
    _replace(tbl_pr, _el("tblW", w=_mm_twips(sum(widths)), type="dxa"))
    edge = {"val": "single", "sz": "4", "space": "0", "color": "000000"} if borders \
        else {"val": "nil"}
    tbl_borders = _el("tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        tbl_borders.append(_el(side, **edge))
    _replace(tbl_pr, tbl_borders)
    _replace(tbl_pr, _el("tblLayout", type="fixed"))
    cell_mar = _el("tblCellMar")
    for side in ("left", "right"):
        cell_mar.append(_el(side, w=_mm_twips(margin_mm), type="dxa"))
    _replace(tbl_pr, cell_mar)
    for grid_col, width in zip(table._tbl.tblGrid.gridCol_lst, widths, strict=True):
        grid_col.w = Mm(width)
    _size_row(table.rows[0], widths)
    return table


def _size_row(row: _Row, widths: tuple[float, ...]) -> None:
    for cell, width in zip(row.cells, widths, strict=True):
        cell.width = Mm(width)


def _new_row(table: Table, widths: tuple[float, ...], flag: str | None = None) -> _Row:
    row = table.add_row()
    _size_row(row, widths)
    if flag:
        row._tr.get_or_add_trPr().append(_el(flag))
    return row


# --------------------------------------------------------------------------- sections
def _header_block(doc: DocxDocument) -> None:
    table = _table(doc, HEADER_WIDTHS, borders=False, margin_mm=0.5)
    left, right = table.rows[0].cells
    _add(left, "{{ h.parent }}", CENTER)
    _add(left, "{{ h.issuer }}", CENTER, bold=True)
    _add(left, "*", CENTER)
    _add(left, "{{ h.number }}", CENTER)
    title = _add(right, "ĐẢNG CỘNG SẢN VIỆT NAM", CENTER, bold=True, size=15)
    title.paragraph_format.left_indent = Mm(RULE_INDENT_MM)
    title.paragraph_format.right_indent = Mm(RULE_INDENT_MM)
    title.paragraph_format.space_after = Pt(6)
    border = _el("pBdr")
    border.append(_el("bottom", val="single", sz="6", space="1", color="000000"))
    title._p.get_or_add_pPr().append(border)
    _add(right, "{{ h.date_line }}", CENTER, italic=True)


def _title_block(doc: DocxDocument) -> None:
    _add(doc, "", CENTER)
    title = _add(doc, "BIÊN BẢN", CENTER, bold=True, size=16, keep_next=True)
    title.paragraph_format.space_before = Pt(12)
    _add(doc, "{{ title.summary }}", CENTER, bold=True, keep_next=True)
    sep = _add(doc, "-----", CENTER)
    sep.paragraph_format.space_after = Pt(12)


def _opening_and_attendance(doc: DocxDocument) -> None:
    _add(doc, "Thời gian: bắt đầu vào hồi {{ opening.start }}.")
    _add(doc, "Địa điểm: {{ opening.location }}.")
    _add(doc, "Chủ trì: {{ opening.chair }}.")
    _add(doc, "Thư ký: {{ opening.secretary }}.")
    _add(doc, "1. Thành phần hội nghị", HEADING)
    _add(doc, "{{ attendance.members_line }}")
    _add(doc, "{{ attendance.present_line }}")
    _add(doc, "{%p for a in attendance.absent %}")
    _add(doc, "- Đồng chí {{ a.name }}: {{ a.reason }}.")
    _add(doc, "{%p endfor %}")
    _add(doc, "{%p if guests %}")
    _add(doc, "Đại biểu cấp trên dự hội nghị:")
    _add(doc, "{%p for g in guests %}")
    _add(doc, "- {{ g }}")
    _add(doc, "{%p endfor %}")
    _add(doc, "{%p endif %}")


def _agenda_and_discussion(doc: DocxDocument) -> None:
    _add(doc, "2. Nội dung hội nghị", HEADING)
    _add(doc, "{%p for a in agenda %}")
    _add(doc, "{{ a }}")
    _add(doc, "{%p endfor %}")
    _add(doc, "3. Diễn biến hội nghị", HEADING)
    _add(doc, "{%p for d in discussion %}")
    speech = _add(doc, "Đồng chí {{ d.speaker }}:", bold=True)
    _run(speech, " {{ d.content }}")
    _add(doc, "{%p endfor %}")


def _results_table(doc: DocxDocument) -> None:
    widths = RESULT_WIDTHS
    table = _table(doc, widths, borders=True, margin_mm=1.0)
    head = table.rows[0]
    head._tr.get_or_add_trPr().append(_el("tblHeader"))
    head._tr.get_or_add_trPr().append(_el("cantSplit"))
    for cell, label in zip(head.cells, RESULT_HEAD, strict=True):
        _add(cell, label, CELL, bold=True)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER

    opener = _new_row(table, widths)
    _add(opener.cells[0], "{%tr for r in results.rows %}", CELL)
    data = _new_row(table, widths, "cantSplit")
    cells = data.cells
    _add(cells[0], "{{ r.stt }}", CELL)
    name = _add(cells[1], "{{ r.name }}", CELL)
    name.alignment = WD_ALIGN_PARAGRAPH.LEFT
    name.paragraph_format.space_after = Pt(0)
    detail = _add(cells[1], "{{ r.detail }}", CELL, italic=True, size=11)
    detail.alignment = WD_ALIGN_PARAGRAPH.LEFT
    detail.paragraph_format.space_before = Pt(0)
    for cell, text in zip(cells[2:], RESULT_CELLS, strict=True):
        _add(cell, text, CELL)
    for cell in cells:
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    closer = _new_row(table, widths)
    _add(closer.cells[0], "{%tr endfor %}", CELL)
    for row in (opener, closer):  # tag rows vanish on render; keep their cells valid
        for cell in row.cells[1:]:
            _add(cell, "", CELL)


def _results(doc: DocxDocument) -> None:
    _add(doc, "4. Kết quả đánh giá, xếp loại chất lượng", HEADING)
    _add(doc, "{{ results.basis_line }}")
    _add(doc, "a) Đối với tập thể chi bộ:", bold=True, italic=True, keep_next=True)
    _add(doc, "{{ chibo.votes_line }}")
    _add(doc, "{{ chibo.result_line }}")
    _add(doc, "b) Đối với đảng viên:", bold=True, italic=True, keep_next=True)
    _results_table(doc)
    _add(doc, "{{ results.denominator_note }}", NOTE)
    _add(doc, "{%p for s in results.summary %}")
    _add(doc, "{{ s }}")
    _add(doc, "{%p endfor %}")


def _conclusion_and_closing(doc: DocxDocument) -> None:
    _add(doc, "5. Kết luận", HEADING)
    _add(doc, "{%p for c in conclusion %}")
    _add(doc, "{{ c }}")
    _add(doc, "{%p endfor %}")
    _add(doc, "{{ closing.end_line }}", keep_next=True)
    _add(doc, "{{ closing.approval_line }}", keep_next=True)


def _signature_block(doc: DocxDocument) -> None:
    table = _table(doc, SIGN_WIDTHS, borders=False, margin_mm=1.0)
    row = table.rows[0]
    row._tr.get_or_add_trPr().append(_el("cantSplit"))
    left, right = row.cells
    _add(left, "THƯ KÝ", CENTER, bold=True, keep_next=True)
    for _ in range(4):
        _add(left, "", CENTER, keep_next=True)
    _add(left, "{{ sign.secretary_name }}", CENTER, bold=True)
    _add(right, "{%p if sign.authority %}", CENTER)
    _add(right, "{{ sign.authority }}", CENTER, bold=True, keep_next=True)
    _add(right, "{{ sign.title }}", CENTER, keep_next=True)
    _add(right, "{%p else %}", CENTER)
    _add(right, "{{ sign.title }}", CENTER, bold=True, keep_next=True)
    _add(right, "", CENTER, keep_next=True)
    _add(right, "{%p endif %}", CENTER)
    for _ in range(3):
        _add(right, "", CENTER, keep_next=True)
    _add(right, "{{ sign.chair_name }}", CENTER, bold=True)
    for cell in (left, right):
        cell.paragraphs[0].paragraph_format.space_before = Pt(6)
    tail = _add(doc, "", CENTER, size=1)  # a body must end with a paragraph, keep it tiny
    tail.paragraph_format.line_spacing = Pt(1)
    tail.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY


# --------------------------------------------------------------------------- entry points
def _normalise_zip(path: Path) -> None:
    """Rewrite the package with fixed entry timestamps so the bytes are reproducible."""
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


def build(path: Path) -> None:
    """Write the biên bản kiểm điểm template to ``path``."""
    doc = Document()
    _setup_styles(doc)
    _setup_page(doc)
    _set_core_properties(doc)
    _header_block(doc)
    _title_block(doc)
    _opening_and_attendance(doc)
    _agenda_and_discussion(doc)
    _results(doc)
    _conclusion_and_closing(doc)
    _signature_block(doc)
    doc.save(str(path))
    _normalise_zip(path)


def main() -> None:
    """Regenerate ``doc_templates/bien_ban_kiem_diem.docx`` next to this script."""
    build(OUTPUT)
    print(f"wrote {OUTPUT}")


if __name__ == "__main__":
    main()
