"""The resolution ledger's part of the OpenAPI description: ``/api/v1/assignments`` and its year."""

from __future__ import annotations

from typing import Any

from service.http.openapi.components import problems
from service.meetings.ledger import STATUS_TEXT

_ORG = {"name": "organisation", "in": "query", "required": False,
        "description": "A đảng ủy office (or an admin): the chi bộ (GET /api/v1/organisations); "
                       "a secretary: her own, or nothing",
        "schema": {"type": "string", "maxLength": 200}}
_HEAD = {"type": "object", "required": ["id", "name"],
         "properties": {"id": {"type": "string"}, "name": {"type": "string"}}}
_STATE = {"type": "string", "enum": sorted(STATUS_TEXT)}
_TALLY = {"type": "object", "required": ["made", "done", "late", "dropped", "open"],
          "properties": {k: {"type": "integer"} for k in ("made", "done", "late", "dropped", "open")}}
_NULLABLE_TEXT = {"type": ["string", "null"]}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def schemas() -> dict[str, Any]:
    """``Assignment``, ``Assignments`` and ``ChiBoYear``."""
    step = {"type": "object", "required": ["year", "month", "status"], "properties": {
        "year": {"type": "integer"}, "month": {"type": "integer"}, "status": _STATE,
        "note": _NULLABLE_TEXT, "job_id": _NULLABLE_TEXT}}
    assignment = {"type": "object", "required": ["ref", "who", "task", "state", "open", "history"],
                  "properties": {
        "ref": {"type": "string"}, "who": {"type": "string"}, "task": {"type": "string"},
        "due": {"type": ["string", "null"], "format": "date"}, "due_month": _NULLABLE_TEXT,
        "assigned_in": {"type": "object", "properties": {"year": {"type": "integer"},
                                                         "month": {"type": "integer"},
                                                         "job_id": _NULLABLE_TEXT}},
        "state": _STATE, "state_text": {"type": "string"}, "open": {"type": "boolean"},
        "overdue": {"type": "boolean"}, "history": {"type": "array", "items": step},
        "changed": {"type": "array", "items": {"type": "string"},
                    "description": "what a correction of the month that made it changed since"}}}
    month = {"type": "object", "required": ["month", "held", "assignments"], "properties": {
        "month": {"type": "integer"}, "held": {"type": ["string", "null"], "format": "date"},
        "job_id": _NULLABLE_TEXT, "minutes": {"type": ["integer", "null"]},
        "attendance": {"type": "string"}, "warnings": {"type": "array", "items": {"type": "string"}},
        "assignments": _TALLY}}
    lines = {"type": "array", "items": {"type": "string"}}
    return {
        "Assignment": assignment,
        "Assignments": {"type": "object", "required": ["organisation", "items", "count"], "properties": {
            "organisation": _HEAD, "items": {"type": "array", "items": _ref("Assignment")},
            "count": {"type": "integer"}}},
        "ChiBoYear": {"type": "object", "required": ["organisation", "year", "months"], "properties": {
            "organisation": _HEAD, "year": {"type": "integer"}, "meetings_held": {"type": "integer"},
            "months": {"type": "array", "items": month},
            "people": {"type": "object", "additionalProperties": _TALLY},
            "report_text": {**lines, "description": "a starting text for Mẫu 01"},
            "member_texts": {"type": "object", "additionalProperties": lines,
                             "description": "a starting text of each member's Mẫu 02"}}},
    }


def paths() -> dict[str, Any]:
    """The ledger's operations."""
    state = {"name": "state", "in": "query", "required": False, "schema": _STATE}
    open_only = {"name": "open", "in": "query", "required": False,
                 "description": "1: only those still open", "schema": {"type": "string", "enum": ["0", "1"]}}
    year = {"name": "year", "in": "query", "required": False, "description": "default: this year",
            "schema": {"type": "integer", "minimum": 2000, "maximum": 2100}}
    return {
        "/api/v1/assignments": {"get": {
            "operationId": "listAssignments",
            "summary": "Every assignment of a chi bộ's monthly resolutions (part III), with its state",
            "parameters": [_ORG, state, open_only],
            "responses": {"200": _json(_ref("Assignments"), "Oldest first"),
                          **problems(400, 401, 404, 422)}}},
        "/api/v1/assignments/year": {"get": {
            "operationId": "getChiBoYear",
            "summary": "A chi bộ's year at a glance: meetings, warnings, assignments, starting texts",
            "parameters": [_ORG, year],
            "responses": {"200": _json(_ref("ChiBoYear"), "The twelve months"),
                          **problems(400, 401, 404, 422)}}},
    }
