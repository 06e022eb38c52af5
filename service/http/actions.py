"""The use cases the API and the pages share: find, submit, retry, pack, delete.

Each runs as the request's caller (``auth``), in its own database session, writes its audit
line, and queues documents only after the commit (``jobs.queue.dispatch``: a worker must
find the rows it is given). Blueprints call these and shape the answer; they never import
each other.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import current_app
from sqlalchemy.orm import Session

from service import accounts
from service.documents import DOCUMENT_TYPES, package
from service.errors import BadRequestError, ForbiddenError, NotFoundError, NotReadyError
from service.extensions import get_storage, session_scope
from service.http import auth, presenters
from service.http.files import first_page_png
from service.http.presenters import STATE
from service.jobs import batches, models, pipeline, queue, retention
from service.meetings.dates import Calendar
from service.meetings.schemas import DangBoReview


def calendar() -> Calendar:
    """Today and how far ahead a meeting may be dated (``MEETING_DAYS_AHEAD``)."""
    return Calendar(date.today(), int(current_app.config["MEETING_DAYS_AHEAD"]))


def dispatch(documents: list[models.Document]) -> None:
    """Queue *documents* (committed rows) in tasks of ``BATCH_CHUNK_SIZE``."""
    queue.dispatch(documents, current_app.config["BATCH_CHUNK_SIZE"])


def load_job(session: Session, job_id: str) -> models.Job:
    """The job *job_id*, if it exists and the caller may see it; else NotFoundError."""
    job = session.get(models.Job, job_id) if len(job_id) <= 64 else None
    if job is None or not auth.caller().sees(job.organisation_id):
        raise NotFoundError(f"Không có công việc mã {job_id}.")
    return job


def load_batch(session: Session, batch_id: str) -> models.Batch:
    """The batch *batch_id*, if it exists and the caller may see it; else NotFoundError."""
    batch = batches.load(session, batch_id)
    if not auth.caller().sees(batch.organisation_id):
        raise NotFoundError(f"Không có lô tài liệu mã {batch_id}.")
    return batch


def job_body(job_id: str) -> dict[str, Any]:
    """The job as the API shows it."""
    with session_scope() as session:
        return presenters.job_json(load_job(session, job_id))


def submit_job(data: Any, only: list[str] | None = None) -> dict[str, Any]:
    """Validate a meeting, record its job as the caller's, queue its documents; the job's JSON."""
    kind = data.get("kind") if isinstance(data, dict) else None
    if isinstance(kind, str) and not accounts.may_submit(auth.caller().role, kind):
        raise ForbiddenError("Vai trò của bạn không được làm việc này.")
    with session_scope() as session:
        job = pipeline.submit(data, session=session, storage=get_storage(), only=only,
                              calendar=calendar(), **auth.ownership(session))
        session.flush()
        auth.audit(session, "generate", "job", job.id, job.organisation_id,
                   f"{job.title}: {len(job.documents)} tài liệu")
        body = presenters.job_json(job)
        documents = list(job.documents)
    dispatch(documents)
    return body


def lost_documents(batch: models.Batch) -> list[models.Document]:
    """The batch's documents whose message is gone from Redis (asks Redis only if any is pending)."""
    docs = batches.documents(batch)
    if not any(d.status in (models.QUEUED, models.RUNNING) for d in docs):
        return []
    return batches.lost(docs, queue.in_flight(current_app.config["REDIS_URL"]),
                        current_app.config["LOST_AFTER_SECONDS"])


def batch_body(batch_id: str, *, links: bool = True) -> dict[str, Any]:
    """The batch as the API shows it, lost documents included."""
    with session_scope() as session:
        batch = load_batch(session, batch_id)
        return presenters.batch_json(batch, lost_documents(batch), links=links)


def submit_batch(review: DangBoReview, key: str | None) -> tuple[dict[str, Any], bool]:
    """Submit a đảng bộ as the caller (a đảng ủy office or an admin); its JSON, and whether it is new."""
    auth.require_role("dang_uy", "admin")
    with session_scope() as session:
        batch, created = batches.submit_batch(review, session=session, storage=get_storage(),
                                              idempotency_key=key, **auth.ownership(session))
        if created:
            auth.audit(session, "generate", "batch", batch.id, batch.organisation_id,
                       f"{batch.title}: {len(batches.documents(batch))} tài liệu")
        body = presenters.batch_json(batch, lost_documents(batch))
        documents = batches.documents(batch) if created else []
    dispatch(documents)
    return body, created


def retry_batch(batch_id: str) -> int:
    """Queue again the batch's failed and lost documents; how many."""
    with session_scope() as session:
        load_batch(session, batch_id)
        documents = batches.retry_failed(session, batch_id,
                                         in_flight=queue.in_flight(current_app.config["REDIS_URL"]),
                                         lost_after=current_app.config["LOST_AFTER_SECONDS"])
    dispatch(documents)
    return len(documents)


def document_file(job_id: str, name: str, fmt: str) -> str:
    """The storage key of one finished document in *fmt* (audited as a download)."""
    with session_scope() as session:
        job = load_job(session, job_id)
        document = next((d for d in job.documents if d.name == name), None)
        if document is None:
            raise NotFoundError(f"Công việc này không có tài liệu {name}.")
        if document.status != models.DONE:
            raise NotReadyError(f"Tài liệu {name} {STATE[document.status]}.",
                                document_status=document.status)
        if fmt == "xlsx" and DOCUMENT_TYPES[document.doc_type].spreadsheet is None:
            raise NotFoundError(f"Tài liệu {name} không có bản Excel.")
        key = {"pdf": document.pdf_key, "docx": document.docx_key,
               "xlsx": f"jobs/{job.id}/{document.name}.xlsx"}[fmt]
        auth.audit(session, "download", "document", document.id, job.organisation_id, f"{name}.{fmt}")
    return str(key)


def packed(job_id: str) -> tuple[str, list[package.PackedDocument], list[str]]:
    """A finished job's title, its done documents' files, and its failures."""
    storage = get_storage()
    with session_scope() as session:
        job = load_job(session, job_id)
        if job.status in (models.QUEUED, models.RUNNING):
            raise NotReadyError(f"Công việc {STATE[job.status]}; hãy chờ hoàn tất.",
                                job_status=job.status)
        done = [(d.name, d.title, d.pdf_key, d.docx_key, f"jobs/{job.id}/{d.name}.xlsx")
                for d in job.documents if d.status == models.DONE]
        failed = [f"{d.title}: {d.error_detail}" for d in job.documents if d.status == models.FAILED]
        title = job.title
        auth.audit(session, "download", "job", job.id, job.organisation_id, "ZIP / bản in")
    documents = [package.PackedDocument(name, doc_title, storage.get(str(pdf)), storage.get(str(docx)),
                                        storage.get(xlsx) if storage.exists(xlsx) else None)
                 for name, doc_title, pdf, docx, xlsx in done]
    return title, documents, failed


def batch_package(batch_id: str) -> tuple[str, bytes]:
    """A finished batch's title and its ZIP: the summary and a folder per chi bộ."""
    with session_scope() as session:
        batch = load_batch(session, batch_id)
        auth.audit(session, "download", "batch", batch.id, batch.organisation_id, "ZIP toàn bộ")
        if batch.jobs and models.derived_status({j.status for j in batch.jobs}) in (models.QUEUED,
                                                                                   models.RUNNING):
            raise NotReadyError("Lô tài liệu chưa hoàn tất.")
        title, job_ids = batch.title, [job.id for job in batch.jobs]
    return title, package.batch_zip(packed(job_id) for job_id in job_ids)


def delete_job(job_id: str) -> None:
    """Delete a job with its documents and files (a chi bộ's request, or a mistake)."""
    with session_scope() as session:
        job = load_job(session, job_id)
        if job.batch_id is not None and job.kind == "dang_bo":
            raise BadRequestError("Đây là biểu tổng hợp của cả lô: hãy xoá cả lô.")
        count = retention.delete_job(session, get_storage(), job)
        auth.audit(session, "delete", "job", job_id, job.organisation_id, f"{count} tài liệu")


def delete_batch(batch_id: str) -> None:
    """Delete a whole batch: every job, document and file of it."""
    with session_scope() as session:
        batch = load_batch(session, batch_id)
        organisation_id = batch.organisation_id
        count = retention.delete_batch(session, get_storage(), batch)
        auth.audit(session, "delete", "batch", batch_id, organisation_id, f"{count} tài liệu")


def thumbnail(job_id: str, name: str) -> bytes:
    """A small picture of a document's first page, made once and kept."""
    with session_scope() as session:
        load_job(session, job_id)
    storage = get_storage()
    key = f"jobs/{job_id}/{name}.thumb.png"
    try:
        made = storage.exists(key)
        pdf = b"" if made else storage.get(f"jobs/{job_id}/{name}.pdf")
    except ValueError as exc:  # a key that would climb out (``..``)
        raise NotFoundError(f"Công việc này không có tài liệu {name}.") from exc
    if not made:
        storage.put(key, first_page_png(pdf))
    return storage.get(key)
