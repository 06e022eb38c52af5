"""Downloads: one document (of the current revision or an earlier one), the ZIP, the print PDF.

Every download is audited and named for filing (``files.document_filename``); the files are
read from the storage keys the job's rows give (``Job.key_base``), never from names sent.
The ZIPs and the print PDF are built by the worker (``jobs.packages``); here they are only
found: a package that is not current yet answers ``PackageNotReadyError`` and is queued.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import current_app

from service.documents import DOCUMENT_TYPES
from service.errors import (
    ConflictError,
    NotFoundError,
    NotReadyError,
    PackageFailedError,
    PackageNotReadyError,
)
from service.extensions import get_storage, session_scope
from service.http import auth
from service.http.actions.access import load_batch, load_job
from service.http.files import document_filename, file_stem, first_page_png
from service.http.presenters import STATE
from service.jobs import models, packages, queue

logger = logging.getLogger(__name__)
PACKAGE_ASKED_SECONDS = 60  # a download queues a package's build at most once a minute


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


def _finished(job: models.Job) -> None:
    if job.is_draft:
        raise ConflictError("Đây là bản nháp: chưa có tài liệu nào; hãy tạo tài liệu trước.")
    if job.status in (models.QUEUED, models.RUNNING):
        raise NotReadyError(f"Công việc {STATE[job.status]}; hãy chờ hoàn tất.",
                            job_status=job.status)


def _queue_package(kind: str, ident: str) -> NotReadyError:
    """Ask a worker for the package (it may be building already: the task skips a current one).

    A package whose last build failed is not asked again (a client polling would hide the
    fault): the answer says so, in Vietnamese, until someone retries (``retry_package``).
    """
    with session_scope() as session:
        found = packages.state(session, kind, ident)
        if found is not None and found.status == models.FAILED:
            return PackageFailedError(found.detail or "Không đóng gói được.", package_status="failed")
    packages.asked(kind, ident, sessions=session_scope)
    try:
        queue.dispatch_package(kind, ident, redis_url=current_app.config["REDIS_URL"],
                               quiet_seconds=PACKAGE_ASKED_SECONDS)
    except Exception:  # the broker is down: say "not ready" all the same, the next asking queues it
        logger.warning("package of %s %s not queued", kind, ident, exc_info=True)
    what = "Gói toàn bộ lô" if kind == "batch" else "Gói hồ sơ"
    return PackageNotReadyError(f"{what} đang được đóng gói; vui lòng tải lại sau ít giây.",
                                package_status="building")


def _job_package(job_id: str) -> tuple[packages.JobPackage, dict[str, Any], str]:
    """The keys and manifest of a finished job's package, current (else queued: PackageNotReady)."""
    storage = get_storage()
    with session_scope() as session:
        job = load_job(session, job_id)
        _finished(job)
        expected, stem, organisation_id = packages.fingerprint(job), _stem(job), job.organisation_id
    keys = packages.job_keys(job_id)
    found = packages.current(storage, keys.manifest, expected)
    if found is None:
        raise _queue_package("job", job_id)
    with session_scope() as session:  # audited when the bytes go, not on a "not ready yet" (409)
        auth.audit(session, "download", "job", job_id, organisation_id, "ZIP / bản in")
    return keys, found, stem


def job_package(job_id: str) -> tuple[str, str]:
    """The storage key of a finished job's ZIP and its name (``ho-so-<chi bộ>-<day>.zip``)."""
    keys, _, stem = _job_package(job_id)
    return keys.zip, f"ho-so-{stem}.zip"


def job_print(job_id: str) -> tuple[str, str]:
    """The storage key of a finished job's merged print PDF and its name (``ban-in-<chi bộ>-<day>.pdf``)."""
    keys, found, stem = _job_package(job_id)
    if not found.get("print"):
        raise NotReadyError("Chưa có tài liệu nào được tạo xong.")
    return keys.print, f"ban-in-{stem}.pdf"


def revision_package(job_id: str, number: int) -> tuple[str, str]:
    """The storage key of the ZIP of the job's earlier revision *number* (its signed copies only)."""
    storage = get_storage()
    with session_scope() as session:
        job = load_job(session, job_id)
        revision = next((r for r in job.revisions if r.number == number), None)
        if revision is None:
            raise NotFoundError(f"Công việc này không có phiên bản {number}.")
        auth.audit(session, "download", "job", job.id, job.organisation_id, f"ZIP phiên bản {number}")
        expected = packages.revision_fingerprint(revision)
        stem = file_stem(revision.unit_name, revision.meeting_date, revision.title, job.year)
    keys = packages.revision_keys(job_id, number)
    if packages.current(storage, keys.manifest, expected) is None:
        raise _queue_package("revision", f"{job_id}:{number}")
    return keys.zip, f"ho-so-{stem}-phien-ban-{number}.zip"


def batch_package(batch_id: str) -> tuple[str, str]:
    """The storage key of a finished batch's ZIP and its title."""
    with session_scope() as session:
        batch = load_batch(session, batch_id)
        if batch.jobs and models.derived_status({j.status for j in batch.jobs}) in (models.QUEUED,
                                                                                   models.RUNNING):
            raise NotReadyError("Lô tài liệu chưa hoàn tất.")
        title, expected = batch.title, packages.batch_fingerprint(batch)
        organisation_id = batch.organisation_id
    zip_key, manifest_key = packages.batch_keys(batch_id)
    if packages.current(get_storage(), manifest_key, expected) is None:
        raise _queue_package("batch", batch_id)
    with session_scope() as session:  # audited when the bytes go, not on a "not ready yet" (409)
        auth.audit(session, "download", "batch", batch_id, organisation_id, "ZIP toàn bộ")
    return zip_key, title


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


def package_status(session: Any, kind: str, ident: str, ready: bool) -> dict[str, Any]:
    """``ready``, ``building`` or ``failed`` (with the reason, in Vietnamese) for the page and API."""
    if ready:
        return {"status": "ready", "error": None}
    found = packages.state(session, kind, ident)
    if found is not None and found.status == models.FAILED:
        return {"status": "failed", "error": found.detail}
    return {"status": "building", "error": None}


def retry_package(kind: str, ident: str) -> None:
    """Queue the package of the caller's job or batch again, its failure forgotten."""
    with session_scope() as session:
        if kind == "batch":
            load_batch(session, ident)
        else:
            _finished(load_job(session, ident))
    packages.retry(kind, ident, sessions=session_scope)
    queue.dispatch_package(kind, ident)
