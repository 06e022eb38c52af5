"""The OpenAPI 3.1 description of ``/api/v1``, served at ``GET /api/v1/openapi.json``.

Every operation of ``service.http.api.jobs``, ``service.http.api.batches`` and
``service.http.api.roster`` (``openapi_roster``) with its parameters, request
bodies (JSON, and the workbook as multipart or as the raw ``.xlsx`` body), answers (``202``
with ``Location``, ``200``, files) and problems. ``bearerAuth`` (``Authorization: Bearer
<token>``) is required everywhere but on this description itself; ``401`` and ``429`` (too many
refused tokens) are listed on every operation. ``tests/service/http/openapi/test_description.py`` runs
schemathesis against the app with it.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from flask import Blueprint, Response

from service.config import PROJECT_ROOT
from service.http import auth
from service.http.openapi import assignments as openapi_assignments
from service.http.openapi import roster as openapi_roster
from service.http.openapi import seasons as openapi_seasons
from service.http.openapi import selfreviews as openapi_selfreviews
from service.http.openapi import templates as openapi_templates
from service.http.openapi.components import PROBLEM, problem_responses, problems, schemas

bp = Blueprint("openapi", __name__, url_prefix="/api/v1")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
SAMPLES = PROJECT_ROOT / "doc_templates" / "samples"
_BINARY = {"type": "string", "format": "binary", "contentMediaType": "application/octet-stream"}


def _sample(name: str) -> Any:
    return json.loads((SAMPLES / name).read_text(encoding="utf-8"))


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str, **extra: Any) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}, **extra}


def _file(description: str, *media_types: str) -> dict[str, Any]:
    return {"description": description, "content": {m: {"schema": _BINARY} for m in media_types}}


_LOCATION = {"Location": {"description": "The address to follow the new resource at", "required": True,
                          "schema": {"type": "string", "format": "uri-reference"}}}
_REDIRECT = {"description": "With `S3_PRESIGNED_DOWNLOADS`: a short-lived address of the store",
             "headers": _LOCATION}


def _path_id(name: str, what: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "description": f"The id of the {what}",
            "schema": {"type": "string", "pattern": "^[0-9a-f]{32}$"}}


_JOB_ID, _BATCH_ID = _path_id("job_id", "job"), _path_id("batch_id", "batch")


def _operation(operation_id: str, summary: str, responses: dict[str, Any], *, statuses: tuple[int, ...] = (),
               **extra: Any) -> dict[str, Any]:
    return {"operationId": operation_id, "summary": summary,
            "responses": {**responses, **problems(401, 429, *statuses)}, **extra}


def _query(name: str, description: str, schema: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "description": description, "schema": schema,
            **extra}


_DRAFT = _query("draft", "1: keep the data as a draft, checked for shape only (a JSON object of a known "
                "`kind`, within DRAFT_MAX_BYTES); nothing is generated",
                {"type": "string", "enum": ["0", "1"]})
_CONFIRM_SIGNED = _query("confirm_signed", "1: go on although a document has a signed or hand-signed copy "
                         "(else 409 naming them in `signed_documents`); the signed copy stays with its "
                         "revision, the new one is unsigned", {"type": "string", "enum": ["0", "1"]})
_NUMBER = {"name": "number", "in": "path", "required": True, "description": "the revision",
           "schema": {"type": "integer", "minimum": 1}}
_YEAR = _query("year", "Only this review year (a monthly meeting: its year)",
               {"type": "integer", "minimum": 1900, "maximum": 2100})
_Q = _query("q", "Only titles containing this text, case and diacritics aside (`thach linh`)",
            {"type": "string", "maxLength": 200})
_AFTER = _query("after", "The cursor of the next page, as given in `next`", {"type": "string"})
_LIMIT = _query("limit", "How many a page (default 50)", {"type": "integer", "minimum": 1, "maximum": 100})
_NAME = {"name": "name", "in": "path", "required": True, "description": "as listed in the job",
         "schema": {"type": "string", "pattern": "^[a-z0-9_-]{1,200}$"}, "example": "bien_ban_kiem_diem"}
_FMT = {"name": "fmt", "in": "path", "required": True,
        "schema": {"type": "string", "enum": ["pdf", "docx", "xlsx"]}}
_MEETING_BODY = {"required": True, "content": {"application/json": {
    # a draft (draft=1) is any object of a known kind: checked for shape only
    "schema": {"anyOf": [_ref("MeetingData"), {"type": "object", "description": "with draft=1: the data "
                                                "so far, of a known `kind` (default annual_review)"}]},
    "examples": {"annual_review": {"value": _sample("annual_review_2025.json")},
                 "monthly": {"value": _sample("monthly_2025_11.json")}}}}}


def _jobs() -> dict[str, Any]:
    documents = {"name": "documents", "in": "query", "required": False,
                 "description": "Only these document types, comma-separated (empty: all of the kind)",
                 "schema": {"type": "string"}, "example": "bien_ban_kiem_phieu,phieu_danh_gia_chi_bo"}
    kind = _query("kind", "Only this kind of meeting", {"enum": ["annual_review", "monthly", "dang_bo"]})
    status = _query("status", "Only jobs in this state", {"enum": ["draft", "queued", "running", "done",
                                                                   "failed"]})
    return {
        "/api/v1/jobs": {"get": _operation(
            "listJobs", "The jobs the caller may see, newest first, a page at a time",
            {"200": _json(_ref("JobList"), "One page; `next` is the address of the following one")},
            statuses=(400,), parameters=[kind, status, _YEAR, _Q, _AFTER, _LIMIT]),
            "post": _operation(
            "createJob", "Validate a meeting, record its job and queue its documents (or keep a draft)",
            {"202": _json(_ref("Job"), "Accepted: the job, every document queued", headers=_LOCATION),
             "201": _json(_ref("Job"), "With draft=1: the draft kept (status `draft`), nothing queued",
                          headers=_LOCATION)},
            statuses=(400, 403, 413, 415, 422, 503), parameters=[documents, _DRAFT],
            requestBody=_MEETING_BODY)},
        "/api/v1/jobs/{job_id}": {"get": _operation(
            "getJob", "The job: its status, warnings, documents with their links, earlier revisions",
            {"200": _json(_ref("Job"), "The job")}, statuses=(404,), parameters=[_JOB_ID]),
            "put": _operation(
            "correctJob", "Corrected meeting data: the next revision, same id and address, documents "
            "rebuilt (the earlier revision's files stay); on a draft, or with draft=1, the draft saved again",
            {"202": _json(_ref("Job"), "Accepted: the job at its next revision, its documents queued",
                          headers=_LOCATION),
             "200": _json(_ref("Job"), "The draft saved again", headers=_LOCATION)},
            statuses=(400, 403, 404, 409, 413, 415, 422), parameters=[_JOB_ID, _DRAFT, _CONFIRM_SIGNED],
            requestBody=_MEETING_BODY),
            "delete": _operation(
            "deleteJob", "Delete the job, its documents and their files (not a job of a batch: 409)",
            {"204": {"description": "Deleted"}}, statuses=(404, 409, 503), parameters=[_JOB_ID])},
        "/api/v1/jobs/{job_id}/input": {"get": _operation(
            "getJobInput", "The meeting data as last submitted, corrected or saved as a draft",
            {"200": _json({"type": "object"}, "The data (a draft's as saved, else as validated)")},
            statuses=(404, 503), parameters=[_JOB_ID])},
        "/api/v1/jobs/{job_id}/generate": {"post": _operation(
            "generateJob", "Validate a draft fully and queue its documents",
            {"202": _json(_ref("Job"), "Accepted: the job, every document queued", headers=_LOCATION)},
            statuses=(403, 404, 409, 422), parameters=[_JOB_ID])},
        "/api/v1/jobs/{job_id}/retry": {"post": _operation(
            "retryJob", "Queue again the job's documents that failed or were lost",
            {"202": _json(_ref("Retried"), "How many documents were queued again")},
            statuses=(404, 409, 503), parameters=[_JOB_ID])},
        "/api/v1/jobs/{job_id}/documents/{name}/rebuild": {"post": _operation(
            "rebuildDocument", "Build one document again from the job's current data; one with a signed "
            "copy only with confirm_signed=1, as the job's next revision (the signed copy stays with its "
            "own)",
            {"202": _json(_ref("Job"), "Accepted: the document queued again", headers=_LOCATION)},
            statuses=(400, 404, 409), parameters=[_JOB_ID, _NAME, _CONFIRM_SIGNED])},
        "/api/v1/jobs/{job_id}/documents/{name}/docx": {"post": _operation(
            "postEditedDocx", "The DOCX the secretary finished in Word (multipart field `file`) as the "
            "document's next revision, converted to PDF/A by the worker and labelled `edited`; refused "
            "(422 invalid-document-file) when not a DOCX, above EDITED_DOCX_MAX_BYTES, with macros, "
            "embedded or outside objects or a field code not allowed; a signed document only with "
            "confirm_signed=1. Building it again from the data (rebuild, a correction) asks the same",
            {"202": _json(_ref("Job"), "Accepted: the job at its next revision, the document queued",
                          headers=_LOCATION)},
            statuses=(400, 403, 404, 409, 413, 422), parameters=[_JOB_ID, _NAME, _CONFIRM_SIGNED],
            requestBody={"required": True, "content": {"multipart/form-data": {"schema": {
                "type": "object", "required": ["file"], "properties": {"file": _BINARY}},
                "encoding": {"file": {"contentType": DOCX}}}}})},
        "/api/v1/jobs/{job_id}/documents/{name}.{fmt}": {"get": _operation(
            "getDocument", "One document as PDF (inline), DOCX or XLSX (attachment), named by the "
            "document, the chi bộ and the day",
            {"200": _file("The file", "application/pdf", DOCX, XLSX), "302": _REDIRECT},
            statuses=(404, 409, 503), parameters=[_JOB_ID, _NAME, _FMT])},
        "/api/v1/jobs/{job_id}/revisions/{number}/documents/{name}.{fmt}": {"get": _operation(
            "getRevisionDocument", "One document of an earlier revision, as it was before the correction",
            {"200": _file("The file", "application/pdf", DOCX, XLSX), "302": _REDIRECT},
            statuses=(404, 503), parameters=[
                _JOB_ID,
                {"name": "number", "in": "path", "required": True, "description": "the revision",
                 "schema": {"type": "integer", "minimum": 1}},
                _NAME, _FMT])},
        "/api/v1/jobs/{job_id}/revisions/{number}/package.zip": {"get": _operation(
            "getRevisionPackage", "The ZIP of an earlier revision, with that revision's signed copies only "
            "(built once by the worker; 409 package-not-ready with Retry-After until then)",
            {"200": _file("The ZIP", "application/zip"), "302": _REDIRECT},
            statuses=(404, 409, 503), parameters=[_JOB_ID, _NUMBER])},
        "/api/v1/jobs/{job_id}/package.zip": {"get": _operation(
            "getJobPackage", "Every DOCX and PDF of the job, the print PDF, LOI.txt when one failed "
            "(built once by the worker; 409 package-not-ready with Retry-After until then)",
            {"200": _file("The ZIP, named by chi bộ and day", "application/zip"), "302": _REDIRECT},
            statuses=(404, 409, 503), parameters=[_JOB_ID])},
        "/api/v1/jobs/{job_id}/print.pdf": {"get": _operation(
            "getJobPrint", "Every PDF of the job merged, one bookmark per document",
            {"200": _file("The print PDF", "application/pdf"), "302": _REDIRECT}, statuses=(404, 409, 503),
            parameters=[_JOB_ID])},
        "/api/v1/document-types": {"get": _operation(
            "listDocumentTypes", "The document types with their meeting kind",
            {"200": _json(_ref("DocumentTypes"), "The document types")}, security=[])},
        "/api/v1/schema": {"get": _operation(
            "getMeetingSchema", "The JSON Schema of the meeting data",
            {"200": _json({"type": "object"}, "A JSON Schema (draft 2020-12)")}, security=[])},
    }


def _batches() -> dict[str, Any]:
    key = {"name": "Idempotency-Key", "in": "header", "required": False,
           "description": "The same key again answers 200 with the batch already made (empty: no key); "
                          "sent by several callers at once, one batch is made and every other caller "
                          "is answered 200 with it",
           "schema": {"type": "string", "maxLength": 200, "pattern": "^[ -~]*$"}}
    upload = {"type": "object", "required": ["file"],
              "properties": {"file": {**_BINARY, "description": "the workbook (.xlsx, from GET /workbook)"}}}
    body = {"required": True, "content": {
        "application/json": {"schema": _ref("DangBoReview"),
                             "examples": {"dang_bo": {"value": _sample("dang_bo_2025.json")}}},
        "multipart/form-data": {"schema": upload, "encoding": {"file": {"contentType": XLSX}}},
        XLSX: {"schema": _BINARY}}}
    return {
        "/api/v1/batches": {"get": _operation(
            "listBatches", "The batches the caller may see, newest first, with each chi bộ's state",
            {"200": _json(_ref("BatchList"), "One page; `next` is the address of the following one")},
            statuses=(400,), parameters=[_YEAR, _Q, _AFTER, _LIMIT]),
            "post": _operation(
            "createBatch", "A whole đảng bộ: validate it, make a job per chi bộ and the summary",
            {"202": _json(_ref("Batch"), "Accepted: every document queued", headers=_LOCATION),
             "200": _json(_ref("Batch"), "The same content or Idempotency-Key: the batch already made, "
                          "nothing queued", headers=_LOCATION)},
            statuses=(400, 403, 409, 413, 415, 422, 503), requestBody=body, parameters=[key, _query(
                "replace_reviews", "1: a chi bộ that already has its own review of the year takes the "
                "workbook as that review's next revision (without it: 409, naming what differs)",
                {"type": "string", "enum": ["0", "1"]})])},
        "/api/v1/batches/{batch_id}": {"get": _operation(
            "getBatch", "Progress, failures with their reason, and every job",
            {"200": _json(_ref("Batch"), "The batch")}, statuses=(404,), parameters=[_BATCH_ID]),
            "delete": _operation(
            "deleteBatch", "Delete the batch: every job, document and file of it",
            {"204": {"description": "Deleted"}}, statuses=(404, 503), parameters=[_BATCH_ID])},
        "/api/v1/batches/{batch_id}/retry": {"post": _operation(
            "retryBatch", "Queue again the documents that failed or were lost",
            {"202": _json(_ref("Retried"), "How many documents were queued again")},
            statuses=(404, 503), parameters=[_BATCH_ID])},
        "/api/v1/batches/{batch_id}/package.zip": {"get": _operation(
            "getBatchPackage", "The summary and a folder per chi bộ, in one ZIP (built once by the "
            "worker; 409 package-not-ready with Retry-After until then)",
            {"200": _file("The ZIP", "application/zip"), "302": _REDIRECT}, statuses=(404, 409, 503),
            parameters=[_BATCH_ID])},
        "/api/v1/batches/{batch_id}/package": {"post": _operation(
            "retryBatchPackage", "Build the batch ZIP again after it failed (`package_status` "
            "`failed`; until then its download answers 409 package-failed and is not queued again)",
            {"202": _json(_ref("PackageRetried"), "Queued")},
            statuses=(404, 409, 503), parameters=[_BATCH_ID])},
        "/api/v1/organisations": {"get": _operation(
            "listOrganisations", "The caller's organisation and the chi bộ she may give a meeting to "
            "(`organisation_id`)", {"200": _json(_ref("Organisations"), "The organisations")}),
            "post": openapi_seasons.organisations_post()},
        "/api/v1/workbook": {"get": _operation(
            "getWorkbook", "The blank workbook to fill in", {"200": _file("The workbook", XLSX)},
            security=[])},
    }


_URI = {"type": "string", "format": "uri"}


def _signing() -> dict[str, Any]:
    upload = {"type": "object", "required": ["file"], "properties": {"file": _BINARY}}

    def body(*types: str) -> dict[str, Any]:
        return {"required": True, "content": {"multipart/form-data": {"schema": upload},
                                              **{t: {"schema": _BINARY} for t in types}}}
    doc = "/api/v1/jobs/{job_id}/documents/{name}"
    ids = [_JOB_ID, _NAME]
    return {
        f"{doc}/signed": {"post": _operation(
            "postSignedCopy", "A digitally signed copy of the document, checked with pyHanko (the "
            "signature intact and covering it, the signed content this document); the earlier PDF stays",
            {"201": _json(_ref("Job"), "Taken: the document shows `signed`")},
            statuses=(400, 404, 409, 413, 415, 422), parameters=ids, requestBody=body("application/pdf"))},
        f"{doc}/signed.pdf": {"get": _operation(
            "getSignedCopy", "The signed copy as it was sent back",
            {"200": _file("The signed PDF", "application/pdf"), "302": _REDIRECT},
            statuses=(404, 409, 503), parameters=ids)},
        "/api/v1/jobs/{job_id}/revisions/{number}/documents/{name}/signed.pdf": {"get": _operation(
            "getRevisionSignedCopy", "The signed copy kept with an earlier revision of the document",
            {"200": _file("The signed PDF", "application/pdf"), "302": _REDIRECT},
            statuses=(404, 503), parameters=[_JOB_ID, _NUMBER, _NAME])},
        f"{doc}/scan": {"post": _operation(
            "postHandSignedScan", "A scanned hand-signed copy (PDF, JPEG, PNG; SCAN_MAX_BYTES), "
            "labelled \"bản ký tay\"", {"201": _json(_ref("Job"), "Kept: the document shows `hand_signed`")},
            statuses=(400, 404, 409, 413, 415, 422), parameters=ids,
            requestBody=body("application/pdf", "image/jpeg", "image/png")),
            "get": _operation("getHandSignedScan", "The scanned hand-signed copy",
                              {"200": _file("The scan", "application/pdf", "image/jpeg", "image/png"),
                               "302": _REDIRECT}, statuses=(404, 409, 503), parameters=ids)},
        f"{doc}/signing-link": {"post": _operation(
            "postSigningLink", "A short-lived link for a signing tool: the PDF to fetch and the address "
            "to POST the signed file to, both without login",
            {"201": _json({"type": "object", "required": ["pdf", "upload", "expires_in"], "properties": {
                "pdf": _URI, "upload": _URI, "expires_in": {"type": "integer"}}}, "The link")},
            statuses=(404, 409), parameters=ids)},
        "/api/v1/verify": {"post": _operation(
            "verifyPdf", "Which job and document a PDF is (of the caller's organisations), whether it was "
            "altered, whether it is signed; a PDF over VERIFY_MAX_* (revisions, objects, pages) is 422 "
            "unread, and it is examined in a child process bounded by CHECK_MEMORY_MB and CHECK_SECONDS "
            "(over them: 422; every place taken: 503)",
            {"200": _json({"type": "object"}, "The answer; `detail` in Vietnamese")},
            statuses=(400, 413, 415, 422, 503), requestBody=body("application/pdf"))},
    }


def _version() -> str:
    try:
        return version("chibo-docs")
    except PackageNotFoundError:  # running from a source tree that is not installed
        return "0"


@cache
def description() -> dict[str, Any]:
    """The OpenAPI 3.1 document (built once per process)."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "chibo-docs", "version": _version(),
                 "description": "Văn bản của chi bộ từ dữ liệu hội nghị: gửi dữ liệu (JSON hoặc tệp Excel), "
                                "theo dõi tiến độ, tải DOCX, PDF, ZIP. Every error is "
                                f"`{PROBLEM}` with a Vietnamese `detail`."},
        "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
        "security": [{"bearerAuth": []}],
        "paths": {**_jobs(), **_batches(), **_signing(), **openapi_roster.paths(), **openapi_seasons.paths(),
                  **openapi_selfreviews.paths(),
                  **openapi_assignments.paths(),
                  **openapi_templates.paths(_operation, _json, _file, _LOCATION),
                  "/api/v1/openapi.json": {"get": {
            "operationId": "getOpenApi", "summary": "This description", "security": [],
            "responses": {"200": _json({"type": "object"}, "OpenAPI 3.1")}}}},
        "components": {
            "schemas": {**schemas(), **openapi_roster.schemas(), **openapi_assignments.schemas(),
                        **openapi_templates.SCHEMAS,
                        **openapi_seasons.SCHEMAS},
            "responses": problem_responses(),
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer",
                                               "description": "Authorization: Bearer <token>"}},
        },
    }


@bp.get("/openapi.json")
@auth.public
def openapi_json() -> Response:
    """The description, as JSON."""
    return Response(json.dumps(description(), ensure_ascii=False), mimetype="application/json")
