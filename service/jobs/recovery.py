"""Documents no message will reach, and putting them back: lost, stuck, retried, recovered.

The state of every document lives in the database, its message in Redis. A document still
queued or running is *lost* when Redis has held no message at all for ``LOST_AFTER_SECONDS``
without a break (``queue.quiet_for``: one zero reading proves nothing) and the document
itself has been quiet as long. The beat's ``recover_lost`` queues lost documents again by
itself (a Redis that came back empty); ``retry`` does it on request, with the failed ones.
*Stuck* is the operator's view (``/healthz``): pending longer than ``STUCK_AFTER_SECONDS``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service import database
from service.jobs import models

PENDING = (models.QUEUED, models.RUNNING)
LOST_DETAIL = "Yêu cầu tạo tài liệu đã bị mất khỏi hàng đợi (Redis khởi động lại?); bấm “Tạo lại”."


def lost(docs: Iterable[models.Document], quiet: float | None, after_seconds: float) -> list[models.Document]:
    """Those of *docs* pending and quiet *after_seconds*, while the queue has been empty as long.

    *quiet* is ``queue.quiet_for`` (None: Redis unreachable, so nothing can be said yet).
    """
    if quiet is None or quiet < after_seconds:
        return []
    quiet_since = database.now() - timedelta(seconds=after_seconds)
    return [d for d in docs if d.status in PENDING and d.updated_at <= quiet_since]


def find_lost(session: Session, quiet: float | None, after_seconds: float) -> list[models.Document]:
    """Every lost document of every job (see ``lost``), oldest first."""
    if quiet is None or quiet < after_seconds:
        return []
    quiet_since = database.now() - timedelta(seconds=after_seconds)
    return list(session.scalars(select(models.Document).join(models.Job)
                                .where(models.Document.status.in_(PENDING),
                                       models.Document.updated_at <= quiet_since,
                                       models.Job.is_draft.is_(False))
                                .order_by(models.Document.updated_at)))


def requeue(documents: Iterable[models.Document], *, fresh: bool) -> list[models.Document]:
    """Mark *documents* queued again; *fresh* (a retry asked for) also forgets their attempts.

    Not fresh (``recover_lost``), an attempt still open stays open: the next one counts it as a
    death, so a document whose process was killed *and* whose message went too (a hard time
    limit acknowledges the message) is still quarantined after ``WORKER_CRASH_LIMIT``, never
    sent round for ever.
    """
    again = list(documents)
    for document in again:
        document.status = models.QUEUED
        document.error_type = document.error_detail = None
        if fresh:
            document.attempts = document.crashes = 0
            document.started_at = None
        document.updated_at = database.now()
    return again


def retry(docs: list[models.Document], quiet: float | None, after_seconds: float) -> list[models.Document]:
    """The failed and the lost of *docs*, queued again with their attempts forgotten."""
    return requeue([d for d in docs if d.status == models.FAILED] + lost(docs, quiet, after_seconds),
                   fresh=True)


def stuck(session: Session, after_seconds: float) -> tuple[int, datetime | None]:
    """How many documents have been pending longer than *after_seconds*, and since when the oldest."""
    limit = database.now() - timedelta(seconds=after_seconds)
    count, oldest = session.execute(
        select(func.count(), func.min(models.Document.updated_at))
        .where(models.Document.status.in_(PENDING), models.Document.updated_at <= limit)).one()
    return int(count), oldest


def stalled(session: Session, after_seconds: float, busy_seconds: float) -> tuple[int, datetime | None]:
    """Documents queued longer than *after_seconds* while nothing moves: how many, since when.

    Nothing moves when no document was started or finished in the last *after_seconds* and
    none has been running less than *busy_seconds* (a long conversion under way is progress).
    Zero when the queue moves: this is the "no worker consumes" of ``/healthz``.
    """
    now = database.now()
    waiting, oldest = session.execute(
        select(func.count(), func.min(models.Document.updated_at))
        .where(models.Document.status == models.QUEUED,
               models.Document.updated_at <= now - timedelta(seconds=after_seconds))).one()
    if not waiting:
        return 0, None
    moving = session.scalar(select(func.count()).where(
        (models.Document.updated_at > now - timedelta(seconds=after_seconds))
        & (models.Document.status != models.QUEUED)
        | ((models.Document.status == models.RUNNING)
           & (models.Document.started_at > now - timedelta(seconds=busy_seconds)))))
    return (0, None) if moving else (int(waiting), oldest)


def waiting_ahead(session: Session, documents: list[models.Document]) -> int:
    """Documents of the same submitter queued or running besides *documents* (committed rows).

    The submitter is the account that sent the job (``created_by``), else its organisation: a
    đảng ủy office's whole batch is one submitter's work, a chi bộ secretary's meeting another's.
    ``queue.dispatch`` gives a submitter with much waiting a lower priority, so one đảng bộ's
    long or slow work does not hold every other's meeting behind it (issue #31, 10a).
    """
    if not documents:
        return 0
    job = session.get(models.Job, documents[0].job_id)
    if job is None:
        return 0
    same = (models.Job.created_by == job.created_by if job.created_by is not None
            else models.Job.organisation_id == job.organisation_id if job.organisation_id is not None
            else models.Job.id == job.id)
    mine = {document.id for document in documents}
    rows = session.execute(select(models.Document.id).join(models.Job)
                           .where(same, models.Document.status.in_((models.QUEUED, models.RUNNING))))
    return sum(1 for (document_id,) in rows if document_id not in mine)
