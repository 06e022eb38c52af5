"""What every use case starts with: the caller's job or batch, and queueing after the commit.

``load_job`` and ``load_batch`` answer NotFoundError for an id that does not exist and for
one of another organisation alike; ``dispatch`` queues committed document rows.
"""

from __future__ import annotations

import re
from datetime import date

from flask import current_app
from sqlalchemy.orm import Session

from service.errors import NotFoundError
from service.http import auth
from service.jobs import batches, models, queue
from service.meetings.dates import Calendar

_ID = re.compile(r"[0-9a-f]{1,64}")  # every id is hex; anything else is no id at all


def dispatch(documents: list[models.Document]) -> None:
    """Queue *documents* (committed rows) in tasks of ``BATCH_CHUNK_SIZE``."""
    queue.dispatch(documents, current_app.config["BATCH_CHUNK_SIZE"])


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
    return batches.lost(docs, queue.in_flight(current_app.config["REDIS_URL"]),
                        current_app.config["LOST_AFTER_SECONDS"])


def calendar() -> Calendar:
    """Today and how far ahead a meeting may be dated (``MEETING_DAYS_AHEAD``)."""
    return Calendar(date.today(), int(current_app.config["MEETING_DAYS_AHEAD"]))
