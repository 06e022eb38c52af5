"""The OpenAPI paths and schemas of the office's units and accounts and of seasons."""

from __future__ import annotations

from typing import Any

from service.accounts import KINDS, UNIT_KINDS
from service.http.openapi.components import problems
from service.meetings.schemas import LEVELS
from service.seasons.board import STATES
from service.seasons.seasons import KINDS as SEASON_KINDS

_STR = {"type": "string"}
_ID = {"type": "string", "pattern": "^[0-9a-f]{32}$"}
_MAYBE_ID = {"type": ["string", "null"], "pattern": "^[0-9a-f]{32}$"}
_DAY = {"type": "string", "format": "date"}
_MAYBE_DAY = {"type": ["string", "null"], "format": "date"}
_LEVEL = {"enum": [level.value for level in LEVELS]}
_NOTE = {"type": ["string", "null"], "maxLength": 1000}
_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _object(required: dict[str, Any], optional: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"type": "object", "required": list(required), "properties": {**required, **(optional or {})}}


def _op(
    operation_id: str, summary: str, responses: dict[str, Any], statuses: tuple[int, ...], **extra: Any
) -> dict[str, Any]:
    return {
        "operationId": operation_id,
        "summary": summary,
        "responses": {**responses, **problems(401, 429, *statuses)},
        **extra,
    }


def _body(schema: dict[str, Any]) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": schema}}}


def _path_id(name: str, description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": description,
        "schema": {"type": "string", "maxLength": 64},
    }


_UNIT, _USER, _SEASON = (
    _path_id("unit_id", "a unit's id"),
    _path_id("user_id", "an account's id"),
    _path_id("season_id", "a season's id"),
)
SCHEMAS: dict[str, Any] = {
    "Unit": _object(
        {
            "id": _ID,
            "name": _STR,
            "kind": {"enum": list(KINDS)},
            "kind_label": _STR,
            "parent_id": _MAYBE_ID,
            "closed": {"type": "boolean"},
        }
    ),
    "Account": _object(
        {
            "id": _ID,
            "username": _STR,
            "role": _STR,
            "organisation_id": _MAYBE_ID,
            "email": {"type": ["string", "null"]},
            "active": {"type": "boolean"},
        },
        {
            "password": {"type": "string", "description": "shown once: a new or reset account"},
            "link": {"type": "string", "description": "a one-time sign-in link, shown once"},
            "expires_in": {"type": "integer"},
        },
    ),
    "SeasonRow": _object(
        {
            "organisation_id": _ID,
            "name": _STR,
            "state": {"enum": list(STATES)},
            "state_label": _STR,
            "problems": {"type": "array", "items": _STR},
        },
        {
            "job_id": _MAYBE_ID,
            "revision": {"type": ["integer", "null"]},
            "meeting_date": _MAYBE_DAY,
            "secretaries": {"type": "array", "items": {"type": "object"}},
            "signed": {"type": ["object", "null"]},
            "not_rated": {"type": "array", "items": _STR},
            "decided_level": {"type": ["string", "null"]},
            "decision_note": _STR,
            "reminded_on": _MAYBE_DAY,
            "members": {"type": "array", "items": {"type": "object"}},
        },
    ),
    "Season": _object(
        {
            "id": _ID,
            "title": _STR,
            "year": {"type": "integer"},
            "deadline": _DAY,
            "organisation_id": _ID,
            "units": {"type": "integer"},
            "links": {"type": "object"},
        },
        {
            "kind": {"enum": list(SEASON_KINDS)},
            "month": {"type": ["integer", "null"]},
            "office": {"type": "boolean"},
            "rows": {"type": "array", "items": _ref("SeasonRow")},
            "counts": {"type": "object", "additionalProperties": {"type": "integer"}},
            "summary_job_id": _MAYBE_ID,
            "summary_stale": {"type": ["boolean", "null"]},
        },
    ),
}
_UNIT_IN = _object(
    {"name": {"type": "string", "minLength": 2, "maxLength": 200}, "kind": {"enum": list(UNIT_KINDS)}},
    {"parent_id": {**_ID, "description": "an admin: the đảng bộ"}},
)
_USER_IN = _object(
    {"organisation_id": _ID, "username": {"type": "string", "maxLength": 64}},
    {"email": {"type": ["string", "null"], "maxLength": 200}},
)
_SEASON_IN = _object(
    {
        "year": {"type": "integer", "minimum": 2018, "maximum": 2100},
        "deadline": _DAY,
        "organisation_ids": {"type": "array", "minItems": 1, "items": _ID},
    },
    {
        "title": {"type": "string", "minLength": 3, "maxLength": 300},
        "superior": {
            "type": "string",
            "maxLength": 200,
            "description": "the đảng bộ directly above (summary header)",
        },
        "place": {"type": "string", "maxLength": 200},
        "kind": {"enum": list(SEASON_KINDS),
                 "description": "annual_review (default) or a month's monthly meetings"},
        "month": {"type": "integer", "minimum": 1, "maximum": 12, "description": "kind monthly: its month"},
    },
)
_DECISION_IN = _object(
    {"organisation_id": _ID},
    {
        "level": {"type": ["string", "null"], "enum": [*_LEVEL["enum"], None]},
        "note": _NOTE,
        "reviewed": {"type": "boolean"},
        "members": {
            "type": "array",
            "items": _object(
                {"member": _STR},
                {"level": {"type": ["string", "null"], "enum": [*_LEVEL["enum"], None]}, "note": _NOTE},
            ),
        },
    },
)


def paths() -> dict[str, Any]:
    """The operations: units, accounts, seasons."""
    unit, account, season = _ref("Unit"), _ref("Account"), _ref("Season")
    return {
        "/api/v1/users": {
            "get": _op(
                "listUsers",
                "The accounts of the units the caller manages (a đảng ủy office)",
                {"200": _json(_object({"items": {"type": "array", "items": account}}), "The accounts")},
                (403,),
            ),
            "post": _op(
                "createUser",
                "A secretary's account for a unit the caller manages; the first password "
                "is in the answer, once",
                {"201": _json(account, "Made")},
                (400, 403, 404, 415, 422),
                requestBody=_body(_USER_IN),
            ),
        },
        "/api/v1/users/{user_id}": {
            "patch": _op(
                "changeUser",
                "Change the account's e-mail, or lock it out (`active: false`)",
                {"200": _json(account, "Changed")},
                (400, 403, 404, 415, 422),
                parameters=[_USER],
                requestBody=_body(
                    {
                        "type": "object",
                        "properties": {"email": {"type": ["string", "null"]}, "active": {"const": False}},
                    }
                ),
            )
        },
        "/api/v1/users/{user_id}/password": {
            "post": _op(
                "resetPassword",
                "A new password (shown once); every session of the account ends",
                {"200": _json(account, "Reset")},
                (403, 404),
                parameters=[_USER],
            )
        },
        "/api/v1/users/{user_id}/sign-in-link": {
            "post": _op(
                "makeSignInLink",
                "A one-time sign-in link (SIGN_IN_LINK_HOURS)",
                {"201": _json(account, "Made")},
                (403, 404, 422),
                parameters=[_USER],
            )
        },
        "/api/v1/organisations/{unit_id}": {
            "patch": _op(
                "changeUnit",
                "Rename a unit (`name`) or close it (`closed: true`; its accounts are locked)",
                {"200": _json(unit, "Changed")},
                (400, 403, 404, 415, 422),
                parameters=[_UNIT],
                requestBody=_body(
                    {"type": "object", "properties": {"name": {"type": "string"}, "closed": {"const": True}}}
                ),
            )
        },
        "/api/v1/seasons": {
            "get": _op(
                "listSeasons",
                "The seasons the caller sees, newest first",
                {"200": _json(_object({"items": {"type": "array", "items": season}}), "The seasons")},
                (),
            ),
            "post": _op(
                "openSeason",
                "Open a season of the caller's đảng bộ for chosen units, with a deadline",
                {"201": _json(season, "Opened: its board")},
                (400, 403, 415, 422),
                requestBody=_body(_SEASON_IN),
            ),
        },
        "/api/v1/seasons/{season_id}": {
            "get": _op(
                "getSeason",
                "The season and its board, computed from the units' documents (a secretary: her "
                "unit's row only)",
                {"200": _json(season, "The season")},
                (404,),
                parameters=[_SEASON],
            )
        },
        "/api/v1/seasons/{season_id}/board.xlsx": {
            "get": _op(
                "getSeasonBoard",
                "The board as a workbook (the season's office)",
                {
                    "200": {
                        "description": "The workbook",
                        "content": {_XLSX: {"schema": {"type": "string", "format": "binary"}}},
                    }
                },
                (403, 404),
                parameters=[_SEASON],
            )
        },
        "/api/v1/seasons/{season_id}/decisions": {
            "post": _op(
                "decideInSeason",
                "The đảng ủy's decision on a unit and its members (a level unlike the proposal needs a note)",
                {"200": _json(season, "Recorded: the board")},
                (400, 403, 404, 415, 422),
                parameters=[_SEASON],
                requestBody=_body(_DECISION_IN),
            )
        },
        "/api/v1/seasons/{season_id}/reminders": {
            "post": _op(
                "remindUnits",
                "Remind the chosen units now: an e-mail to each secretary with an address "
                "(SMTP_*), a notice on the unit's home page",
                {"200": _json({"type": "object"}, "What was sent")},
                (400, 403, 404, 415, 422),
                parameters=[_SEASON],
                requestBody=_body(
                    _object({"organisation_ids": {"type": "array", "minItems": 1, "items": _ID}})
                ),
            )
        },
        "/api/v1/seasons/{season_id}/summary": {
            "post": _op(
                "buildSeasonSummary",
                "Make or remake the đảng bộ summary from the units' own reviews",
                {"202": _json({"type": "object"}, "Queued: the summary job")},
                (403, 404, 409, 503),
                parameters=[_SEASON],
            )
        },
    }


def organisations_post() -> dict[str, Any]:
    """``POST /api/v1/organisations``: joined to the listing's path."""
    return _op(
        "createUnit",
        "A new unit (chi bộ, đảng bộ bộ phận, đảng bộ cơ sở) under the caller's đảng bộ",
        {"201": _json(_ref("Unit"), "Made")},
        (400, 403, 415, 422),
        requestBody=_body(_UNIT_IN),
    )
