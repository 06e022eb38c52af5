"""The work itself, as plain functions: accept a meeting, build one document.

Views and Celery tasks are thin wrappers around these. ``submit`` validates, stores the
input and creates the records *before* anything is queued; ``build_document`` renders and
converts one document by id and is idempotent: a re-run writes the same keys again.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pypdf import PdfReader
from sqlalchemy.orm import Session

from service import db
from service.converter import Converter
from service.documents import DOCUMENT_TYPES, DocumentType, document_types_for
from service.errors import ConverterUnavailableError, NotFoundError, ServiceError
from service.figures import compute
from service.rendering import DocxRenderer
from service.schemas import Meeting
from service.storage import Storage
from service.validation import parse_meeting


@dataclass(frozen=True)
class BuiltDocument:
    """The two files of one document."""

    doc_type: DocumentType
    docx: bytes
    pdf: bytes

    @property
    def pages(self) -> int:
        """Number of pages of the PDF."""
        return len(PdfReader(io.BytesIO(self.pdf)).pages)


def job_title(meeting: Meeting) -> str:
    """``Chi bộ … – năm 2025``: how a job is named in lists and file names."""
    return f"{meeting.organisation.name} – năm {meeting.review_year}"


def build(meeting: Meeting, doc_type: DocumentType, renderer: DocxRenderer,
          converter: Converter) -> BuiltDocument:
    """Compute, render and convert one document of *meeting*."""
    figures = compute(meeting)
    docx = renderer.render(doc_type.template, doc_type.context(meeting, figures))
    return BuiltDocument(doc_type, docx, converter.to_pdf(docx))


def submit(data: Any, *, session: Session, storage: Storage) -> db.Job:
    """Validate *data*, store it and create its job and document records (not yet queued)."""
    meeting = parse_meeting(data)
    figures = compute(meeting)
    job = db.Job(id=db.new_id(), kind=meeting.kind, title=job_title(meeting), input_key="",
                 warnings_json=json.dumps(figures.warnings, ensure_ascii=False))
    job.input_key = f"jobs/{job.id}/input.json"
    storage.put(job.input_key, meeting.model_dump_json(indent=2).encode())
    for position, doc_type in enumerate(document_types_for(meeting)):
        job.documents.append(db.Document(id=db.new_id(), position=position,
                                         doc_type=doc_type.id, title=doc_type.title))
    session.add(job)
    return job


SessionFactory = Callable[[], Any]


def build_document(document_id: str, *, sessions: SessionFactory, storage: Storage,
                   renderer: DocxRenderer, converter: Converter) -> None:
    """Build the document *document_id* and record the outcome on its row.

    A ``DocumentError`` that is not transient marks the document failed and is swallowed;
    ``ConverterUnavailableError`` propagates so the task can retry it.
    """
    with sessions() as session:
        document = session.get(db.Document, document_id)
        if document is None:
            raise NotFoundError(f"Không có tài liệu {document_id}.")
        if document.status == db.DONE:
            return
        document.status = db.RUNNING
        document.attempts += 1
        input_key, doc_type_id, job_id = document.job.input_key, document.doc_type, document.job_id
    doc_type = DOCUMENT_TYPES[doc_type_id]
    try:
        meeting = parse_meeting(json.loads(storage.get(input_key)))
        built = build(meeting, doc_type, renderer, converter)
    except ConverterUnavailableError:
        raise
    except ServiceError as exc:
        mark_failed(document_id, exc, sessions=sessions)
        return
    base = f"jobs/{job_id}/{doc_type.id}"
    storage.put(f"{base}.docx", built.docx)
    storage.put(f"{base}.pdf", built.pdf)
    with sessions() as session:
        document = session.get(db.Document, document_id)
        document.status = db.DONE
        document.docx_key, document.pdf_key = f"{base}.docx", f"{base}.pdf"
        document.pages = built.pages
        document.error_type = document.error_detail = None


def mark_failed(document_id: str, error: BaseException, *, sessions: SessionFactory) -> None:
    """Record that *document_id* failed, with a Vietnamese reason."""
    with sessions() as session:
        document = session.get(db.Document, document_id)
        if document is None:
            return
        document.status = db.FAILED
        if isinstance(error, ServiceError):
            document.error_type, document.error_detail = error.type, error.detail
        else:
            document.error_type = "internal-error"
            document.error_detail = "Lỗi hệ thống khi tạo tài liệu; xem nhật ký của worker."
