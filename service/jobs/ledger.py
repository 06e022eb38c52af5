"""The resolution ledger of a chi bộ, read from its monthly jobs (``service.meetings.ledger``).

Each monthly meeting of an organisation that is not a draft, in its latest revision, is read
from the input stored with its job; the ledger is computed from them. A chi bộ holds about a
dozen meetings a year, so the cost grows with its months, never with other organisations'.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.jobs import models
from service.meetings import ledger
from service.meetings.schemas import MEETING_ADAPTER, MonthlyMeeting
from service.storage import Storage


def monthly_meetings(session: Session, storage: Storage, organisation_id: str,
                     *, before: date | None = None,
                     skip: str | None = None) -> list[tuple[MonthlyMeeting, str]]:
    """The organisation's monthly meetings on record (not drafts), each with its job id.

    *before*: only meetings held before that day; *skip*: leave out that job (the meeting being
    corrected, which must not follow itself up).
    """
    query = (select(models.Job)
             .where(models.Job.organisation_id == organisation_id, models.Job.kind == "monthly",
                    models.Job.is_draft.is_(False))
             .order_by(models.Job.meeting_date, models.Job.id))
    if before is not None:
        query = query.where(models.Job.meeting_date < before)
    found = []
    for job in session.scalars(query):
        if job.id == skip:
            continue
        meeting = MEETING_ADAPTER.validate_python(json.loads(storage.get(job.input_key)))
        assert isinstance(meeting, MonthlyMeeting)
        found.append((ledger.with_refs(meeting), job.id))
    return found


def entries(session: Session, storage: Storage, organisation_id: str, *, before: date | None = None,
            skip: str | None = None) -> list[ledger.Entry]:
    """The organisation's ledger from its meetings on record (*before*, *skip*: as above)."""
    return ledger.build(monthly_meetings(session, storage, organisation_id, before=before, skip=skip))


def as_json(entry: ledger.Entry, today: date) -> dict[str, Any]:
    """One assignment as the API shows it: where it was made, its state, its history."""
    return {
        "ref": entry.ref,
        "who": entry.who,
        "task": entry.task,
        "due": entry.due.isoformat() if entry.due else None,
        "due_month": entry.due_month,
        "assigned_in": {"year": entry.year, "month": entry.month, "job_id": entry.source},
        "state": entry.state,
        "state_text": ledger.STATUS_TEXT[entry.state],
        "open": entry.is_open,
        "overdue": entry.overdue_on(today),
        "history": [{"year": step.year, "month": step.month, "status": step.status,
                     "note": step.note, "job_id": step.source} for step in entry.history],
        "changed": list(entry.changed),
    }
