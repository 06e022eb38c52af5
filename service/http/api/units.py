"""``/api/v1/organisations`` (POST, PATCH) and ``/api/v1/users``: a đảng ủy office's units and
their secretaries' accounts. A secretary manages none (403); another office's ids answer 404."""

from __future__ import annotations

from typing import Any

from flask import Blueprint

from service.http.actions import seasons as season_actions
from service.http.params import json_object

bp = Blueprint("units_api", __name__, url_prefix="/api/v1")


@bp.post("/organisations")
def create_unit() -> tuple[dict[str, Any], int]:
    """A new unit (chi bộ, đảng bộ bộ phận, đảng bộ cơ sở) under the caller's đảng bộ."""
    return season_actions.create_unit(json_object()), 201


@bp.patch("/organisations/<unit_id>")
def change_unit(unit_id: str) -> dict[str, Any]:
    """Rename a unit or close it."""
    return season_actions.change_unit(unit_id, json_object())


@bp.get("/users")
def list_users() -> dict[str, Any]:
    """The accounts of the units the caller manages."""
    return {"items": season_actions.list_users()}


@bp.post("/users")
def create_user() -> tuple[dict[str, Any], int]:
    """A secretary's account; its first password is in the answer, once."""
    return season_actions.create_user(json_object()), 201


@bp.patch("/users/<user_id>")
def change_user(user_id: str) -> dict[str, Any]:
    """Change the account's e-mail, or lock it out (``active: false``)."""
    return season_actions.change_user(user_id, json_object())


@bp.post("/users/<user_id>/password")
def reset_password(user_id: str) -> dict[str, Any]:
    """A new password, shown once; every session of the account ends."""
    return season_actions.reset_password(user_id)


@bp.post("/users/<user_id>/sign-in-link")
def sign_in_link(user_id: str) -> tuple[dict[str, Any], int]:
    """A one-time sign-in link for the account."""
    return season_actions.sign_in_link(user_id), 201
