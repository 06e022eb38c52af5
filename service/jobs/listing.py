"""The lists of jobs and batches a caller may see: newest first, filtered, a page at a time.

Pages are cut by a keyset cursor (the ``created_at`` and id of the last row shown, opaque to
the client), so a job made while someone pages through never shifts or repeats a row. A
job's status is derived from its documents (``models.derived_status``); the filter on it is
the same rule written as ``EXISTS`` conditions, so it runs in the database.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections import Counter
from collections.abc import Collection
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, and_, exists, false, func, not_, or_, select
from sqlalchemy.orm import Session, selectinload

from service.errors import BadRequestError
from service.jobs import models
from service.meetings.vnformat import fold_words

STATUSES = (models.DRAFT, models.QUEUED, models.RUNNING, models.DONE, models.FAILED)
MAX_LIMIT = 100
Row = TypeVar("Row", models.Job, models.Batch)


def encode_cursor(row: models.Job | models.Batch) -> str:
    """The cursor of the page after *row*."""
    return base64.urlsafe_b64encode(f"{row.created_at.isoformat()}|{row.id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, str]:
    """``created_at`` and id of the last row of the previous page; BadRequestError if unreadable."""
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        when, row_id = text.split("|")
        if not re.fullmatch(r"[0-9a-f]{1,64}", row_id):
            raise ValueError(row_id)
        return datetime.fromisoformat(when), row_id
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise BadRequestError("Tham số after không hợp lệ; hãy dùng địa chỉ next của trang trước.",
                              errors=[{"field": "after", "detail": "Con trỏ trang không hợp lệ."}]) from exc


def _visible(column: Any, visible: Collection[str] | None) -> ColumnElement[bool] | None:
    if visible is None:
        return None
    return column.in_(sorted(visible)) if visible else false()


def _has(*states: str) -> ColumnElement[bool]:
    return exists().where(models.Document.job_id == models.Job.id, models.Document.status.in_(states))


def _has_other_than(*states: str) -> ColumnElement[bool]:
    return exists().where(models.Document.job_id == models.Job.id, models.Document.status.notin_(states))


def status_clause(status: str) -> ColumnElement[bool]:
    """Jobs whose derived status is *status* (as ``Job.status`` computes it)."""
    if status == models.DRAFT:
        return models.Job.is_draft.is_(True)
    made = models.Job.is_draft.is_(False)
    pending = (models.QUEUED, models.RUNNING)
    clause = {
        models.QUEUED: not_(_has_other_than(models.QUEUED)),
        models.DONE: and_(_has(models.DONE), not_(_has_other_than(models.DONE))),
        models.FAILED: and_(_has(models.FAILED), not_(_has(*pending))),
        models.RUNNING: or_(_has(models.RUNNING),
                            and_(_has(models.QUEUED), _has(models.DONE, models.FAILED))),
    }[status]
    return and_(made, clause)


def _search(column: Any, q: str) -> ColumnElement[bool]:
    # folded text is letters, digits and spaces only: nothing LIKE would take as a wildcard
    found: ColumnElement[bool] = column.like(f"%{fold_words(q)}%")
    return found


def _page(session: Session, query: Any, model: type[Row], after: str | None,
          limit: int) -> tuple[list[Row], str | None]:
    if after:
        when, last_id = decode_cursor(after)
        query = query.where(or_(model.created_at < when, and_(model.created_at == when, model.id < last_id)))
    limit = max(1, min(limit, MAX_LIMIT))
    rows = list(session.scalars(query.order_by(model.created_at.desc(), model.id.desc()).limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, encode_cursor(rows[-1]) if more and rows else None


def jobs(session: Session, visible: Collection[str] | None, *, kind: str | None = None,
         status: str | None = None, year: int | None = None, q: str | None = None,
         after: str | None = None, limit: int = 50) -> tuple[list[models.Job], str | None]:
    """One page of the jobs of the organisations *visible* (None: all), and the next cursor."""
    query = select(models.Job).options(selectinload(models.Job.documents))
    for clause in (_visible(models.Job.organisation_id, visible),
                   models.Job.kind == kind if kind else None,
                   status_clause(status) if status else None,
                   models.Job.year == year if year is not None else None,
                   _search(models.Job.search, q) if q and q.strip() else None):
        if clause is not None:
            query = query.where(clause)
    return _page(session, query, models.Job, after, limit)


def batches(session: Session, visible: Collection[str] | None, *, year: int | None = None,
            q: str | None = None, after: str | None = None,
            limit: int = 50) -> tuple[list[models.Batch], str | None]:
    """One page of the batches of the organisations *visible* (None: all), and the next cursor."""
    query = select(models.Batch)
    for clause in (_visible(models.Batch.organisation_id, visible),
                   models.Batch.year == year if year is not None else None,
                   _search(models.Batch.search, q) if q and q.strip() else None):
        if clause is not None:
            query = query.where(clause)
    return _page(session, query, models.Batch, after, limit)


def job_states(session: Session, batch_ids: list[str]) -> dict[str, dict[str, Counter[str]]]:
    """For each batch, each job's count of documents by state (one grouped query)."""
    found: dict[str, dict[str, Counter[str]]] = {batch_id: {} for batch_id in batch_ids}
    if not batch_ids:
        return found
    rows = session.execute(
        select(models.Job.batch_id, models.Job.id, models.Document.status, func.count())
        .join(models.Document, models.Document.job_id == models.Job.id, isouter=True)
        .where(models.Job.batch_id.in_(batch_ids))
        .group_by(models.Job.batch_id, models.Job.id, models.Document.status))
    for batch_id, job_id, state, count in rows:
        counts = found[str(batch_id)].setdefault(job_id, Counter())
        if state is not None:
            counts[state] += count
    return found
