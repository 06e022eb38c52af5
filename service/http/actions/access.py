"""What every use case starts with: the caller's job or batch, and queueing after the commit.

``load_job`` and ``load_batch`` answer NotFoundError for an id that does not exist and for
one of another organisation alike; ``dispatch`` queues committed document rows (Redis down:
503, the rows stay queued and the beat's ``recover_lost`` sends them once it answers again).
"""

from __future__ import annotations

import re
from datetime import date

from flask import current_app
from sqlalchemy.orm import Session

from service import accounts
from service.errors import NotFoundError, QueueUnavailableError
from service.extensions import session_scope
from service.http import auth
from service.jobs import batches, models, queue, recovery
from service.meetings.dates import Calendar

_ID = re.compile(r"[0-9a-f]{1,64}")  # every id is hex; anything else is no id at all


def dispatch(documents: list[models.Document]) -> None:
    """Queue *documents* (committed rows) in tasks of ``BATCH_CHUNK_SIZE``; QueueUnavailableError."""
    with session_scope() as session:
        ahead = recovery.waiting_ahead(session, documents)
    try:
        queue.dispatch(documents, current_app.config["BATCH_CHUNK_SIZE"], ahead=ahead)
    except QueueUnavailableError as exc:
        raise QueueUnavailableError(f"{exc.detail} Các tài liệu vẫn ở trạng thái chờ và sẽ được gửi "
                                    "đi khi hàng đợi trả lời lại.") from exc


def load_job(session: Session, job_id: str) -> models.Job:
    """The job *job_id*, if it exists and the caller may see it; else NotFoundError."""
    job = session.get(models.Job, job_id) if _ID.fullmatch(job_id) else None
    if job is None or not auth.caller().sees(job.organisation_id):
        raise NotFoundError(f"Không có công việc mã {job_id}.")
    return job


def load_batch(session: Session, batch_id: str) -> models.Batch:
    """The batch *batch_id*, if it exists and the caller may see it; else NotFoundError."""
    batch = batches.load(session, batch_id)
    if not auth.caller().sees(batch.organisation_id):
        raise NotFoundError(f"Không có lô tài liệu mã {batch_id}.")
    return batch


def lost(docs: list[models.Document]) -> list[models.Document]:
    """Those of *docs* whose message is gone from Redis (asks Redis only if one is pending)."""
    if not any(d.status in (models.QUEUED, models.RUNNING) for d in docs):
        return []
    return recovery.lost(docs, quiet(), current_app.config["LOST_AFTER_SECONDS"])


def quiet() -> float | None:
    """Seconds Redis has held no message at all without a break (``queue.quiet_for``)."""
    return queue.quiet_for(current_app.config["REDIS_URL"])


def calendar() -> Calendar:
    """Today and how far ahead a meeting may be dated (``MEETING_DAYS_AHEAD``)."""
    return Calendar(date.today(), int(current_app.config["MEETING_DAYS_AHEAD"]))


_UNIT_ID = re.compile(r"[0-9a-f]{32}")


def visible_unit(session: Session, requested: str | None, noun: str = "đơn vị") -> accounts.Organisation:
    """The caller's own unit, or *requested* when she sees it; else NotFoundError naming *noun*."""
    found = auth.caller()
    wanted = requested or found.organisation_id
    org = session.get(accounts.Organisation, wanted) if wanted and _UNIT_ID.fullmatch(wanted) else None
    if org is None or not found.sees(org.id):
        raise NotFoundError(f"Không có {noun} mã {wanted}." if wanted else f"Không có {noun}.")
    unit: accounts.Organisation = org
    return unit
