"""Celery tasks: each takes ids, declares its policy on the decorator and calls the pipeline.

Every worker process owns one warm LibreOffice (``OfficeProcess``), started when the
process starts and stopped when it ends, so conversions never wait for a cold start and
two processes never share one unoserver (it converts one document at a time).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from celery import Task, group, shared_task
from celery.exceptions import SoftTimeLimitExceeded
from celery.signals import worker_process_init, worker_process_shutdown
from celery.worker.control import inspect_command
from flask import current_app

from service import db, pipeline, retention
from service.converter import UnoserverConverter
from service.errors import ConverterUnavailableError, RecordMissingError, StorageUnavailableError
from service.office import OfficeProcess, default_unoserver_command, office_states
from service.rendering import DocxRenderer
from service.storage import get_storage

logger = logging.getLogger(__name__)
_converters: dict[int, UnoserverConverter] = {}


def converter_for(config: Any) -> UnoserverConverter:
    """This process's converter: an external unoserver if configured, else its own."""
    pid = os.getpid()
    if pid not in _converters:
        address = config["UNOSERVER_ADDRESS"]
        if address:
            host, _, port = address.rpartition(":")
            _converters[pid] = UnoserverConverter(host=host or "127.0.0.1", port=int(port))
        else:
            command = config["UNOSERVER_COMMAND"] or default_unoserver_command()
            office = OfficeProcess(command, conversion_timeout=config["CONVERSION_TIMEOUT"],
                                   recycle_after=config["OFFICE_RECYCLE_AFTER"],
                                   memory_limit_mb=config["OFFICE_MEMORY_LIMIT_MB"],
                                   state_dir=office_state_dir(config))
            _converters[pid] = UnoserverConverter(office)
    return _converters[pid]


def office_state_dir(config: Any) -> Path:
    """Where this machine's worker processes announce their LibreOffice (see ``offices``)."""
    return Path(config["DATA_DIR"]) / "offices"


@inspect_command()
def offices(state: Any, **_: Any) -> list[dict[str, object]]:
    """Remote control: each LibreOffice of this worker's processes, and whether it answers."""
    return office_states(office_state_dir(state.consumer.app.flask_app.config))


@worker_process_init.connect
def _start_office(**_: Any) -> None:
    # start LibreOffice now (in the background) so the first task finds it warm
    from workers.celery import app as celery_app

    converter = converter_for(celery_app.flask_app.config)
    if converter.office is not None:
        converter.office.start()


@worker_process_shutdown.connect
def _stop_office(**_: Any) -> None:
    converter = _converters.pop(os.getpid(), None)
    if converter is not None:
        converter.close()


def _record_failure(task: Task, exc: BaseException, task_id: str, args: tuple[Any, ...],
                    kwargs: dict[str, Any], einfo: Any) -> None:
    ids = args[0] if args else kwargs.get("document_ids", [])
    ids = [ids] if isinstance(ids, str) else ids
    logger.error("documents %s failed: %s", ids, exc)
    with task.app.flask_app.app_context():
        for document_id in ids:
            pipeline.mark_failed(document_id, exc, sessions=db.session_scope, unless_done=True)


# time limits come from the TASK_TIME_LIMIT setting (service.queue), the rest is fixed here
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


@shared_task(**POLICY)
def build_documents(document_ids: list[str]) -> None:
    """Render and convert the documents *document_ids* (one template: one conversion)."""
    pipeline.build_documents(
        document_ids,
        sessions=db.session_scope,
        storage=get_storage(),
        renderer=DocxRenderer(),
        converter=converter_for(current_app.config),
    )


@shared_task(**POLICY)
def build_document(document_id: str) -> None:
    """Render and convert the document *document_id*."""
    build_documents([document_id])


@shared_task(acks_late=True, autoretry_for=(StorageUnavailableError,), max_retries=3, retry_backoff=30)
def purge_expired() -> int:
    """Delete the jobs and batches older than RETENTION_DAYS (run daily by the beat schedule)."""
    with db.session_scope() as session:
        return retention.purge(session, get_storage(), current_app.config["RETENTION_DAYS"])


def dispatch(documents: list[Any], chunk_size: int) -> int:
    """Queue *documents* as a Celery group of ``build_documents`` tasks; return the task count."""
    parts = pipeline.chunks(documents, chunk_size)
    if parts:
        group(build_documents.s(ids) for ids in parts).apply_async()
    return len(parts)
