"""Biên bản kiểm phiếu (domain §5.6)."""

from __future__ import annotations

from doc_templates.layout import (
    CENTER,
    HEADING,
    LEFT,
    NOTE,
    DocxDocument,
    add,
    body_loop,
    cell_tag_rows,
    header_block,
    header_row,
    sign_two,
    table,
    title_block,
)

TITLE = "Biên bản kiểm phiếu"
WIDTHS = (9.0, 46.0, 20.0, 20.0, 20.0, 20.0, 30.0)  # mm; 165
LEVEL_HEAD = ("Hoàn thành xuất sắc nhiệm vụ", "Hoàn thành tốt nhiệm vụ", "Hoàn thành nhiệm vụ",
              "Không hoàn thành nhiệm vụ", "Kết quả")
VOTES = ("{{ %s.votes[0] }}", "{{ %s.votes[1] }}", "{{ %s.votes[2] }}", "{{ %s.votes[3] }}")


def compose(doc: DocxDocument) -> None:
    """The whole vote-count minutes."""
    header_block(doc)
    title_block(doc, "BIÊN BẢN KIỂM PHIẾU")
    add(doc, "{{ opening }}")
    body_loop(doc, "committee", "c", "- Đồng chí {{ c.name }} – {{ c.role }};", LEFT)
    add(doc, "{{ form_line }}")
    add(doc, "1. Kết quả phát phiếu, thu phiếu", HEADING)
    body_loop(doc, "ballot_lines", "b", "{{ b }}")
    add(doc, "2. Kết quả đánh giá, xếp loại chất lượng {{ unit.word }}", HEADING)
    chi_bo = table(doc, WIDTHS, borders=True, margin_mm=1.0)
    header_row(chi_bo, ("TT", "Tổ chức đảng", *LEVEL_HEAD))
    add(doc, "", CENTER, size=1)
    row = chi_bo.add_row()
    for cell, text in zip(row.cells, ("1", "{{ chi_bo.name }}", *(v % "chi_bo" for v in VOTES),
                                      "{{ chi_bo.result }}"), strict=True):
        add(cell, text, "CB Table")
    add(doc, "3. Kết quả đánh giá, xếp loại chất lượng đảng viên", HEADING)
    members = table(doc, WIDTHS, borders=True, margin_mm=1.0)
    header_row(members, ("TT", "Họ và tên", *LEVEL_HEAD))
    cell_tag_rows(members, WIDTHS, "{%tr for r in rows %}", "{%tr endfor %}",
                  ["{{ r.stt }}", "{{ r.name }}", *(v % "r" for v in VOTES), "{{ r.result }}"],
                  left=(1,))
    add(doc, "{{ denominator_note }}", NOTE)
    body_loop(doc, "notes", "n", "{{ n }}", NOTE)
    add(doc, "{{ closing }}", keep_next=True)
    tbl = sign_two(doc, ("{{ sign.members_title }}",), "",
                   ("{{ sign.head_lines[0] }}", "{{ sign.head_lines[1] }}"), "{{ sign.head }}")
    left = tbl.rows[0].cells[0]
    for paragraph in left.paragraphs[1:]:  # the blank lines and the empty name of sign_two
        paragraph._p.getparent().remove(paragraph._p)
    add(left, "{%p for name in sign.members %}", CENTER)
    for _ in range(3):
        add(left, "", CENTER)
    add(left, "{{ name }}", CENTER, bold=True)
    add(left, "{%p endfor %}", CENTER)
