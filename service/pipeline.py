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
from service.documents import DOCUMENT_TYPES, Instance, instances, render_context, types_for
from service.errors import (
    ConverterUnavailableError,
    FieldProblem,
    InvalidMeetingError,
    NotFoundError,
    ServiceError,
)
from service.figures import figures_for
from service.rendering import DocxRenderer
from service.schemas import AnyMeeting, DangBoReview, MonthlyMeeting
from service.storage import Storage
from service.summary import summarize
from service.validation import parse_meeting


@dataclass(frozen=True)
class BuiltDocument:
    """The two files of one document."""

    instance: Instance
    docx: bytes
    pdf: bytes

    @property
    def pages(self) -> int:
        """Number of pages of the PDF."""
        return len(PdfReader(io.BytesIO(self.pdf)).pages)


def job_title(meeting: AnyMeeting) -> str:
    """``Chi bộ … – năm 2025``: how a job is named in lists and file names."""
    if isinstance(meeting, DangBoReview):
        return f"{meeting.dang_bo.name} – tổng hợp năm {meeting.dang_bo.review_year}"
    if isinstance(meeting, MonthlyMeeting):
        return f"{meeting.organisation.name} – tháng {meeting.month:02d}/{meeting.year}"
    return f"{meeting.organisation.name} – năm {meeting.review_year}"


def select(meeting: AnyMeeting, only: list[str] | None) -> list[Instance]:
    """The documents to make: all of the meeting's kind, or the subset *only*."""
    if only:
        known = {t.id for t in types_for(meeting.kind)}
        unknown = [name for name in only if name not in known]
        if unknown:
            raise InvalidMeetingError([FieldProblem("documents", f"Không có loại tài liệu "
                                       f"{', '.join(unknown)} cho hội nghị này; chọn trong: "
                                       f"{', '.join(sorted(known))}.")])
    return instances(meeting, only)


def build(meeting: AnyMeeting, instance: Instance, renderer: DocxRenderer,
          converter: Converter) -> BuiltDocument:
    """Compute, render and convert one document of *meeting*."""
    docx = renderer.render(instance.doc_type.template, render_context(instance, meeting))
    return BuiltDocument(instance, docx, converter.to_pdf(docx))


def submit(data: Any, *, session: Session, storage: Storage,
           only: list[str] | None = None) -> db.Job:
    """Validate *data*, store it and create its job and document records (not yet queued)."""
    meeting = parse_meeting(data)
    chosen = select(meeting, only)
    warnings = (summarize(meeting) if isinstance(meeting, DangBoReview) else figures_for(meeting)).warnings
    job = db.Job(id=db.new_id(), kind=meeting.kind, title=job_title(meeting), input_key="",
                 warnings_json=json.dumps(warnings, ensure_ascii=False))
    job.input_key = f"jobs/{job.id}/input.json"
    storage.put(job.input_key, meeting.model_dump_json(indent=2).encode())
    for position, instance in enumerate(chosen):
        job.documents.append(db.Document(id=db.new_id(), position=position,
                                         doc_type=instance.doc_type.id, subject=instance.subject,
                                         name=instance.name, title=instance.title))
    session.add(job)
    return job


SessionFactory = Callable[[], Any]


def build_document(document_id: str, *, sessions: SessionFactory, storage: Storage,
                   renderer: DocxRenderer, converter: Converter) -> None:
    """Build the document *document_id* and record the outcome on its row.

    A ``ServiceError`` that is not transient marks the document failed and is swallowed;
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
        row = (document.job.input_key, document.doc_type, document.subject, document.name,
               document.title, document.job_id)
    input_key, doc_type, subject, name, title, job_id = row
    instance = Instance(DOCUMENT_TYPES[doc_type], subject, name, title)
    try:
        meeting = parse_meeting(json.loads(storage.get(input_key)))
        built = build(meeting, instance, renderer, converter)
    except ConverterUnavailableError:
        raise
    except ServiceError as exc:
        mark_failed(document_id, exc, sessions=sessions)
        return
    base = f"jobs/{job_id}/{name}"
    storage.put(f"{base}.docx", built.docx)
    storage.put(f"{base}.pdf", built.pdf)
    if instance.doc_type.spreadsheet is not None:
        storage.put(f"{base}.xlsx", instance.doc_type.spreadsheet(meeting))
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
