"""Downloads: one document (of the current revision or an earlier one), the ZIP, the print PDF.

Every download is audited and named for filing (``files.document_filename``); the files are
read from the storage keys the job's rows give (``Job.key_base``), never from names sent.
"""

from __future__ import annotations

from flask import current_app

from service.documents import DOCUMENT_TYPES, package
from service.errors import ConflictError, NotFoundError, NotReadyError
from service.extensions import get_storage, session_scope
from service.http import auth
from service.http.access import load_batch, load_job
from service.http.files import document_filename, file_stem, first_page_png
from service.http.presenters import STATE
from service.jobs import models
from service.storage import Storage


def _document(job: models.Job, name: str) -> models.Document:
    document = next((d for d in job.documents if d.name == name), None)
    if document is None:
        raise NotFoundError(f"Công việc này không có tài liệu {name}.")
    return document


def _stem(job: models.Job) -> str:
    return file_stem(job.unit_name, job.meeting_date, job.title, job.year)


def document_download(job_id: str, name: str, fmt: str) -> tuple[str, str]:
    """The storage key of one finished document in *fmt*, and the name to download it as (audited)."""
    with session_scope() as session:
        job = load_job(session, job_id)
        document = _document(job, name)
        if document.status != models.DONE:
            raise NotReadyError(f"Tài liệu {name} {STATE[document.status]}.",
                                document_status=document.status)
        if fmt == "xlsx" and DOCUMENT_TYPES[document.doc_type].spreadsheet is None:
            raise NotFoundError(f"Tài liệu {name} không có bản Excel.")
        key = f"{job.key_base(document)}.{fmt}"
        auth.audit(session, "download", "document", document.id, job.organisation_id, f"{name}.{fmt}")
        return key, document_filename(name, fmt, _stem(job))


def document_file(job_id: str, name: str, fmt: str) -> str:
    """The storage key of one finished document in *fmt* (audited as a download)."""
    return document_download(job_id, name, fmt)[0]


def revision_download(job_id: str, number: int, name: str, fmt: str) -> tuple[str, str]:
    """The storage key of a document of the job's earlier revision *number*, and its download name."""
    with session_scope() as session:
        job = load_job(session, job_id)
        revision = next((r for r in job.revisions if r.number == number), None)
        if revision is None:
            raise NotFoundError(f"Công việc này không có phiên bản {number}.")
        document = next((d for d in revision.documents if d["name"] == name), None)
        if document is None or document.get("status", models.DONE) != models.DONE:
            raise NotFoundError(f"Phiên bản {number} không có tài liệu {name}.")
        known = DOCUMENT_TYPES.get(str(document["type"]))
        if fmt == "xlsx" and (known is None or known.spreadsheet is None):
            raise NotFoundError(f"Tài liệu {name} không có bản Excel.")
        auth.audit(session, "download", "document", job.id, job.organisation_id,
                   f"phiên bản {number}: {name}.{fmt}")
        stem = file_stem(revision.unit_name, revision.meeting_date, revision.title, job.year)
        return f"{document['base']}.{fmt}", document_filename(name, fmt, stem, number)


def packed(job_id: str) -> tuple[str, list[package.PackedDocument], list[str]]:
    """A finished job's title, its done documents' files, and its failures."""
    return _packed(job_id)[1:]


def _optional(storage: Storage, key: str) -> bytes | None:
    return storage.get(key) if storage.exists(key) else None


def _packed(job_id: str) -> tuple[str, str, list[package.PackedDocument], list[str]]:
    storage = get_storage()
    with session_scope() as session:
        job = load_job(session, job_id)
        if job.is_draft:
            raise ConflictError("Đây là bản nháp: chưa có tài liệu nào; hãy tạo tài liệu trước.")
        if job.status in (models.QUEUED, models.RUNNING):
            raise NotReadyError(f"Công việc {STATE[job.status]}; hãy chờ hoàn tất.",
                                job_status=job.status)
        done = [(d.name, d.title, job.key_base(d), d.package_pdf_key(job.key_base(d)))
                for d in job.documents if d.status == models.DONE]
        failed = [f"{d.title}: {d.error_detail}" for d in job.documents if d.status == models.FAILED]
        title, stem = job.title, _stem(job)
        auth.audit(session, "download", "job", job.id, job.organisation_id, "ZIP / bản in")
    documents = [package.PackedDocument(name, doc_title, storage.get(pdf_key),
                                        storage.get(f"{base}.docx"), _optional(storage, f"{base}.xlsx"))
                 for name, doc_title, base, pdf_key in done]
    return stem, title, documents, failed


def job_package(job_id: str) -> tuple[str, bytes]:
    """The name (``ho-so-<chi bộ>-<day>.zip``) and bytes of the ZIP of a finished job."""
    stem, title, documents, failed = _packed(job_id)
    return f"ho-so-{stem}.zip", package.zip_package(documents, title, failed)


def job_print(job_id: str) -> tuple[str, bytes]:
    """The name (``ban-in-<chi bộ>-<day>.pdf``) and bytes of the merged print PDF of a finished job."""
    stem, title, documents, _ = _packed(job_id)
    if not documents:
        raise NotReadyError("Chưa có tài liệu nào được tạo xong.")
    duplex = bool(current_app.config["PRINT_DUPLEX"])
    return f"ban-in-{stem}.pdf", package.print_pdf(documents, title, duplex=duplex)


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


def thumbnail(job_id: str, name: str) -> bytes:
    """A small picture of a document's first page, made once and kept (audited)."""
    storage = get_storage()
    with session_scope() as session:
        job = load_job(session, job_id)
        document = _document(job, name)
        if document.status != models.DONE:
            raise NotFoundError(f"Tài liệu {name} {STATE[document.status]}.")
        base = job.key_base(document)
        # a picture of the first page shows names too: audited like the document itself
        auth.audit(session, "download", "document", document.id, job.organisation_id,
                   f"{name}.thumb.png (ảnh xem trước)")
    key = f"{base}.thumb.png"
    if not storage.exists(key):
        storage.put(key, first_page_png(storage.get(f"{base}.pdf")))
    return storage.get(key)
