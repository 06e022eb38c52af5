"""Phiếu đánh giá, xếp loại chất lượng đảng viên: the ballot, one copy per voter (§5.4).

A secret ballot: no page number and no number of any kind. Each copy starts on a new page
(the break begins the next copy, so a list that fills a page exactly leaves no empty page);
a list longer than a page repeats the table header. "Phiếu không ký tên." is the page
footer, so it is on every page of a copy and can never be pushed onto a page of its own.
"""

from __future__ import annotations

from doc_templates.layout import (
    CENTER,
    DocxDocument,
    add,
    ballot_top,
    cell_tag_rows,
    header_row,
    new_page,
    table,
)

TITLE = "Phiếu đánh giá, xếp loại chất lượng đảng viên"
PAGE_NUMBER = False
FOOTER = "Phiếu không ký tên."
WIDTHS = (12.0, 57.0, 24.0, 24.0, 24.0, 24.0)  # mm; 165


def compose(doc: DocxDocument) -> None:
    """The ballot, repeated once per copy, each copy on its own page(s)."""
    add(doc, "{%p for copy in copies %}", CENTER)
    new_page(doc)
    ballot_top(doc)
    tbl = table(doc, WIDTHS, borders=True, margin_mm=1.0)
    header_row(tbl, ("TT", "Họ và tên đảng viên", "{{ levels[0] }}", "{{ levels[1] }}",
                     "{{ levels[2] }}", "{{ levels[3] }}"))
    cell_tag_rows(tbl, WIDTHS, "{%tr for r in rows %}", "{%tr endfor %}",
                  ["{{ r.stt }}", "{{ r.name }}", "", "", "", ""], left=(1,), height_mm=8)
    add(doc, "{%p endfor %}", CENTER)
