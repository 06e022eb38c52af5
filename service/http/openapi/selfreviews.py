"""The self-reviews' part of the OpenAPI description: ``/api/v1/jobs/<id>/self-reviews``."""

from __future__ import annotations

from typing import Any

from service.http.openapi.components import problems
from service.selfreviews import STATES

_JOB_ID = {"name": "job_id", "in": "path", "required": True,
           "description": "The id of the draft annual review",
           "schema": {"type": "string", "pattern": "^[0-9a-f]{32}$"}}
_MEMBER = {"name": "member", "in": "path", "required": True,
           "description": "The self-review's id, the member's key (her id, else her name) or her name",
           "schema": {"type": "string", "minLength": 1, "maxLength": 120}}
_MOMENT = {"type": ["string", "null"], "format": "date-time"}
_STATE = {"type": "object", "required": ["id", "member", "state", "expires_on", "revoked"], "properties": {
    "id": {"type": "string"}, "member": {"type": "string"}, "member_key": {"type": "string"},
    "state": {"type": "string", "enum": list(STATES),
              "description": "linked (link made), opened, saved, sent, returned, accepted"},
    "state_label": {"type": "string"}, "expires_on": {"type": "string", "format": "date"},
    "revoked": {"type": "boolean"}, "opened_at": _MOMENT, "saved_at": _MOMENT, "sent_at": _MOMENT,
    "decided_at": _MOMENT, "note": {"type": ["string", "null"], "description": "why it was returned"}}}
_MADE = {"type": "object", "required": ["self_reviews"], "properties": {"self_reviews": {
    "type": "array", "items": {"allOf": [_STATE, {"type": "object", "required": ["link"], "properties": {
        "link": {"type": "string", "format": "uri",
                 "description": "her personal link: shown only here, never listed again"}}}]}}}}
_LIST = {"type": "object", "required": ["job", "members", "self_reviews"], "properties": {
    "job": {"type": "object"},
    "members": {"type": "array", "items": {"type": "object", "properties": {
        "name": {"type": "string"}, "key": {"type": "string"},
        "variant": {"type": "string", "enum": ["02A", "02B", "02C"]},
        "self_review": {"anyOf": [_STATE, {"type": "null"}]}}}},
    "self_reviews": {"type": "array", "items": _STATE}}}
_BODY = {"type": "object", "required": ["members"], "properties": {
    "members": {"type": "array", "minItems": 1, "maxItems": 2000, "description": "roster ids or names",
                "items": {"anyOf": [{"type": "string", "minLength": 1, "maxLength": 120},
                                    {"type": "object", "properties": {
                                        "roster_id": {"type": "string"}, "name": {"type": "string"}}}]}},
    "expires_on": {"type": "string", "format": "date",
                   "description": "the last day the links work (default: SELF_REVIEW_LINK_DAYS from today)"}}}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def paths() -> dict[str, Any]:
    """Make, list and revoke the members' personal links."""
    return {
        "/api/v1/jobs/{job_id}/self-reviews": {
            "post": {"operationId": "createSelfReviewLinks", "parameters": [_JOB_ID],
                     "summary": "A personal link for each member named (a new link ends her earlier one)",
                     "requestBody": {"required": True, "content": {"application/json": {"schema": _BODY}}},
                     "responses": {"201": _json(_MADE, "The links, each with its expiry"),
                                   **problems(400, 401, 404, 409, 415, 422, 429)}},
            "get": {"operationId": "listSelfReviews", "parameters": [_JOB_ID],
                    "summary": "Each member's state (link made, opened, saved, sent, returned, accepted)",
                    "responses": {"200": _json(_LIST, "The review's members and their self-reviews"),
                                  **problems(401, 404, 429)}}},
        "/api/v1/jobs/{job_id}/self-reviews/{member}": {
            "delete": {"operationId": "revokeSelfReviewLink", "parameters": [_JOB_ID, _MEMBER],
                       "summary": "Revoke one member's link: it answers 410 from now on; her text stays",
                       "responses": {"200": _json(_STATE, "Her self-review, revoked"),
                                     **problems(401, 404, 429)}}},
    }
