"""Tables: fixed-layout grids as wide as the text, repeating headers, docxtpl row loops."""

from __future__ import annotations

from docx.document import Document as DocxDocument
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.oxml.ns import qn
from docx.shared import Mm
from docx.table import Table, _Cell, _Row

from doc_templates.ooxml import el, mm_twips, replace
from doc_templates.paragraphs import add
from doc_templates.styles import CELL, CELL_LEFT


def table(doc: DocxDocument | _Cell, widths: tuple[float, ...], *, borders: bool,
          margin_mm: float) -> Table:
    """A fixed-layout table as wide as the text, widths set on grid and cells."""
    tbl = doc.add_table(rows=1, cols=len(widths))  # in a cell, python-docx adds a paragraph after
    tbl.autofit = False
    tbl.alignment = WD_TABLE_ALIGNMENT.CENTER
    tbl_pr = tbl._tbl.tblPr
    replace(tbl_pr, el("tblW", w=mm_twips(sum(widths)), type="dxa"))
    edge = {"val": "single", "sz": "4", "space": "0", "color": "000000"} if borders \
        else {"val": "nil"}
    tbl_borders = el("tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        tbl_borders.append(el(side, **edge))
    replace(tbl_pr, tbl_borders)
    replace(tbl_pr, el("tblLayout", type="fixed"))
    cell_mar = el("tblCellMar")
    for side in ("left", "right"):
        cell_mar.append(el(side, w=mm_twips(margin_mm), type="dxa"))
    replace(tbl_pr, cell_mar)
    for grid_col, width in zip(tbl._tbl.tblGrid.gridCol_lst, widths, strict=True):
        grid_col.w = Mm(width)
    _size_row(tbl.rows[0], widths)
    return tbl


def _size_row(row: _Row, widths: tuple[float, ...]) -> None:
    for cell, width in zip(row.cells, widths, strict=True):
        cell.width = Mm(width)


def new_row(tbl: Table, widths: tuple[float, ...], flag: str | None = None) -> _Row:
    """Append a row with its cell widths set, and the ``w:trPr`` *flag* (``cantSplit``…)."""
    row = tbl.add_row()
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
        data._tr.get_or_add_trPr().append(el("trHeight", val=mm_twips(height_mm), hRule="atLeast"))
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


def cut_sheet(doc: DocxDocument, widths: tuple[float, ...], rows: int, height_mm: float) -> Table:
    """A sheet of copies to cut apart: no outer border, dashed cut lines between the cells.

    Every row is exactly *height_mm* high and never splits, so a sheet is one page.
    """
    tbl = table(doc, widths, borders=False, margin_mm=4.0)
    borders = tbl._tbl.tblPr.find(qn("w:tblBorders"))
    for side in ("insideH", "insideV"):
        line = borders.find(qn(f"w:{side}"))
        for key, value in (("val", "dashed"), ("sz", "6"), ("space", "0"), ("color", "000000")):
            line.set(qn(f"w:{key}"), value)
    for _ in range(rows - 1):
        new_row(tbl, widths)
    for row in tbl.rows:
        properties = row._tr.get_or_add_trPr()
        properties.append(el("cantSplit"))
        properties.append(el("trHeight", val=mm_twips(height_mm), hRule="exact"))
        for cell in row.cells:
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    return tbl
