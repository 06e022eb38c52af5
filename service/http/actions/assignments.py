"""The resolution ledger's use cases: a chi bộ's assignments and its year at a glance.

Whose: the caller's chi bộ, or the one a đảng ủy office names (``organisation``), as for the
roster (``actions.roster.organisation``). Everything is computed from the chi bộ's monthly
meetings on record (``jobs.ledger``): nothing here is stored.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from service import accounts, roster
from service.errors import BadRequestError
from service.extensions import get_storage, session_scope
from service.http.actions.access import visible_unit
from service.jobs import ledger as stored
from service.meetings import ledger, year

STATES = frozenset(ledger.STATUS_TEXT)


def organisation(session: Any, requested: str | None) -> accounts.Organisation:
    """Whose ledger: the caller's own unit, or *requested* when she sees it (any kind of unit:
    a đảng bộ's committee holds monthly meetings too); else NotFoundError."""
    return visible_unit(session, requested)


def assignments_body(requested: str | None, *, state: str | None = None,
                     open_only: bool = False) -> dict[str, Any]:
    """``{"organisation", "items", "count"}``: every assignment of the chi bộ, oldest first."""
    if state is not None and state not in STATES:
        raise BadRequestError("Tham số state không hợp lệ.", errors=[{
            "field": "state", "detail": "Một trong: " + ", ".join(sorted(STATES)) + "."}])
    today = date.today()
    with session_scope() as session:
        org = organisation(session, requested)
        entries = stored.entries(session, get_storage(), org.id)
        items = [stored.as_json(e, today) for e in entries
                 if (state is None or e.state == state) and (not open_only or e.is_open)]
        return {"organisation": {"id": org.id, "name": org.name}, "items": items, "count": len(items)}


def open_assignments(organisation_id: str, day: date, *, skip: str | None = None) -> list[ledger.Entry]:
    """What a meeting held on *day* is to follow up (*skip*: the job being corrected)."""
    with session_scope() as session:
        return ledger.open_before(stored.entries(session, get_storage(), organisation_id, skip=skip), day)


def year_body(requested: str | None, which: int) -> dict[str, Any]:
    """The chi bộ's *which* year: months, tallies per person, Mẫu 01 and Mẫu 02 starting texts."""
    with session_scope() as session:
        org = organisation(session, requested)
        meetings = stored.monthly_meetings(session, get_storage(), org.id)
        names = [row.name for row in roster.members(session, org.id)]
        org_head = {"id": org.id, "name": org.name}
    if not names:  # no roster kept: the members of the year's minutes
        names = list(dict.fromkeys(m.name for meeting, _ in meetings if meeting.year == which
                                   for m in meeting.members))
    entries = ledger.build(meetings)
    made = ledger.year_entries(entries, which)
    months = year.glance(meetings, which)
    return {
        "organisation": org_head,
        "year": which,
        "meetings_held": sum(1 for m in months if m.held),
        "months": [{"month": m.month, "held": m.held.isoformat() if m.held else None, "job_id": m.job_id,
                    "minutes": m.minutes, "attendance": m.attendance, "warnings": m.warnings,
                    "assignments": vars(m.tally)} for m in months],
        "people": {who: vars(t) for who, t in ledger.by_person(made).items()},
        "report_text": ledger.report_lines(entries, which),
        "member_texts": {name: lines for name in names if (lines := ledger.member_lines(made, name))},
    }
