"""The use cases of the đảng ủy office that the API and the pages share: its units and their
secretaries' accounts, seasons, the board, decisions, reminders, the summary rolled up.

Each runs as the request's caller, in its own database session; every change writes its audit
line (in ``accounts.units`` and ``seasons``); documents are queued after the commit.
"""

from __future__ import annotations

import logging
import re
from datetime import date
from typing import Any

from flask import current_app, url_for

from service import accounts
from service.accounts import units
from service.errors import (
    FieldProblem,
    ForbiddenError,
    InvalidInputError,
    ServiceError,
)
from service.extensions import get_storage, session_scope
from service.http import auth
from service.http.actions.access import dispatch
from service.jobs import models as jobs
from service.meetings.schemas import Level
from service.seasons import board, decisions, reminders, rollup
from service.seasons import seasons as season_rows
from service.seasons.models import Season
from service.spreadsheets.board import board_xlsx

logger = logging.getLogger(__name__)
_ID = re.compile(r"[0-9a-f]{32}")


def unit_json(org: accounts.Organisation) -> dict[str, Any]:
    """A unit as the API shows it."""
    return {
        "id": org.id,
        "name": org.name,
        "kind": org.kind,
        "kind_label": accounts.KIND_LABELS[org.kind],
        "parent_id": org.parent_id,
        "closed": org.closed_at is not None,
    }


def user_json(user: accounts.User) -> dict[str, Any]:
    """An account as the API shows it (never its password or hash)."""
    return {
        "id": user.id,
        "username": user.username,
        "role": user.role,
        "organisation_id": user.organisation_id,
        "email": user.email,
        "active": user.active,
    }


def list_units() -> list[dict[str, Any]]:
    """The units the caller manages."""
    with session_scope() as session:
        return [unit_json(o) for o in units.managed_units(session, auth.caller())]


_TEXT = "Ghi một đoạn chữ"


def _typed(data: dict[str, Any], spec: dict[str, tuple[tuple[type, ...], int | None]]) -> None:
    """Refuse (422, on the field) a value of another JSON type than *spec* names, or longer than
    its limit: what the OpenAPI description promises is what is checked."""
    problems = []
    for name, (types, limit) in spec.items():
        if name not in data:
            continue
        value = data[name]
        if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
            problems.append(FieldProblem(name, f"{_TEXT}." if str in types else "Giá trị không đúng kiểu."))
        elif limit is not None and isinstance(value, str) and len(value) > limit:
            problems.append(FieldProblem(name, f"Tối đa {limit} ký tự."))
    if problems:
        raise InvalidInputError(problems)


def _id_or_none(data: dict[str, Any], name: str) -> None:
    value = data.get(name)
    if name in data and not (isinstance(value, str) and _ID.fullmatch(value)):
        raise InvalidInputError([FieldProblem(name, "Mã không đúng định dạng (32 chữ số hệ 16).")])


def _const(data: dict[str, Any], name: str, value: bool) -> None:
    if name in data and data[name] is not value:
        raise InvalidInputError([FieldProblem(name, f"Chỉ nhận {str(value).lower()}.")])


def create_unit(data: dict[str, Any]) -> dict[str, Any]:
    """A new unit under the caller's đảng bộ."""
    _typed(data, {"name": ((str,), 200), "kind": ((str,), None)})
    _id_or_none(data, "parent_id")
    with session_scope() as session:
        parent = data.get("parent_id")
        return unit_json(
            units.create_unit(
                session,
                auth.caller(),
                data.get("name"),
                data.get("kind"),
                parent if isinstance(parent, str) else None,
            )
        )


def change_unit(unit_id: str, data: dict[str, Any]) -> dict[str, Any]:
    """Rename a unit (``name``) and/or close it (``closed: true``)."""
    _typed(data, {"name": ((str,), 200)})
    _const(data, "closed", True)
    with session_scope() as session:
        found = units.unit(session, auth.caller(), unit_id)
        if "name" in data:
            found = units.rename_unit(session, auth.caller(), unit_id, data["name"])
        if data.get("closed") is True:
            found = units.close_unit(session, auth.caller(), unit_id)
        return unit_json(found)


def list_users() -> list[dict[str, Any]]:
    """The accounts of the units the caller manages."""
    with session_scope() as session:
        return [user_json(u) for u in units.managed_users(session, auth.caller())]


def create_user(data: dict[str, Any]) -> dict[str, Any]:
    """A secretary's account; the body carries its first password, shown this once."""
    _typed(data, {"username": ((str,), 64), "email": ((str, type(None)), 200)})
    unit_id = data.get("organisation_id")
    if not isinstance(unit_id, str):
        raise InvalidInputError([FieldProblem("organisation_id", "Chọn đơn vị của bí thư.")])
    with session_scope() as session:
        user, password = units.create_secretary(
            session, auth.caller(), unit_id, data.get("username"), data.get("email")
        )
        return {**user_json(user), "password": password}


def reset_password(user_id: str) -> dict[str, Any]:
    """A new password for an account, shown this once."""
    with session_scope() as session:
        user, password = units.reset_password(session, auth.caller(), user_id)
        return {**user_json(user), "password": password}


def sign_in_link(user_id: str) -> dict[str, Any]:
    """A one-time sign-in link for an account (``SIGN_IN_LINK_HOURS``)."""
    hours = int(current_app.config["SIGN_IN_LINK_HOURS"])
    with session_scope() as session:
        user, secret = units.make_sign_in_link(session, auth.caller(), user_id, hours)
        return {
            **user_json(user),
            "link": url_for("season_pages.link_form", secret=secret, _external=True),
            "expires_in": hours * 3600,
        }


def change_user(user_id: str, data: dict[str, Any]) -> dict[str, Any]:
    """Change an account's e-mail (``email``) and/or lock it out (``active: false``)."""
    _typed(data, {"email": ((str, type(None)), 200)})
    _const(data, "active", False)
    with session_scope() as session:
        user = units.user(session, auth.caller(), user_id)
        if "email" in data:
            user = units.set_email(session, auth.caller(), user_id, data["email"])
        if data.get("active") is False:
            user = units.disable_user(session, auth.caller(), user_id)
        return user_json(user)


# seasons ------------------------------------------------------------------------------------


def _date(value: Any, field: str) -> date:
    text = value.strip() if isinstance(value, str) else ""
    try:
        if "/" in text:
            day, month, year = (int(p) for p in text.split("/"))
            return date(year, month, day)
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInputError(
            [FieldProblem(field, "Ngày không đúng: ghi dd/mm/yyyy (vd. 31/12/2026).")]
        ) from None


def open_season(data: dict[str, Any]) -> dict[str, Any]:
    """Open a season for chosen units with a deadline; its board."""
    _typed(data, {"title": ((str,), 300), "superior": ((str,), 200), "place": ((str,), 200)})
    deadline = _date(data.get("deadline"), "deadline")
    with session_scope() as session:
        season = season_rows.open_season(
            session,
            auth.caller(),
            year=data.get("year"),
            deadline=deadline,
            unit_ids=data.get("organisation_ids"),
            title=data.get("title"),
            superior=data.get("superior"),
            place=data.get("place"),
            kind=data.get("kind") or "annual_review",
            month=data.get("month"),
        )
        return _season_json(session, season)


def list_seasons() -> list[dict[str, Any]]:
    """The seasons the caller sees, newest first."""
    with session_scope() as session:
        return [_season_head(s) for s in season_rows.listed(session, auth.caller().visible)]


def _season_head(season: Season) -> dict[str, Any]:
    return {
        "id": season.id,
        "title": season.title,
        "year": season.year,
        "kind": season.kind,
        "month": season.month,
        "deadline": season.deadline.isoformat(),
        "organisation_id": season.organisation_id,
        "units": len(season.units),
        "links": {
            "self": url_for("seasons_api.get_season", season_id=season.id),
            "page": url_for("season_pages.season_page", season_id=season.id),
        },
    }


def _season_json(session: Any, season: Season) -> dict[str, Any]:
    found = auth.caller()
    rows = board.board(session, get_storage(), season, found.visible, date.today())
    office = season_rows.is_office(season, found)
    body = {
        **_season_head(season),
        "office": office,
        "rows": [r.as_json() for r in rows],
        "counts": board.counts(rows),
        "summary_job_id": season.summary_job_id if office else None,
        "summary_stale": rollup.stale(session, season) if office else None,
    }
    if office:
        body["links"]["board_xlsx"] = url_for("seasons_api.board_download", season_id=season.id)
    return body


def season_body(season_id: str) -> dict[str, Any]:
    """The season and its board, scoped: a secretary sees her unit's row only."""
    with session_scope() as session:
        return _season_json(session, season_rows.load(session, season_id, auth.caller().visible))


def _office_season(session: Any, season_id: str) -> Season:
    season = season_rows.load(session, season_id, auth.caller().visible)
    if not season_rows.is_office(season, auth.caller()):
        raise ForbiddenError("Chỉ văn phòng đảng ủy của đợt làm được việc này.")
    return season


XLSX_HEAD = ("STT", "Đơn vị", "Trạng thái", "Ngày họp", "Bản", "Bản đã ký", "Cần xem", "Đảng ủy quyết định")


def _signed_text(signed: dict[str, Any] | None) -> str:
    if not signed:
        return ""
    trust = "chứng thư hợp lệ" if signed.get("trusted") else signed.get("note") or "chưa xác minh"
    return f"{signed.get('signer') or 'Bản ký tay'} ({trust})"


def board_download(season_id: str) -> tuple[bytes, str]:
    """The board as XLSX; its file name."""
    with session_scope() as session:
        season = _office_season(session, season_id)
        rows = board.board(session, get_storage(), season, None, date.today())
        cells = [
            [
                i,
                r.name,
                board.STATE_LABELS[r.state],
                f"{r.meeting_date:%d/%m/%Y}" if r.meeting_date else "",
                r.revision or "",
                _signed_text(r.signed),
                " ".join(r.problems),
                Level(r.decided_level).label if r.decided_level else "",
            ]
            for i, r in enumerate(rows, start=1)
        ]
        counts = [(board.STATE_LABELS[s], n) for s, n in board.counts(rows).items()]
        data = board_xlsx(f"{season.title} – hạn {season.deadline:%d/%m/%Y}", XLSX_HEAD, cells, counts)
        auth.audit(session, "season-board-download", "season", season.id, season.organisation_id)
        return data, f"theo-doi-{season.year}.xlsx"


def decide(season_id: str, data: Any) -> dict[str, Any]:
    """Record the đảng ủy's decision on a unit and its members; the season's board."""
    _typed(data, {"note": ((str, type(None)), 1000), "reviewed": ((bool,), None), "members": ((list,), None)})
    with session_scope() as session:
        season = _office_season(session, season_id)
        unit_id = data.get("organisation_id") if isinstance(data, dict) else None
        rows = board.board(session, get_storage(), season, None, date.today())
        row = next((r for r in rows if r.organisation_id == unit_id), None)
        proposals = {m["name"]: m["proposed"] for m in row.members} if row else {}
        decisions.decide(session, auth.caller(), season, data, proposals)
        session.flush()
        documents = decisions.carry(session, get_storage(), season, str(unit_id), auth.caller().id)
        body = _season_json(session, season)
    dispatch(documents)  # her self-review with the decided level, after the commit
    return body


def member_decisions(season_id: str, unit_id: str) -> dict[str, dict[str, str]]:
    """The decisions already taken on the members of a unit."""
    with session_scope() as session:
        season = _office_season(session, season_id)
        return decisions.member_decisions(session, season, unit_id)


def mailer() -> reminders.Mailer | None:
    """The operator's SMTP server from the settings (None when ``SMTP_HOST`` is empty)."""
    return reminders.mailer_from(current_app.config)


def remind(season_id: str, unit_ids: Any, link: str) -> dict[str, Any]:
    """Remind the chosen units' secretaries (e-mail where there is an address, and a notice)."""
    if not isinstance(unit_ids, list) or not all(isinstance(u, str) for u in unit_ids):
        raise InvalidInputError([FieldProblem("organisation_ids", "Chọn đơn vị của đợt để nhắc.")])
    with session_scope() as session:
        season = _office_season(session, season_id)
        done = reminders.remind(
            session,
            season,
            unit_ids,
            mailer=mailer(),
            link=link,
            actor=auth.caller(),
            today=date.today(),
        )
        return {"reminded": done}


def build_summary(season_id: str) -> dict[str, Any]:
    """Make (or remake) the đảng bộ summary from the units' own reviews; the summary job's id."""
    with session_scope() as session:
        season = _office_season(session, season_id)
        documents = rollup.build(session, get_storage(), season, auth.caller().id)
        auth.audit(
            session,
            "season-summary",
            "season",
            season.id,
            season.organisation_id,
            f"biểu tổng hợp từ {len(season.units)} đơn vị",
        )
        session.flush()
        job_id = season.summary_job_id
    dispatch(documents)
    return {"job_id": job_id, "links": {"job": url_for("api.get_job", job_id=job_id)}}


def after_review_changed(job_id: str) -> None:
    """A unit's review was made or corrected: rebuild the season summaries that counted it.

    The unit's own change is done already: a summary that cannot be rebuilt now stays marked
    out of date on the board (``summary_stale``), and the failure is logged, never the unit's.
    """
    try:
        _rebuild_after(job_id)
    except ServiceError as exc:
        logger.warning("season summary not rebuilt after job %s: %s", job_id, exc.detail)


def _rebuild_after(job_id: str) -> None:
    with session_scope() as session:
        job = session.get(jobs.Job, job_id)
        if job is None or job.kind != "annual_review" or job.is_draft:
            return
        documents = rollup.rebuild_for(
            session, get_storage(), job.organisation_id, job.year, auth.caller().id
        )
        if documents:
            auth.audit(
                session,
                "season-summary",
                "job",
                job.id,
                job.organisation_id,
                "biểu tổng hợp của đợt tạo lại theo bản mới của đơn vị",
            )
    if documents:
        dispatch(documents)


def home_notices() -> list[dict[str, Any]]:
    """The notices of the caller's own unit, newest first (her home page)."""
    found = auth.caller()
    with session_scope() as session:
        return [
            {"text": n.text, "at": n.created_at} for n in reminders.notices(session, found.organisation_id)
        ]


def use_sign_in_link(secret: str) -> tuple[str, int] | None:
    """Spend a one-time sign-in link: the user id and session version to sign in with, or None."""
    with session_scope() as session:
        user = units.use_sign_in_link(session, secret)
        return (user.id, user.session_version) if user is not None else None
