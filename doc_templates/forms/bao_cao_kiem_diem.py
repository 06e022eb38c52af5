"""Báo cáo kiểm điểm, tự đánh giá, xếp loại chất lượng tập thể — Mẫu 01 (domain §5.2)."""

from __future__ import annotations

from doc_templates.layout import (
    HEADING,
    NOTE,
    DocxDocument,
    add,
    body_loop,
    cell_tag_rows,
    form_code,
    header_block,
    header_row,
    recipients_and_sign,
    table,
    title_block,
)

TITLE = "Báo cáo kiểm điểm, tự đánh giá, xếp loại chất lượng tập thể"
SCORE_WIDTHS = (120.0, 45.0)


def review_sections(doc: DocxDocument) -> None:
    """Part A, sections I–VI, each a heading and its paragraphs (dotted lines when empty)."""
    add(doc, "A. NỘI DUNG KIỂM ĐIỂM", HEADING)
    add(doc, "{%p for s in sections %}")
    add(doc, "{{ s.heading }}", HEADING)
    body_loop(doc, "s.paragraphs", "p", "{{ p }}")
    add(doc, "{%p endfor %}")


def compose(doc: DocxDocument) -> None:
    """The whole report."""
    form_code(doc)
    header_block(doc)
    title_block(doc, "BÁO CÁO")
    body_loop(doc, "citations", "c", "{{ c }}", NOTE)
    add(doc, "{{ intro }}")
    body_loop(doc, "facts", "f", "{{ f }}")
    review_sections(doc)
    add(doc, "B. TỰ ĐÁNH GIÁ, XẾP LOẠI", HEADING)
    add(doc, "{%p if scored %}")
    add(doc, "I. Điểm tự đánh giá theo các nhóm tiêu chí", HEADING)
    add(doc, "{%p if score_groups %}")
    tbl = table(doc, SCORE_WIDTHS, borders=True, margin_mm=1.0)
    header_row(tbl, ("Nhóm tiêu chí", "Điểm tự chấm"))
    cell_tag_rows(tbl, SCORE_WIDTHS, "{%tr for g in score_groups %}", "{%tr endfor %}",
                  ["{{ g.name }}", "{{ g.points }}"], left=(0,))
    add(doc, "{%p endif %}")
    add(doc, "Tổng điểm: {{ score_total }}.", bold=True)
    add(doc, "II. Đề xuất xếp loại mức chất lượng", HEADING)
    add(doc, "{%p endif %}")
    add(doc, "{{ proposed_line }}", bold=True)
    add(doc, "{%p if disqualifying_line %}")
    add(doc, "{{ disqualifying_line }}")
    add(doc, "{%p endif %}")
    body_loop(doc, "warnings", "w", "{{ w }}", NOTE)
    recipients_and_sign(doc, ("{{ sign.authority }}", "{{ sign.title }}"), "{{ sign.name }}")
