"""Phiếu đánh giá, xếp loại chất lượng đảng viên: the ballot, one copy per voter (§5.4)."""

from __future__ import annotations

from doc_templates.layout import (
    CENTER,
    NOTE,
    DocxDocument,
    add,
    ballot_top,
    cell_tag_rows,
    header_row,
    page_break,
    table,
)

TITLE = "Phiếu đánh giá, xếp loại chất lượng đảng viên"
WIDTHS = (12.0, 57.0, 24.0, 24.0, 24.0, 24.0)  # mm; 165


def compose(doc: DocxDocument) -> None:
    """The ballot, repeated once per copy, each copy on its own page(s)."""
    add(doc, "{%p for copy in copies %}", CENTER)
    ballot_top(doc)
    tbl = table(doc, WIDTHS, borders=True, margin_mm=1.0)
    header_row(tbl, ("TT", "Họ và tên đảng viên", "{{ levels[0] }}", "{{ levels[1] }}",
                     "{{ levels[2] }}", "{{ levels[3] }}"))
    cell_tag_rows(tbl, WIDTHS, "{%tr for r in rows %}", "{%tr endfor %}",
                  ["{{ r.stt }}", "{{ r.name }}", "", "", "", ""], left=(1,), height_mm=8)
    add(doc, "{{ footer }}", NOTE)
    page_break(doc)
    add(doc, "{%p endfor %}", CENTER)
