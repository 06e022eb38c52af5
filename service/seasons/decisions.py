"""The đảng ủy's decisions after review: on each unit, and on each member where it differs.

A decision on a member is also written into the unit's own review (``carry``): a revision that
builds again only her self-review, whose foot then shows the decided level beside the chi bộ's
proposal (docs/rules.md, "The đảng ủy's decision on a member"); the chi bộ's minutes, vote count
and report keep the proposal they recorded, and the summary shows both.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.accounts import Organisation, record
from service.accounts.units import Manager
from service.database import now
from service.errors import FieldProblem, ForbiddenError, InvalidInputError
from service.jobs import models as jobs
from service.jobs import revisions
from service.meetings.figures import compute
from service.meetings.schemas import LEVELS, Level
from service.meetings.schemas.annual import UpperDecision
from service.meetings.schemas.dang_bo import committee_of
from service.seasons import board
from service.seasons.models import MemberDecision, Season, SeasonUnit
from service.seasons.seasons import is_office
from service.storage import Storage

_LEVELS = {level.value for level in LEVELS}
_LEVEL_HINT = "Mức là một trong: " + ", ".join(f"{lv.value} ({lv.label})" for lv in LEVELS) + "."


def _unit(season: Season, organisation_id: object) -> SeasonUnit:
    found = next((u for u in season.units if u.organisation_id == organisation_id), None)
    if found is None:
        raise InvalidInputError([FieldProblem("organisation_id", "Đơn vị này không tham gia đợt.")])
    return found


def _level(value: object, field: str) -> str | None:
    if value in (None, ""):
        return None
    if value not in _LEVELS:
        raise InvalidInputError([FieldProblem(field, _LEVEL_HINT)])
    return str(value)


def _note(value: object, field: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str) or len(value) > 1000:
        raise InvalidInputError([FieldProblem(field, "Ghi chú là một đoạn chữ, tối đa 1000 ký tự.")])
    return " ".join(value.split())


def decide(
    session: Session, actor: Manager, season: Season, data: Any, proposals: dict[str, str | None]
) -> SeasonUnit:
    """Record the đảng ủy's decision on one unit (``level``, ``note``, ``reviewed``) and on its
    members (``members``: ``[{"member", "level", "note"}]``); *proposals* maps each member of the
    unit's review to the level its chi bộ proposed. A level unlike the proposal needs a note."""
    if not is_office(season, actor):
        raise ForbiddenError("Chỉ văn phòng đảng ủy của đợt ghi quyết định.")
    if not isinstance(data, dict):
        raise InvalidInputError([FieldProblem("", "Gửi một đối tượng JSON.")])
    unit = _unit(season, data.get("organisation_id"))
    changed = []
    if "level" in data:
        unit.decided_level = _level(data.get("level"), "level")
        unit.decision_note = _note(data.get("note"), "note")
        changed.append(f"đơn vị: {Level(unit.decided_level).label if unit.decided_level else '(bỏ)'}")
    if data.get("reviewed"):
        unit.reviewed_at, unit.reviewed_by = now(), actor.id
        changed.append("đã xem xét")
    members = data.get("members") or []
    if not isinstance(members, list):
        raise InvalidInputError([FieldProblem("members", "Danh sách quyết định từng đảng viên.")])
    rows = {
        r.member: r
        for r in session.scalars(
            select(MemberDecision).where(
                MemberDecision.season_id == season.id, MemberDecision.organisation_id == unit.organisation_id
            )
        )
    }
    for index, item in enumerate(members):
        where = f"members[{index}]"
        name = item.get("member") if isinstance(item, dict) else None
        if name not in proposals:
            raise InvalidInputError(
                [FieldProblem(f"{where}.member", "Không có đảng viên này trong báo cáo của đơn vị.")]
            )
        assert isinstance(item, dict) and isinstance(name, str)
        level = _level(item.get("level"), f"{where}.level")
        note = _note(item.get("note"), f"{where}.note")
        if level is None:
            if name in rows:
                session.delete(rows.pop(name))
            continue
        if level != proposals[name] and not note:
            raise InvalidInputError(
                [FieldProblem(f"{where}.note", "Mức khác mức chi bộ đề nghị: ghi lý do.")]
            )
        row = rows.get(name) or MemberDecision(
            season_id=season.id, organisation_id=unit.organisation_id, member=name
        )
        row.level, row.note, row.decided_by, row.decided_at = level, note, actor.id, now()
        session.add(row)
        changed.append(f"{name}: {Level(level).label}")
    record(session, actor, "season-decide", "season", season.id, unit.organisation_id, "; ".join(changed))
    return unit


def member_decisions(session: Session, season: Season, organisation_id: str) -> dict[str, dict[str, str]]:
    """The decisions on members of one unit: member → level and note."""
    return {
        r.member: {"level": r.level, "note": r.note}
        for r in session.scalars(
            select(MemberDecision).where(
                MemberDecision.season_id == season.id, MemberDecision.organisation_id == organisation_id
            )
        )
    }


def carry(
    session: Session, storage: Storage, season: Season, organisation_id: str, actor_id: str | None
) -> list[jobs.Document]:
    """Write the decisions on the unit's members into its newest review, as a revision that
    builds again only the self-reviews of the members whose decision changed; the documents to
    queue (after the commit). Nothing while the review's documents are being built."""
    job = board.latest_jobs(session, season, [organisation_id]).get(organisation_id)
    meeting = board.meeting_of(job, storage) if job is not None else None
    if job is None or meeting is None or revisions.pending(job):
        return []
    office = session.get(Organisation, season.organisation_id)
    by = committee_of(office.name) if office is not None else "Đảng ủy"
    decided = member_decisions(session, season, organisation_id)
    member_of = {id(item.rating): item.member for item in compute(meeting).member_results if item.rating}
    ratings, changed = [], []
    for rating in meeting.ratings:
        member = member_of.get(id(rating))
        row = decided.get(member.name) if member is not None else None
        decision = UpperDecision(level=Level(row["level"]), by=by, note=row["note"] or None) if row else None
        if decision != rating.decision and member is not None:
            changed.append(member.key)
        ratings.append(rating.model_copy(update={"decision": decision}))
    if not changed:
        return []
    names = [d.name for d in job.documents if d.doc_type == "ban_kiem_diem_ca_nhan" and d.subject in changed]
    if not names:  # none of her documents prints it (a job of the minutes only): nothing to build
        return []
    revised = meeting.model_copy(update={"ratings": ratings})
    return revisions.revise_some(job, revised, names, storage=storage, changed_by=actor_id)
