"""The roster in the database: read it, replace it whole (each change audited), merge an import.

``replace`` keeps the id of every member sent with one, adds those without, and removes those
not sent, and says who was added, removed and which fields of whom changed (the caller writes it
to the audit log: ``roster-update``, ``roster-import``). An id that is not on this chi bộ's
roster is refused on its field, never taken from another chi bộ.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.errors import FieldProblem, InvalidRosterError
from service.meetings.vnformat import fold_words
from service.roster.models import RosterMember
from service.roster.schemas import FIELDS, RosterEntry

_MAX_NAMED = 40


def members(session: Session, organisation_id: str) -> list[RosterMember]:
    """The roster of *organisation_id*, in its order."""
    return list(session.scalars(select(RosterMember).where(RosterMember.organisation_id == organisation_id)
                                .order_by(RosterMember.position, RosterMember.name)))


def entry_of(row: RosterMember) -> RosterEntry:
    """A stored member as the API shows it."""
    return RosterEntry.model_validate({"id": row.id, **{f: getattr(row, f) for f in FIELDS}})


def _value(entry: RosterEntry, name: str) -> Any:
    value = getattr(entry, name)
    return value.value if hasattr(value, "value") else value


def replace(session: Session, organisation_id: str, entries: list[RosterEntry]) -> tuple[dict[str, int], str]:
    """Make the roster of *organisation_id* exactly *entries*: counts of what changed, and the
    audit line's detail naming them (empty: nothing changed)."""
    stored = {row.id: row for row in members(session, organisation_id)}
    problems = [FieldProblem(f"members[{i}].id", f"Không có đảng viên mã {e.id} trong danh sách của chi bộ.")
                for i, e in enumerate(entries) if e.id is not None and e.id not in stored]
    if problems:
        raise InvalidRosterError(problems)
    kept = {e.id for e in entries if e.id}
    removed = [row for key, row in stored.items() if key not in kept]
    added: list[str] = []
    changed: list[str] = []
    for position, entry in enumerate(entries):
        row = stored.get(entry.id or "") or RosterMember(organisation_id=organisation_id)
        fields = [f for f in FIELDS if getattr(row, f) != _value(entry, f)]
        if entry.id is None:
            session.add(row)
            added.append(entry.name)
        elif fields:
            changed.append(f"{entry.name} ({', '.join(fields)})")
        for name in FIELDS:
            setattr(row, name, _value(entry, name))
        row.position = position
    for row in removed:
        session.delete(row)
    session.flush()
    parts = [f"thêm {len(added)}: {', '.join(added[:_MAX_NAMED])}" if added else "",
             f"xoá {len(removed)}: {', '.join(r.name for r in removed[:_MAX_NAMED])}" if removed else "",
             f"sửa {len(changed)}: {'; '.join(changed[:_MAX_NAMED])}" if changed else ""]
    counts = {"added": len(added), "changed": len(changed), "removed": len(removed)}
    return counts, "; ".join(p for p in parts if p)


def _match_key(name: str, birth: Any) -> tuple[str, str]:
    return fold_words(name), str(birth or "")


def merged(session: Session, organisation_id: str, imported: list[dict[str, Any]],
           fields: set[str]) -> list[dict[str, Any]]:
    """An imported list laid over the roster: a member already on it (same name and birth) keeps
    its id and whatever the file has no column for (posts, CCCD…); the file's order is kept."""
    stored = members(session, organisation_id)
    by_key = {_match_key(r.name, r.birth_date or r.birth_year): r for r in stored}
    by_name: dict[str, list[RosterMember]] = {}
    for row in stored:
        by_name.setdefault(fold_words(row.name), []).append(row)
    result = []
    for member in imported:
        key = _match_key(member.get("name", ""), member.get("birth_date") or member.get("birth_year"))
        same = by_name.get(key[0], [])
        old = by_key.get(key) or (same[0] if len(same) == 1 and not key[1] else None)
        if old is None:
            result.append(dict(member))
            continue
        base = entry_of(old).model_dump(mode="json")
        base.update({k: v for k, v in member.items()})
        for name in FIELDS:
            if name in fields and name not in member:
                base[name] = RosterEntry.model_fields[name].default  # the file says: empty
        result.append(base)
    return result
