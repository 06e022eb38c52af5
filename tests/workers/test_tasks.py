"""The tasks' policy on their decorators, and what a task that gives up leaves behind."""

from __future__ import annotations

import pytest
from celery.exceptions import SoftTimeLimitExceeded

from service.errors import (
    ConversionError,
    ConverterUnavailableError,
    RecordMissingError,
    RenderError,
    StorageUnavailableError,
)
from service.extensions import get_storage, session_scope
from service.jobs import models, pipeline, queue
from tests.support.factories import meeting_payload
from workers import tasks

TRANSIENT = (ConverterUnavailableError, StorageUnavailableError, RecordMissingError, SoftTimeLimitExceeded)


@pytest.mark.parametrize("task", [tasks.build_documents, tasks.build_document])
def test_building_retries_only_transient_failures(task):
    """A converter down, a store down, a row not yet visible or a soft time limit: retried."""
    assert set(task.autoretry_for) == set(TRANSIENT)


@pytest.mark.parametrize("error", [RenderError, ConversionError])
def test_a_document_s_own_fault_is_not_retried(error):
    """A bad template or data, or LibreOffice refusing the file, fails at once."""
    assert not issubclass(error, tuple(tasks.build_documents.autoretry_for))


def test_retries_are_capped_with_backoff():
    """At most four retries, backing off exponentially up to a minute."""
    task = tasks.build_documents
    assert (task.max_retries, task.retry_backoff, task.retry_backoff_max) == (4, 2, 60)


def test_a_task_is_acknowledged_only_after_it_ran():
    """A worker killed mid-task gives the message back to the queue (idempotent tasks)."""
    assert tasks.build_documents.acks_late and tasks.build_documents.reject_on_worker_lost


def test_the_queue_seam_names_the_real_task():
    """service.jobs.queue sends by name; the name is this task's."""
    assert tasks.build_documents.name == queue.BUILD_DOCUMENTS
    assert tasks.purge_expired.name == queue.PURGE_EXPIRED


def test_a_task_that_gives_up_marks_its_documents_failed(app):
    """on_failure records the reason on every document of the task, in Vietnamese."""
    with app.app_context(), session_scope() as session:
        job = pipeline.submit(meeting_payload(), session=session, storage=get_storage(),
                              only=["bien_ban_kiem_diem", "bao_cao_kiem_diem"])
        session.flush()
        ids = [d.id for d in job.documents]
    app.extensions["celery"].set_default()
    tasks.build_documents.on_failure(ConverterUnavailableError("LibreOffice không trả lời."), "task-1",
                                     (ids,), {}, None)
    with app.app_context(), session_scope() as session:
        documents = [session.get(models.Document, i) for i in ids]
        assert {d.status for d in documents} == {models.FAILED}
        assert {d.error_detail for d in documents} == {"LibreOffice không trả lời."}


def test_on_failure_leaves_a_finished_document_done(app):
    """A document another delivery already finished is not turned into a failure."""
    with app.app_context(), session_scope() as session:
        job = pipeline.submit(meeting_payload(), session=session, storage=get_storage(),
                              only=["bien_ban_kiem_diem"])
        session.flush()
        job.documents[0].status = models.DONE
        document_id = job.documents[0].id
    app.extensions["celery"].set_default()
    tasks.build_document.on_failure(RuntimeError("boom"), "task-2", (document_id,), {}, None)
    with app.app_context(), session_scope() as session:
        assert session.get(models.Document, document_id).status == models.DONE


def test_the_package_task_is_queued_by_its_name():
    """service.jobs.queue names the package task as the worker registers it."""
    assert tasks.build_package.name == queue.BUILD_PACKAGE
    assert tasks.build_self_review_pdf.name == queue.SELF_REVIEW_PDF  # a member's own PDF


def test_the_last_document_finished_queues_its_job_s_package(app, monkeypatch):
    """A task that gives up on a job's last documents still queues the job's package."""
    sent = []
    monkeypatch.setattr(queue, "dispatch_package", lambda kind, ident: sent.append((kind, ident)))
    with app.app_context(), session_scope() as session:
        job = pipeline.submit(meeting_payload(), session=session, storage=get_storage(),
                              only=["bien_ban_kiem_diem", "bao_cao_kiem_diem"])
        session.flush()
        job_id, ids = job.id, [d.id for d in job.documents]
    app.extensions["celery"].set_default()
    tasks.build_documents.on_failure(ConverterUnavailableError("x"), "t", ([ids[0]],), {}, None)
    assert sent == []  # one document of the job is still queued
    tasks.build_documents.on_failure(ConverterUnavailableError("x"), "t", ([ids[1]],), {}, None)
    assert sent == [("job", job_id)]
