"""Celery tasks: each takes ids, declares its policy on the decorator and calls a plain function.

The converter each task uses is its process's own warm LibreOffice (``workers.engines``).
Documents are queued by task name through ``service.jobs.queue.dispatch``.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from celery import Task, current_task, shared_task
from celery.exceptions import SoftTimeLimitExceeded
from flask import current_app

from service.conversion.cache import ConversionCache
from service.conversion.metrics import stage
from service.customtemplates import preview, versions
from service.documents.rendering import DocxRenderer
from service.errors import ConverterUnavailableError, RecordMissingError, StorageUnavailableError
from service.extensions import flask_app_of, get_storage, session_scope
from service.jobs import packages, pipeline, queue, recovery, retention
from service.seasons import reminders
from service.selfreviews import printing
from service.storage.retrying import patient
from workers.engines import converter_for

logger = logging.getLogger(__name__)


def _record_failure(task: Task[Any, Any], exc: BaseException, task_id: str, args: tuple[Any, ...],
                    kwargs: dict[str, Any], einfo: Any) -> None:
    ids = args[0] if args else kwargs.get("document_ids", [])
    ids = [ids] if isinstance(ids, str) else ids
    logger.error("documents %s failed: %s", ids, exc)
    with flask_app_of(task.app).app_context():
        for document_id in ids:
            pipeline.mark_failed(document_id, exc, sessions=session_scope, unless_done=True)
        _pack(ids)


def _pack(document_ids: list[str]) -> None:
    """Queue the package of each job these documents finished (the last one out packs).

    A package not queued (the broker gone this moment) is queued by its first download.
    """
    try:
        for job_id in packages.finished_jobs(document_ids, sessions=session_scope):
            packages.asked("job", job_id, sessions=session_scope)
            queue.dispatch_package("job", job_id)
    except Exception:
        logger.warning("packages of documents %s not queued", document_ids, exc_info=True)


# time limits come from the TASK_TIME_LIMIT setting (service.extensions), the rest is fixed here
POLICY: dict[str, Any] = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": (ConverterUnavailableError, StorageUnavailableError, RecordMissingError,
                      SoftTimeLimitExceeded),
    "max_retries": 4,
    "retry_backoff": 2,
    "retry_backoff_max": 60,
    "on_failure": _record_failure,
}


# celery-types' overloads of shared_task name each option and have no on_failure, so called
# with **POLICY it returns Any; the tasks stay plain Celery tasks at run time either way
@shared_task(**POLICY)  # type: ignore[untyped-decorator]  # see the comment above
def build_documents(document_ids: list[str]) -> None:
    """Render and convert the documents *document_ids* (one template: one conversion)."""
    config = current_app.config
    pipeline.build_documents(
        document_ids,
        sessions=session_scope,
        storage=patient(get_storage(), config),
        renderer=DocxRenderer(),
        converter=converter_for(config),
        crash_limit=config["WORKER_CRASH_LIMIT"],
        templates=versions.chooser(get_storage(), chi_bo_own=config["CHI_BO_OWN_TEMPLATES"]),
        signature_fields=bool(config["SIGNATURE_FIELDS"]),
        # the node (one per worker main process): a death elsewhere is no fault of the document
        runner=getattr(current_task.request, "hostname", None) if current_task else None,
        interruption_limit=config["WORKER_INTERRUPTION_LIMIT"],
        cache=ConversionCache(get_storage() if config["CONVERSION_CACHE_HOURS"] else None),
    )
    _pack(document_ids)


@shared_task(**POLICY)  # type: ignore[untyped-decorator]  # as build_documents
def build_document(document_id: str) -> None:
    """Render and convert the document *document_id*."""
    build_documents([document_id])


def _preview_failed(task: Task[Any, Any], exc: BaseException, task_id: str, args: tuple[Any, ...],
                    kwargs: dict[str, Any], einfo: Any) -> None:
    version_id = args[0] if args else kwargs.get("version_id", "")
    logger.error("preview of template %s failed: %s", version_id, exc)
    with flask_app_of(task.app).app_context():
        preview.record_failure(session_scope, version_id, exc)


PREVIEW_POLICY: dict[str, Any] = {
    "acks_late": True, "autoretry_for": (ConverterUnavailableError, StorageUnavailableError),
    "max_retries": 4, "retry_backoff": 2, "on_failure": _preview_failed,
}


@shared_task(**PREVIEW_POLICY)  # type: ignore[untyped-decorator]  # as build_documents
def preview_template(version_id: str, input_key: str | None = None) -> None:
    """Fill template version *version_id* with a sample (or a job's data) and convert it to PDF."""
    preview.build_preview(version_id, input_key, sessions=session_scope, storage=get_storage(),
                          renderer=DocxRenderer(), converter=converter_for(current_app.config))


@shared_task(acks_late=True, autoretry_for=(ConverterUnavailableError, StorageUnavailableError),
             max_retries=4, retry_backoff=2)
def build_self_review_pdf(review_id: str, input_key: str) -> None:
    """A member's own Mẫu 02 as a PDF, from what she saved ("DỰ THẢO" until accepted)."""
    config = current_app.config
    printing.make(review_id, input_key, sessions=session_scope, storage=get_storage(),
                  renderer=DocxRenderer(), converter=converter_for(config),
                  templates=versions.chooser(get_storage(), chi_bo_own=config["CHI_BO_OWN_TEMPLATES"]))


PACKAGE_FAILED = ("Không tạo hoặc không lưu được tệp gói trên máy chủ (bộ nhớ lưu trữ lỗi hoặc đầy). "
                  "Hãy báo quản trị viên, rồi bấm “Đóng gói lại”.")


def _package_failed(task: Task[Any, Any], exc: BaseException, task_id: str, args: tuple[Any, ...],
                    kwargs: dict[str, Any], einfo: Any) -> None:
    """A package task that gave up records it: the page and the API say so, /healthz is red."""
    kind, ident = [*args, kwargs.get("kind"), kwargs.get("ident")][:2]
    logger.error("package %s %s failed: %r", kind, ident, exc)
    with flask_app_of(task.app).app_context():
        packages.failed(str(kind), str(ident), PACKAGE_FAILED, sessions=session_scope)


# a package is made of stored files only: the store or a record not seen yet are retried;
# anything else (a full disk, a folder that cannot be made) fails at once, recorded
PACKAGE_POLICY: dict[str, Any] = {
    "acks_late": True, "reject_on_worker_lost": True, "max_retries": 4, "retry_backoff": 2,
    "autoretry_for": (StorageUnavailableError, RecordMissingError, SoftTimeLimitExceeded),
    "on_failure": _package_failed,
}


@shared_task(**PACKAGE_POLICY)  # type: ignore[untyped-decorator]  # as build_documents
def build_package(kind: str, ident: str) -> None:
    """Build the ZIP and print PDF of a finished job (then its batch's ZIP if due), of an earlier
    revision of a job, or a batch's ZIP; then forget its queued or failed state."""
    with stage("package"):
        _build_package(kind, ident)


def _build_package(kind: str, ident: str) -> None:
    if kind == "batch":
        packages.build_batch_package(ident, sessions=session_scope, storage=get_storage())
    elif kind == "revision":  # an earlier revision's package: "<job id>:<number>"
        job_id, number = ident.rsplit(":", 1)
        packages.build_revision_package(job_id, int(number), sessions=session_scope, storage=get_storage(),
                                        duplex=bool(current_app.config["PRINT_DUPLEX"]))
    else:
        packages.build_job_package(ident, sessions=session_scope, storage=get_storage(),
                                   duplex=bool(current_app.config["PRINT_DUPLEX"]))
    packages.built(kind, ident, sessions=session_scope)
    if kind != "job":
        return
    batch_id = packages.batch_of(ident, sessions=session_scope)
    if batch_id is not None:
        packages.asked("batch", batch_id, sessions=session_scope)
        queue.dispatch_package("batch", batch_id)


@shared_task(acks_late=True, autoretry_for=(StorageUnavailableError,), max_retries=3, retry_backoff=30)
def purge_expired() -> int:
    """Delete the jobs and batches older than RETENTION_DAYS, and the files of jobs that have no
    row (submissions killed mid-request); run daily by the beat schedule."""
    with session_scope() as session:
        removed = retention.purge(session, get_storage(), current_app.config["RETENTION_DAYS"])
        retention.purge_orphans(session, get_storage())
        retention.purge_conversions(get_storage(), current_app.config["CONVERSION_CACHE_HOURS"])
        return removed


# acknowledged when taken, not after: its own message must not be what keeps the queue non-empty
@shared_task(acks_late=False, ignore_result=True)
def recover_lost() -> int:
    """Queue again the documents no message will reach (a Redis that came back empty); how many.

    Run every ``LOST_CHECK_SECONDS`` by the beat schedule. Each run is also a reading of the
    queue: a momentary empty queue between two runs never counts (``queue.quiet_for``).
    """
    config = current_app.config
    quiet = queue.quiet_for(config["REDIS_URL"])
    with session_scope() as session:
        documents = recovery.requeue(recovery.find_lost(session, quiet, config["LOST_AFTER_SECONDS"]),
                                     fresh=False)
    if documents:
        logger.warning("%d documents had no message left in Redis: queued again", len(documents))
        queue.dispatch(documents, config["BATCH_CHUNK_SIZE"])
    return len(documents)


@shared_task(acks_late=False, ignore_result=True)
def remind_due() -> int:
    """Remind the units of seasons whose deadline is within REMINDER_DAYS_BEFORE days (run hourly by
    the beat; each unit at most once a day); how many units were reminded."""
    config = current_app.config
    with session_scope() as session:
        return reminders.remind_due(session, get_storage(), mailer=reminders.mailer_from(config),
                                    days=int(config["REMINDER_DAYS_BEFORE"]),
                                    link=config["PUBLIC_URL"] or "http://localhost:8000/", today=date.today())
