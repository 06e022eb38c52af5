"""Lost, stuck and requeued documents, on a real database."""

from __future__ import annotations

from datetime import timedelta

from service import database, extensions
from service.extensions import get_storage
from service.jobs import models, pipeline, recovery
from tests.support.factories import meeting_payload


def _job(app, *, age: float) -> list[str]:
    """A job of two documents, pending for *age* seconds."""
    with app.app_context(), extensions.session_scope() as session:
        job = pipeline.submit(meeting_payload(), session=session, storage=get_storage(),
                              only=["bien_ban_kiem_diem", "bien_ban_kiem_phieu"])
        session.flush()
        for document in job.documents:
            document.updated_at = database.now() - timedelta(seconds=age)
        return [d.id for d in job.documents]


def test_pending_documents_are_lost_only_after_an_unbroken_quiet_queue(app):
    """Quiet for as long as the limit: lost; a shorter quiet, or Redis unreachable: not."""
    ids = _job(app, age=120)
    with app.app_context(), extensions.session_scope() as session:
        assert sorted(d.id for d in recovery.find_lost(session, 61.0, 60)) == sorted(ids)
        assert recovery.find_lost(session, 59.0, 60) == []
        assert recovery.find_lost(session, None, 60) == []


def test_a_document_busy_recently_is_not_lost(app):
    """The queue quiet long enough, but the document moved a moment ago: waiting, not lost."""
    _job(app, age=1)
    with app.app_context(), extensions.session_scope() as session:
        assert recovery.find_lost(session, 3600.0, 60) == []


def test_recovery_keeps_an_open_attempt_and_a_retry_forgets_it(app):
    """requeue(fresh=False) leaves started_at (a death still counts); fresh=True clears all."""
    ids = _job(app, age=120)
    with app.app_context(), extensions.session_scope() as session:
        document = session.get(models.Document, ids[0])
        document.status, document.started_at, document.crashes = models.RUNNING, database.now(), 1
        recovery.requeue([document], fresh=False)
        assert document.status == models.QUEUED and document.started_at is not None
        recovery.requeue([document], fresh=True)
        assert document.started_at is None and document.crashes == 0 and document.attempts == 0


def test_stuck_counts_documents_pending_beyond_the_limit(app):
    """Two documents pending 2 minutes: stuck beyond 60 s, not beyond an hour."""
    _job(app, age=120)
    with app.app_context(), extensions.session_scope() as session:
        count, oldest = recovery.stuck(session, 60)
        assert count == 2 and oldest is not None
        assert recovery.stuck(session, 3600) == (0, None)
