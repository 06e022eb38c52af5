"""Biên bản sinh hoạt chi bộ định kỳ (domain §5.8, §10)."""

from __future__ import annotations

from doc_templates.forms.bien_ban_kiem_diem import agenda_and_discussion, closing, opening, signatures
from doc_templates.layout import BODY, HEADING, NOTE, DocxDocument, add, body_loop, header_block, title_block

TITLE = "Biên bản sinh hoạt chi bộ định kỳ"


def _optional(doc: DocxDocument, variable: str, style: str = BODY) -> None:
    """A paragraph printed only when *variable* is not empty."""
    add(doc, f"{{%p if {variable} %}}")
    add(doc, f"{{{{ {variable} }}}}", style)
    add(doc, "{%p endif %}")


def _four_part_resolution(doc: DocxDocument) -> None:
    """The month's resolution: lead line, parts I–IV with their lines, the vote."""
    add(doc, "{%p if four_part.parts %}")
    add(doc, "{{ four_part.lead }}", keep_next=True)
    add(doc, "{%p for part in four_part.parts %}")
    add(doc, "{{ part.heading }}", bold=True, keep_next=True)
    body_loop(doc, "part.lines", "line", "{{ line }}")
    add(doc, "{%p endfor %}")
    add(doc, "{{ four_part.vote_line }}", keep_next=True)  # with the note on the voters below
    add(doc, "{%p endif %}")


def compose(doc: DocxDocument) -> None:
    """The monthly minutes: the review minutes' frame, with the preparation and resolutions."""
    header_block(doc)
    title_block(doc, "BIÊN BẢN")
    _optional(doc, "intro")
    _optional(doc, "preparation")
    opening(doc)
    agenda_and_discussion(doc)
    add(doc, "4. Nghị quyết, kết luận và biểu quyết", HEADING)
    _four_part_resolution(doc)
    add(doc, "{%p for r in resolutions %}")
    add(doc, "{{ r.text }}")
    add(doc, "{{ r.vote_line }}")
    add(doc, "{%p endfor %}")
    _optional(doc, "voters_note", NOTE)
    _optional(doc, "quality_line")
    closing(doc, "5. Kết luận")
    signatures(doc)
