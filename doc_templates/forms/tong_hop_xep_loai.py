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
ORG_WIDTHS = (10.0, 50.0, 17.0, 38.0, 38.0, 38.0, 61.0)  # mm; 252 = 297 - 30 - 15
ORG_HEAD = ("TT", "Tên chi bộ", "Tổng số đảng viên", "Chi bộ tự xếp loại", "Chi bộ biểu quyết",
            "Đảng ủy quyết định xếp loại", "Xếp loại tính vào tổng hợp")
MEMBER_WIDTHS = (9.0, 40.0, 14.0, 16.0, 16.0, 16.0, *(17.625,) * 8)
MEMBER_HEAD = ("TT", "Tên chi bộ", "Tổng số ĐV", "Số ĐV không đánh giá", "Số ĐV chưa có kết quả",
               "Số ĐV được xếp loại", "HTXSNV\nSL", "HTXSNV\n%", "HTTNV\nSL", "HTTNV\n%", "HTNV\nSL",
               "HTNV\n%", "KHTNV\nSL", "KHTNV\n%")


def _rows(doc: DocxDocument, widths: tuple[float, ...], head: tuple[str, ...], items: str) -> None:
    tbl = table(doc, widths, borders=True, margin_mm=0.8)
    header_row(tbl, head, size=10.5)
    for cell in tbl.rows[0].cells:  # the header row never ends a page: it goes with the first row
        for para in cell.paragraphs:  # (alone at a page foot, LibreOffice 7.4 dropped the rows after it)
            para.paragraph_format.keep_with_next = True
    cell_tag_rows(tbl, widths, f"{{%tr for r in {items} %}}", "{%tr endfor %}",
                  [f"{{{{ r.cells[{i}] }}}}" for i in range(len(widths))], left=(1,))


def compose(doc: DocxDocument) -> None:
    """Both tables, their totals and shares, the quota check and the đảng ủy's signature."""
    header_block(doc, number=False)
    title_block(doc, "BIỂU TỔNG HỢP", extra=("{{ title.attached }}",))
    add(doc, "A. TỔ CHỨC ĐẢNG", HEADING)
    _rows(doc, ORG_WIDTHS, ORG_HEAD, "org_rows")
    body_loop(doc, "org_totals", "t", "{{ t }}")
    add(doc, "B. ĐẢNG VIÊN", HEADING)
    _rows(doc, MEMBER_WIDTHS, MEMBER_HEAD, "member_rows")
    add(doc, "{{ member_note }}", NOTE)
    add(doc, "{{ member_totals }}")
    body_loop(doc, "member_decided", "d", "{{ d }}")
    # the quota line and the warnings stay on the page of the signature: it never stands alone
    add(doc, "{{ quota_line }}", keep_next=True)
    add(doc, "{%p for w in warnings %}", NOTE)
    add(doc, "{{ w }}", NOTE, keep_next=True)
    add(doc, "{%p endfor %}", NOTE)
    sign_single(doc, ("{{ sign.authority }}", "{{ sign.title }}"), "{{ sign.name }}")
