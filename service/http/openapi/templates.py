"""The OpenAPI paths and schemas of uploaded templates and the variable catalogue."""

from __future__ import annotations

from typing import Any

from service.documents import DOCUMENT_TYPES

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_BINARY = {"type": "string", "format": "binary", "contentMediaType": "application/octet-stream"}
_STR = {"type": "string"}
_LINK = {"type": "string", "format": "uri-reference"}
_ID = {"type": "string", "pattern": "^[0-9a-f]{32}$"}
_TYPE = {"type": "string", "enum": list(DOCUMENT_TYPES)}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _object(required: dict[str, Any], optional: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    return {"type": "object", "required": list(required), "properties": {**required, **(optional or {})},
            **extra}


_VARIABLE: dict[str, Any] = {
    "name": _STR, "kind": {"enum": ["text", "flag", "list", "table", "group"]}, "meaning": _STR,
    "example": _STR}
SCHEMAS: dict[str, Any] = {
    "Template": _object(
        {"id": _ID, "type": _TYPE, "title": _STR, "version": {"type": "integer", "minimum": 1},
         "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"}, "size": {"type": "integer"},
         "filename": _STR, "organisation_id": _ID, "organisation": _STR, "active": {"type": "boolean"},
         "uploaded_by": _STR, "uploaded_at": {"type": "string", "format": "date-time"},
         "activated_at": {"type": ["string", "null"], "format": "date-time"},
         "warnings": {"type": "array", "items": _STR},
         "preview": _object({"status": {"enum": ["none", "queued", "done", "failed"]},
                             "detail": {"type": ["string", "null"]}},
                            {"links": _object({"pdf": _LINK, "png": _LINK})}),
         "links": _object({key: _LINK for key in ("self", "file", "activate", "deactivate", "preview")})},
        description="One uploaded version of an organisation's template for a document type"),
    "TemplateList": _object({"templates": {"type": "array", "items": _ref("Template")}}),
    "Variables": _object(
        {"type": _TYPE, "title": _STR, "links": _object({"template": _LINK}),
         "variables": {"type": "array", "items": _object(
             _VARIABLE, {"fields": {"type": "array", "items": _object(_VARIABLE)}})}},
        description="What a template of the type may use: each variable, its meaning, an example; "
                    "tables (`kind: table`) are looped over and have `fields`"),
    "TemplateProvenance": _object(
        {"builtin": {"type": "boolean"},
         "current": {"type": "boolean", "description": "false: the organisation now uses another"}},
        {"id": _ID, "version": {"type": "integer"}, "sha256": _STR, "note": _STR},
        description="Which template made a document (the built-in, or an uploaded version)"),
}


def _path_id() -> dict[str, Any]:
    return {"name": "version_id", "in": "path", "required": True, "description": "The id of the version",
            "schema": _ID}


def paths(operation: Any, json_answer: Any, file_answer: Any, location: dict[str, Any]) -> dict[str, Any]:
    """The template paths, built with ``openapi``'s helpers (operation, JSON, file answers)."""
    version = [_path_id()]
    kind = {"name": "doc_type", "in": "path", "required": True, "schema": _TYPE}
    upload = {"type": "object", "required": ["file", "type"], "properties": {
        "file": {**_BINARY, "description": "the template (.docx)"}, "type": _TYPE,
        "organisation_id": {**_ID, "description": "whose template (default: the caller's organisation)"}}}
    template = json_answer(_ref("Template"), "The version")
    return {
        "/api/v1/templates": {"get": operation(
            "listTemplates", "Every uploaded version of the organisations the caller sees",
            {"200": json_answer(_ref("TemplateList"), "The versions")}, statuses=(400, 422),
            parameters=[{"name": "type", "in": "query", "required": False, "schema": _TYPE}]),
            "post": operation(
            "uploadTemplate", "Upload a DOCX template: checked at once (every problem listed), kept "
            "as a version by content hash, not yet active",
            {"201": json_answer(_ref("Template"), "A new version", headers=location),
             "200": json_answer(_ref("Template"), "The same bytes were uploaded before", headers=location)},
            statuses=(400, 403, 404, 413, 415, 422),
            requestBody={"required": True, "content": {"multipart/form-data": {
                "schema": upload, "encoding": {"file": {"contentType": DOCX}}}}})},
        "/api/v1/templates/{version_id}": {"get": operation(
            "getTemplate", "One version: its check's warnings, its state, its preview",
            {"200": template}, statuses=(404,), parameters=version)},
        "/api/v1/templates/{version_id}/file.docx": {"get": operation(
            "downloadTemplate", "The uploaded DOCX", {"200": file_answer("The DOCX", DOCX)},
            statuses=(404, 503), parameters=version)},
        "/api/v1/templates/{version_id}/activate": {"post": operation(
            "activateTemplate", "Make the version the one its organisation's documents are made with",
            {"200": template}, statuses=(403, 404), parameters=version)},
        "/api/v1/templates/{version_id}/deactivate": {"post": operation(
            "deactivateTemplate", "Stop using the version (back to the built-in)",
            {"200": template}, statuses=(403, 404), parameters=version)},
        "/api/v1/templates/{version_id}/preview": {"post": operation(
            "previewTemplate", "Queue a preview: a sample meeting (or the caller's job) filled in, to PDF",
            {"202": json_answer(_ref("Template"), "Queued", headers=location)}, statuses=(400, 403, 404),
            parameters=[*version, {"name": "job_id", "in": "query", "required": False,
                                   "description": "a job of the caller whose data fills the preview",
                                   "schema": _ID}])},
        "/api/v1/templates/{version_id}/preview.pdf": {"get": operation(
            "getTemplatePreview", "The preview as PDF", {"200": file_answer("The PDF", "application/pdf")},
            statuses=(404, 409, 503), parameters=version)},
        "/api/v1/templates/{version_id}/preview.png": {"get": operation(
            "getTemplatePreviewPicture", "The preview's first page as PNG",
            {"200": file_answer("The picture", "image/png")}, statuses=(404, 409, 503), parameters=version)},
        "/api/v1/document-types/{doc_type}/variables": {"get": operation(
            "getTemplateVariables", "The variables a template of the type may use",
            {"200": json_answer(_ref("Variables"), "The catalogue")}, statuses=(404,), parameters=[kind],
            security=[])},
        "/api/v1/document-types/{doc_type}/template.docx": {"get": operation(
            "getBuiltinTemplate", "The built-in template of the type, a starting point",
            {"200": file_answer("The DOCX", DOCX)}, statuses=(404,), parameters=[kind], security=[])},
    }
