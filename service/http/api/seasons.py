"""``/api/v1/seasons``: a đảng ủy's seasons, the board of each, decisions, reminders, the summary."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, request

from service.http.actions import seasons as season_actions
from service.http.files import send
from service.http.params import json_object

bp = Blueprint("seasons_api", __name__, url_prefix="/api/v1")


@bp.get("/seasons")
def list_seasons() -> dict[str, Any]:
    """The seasons the caller sees, newest first."""
    return {"items": season_actions.list_seasons()}


@bp.post("/seasons")
def open_season() -> tuple[dict[str, Any], int, dict[str, str]]:
    """Open a season for chosen units with a deadline."""
    body = season_actions.open_season(json_object())
    return body, 201, {"Location": body["links"]["self"]}


@bp.get("/seasons/<season_id>")
def get_season(season_id: str) -> dict[str, Any]:
    """The season and its board (a secretary: her unit's row only)."""
    return season_actions.season_body(season_id)


@bp.get("/seasons/<season_id>/board.xlsx")
def board_download(season_id: str) -> Response:
    """The board as a workbook."""
    data, name = season_actions.board_download(season_id)
    return send(data, "xlsx", name)


@bp.post("/seasons/<season_id>/decisions")
def decide(season_id: str) -> dict[str, Any]:
    """The đảng ủy's decision on a unit and on its members."""
    return season_actions.decide(season_id, json_object())


@bp.post("/seasons/<season_id>/reminders")
def remind(season_id: str) -> dict[str, Any]:
    """Remind the chosen units' secretaries now."""
    return season_actions.remind(season_id, json_object().get("organisation_ids"), request.host_url)


@bp.post("/seasons/<season_id>/summary")
def build_summary(season_id: str) -> tuple[dict[str, Any], int]:
    """Make or remake the đảng bộ summary from the units' own reviews."""
    return season_actions.build_summary(season_id), 202
