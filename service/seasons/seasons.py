"""Opening a season and finding it again, scoped to the organisations the caller sees."""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.accounts import UNIT_KINDS, Organisation, record
from service.accounts.units import Manager
from service.errors import FieldProblem, ForbiddenError, InvalidInputError, NotFoundError
from service.seasons.models import Season, SeasonUnit

KINDS = ("annual_review", "monthly")  # the annual review; a month's sinh hoạt chi bộ định kỳ


def default_title(year: int, month: int | None = None) -> str:
    """``Kiểm điểm, đánh giá, xếp loại năm 2026``; ``Sinh hoạt chi bộ định kỳ tháng 11/2026``."""
    if month is not None:
        return f"Sinh hoạt chi bộ định kỳ tháng {month:02d}/{year}"
    return f"Kiểm điểm, đánh giá, xếp loại năm {year}"


def _kind_problems(kind: object, month: object) -> list[FieldProblem]:
    if kind not in KINDS:
        return [FieldProblem("kind", "Loại đợt là kiểm điểm năm (annual_review) hoặc sinh hoạt tháng "
                                     "(monthly).")]
    if kind == "monthly" and (not isinstance(month, int) or isinstance(month, bool) or not 1 <= month <= 12):
        return [FieldProblem("month", "Đợt sinh hoạt tháng cần tháng, từ 1 đến 12.")]
    if kind == "annual_review" and month is not None:
        return [FieldProblem("month", "Đợt kiểm điểm năm không có tháng.")]
    return []


def _problems(year: object, deadline: object, unit_ids: object, title: object) -> list[FieldProblem]:
    found = []
    if not isinstance(year, int) or isinstance(year, bool) or not 2018 <= year <= 2100:
        found.append(FieldProblem("year", "Năm đánh giá là số từ 2018 đến 2100."))
    if not isinstance(deadline, date):
        found.append(FieldProblem("deadline", "Hạn chót là một ngày (dd/mm/yyyy, hoặc yyyy-mm-dd qua API)."))
    if not isinstance(unit_ids, list) or not unit_ids or not all(isinstance(u, str) for u in unit_ids):
        found.append(FieldProblem("organisation_ids", "Chọn ít nhất một đơn vị tham gia đợt."))
    if title is not None and (not isinstance(title, str) or not 3 <= len(title.strip()) <= 300):
        found.append(FieldProblem("title", "Tên đợt có từ 3 đến 300 ký tự."))
    return found


def open_season(
    session: Session,
    actor: Manager,
    *,
    year: object,
    deadline: object,
    unit_ids: object,
    title: object = None,
    superior: object = None,
    place: object = None,
    kind: object = "annual_review",
    month: object = None,
) -> Season:
    """A new season of the actor's đảng bộ for the chosen units, with its deadline (audited):
    the annual review of *year*, or (*kind* "monthly") the monthly meetings of *month*."""
    if actor.role != "dang_uy" or actor.organisation_id is None:
        raise ForbiddenError("Chỉ văn phòng đảng ủy mở đợt kiểm điểm cho các đơn vị trực thuộc.")
    problems = _problems(year, deadline, unit_ids, title) + _kind_problems(kind, month)
    if problems:
        raise InvalidInputError(problems)
    assert isinstance(year, int) and isinstance(deadline, date) and isinstance(unit_ids, list)
    assert isinstance(kind, str) and (month is None or isinstance(month, int))
    chosen = []
    for index, unit_id in enumerate(dict.fromkeys(unit_ids)):
        unit = session.get(Organisation, unit_id) if re.fullmatch(r"[0-9a-f]{32}", unit_id) else None
        if unit is None or unit.parent_id != actor.organisation_id or unit.kind not in UNIT_KINDS:
            raise InvalidInputError(
                [FieldProblem(f"organisation_ids[{index}]", "Không phải đơn vị trực thuộc đảng bộ của bạn.")]
            )
        if unit.closed_at is not None:
            raise InvalidInputError([FieldProblem(f"organisation_ids[{index}]", f"{unit.name} đã đóng.")])
        chosen.append(unit)
    office = session.get(Organisation, actor.organisation_id)
    assert office is not None
    season = Season(
        organisation_id=office.id,
        year=year,
        kind=kind,
        month=month,
        deadline=deadline,
        created_by=actor.id,
        title=(title.strip() if isinstance(title, str) else None) or default_title(year, month),
        superior=_line(superior),
        place=_line(place),
    )
    season.units = [SeasonUnit(organisation_id=unit.id) for unit in chosen]
    session.add(season)
    session.flush()
    record(
        session,
        actor,
        "season-open",
        "season",
        season.id,
        office.id,
        f"{season.title}, hạn {deadline:%d/%m/%Y}, {len(chosen)} đơn vị",
    )
    return season


def _line(value: object) -> str:
    return " ".join(value.split())[:200] if isinstance(value, str) else ""


def load(session: Session, season_id: str, visible: Collection[str] | None) -> Season:
    """The season, if the caller sees its đảng bộ or one of its units; else NotFoundError."""
    season = session.get(Season, season_id) if re.fullmatch(r"[0-9a-f]{32}", season_id or "") else None
    if season is None or not (
        visible is None
        or season.organisation_id in visible
        or any(u.organisation_id in visible for u in season.units)
    ):
        raise NotFoundError("Không có đợt này.")
    return season


def listed(session: Session, visible: Collection[str] | None) -> list[Season]:
    """The seasons the caller sees, newest first (a secretary: those her unit takes part in)."""
    query = select(Season).order_by(Season.created_at.desc())
    if visible is not None:
        mine = select(SeasonUnit.season_id).where(SeasonUnit.organisation_id.in_(list(visible)))
        query = query.where(Season.organisation_id.in_(list(visible)) | Season.id.in_(mine))
    return list(session.scalars(query.limit(200)))


def is_office(season: Season, actor: Manager) -> bool:
    """Whether the actor is the office of the season's đảng bộ (or an admin)."""
    return actor.role == "admin" or (
        actor.role == "dang_uy" and actor.organisation_id == season.organisation_id
    )
