"""Biểu tổng hợp kết quả đánh giá, xếp loại chất lượng tổ chức đảng và đảng viên (§5.7)."""

from __future__ import annotations

from doc_templates.layout import (
    HEADING,
    NOTE,
    DocxDocument,
    add,
    body_loop,
    cell_tag_rows,
    header_block,
    header_row,
    sign_single,
    table,
    title_block,
)

TITLE = "Biểu tổng hợp kết quả đánh giá, xếp loại chất lượng"
LANDSCAPE = True
ORG_WIDTHS = (12.0, 70.0, 25.0, 50.0, 50.0, 45.0)  # mm; 252 = 297 - 30 - 15
ORG_HEAD = ("TT", "Tên chi bộ", "Tổng số đảng viên", "Chi bộ tự xếp loại",
            "Đảng ủy quyết định xếp loại", "Ghi chú")
MEMBER_WIDTHS = (10.0, 44.0, 16.0, 18.0, 18.0, *(18.25,) * 8)
MEMBER_HEAD = ("TT", "Tên chi bộ", "Tổng số ĐV", "Số ĐV không đánh giá", "Số ĐV được đánh giá",
               "HTXSNV\nSL", "HTXSNV\n%", "HTTNV\nSL", "HTTNV\n%", "HTNV\nSL", "HTNV\n%",
               "KHTNV\nSL", "KHTNV\n%")


def _rows(doc: DocxDocument, widths: tuple[float, ...], head: tuple[str, ...], items: str) -> None:
    tbl = table(doc, widths, borders=True, margin_mm=0.8)
    header_row(tbl, head, size=10.5)
    cell_tag_rows(tbl, widths, f"{{%tr for r in {items} %}}", "{%tr endfor %}",
                  [f"{{{{ r.cells[{i}] }}}}" for i in range(len(widths))], left=(1,))


def compose(doc: DocxDocument) -> None:
    """Both tables, the totals, the quota check and the signature."""
    header_block(doc, number=False)
    title_block(doc, "BIỂU TỔNG HỢP", extra=("{{ title.attached }}",))
    add(doc, "A. TỔ CHỨC ĐẢNG", HEADING)
    _rows(doc, ORG_WIDTHS, ORG_HEAD, "org_rows")
    body_loop(doc, "org_totals", "t", "{{ t }}")
    add(doc, "B. ĐẢNG VIÊN", HEADING)
    _rows(doc, MEMBER_WIDTHS, MEMBER_HEAD, "member_rows")
    add(doc, "{{ member_note }}", NOTE)
    add(doc, "{{ quota_line }}")
    body_loop(doc, "warnings", "w", "{{ w }}", NOTE)
    sign_single(doc, ("{{ sign.authority }}", "{{ sign.title }}"), "{{ sign.name }}")
