"""Biên bản sinh hoạt chi bộ định kỳ (domain §5.8)."""

from __future__ import annotations

from doc_templates.forms.bien_ban_kiem_diem import agenda_and_discussion, closing, opening, signatures
from doc_templates.layout import HEADING, NOTE, DocxDocument, add, header_block, title_block

TITLE = "Biên bản sinh hoạt chi bộ định kỳ"


def compose(doc: DocxDocument) -> None:
    """The monthly minutes: the same frame as the review minutes, with resolutions."""
    header_block(doc)
    title_block(doc, "BIÊN BẢN")
    opening(doc)
    agenda_and_discussion(doc)
    add(doc, "4. Nghị quyết, kết luận và biểu quyết", HEADING)
    add(doc, "{%p for r in resolutions %}")
    add(doc, "{{ r.text }}")
    add(doc, "{{ r.vote_line }}")
    add(doc, "{%p endfor %}")
    add(doc, "{%p if resolutions %}")
    add(doc, "{{ voters_note }}", NOTE)
    add(doc, "{%p endif %}")
    add(doc, "{%p if quality_line %}")
    add(doc, "{{ quality_line }}")
    add(doc, "{%p endif %}")
    closing(doc, "5. Kết luận")
    signatures(doc)
