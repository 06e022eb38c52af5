"""Nghị quyết chi bộ tháng …: the month's resolution as its own document (domain §11.5).

Optional beside the minutes (HD 12/HD 42: "nghị quyết (nếu có) hoặc kết luận"): a short Căn cứ
block, "CHI BỘ … QUYẾT NGHỊ:", the four parts, T/M CHI BỘ – BÍ THƯ and Nơi nhận.
"""

from __future__ import annotations

from doc_templates.layout import (
    CENTER,
    HEADING,
    NOTE,
    DocxDocument,
    add,
    body_loop,
    header_block,
    recipients_and_sign,
    title_block,
)

TITLE = "Nghị quyết chi bộ tháng"


def compose(doc: DocxDocument) -> None:
    """The whole resolution."""
    header_block(doc)
    title_block(doc, "NGHỊ QUYẾT")
    body_loop(doc, "citations", "c", "{{ c }}", NOTE)
    add(doc, "{{ decides }}", CENTER, bold=True, keep_next=True)
    add(doc, "{%p for part in parts %}")
    add(doc, "{{ part.heading }}", HEADING)
    body_loop(doc, "part.lines", "line", "{{ line }}")
    add(doc, "{%p endfor %}")
    add(doc, "{{ vote_line }}")
    recipients_and_sign(doc, ("{{ sign.authority }}", "{{ sign.title }}"), "{{ sign.name }}")
