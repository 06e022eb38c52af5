"""The roster's part of the OpenAPI description: ``/api/v1/roster`` and its import, their schemas."""

from __future__ import annotations

from typing import Any

from service.http.openapi.components import problems
from service.roster import roster_json_schema

_BINARY = {"type": "string", "format": "binary", "contentMediaType": "application/octet-stream"}
_ORG = {"name": "organisation", "in": "query", "required": False,
        "description": "A đảng ủy office (or an admin): the chi bộ whose roster (GET /api/v1/organisations); "
                       "a secretary: her own, or nothing",
        "schema": {"type": "string", "maxLength": 200}}
_DRY_RUN = {"name": "dry_run", "in": "query", "required": False,
            "description": "1: only the preview, nothing saved",
            "schema": {"type": "string", "enum": ["0", "1"]}}
_HEAD = {"type": "object", "required": ["id", "name"],
         "properties": {"id": {"type": "string"}, "name": {"type": "string"}}}
_COLUMN = {"type": "object", "required": ["column", "header", "role"],
           "properties": {"column": {"type": "string"}, "header": {"type": "string"},
                          "role": {"type": ["string", "null"]}}}
_CHANGES = {"type": "object", "properties": {k: {"type": "integer"} for k in ("added", "changed", "removed")}}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def schemas() -> dict[str, Any]:
    """``RosterData`` (the PUT body), ``RosterEntry``, ``Roster`` and ``RosterImport`` (answers)."""
    body = roster_json_schema("#/components/schemas/{model}")
    found: dict[str, Any] = body.pop("$defs")
    found["RosterData"] = body
    stored = {"type": "object", "required": ["id"], "allOf": [_ref("RosterEntry")]}
    found["Roster"] = {"type": "object", "required": ["organisation", "members", "count"], "properties": {
        "organisation": _HEAD, "members": {"type": "array", "items": stored}, "count": {"type": "integer"},
        "changes": _CHANGES}}
    problem = {"type": "object", "properties": {k: {"type": ["string", "integer", "null"]}
                                                for k in ("field", "detail", "sheet", "row", "column")}}
    found["RosterImport"] = {"type": "object", "required": ["rows", "problems", "saved"], "properties": {
        "organisation": _HEAD, "filename": {"type": "string"}, "sheet": {"type": "string"},
        "header_row": {"type": "integer"},
        "columns": {"type": "array", "items": _COLUMN, "description": "columns read, with their role"},
        "ignored": {"type": "array", "items": _COLUMN, "description": "known, not kept"},
        "unknown": {"type": "array", "items": _COLUMN, "description": "columns not recognised: not read"},
        "rows": {"type": "array", "items": {"type": "object", "properties": {
            "row": {"type": "integer"}, "member": {"type": "object"},
            "problems": {"type": "array", "items": problem},
            "notes": {"type": "array", "items": {"type": "string"}},
            "raw": {"type": "object", "description": "cells not read, as written"}}}},
        "problems": {"type": "array", "items": problem}, "saved": {"type": "boolean"},
        "changes": _CHANGES}}
    return found


def paths() -> dict[str, Any]:
    """The roster's operations."""
    upload = {"type": "object", "required": ["file"],
              "properties": {"file": {**_BINARY, "description": "the member list: .xlsx, .xls or .csv"}}}
    return {
        "/api/v1/roster": {
            "get": {"operationId": "getRoster", "summary": "The members on record of a chi bộ",
                    "parameters": [_ORG],
                    "responses": {"200": _json(_ref("Roster"), "The roster, in its order"),
                                  **problems(400, 401, 404, 422)}},
            "put": {"operationId": "putRoster",
                    "summary": "Replace the roster whole (a member with an `id` keeps it; audited)",
                    "parameters": [_ORG],
                    "requestBody": {"required": True,
                                    "content": {"application/json": {"schema": _ref("RosterData")}}},
                    "responses": {"200": _json(_ref("Roster"), "The roster as saved, with the changes"),
                                  **problems(400, 401, 404, 413, 415, 422)}}},
        "/api/v1/roster/import": {
            "post": {"operationId": "importRoster",
                     "summary": "Read a member list (Mẫu 7-HSĐV, Sổ tay đảng viên, a list of her own): "
                                "dry_run=1 previews every row with its problems; else it is saved",
                     "parameters": [_ORG, _DRY_RUN],
                     "requestBody": {"required": True,
                                     "content": {"multipart/form-data": {"schema": upload}}},
                     "responses": {"200": _json(_ref("RosterImport"), "The preview (saved: false) or the "
                                                "import saved (saved: true)"),
                                   **problems(400, 401, 404, 413, 415, 422)}}},
    }
