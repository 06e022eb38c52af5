"""Phiếu đánh giá, xếp loại chất lượng chi bộ: one copy per voter (domain §5.5)."""

from __future__ import annotations

from doc_templates.layout import BODY, CENTER, NOTE, DocxDocument, Mm, add, ballot_top, page_break

TITLE = "Phiếu đánh giá, xếp loại chất lượng chi bộ"


def compose(doc: DocxDocument) -> None:
    """The ballot: the chi bộ, four boxes, repeated once per copy."""
    add(doc, "{%p for copy in copies %}", CENTER)
    ballot_top(doc)
    add(doc, "{{ subject }}", BODY, bold=True)
    add(doc, "{%p for lv in levels %}", BODY)
    box = add(doc, "{{ lv }}", BODY)
    box.paragraph_format.left_indent = Mm(20)
    box.paragraph_format.first_line_indent = Mm(0)
    add(doc, "{%p endfor %}", BODY)
    add(doc, "", CENTER)
    add(doc, "{{ footer }}", NOTE)
    page_break(doc)
    add(doc, "{%p endfor %}", CENTER)
