"""The reusable parts of the OpenAPI description: the data models, the answers, the problems.

The request bodies are the pydantic models' own JSON Schema (``MEETING_ADAPTER``, the same
as ``GET /api/v1/schema`` and ``chibo schema``), with their ``$defs`` moved to
``components.schemas``. The answers (job, batch, document types) and the Problem are written
here, from what ``service.http.api.jobs``, ``service.http.api.batches`` and ``service.http.problems`` send.
"""

from __future__ import annotations

from typing import Any

from service.meetings.schemas import MEETING_ADAPTER

JOB_STATES = ["queued", "running", "done", "failed"]
JOB_STATUSES = ["draft", *JOB_STATES]
PROBLEM = "application/problem+json"


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _object(required: dict[str, Any], optional: dict[str, Any] | None = None,
            **extra: Any) -> dict[str, Any]:
    return {"type": "object", "required": list(required), "properties": {**required, **(optional or {})},
            **extra}


_STR = {"type": "string"}
_COUNT = {"type": "integer", "minimum": 0}
_LINK = {"type": "string", "format": "uri-reference"}
_ID = {"type": "string", "pattern": "^[0-9a-f]{32}$"}
_MAYBE_ID = {"type": ["string", "null"], "pattern": "^[0-9a-f]{32}$"}
_AT = {"type": "string", "format": "date-time"}
_MAYBE_AT = {"type": ["string", "null"], "format": "date-time"}
_NEXT = {"type": ["string", "null"], "format": "uri-reference",
         "description": "the address of the next page (null: this is the last)"}
_JOB_SUMMARY = {
    "id": _ID, "kind": {"enum": ["annual_review", "monthly", "dang_bo"]}, "title": _STR,
    "status": {"enum": JOB_STATUSES}, "created_at": _AT,
    "changed_at": {**_MAYBE_AT, "description": "the last correction or draft save"},
    "revision": {"type": "integer", "minimum": 1, "description": "1, then one more per correction"},
    "batch_id": {**_MAYBE_ID, "description": "the đảng ủy batch the job is part of (then it is not "
                 "deleted alone)"},
    "organisation_id": _MAYBE_ID, "year": {"type": ["integer", "null"]},
    "meeting_date": {"type": ["string", "null"], "format": "date"},
    "votes_pending": {"type": "boolean", "description": "a review whose documents may be made but whose "
                      "votes are not all entered: not complete"},
    "links": _object({"self": _LINK, "package": _LINK, "print": _LINK, "input": _LINK},
                     {"generate": {**_LINK, "description": "a draft's: POST to build it"},
                      "retry": {**_LINK, "description": "POST: queue the failed and lost documents again"}}),
}

RESPONSE_SCHEMAS: dict[str, Any] = {
    "Problem": _object(
        {"type": _STR, "title": _STR, "status": {"type": "integer", "minimum": 400, "maximum": 599},
         "detail": {**_STR, "description": "Vietnamese, for the person who sent the request"}},
        {"errors": {"type": "array", "items": _ref("FieldProblem"),
                    "description": "every failing field (422), or the header or parameter at fault"}},
        description="RFC 9457 problem details; every error of the API has this form"),
    "FieldProblem": _object(
        {"field": _STR, "detail": _STR},
        {"sheet": _STR, "row": {"type": ["integer", "null"]}, "column": {"type": ["string", "null"]}},
        description="One failing field; problems found in a workbook also name the sheet, row and column"),
    "Document": _object(
        {"name": _STR, "type": _STR, "title": _STR, "status": {"enum": JOB_STATES}, "attempts": _COUNT},
        {"pages": {"type": ["integer", "null"]},
         "links": _object({"pdf": _LINK, "docx": _LINK}, {"xlsx": _LINK}),
         "rebuild": {**_LINK, "description": "POST: build this document again"},
         "earlier_signed": _ref("RevisionSigned"),
         "template": _ref("TemplateProvenance"),
         "error": _object({"type": {"type": ["string", "null"]}, "detail": {"type": ["string", "null"]}}),
         "lost": {"type": "boolean", "description": "pending, but its message is gone from the queue"},
         "edited": _ref("Edited")},
        description="One document of a job; `links` once it is done, `error` when it failed or was lost"),
    "Revision": _object(
        {"revision": {"type": "integer", "minimum": 1}, "title": _STR, "made_at": _AT,
         "replaced_at": _AT, "documents": {"type": "array", "items": _object(
             {"name": _STR, "type": _STR, "title": _STR},
             {"pages": {"type": ["integer", "null"]}, "status": {"enum": JOB_STATES},
              "links": _object({"pdf": _LINK, "docx": _LINK}, {"xlsx": _LINK, "signed_pdf": _LINK}),
              "signed": _ref("RevisionSigned"), "edited": _ref("Edited")})}},
        {"links": _object({"package": {**_LINK, "description": "the ZIP of this revision, with its own "
                                       "signed copies"}})},
        description="An earlier revision of a corrected job: its documents' files stay downloadable"),
    "Edited": _object(
        {"label": _STR},
        {"filename": {"type": ["string", "null"]}, "size": {"type": ["integer", "null"]},
         "sha256": {"type": ["string", "null"]}, "uploaded_at": {"type": ["string", "null"]}},
        description="The document is made of a DOCX the secretary edited in Word and uploaded "
                    "(`label`: \"chỉnh sửa ngoài hệ thống\"), not of the template"),
    "RevisionSigned": _object(
        {"signer": _STR, "trusted": {"type": "boolean"}, "revision": {"type": "integer", "minimum": 1},
         "superseded_by": {"type": ["integer", "null"]}, "label": _STR},
        {"subject": _STR, "signed_at": {"type": ["string", "null"]}, "note": _STR},
        description="A signed copy kept with the revision it signs; `label` says so in Vietnamese "
                    "(\"bản ký của lần 1 — đã có bản sửa lần 2, chưa ký\")"),
    "JobSummary": _object(_JOB_SUMMARY, description="A job as lists show it (no documents)"),
    "Job": _object(
        {**_JOB_SUMMARY, "status": {"enum": [*JOB_STATUSES, "incomplete"]},
         "warnings": {"type": "array", "items": _STR},
         "documents": {"type": "array", "items": _ref("Document")},
         "revisions": {"type": "array", "items": _ref("Revision"),
                       "description": "the earlier revisions, newest first"}},
        {"lost": {**_COUNT, "description": "documents whose message is gone (status `incomplete` "
                  "when they are all that is pending: `retry` queues them)"}}),
    "JobList": _object({"items": {"type": "array", "items": _ref("JobSummary")}, "next": _NEXT}),
    "BatchSummary": _object(
        {"id": _ID, "title": _STR, "created_at": _AT, "changed_at": _MAYBE_AT,
         "revision": {"type": "integer", "minimum": 1}, "year": {"type": ["integer", "null"]},
         "organisation_id": _MAYBE_ID, "status": {"enum": JOB_STATES},
         **{key: _COUNT for key in ("done", "total", "failed")},
         "chi_bo": {"type": "array", "items": _object(
             {"id": _ID, "title": _STR, "organisation_id": _MAYBE_ID, "status": {"enum": JOB_STATES},
              "revision": {"type": "integer", "minimum": 1}, "links": _object({"self": _LINK})},
             {"votes_pending": {"type": "boolean", "description": "votes not all entered"}})},
         "links": _object({"self": _LINK, "package": _LINK, "retry": _LINK})},
        description="A batch as lists show it: progress and each chi bộ's state"),
    "BatchList": _object({"items": {"type": "array", "items": _ref("BatchSummary")}, "next": _NEXT}),
    "Organisations": _object({"items": {"type": "array", "items": _object(
        {"id": _ID, "name": _STR, "kind": {"enum": ["dang_bo", "chi_bo", "dang_bo_bo_phan", "dang_bo_co_so"]},
         "parent_id": _MAYBE_ID})}}),
    "Batch": _object(
        {"id": _ID, "title": _STR, "created_at": _AT, "changed_at": _MAYBE_AT,
         "revision": {"type": "integer", "minimum": 1,
                      "description": "one more each time a chi bộ's correction rebuilt the summary"},
         "organisation_id": _MAYBE_ID, "year": {"type": ["integer", "null"]},
         "status": {"enum": [*JOB_STATES, "incomplete"]},
         **{key: _COUNT for key in ("done", "total", "failed", "running", "queued", "lost")},
         "failures": {"type": "array", "items": _object(
             {"job": _STR, "document": _STR, "title": _STR, "error": {"type": ["string", "null"]}})},
         "summary": _ref("Job"), "chi_bo": {"type": "array", "items": _ref("Job")},
         "links": _object({"self": _LINK, "package": _LINK, "retry": _LINK})},
        {"package_ready": {"type": "boolean", "description": "the batch ZIP is built (by the worker, "
                           "once every job is finished) and downloads now; until then it answers 409"},
         "package_status": {"enum": ["waiting", "building", "ready", "failed"],
                            "description": "the batch ZIP: jobs still running, being built, built, or "
                            "its build failed (then POST …/package builds it again)"},
         "package_error": {"type": ["string", "null"],
                           "description": "why the ZIP could not be built, in Vietnamese"}},
        description="A whole đảng bộ: the summary job and one job per chi bộ, with progress"),
    "Retried": _object({"retried": _COUNT}),
    "PackageRetried": _object({"package_status": {"enum": ["building"]}}),
    "DocumentTypes": _object({"document_types": {"type": "array", "items": _object(
        {"id": _STR, "title": _STR, "kind": _STR, "per_member": {"type": "boolean"}})}}),
}

PROBLEMS: dict[int, tuple[str, str]] = {
    400: ("BadRequest", "Nội dung gửi lên không phải JSON hợp lệ."),
    401: ("Unauthorized", "Cần mã truy cập API: gửi kèm tiêu đề Authorization: Bearer <mã>."),
    403: ("Forbidden", "Vai trò của bạn không được làm việc này."),
    404: ("NotFound", "Không có công việc mã 0123456789abcdef0123456789abcdef."),
    409: ("Conflict", "Biên bản hội nghị đang chờ tạo."),
    413: ("PayloadTooLarge", "Dữ liệu gửi lên quá lớn."),
    415: ("UnsupportedMediaType", "Kiểu nội dung không được hỗ trợ; hãy gửi application/json."),
    422: ("InvalidMeeting", "ratings[1].votes: Tổng số phiếu (20) nhiều hơn số phiếu hợp lệ (9)"),
    429: ("TooManyAttempts", "Đăng nhập sai quá nhiều lần; hãy thử lại sau 45 giây."),
    503: ("StorageUnavailable", "Kho lưu trữ tài liệu tạm thời không trả lời; vui lòng thử lại sau."),
}
_WHEN = {
    400: "The request cannot be read (not JSON, not a workbook, a header out of bounds)",
    401: "No valid `Authorization: Bearer <token>`",
    403: "The caller's role may not do this (a chi bộ secretary sending a whole đảng bộ)",
    404: "Unknown path, job, batch or document (or one the caller may not see)",
    409: "Not built yet (`/problems/not-ready`), or the request does not fit the object's state "
         "(`/problems/conflict`: a job of a batch deleted alone, a draft asked for its files)",
    413: "The body is above MAX_CONTENT_LENGTH",
    415: "The body is of a type the operation does not take",
    422: "The data is malformed or does not add up; `errors` names every failing field",
    429: "Too many refused tokens lately from this address or for this token id "
         "(`/problems/too-many-attempts`); wait `Retry-After` seconds, the right token too",
    503: "The document store does not answer; try again",
}


def problem_responses() -> dict[str, Any]:
    """``components.responses``: one problem+json answer per status the API uses."""
    return {name: {"description": _WHEN[status],
                   "content": {PROBLEM: {"schema": _ref("Problem"), "example": {
                       "type": "about:blank", "title": name, "status": status, "detail": detail}}}}
            for status, (name, detail) in PROBLEMS.items()}


def problems(*statuses: int) -> dict[str, Any]:
    """The ``responses`` entries of these problem statuses."""
    return {str(status): {"$ref": f"#/components/responses/{PROBLEMS[status][0]}"} for status in statuses}


def schemas() -> dict[str, Any]:
    """``components.schemas``: the meeting models (``MeetingData`` the union) and the answers."""
    meeting = MEETING_ADAPTER.json_schema(ref_template="#/components/schemas/{model}")
    found: dict[str, Any] = meeting.pop("$defs")
    found["MeetingData"] = {**meeting, "description": "An annual review, a monthly meeting or a whole "
                            "đảng bộ, told apart by `kind` (default `annual_review`)"}
    return {**found, **RESPONSE_SCHEMAS}
