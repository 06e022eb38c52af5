"""The roster use cases the API and the pages share: whose roster, read, replace, import, prefill.

A secretary's roster is her chi bộ's; a đảng ủy office (or an admin) names a chi bộ it sees
(``organisation``). Another organisation's roster answers 404 like one that does not exist.
``members_for_meeting`` is what a new meeting's form starts from (``roster.members_at``).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from flask import current_app

from service import accounts, roster
from service.errors import BadRequestError, FieldProblem, InvalidRosterError, NotFoundError
from service.extensions import session_scope
from service.http import auth
from service.http.actions.access import visible_unit


def organisation(session: Any, requested: str | None,
                 what: str = "Danh sách đảng viên") -> accounts.Organisation:
    """The chi bộ whose roster (or *what*) the caller asks for: hers, or *requested* when she sees it."""
    org = visible_unit(session, requested, "chi bộ")
    if org.kind != "chi_bo":
        raise InvalidRosterError([FieldProblem(
            "organisation", f"{what} là của một chi bộ: ghi ?organisation=<mã chi bộ> "
            "(xem GET /api/v1/organisations).")])
    chi_bo: accounts.Organisation = org
    return chi_bo


def _replace(session: Any, org: accounts.Organisation, entries: list[roster.RosterEntry],
             action: str) -> dict[str, int]:
    counts, detail = roster.replace(session, org.id, entries)
    if detail:
        auth.audit(session, action, "roster", org.id, org.id, detail)
    return counts


def _head(org: accounts.Organisation) -> dict[str, Any]:
    return {"id": org.id, "name": org.name}


def roster_body(requested: str | None) -> dict[str, Any]:
    """``{"organisation", "members", "count"}`` of the chi bộ asked for."""
    with session_scope() as session:
        org = organisation(session, requested)
        members = [roster.entry_of(row).model_dump(mode="json") for row in roster.members(session, org.id)]
        return {"organisation": _head(org), "members": members, "count": len(members)}


def _limit(count: int) -> None:
    most = int(current_app.config["ROSTER_MAX_MEMBERS"])
    if count > most:
        raise InvalidRosterError([FieldProblem("members", f"Nhiều nhất {most} đảng viên một chi bộ.")])


def save_roster(requested: str | None, data: Any) -> dict[str, Any]:
    """Replace the roster with *data* (``{"members": [...]}``), audited; the roster as saved."""
    parsed = roster.parse_roster(data)
    _limit(len(parsed.members))
    with session_scope() as session:
        org = organisation(session, requested)
        changes = _replace(session, org, parsed.members, "roster-update")
        org_id = org.id
    return {**roster_body(org_id), "changes": changes}


def import_roster(requested: str | None, data: bytes, filename: str, *, dry_run: bool) -> dict[str, Any]:
    """Read a member list; ``dry_run``: only the preview. Else save it (refused while a row has problems)."""
    most_bytes = int(current_app.config["ROSTER_MAX_BYTES"])
    if len(data) > most_bytes:
        raise BadRequestError(f"Tệp quá lớn: danh sách đảng viên tối đa {most_bytes // (1024 * 1024)} MB.")
    if not data:
        raise BadRequestError("Tệp rỗng: hãy chọn tệp danh sách đảng viên (.xlsx, .xls, .csv).")
    with session_scope() as session:
        org = organisation(session, requested)
        found = roster.preview(data, filename, date.today(), int(current_app.config["ROSTER_MAX_MEMBERS"]))
        members = roster.merged(session, org.id, [r.member for r in found.rows], found.fields)
        body: dict[str, Any] = {
            "organisation": _head(org), "filename": filename, "sheet": found.sheet,
            "header_row": found.header_row,
            "columns": [c.as_dict() for c in found.columns if c.role],
            "ignored": [c.as_dict() for c in found.columns if c.role == ""],
            "unknown": [c.as_dict() for c in found.columns if c.role is None],
            "rows": [{"row": r.row, "member": m, "problems": [p.as_dict() for p in r.problems],
                      "notes": r.notes, "raw": r.raw} for r, m in zip(found.rows, members, strict=True)],
            "problems": [p.as_dict() for p in found.problems], "saved": False}
        if dry_run:
            return body
        if found.problems:
            raise InvalidRosterError(found.problems)
        parsed = roster.parse_roster({"members": members})
        body["changes"] = _replace(session, org, parsed.members, "roster-import")
        body["saved"] = True
        return body


def members_for_meeting(organisation_id: str, on: date) -> list[roster.MemberOnDate]:
    """The members a meeting of *organisation_id* on *on* starts from (the caller must see it)."""
    auth.check_visible(organisation_id, "chi bộ này")
    with session_scope() as session:
        return roster.members_at(session, organisation_id, on)


def meeting_roster(requested: str | None, on: date) -> tuple[str, str, list[roster.MemberOnDate]] | None:
    """The chi bộ a new meeting is for (the caller's own, or *requested*): its name, its id and its
    members on *on*; None when the caller has no such chi bộ."""
    with session_scope() as session:
        try:
            org = organisation(session, requested)
        except (NotFoundError, InvalidRosterError):
            return None
        return org.name, org.id, roster.members_at(session, org.id, on)


def roster_on(on: date) -> list[roster.MemberOnDate]:
    """The caller's chi bộ's members on record on *on* (empty: no roster, or no chi bộ)."""
    with session_scope() as session:
        try:
            org = organisation(session, None)
        except (NotFoundError, InvalidRosterError):
            return []
        return roster.members_at(session, org.id, on)


_PLACE = re.compile(r"\b(?:xã|phường|thị trấn|đặc khu|thị xã|thành phố|huyện|quận|tỉnh)\s+(.+)$",
                    re.IGNORECASE)


def organisation_block() -> dict[str, str] | None:
    """The caller's chi bộ as a meeting's ``organisation``: its name, the đảng bộ above, the place.

    The place is the unit's name in the đảng bộ's (``Đảng bộ phường Thành Sen`` → ``Thành Sen``);
    None when the caller has no chi bộ.
    """
    with session_scope() as session:
        try:
            org = organisation(session, None)
        except (NotFoundError, InvalidRosterError):
            return None
        parent = session.get(accounts.Organisation, org.parent_id) if org.parent_id else None
        parent_name = parent.name if parent is not None else ""
        found = _PLACE.search(parent_name) or _PLACE.search(org.name)
        return {"name": org.name, "parent": parent_name, "place": found.group(1) if found else ""}
