"""The document types the service makes: one module each, next to its template.

A new document type is a DOCX template in ``doc_templates/`` and a module here with a
``context(meeting, figures)`` function that turns computed figures into the plain strings
the template prints, registered in ``DOCUMENT_TYPES``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from service.documents import bien_ban_kiem_diem
from service.figures import Figures
from service.schemas import Meeting

ContextBuilder = Callable[[Meeting, Figures], dict[str, Any]]


@dataclass(frozen=True)
class DocumentType:
    """A kind of document: its id (also its file name), title, template and context."""

    id: str
    title: str
    template: str
    context: ContextBuilder


DOCUMENT_TYPES: dict[str, DocumentType] = {
    doc.id: doc
    for doc in (
        DocumentType(
            id="bien_ban_kiem_diem",
            title="Biên bản hội nghị kiểm điểm, đánh giá, xếp loại chất lượng",
            template="bien_ban_kiem_diem.docx",
            context=bien_ban_kiem_diem.context,
        ),
    )
}


def document_types_for(meeting: Meeting) -> list[DocumentType]:
    """The documents a meeting of this kind produces, in the order of the file."""
    return list(DOCUMENT_TYPES.values())
