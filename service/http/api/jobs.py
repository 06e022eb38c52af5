"""The JSON API under ``/api/v1``: list, submit, correct and follow jobs, download documents."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, request

from service.documents import DOCUMENT_TYPES
from service.errors import BadRequestError, NotFoundError, UnsupportedMediaTypeError
from service.http import auth
from service.http.actions import jobs as actions
from service.http.files import FORMATS, send_stored
from service.http.params import flag, int_arg, page, text_arg
from service.meetings.schemas import meeting_json_schema

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def _json_body() -> Any:
    if not request.is_json:
        raise UnsupportedMediaTypeError("Kiểu nội dung không được hỗ trợ; hãy gửi application/json.")
    data = request.get_json(silent=True)
    if data is None:
        raise BadRequestError("Nội dung gửi lên không phải JSON hợp lệ.")
    return data


@bp.get("/jobs")
def list_jobs() -> dict[str, Any]:
    """The jobs the caller may see, newest first: ``kind``, ``status``, ``year``, ``q`` filter them."""
    kind, status, q = text_arg("kind"), text_arg("status"), text_arg("q")
    year, limit = int_arg("year", 1900, 2100), int_arg("limit", 1, 100)
    items, cursor = actions.list_jobs(kind=kind, status=status, year=year, q=q, after=text_arg("after"),
                                      limit=limit or 50)
    return page("api.list_jobs", items, cursor, kind=kind, status=status, year=year, q=q, limit=limit)


@bp.post("/jobs")
def create_job() -> tuple[dict[str, Any], int, dict[str, str]]:
    """Validate a meeting, record its job and queue one task per document (``?draft=1``: keep it)."""
    data = _json_body()
    if flag("draft"):
        body = actions.save_draft(data)
        return body, 201, {"Location": body["links"]["self"]}
    only = [n.strip() for n in request.args.get("documents", "").split(",") if n.strip()]
    body = actions.submit_job(data, only or None)
    return body, 202, {"Location": body["links"]["self"]}


@bp.get("/jobs/<job_id>")
def get_job(job_id: str) -> dict[str, Any]:
    """The job's status and its documents."""
    return actions.job_body(job_id)


@bp.put("/jobs/<job_id>")
def put_job(job_id: str) -> tuple[dict[str, Any], int, dict[str, str]]:
    """Corrected meeting data: the next revision, documents rebuilt (a draft: saved again, 200)."""
    data = _json_body()
    draft = flag("draft")
    if draft or actions.job_body(job_id)["status"] == "draft":
        body = actions.save_draft(data, job_id)
        return body, 200, {"Location": body["links"]["self"]}
    body = actions.correct_job(job_id, data, confirm_signed=flag("confirm_signed"))
    return body, 202, {"Location": body["links"]["self"]}


@bp.get("/jobs/<job_id>/input")
def job_input(job_id: str) -> dict[str, Any]:
    """The meeting data as last submitted, corrected or saved as a draft."""
    return actions.job_input(job_id)


@bp.post("/jobs/<job_id>/generate")
def generate_job(job_id: str) -> tuple[dict[str, Any], int, dict[str, str]]:
    """Validate a draft fully and queue its documents."""
    body = actions.generate(job_id)
    return body, 202, {"Location": body["links"]["self"]}


@bp.post("/jobs/<job_id>/documents/<name>/rebuild")
def rebuild_document(job_id: str, name: str) -> tuple[dict[str, Any], int, dict[str, str]]:
    """Build one document again from the job's current data ("Tạo lại"); a signed one asks first."""
    body = actions.rebuild_document(job_id, name, confirm_signed=flag("confirm_signed"))
    return body, 202, {"Location": body["links"]["self"]}


@bp.post("/jobs/<job_id>/documents/<name>/docx")
def post_edited_docx(job_id: str, name: str) -> tuple[dict[str, Any], int, dict[str, str]]:
    """The DOCX the secretary finished in Word as the document's next revision, converted to PDF/A."""
    upload = request.files.get("file")
    if upload is None:
        raise BadRequestError("Hãy gửi tệp Word (.docx) trong trường file (multipart/form-data).",
                              errors=[{"field": "file", "detail": "Thiếu tệp."}])
    body = actions.use_edited_docx(job_id, name, bytes(upload.read()), upload.filename or "",
                                   confirm_signed=flag("confirm_signed"))
    return body, 202, {"Location": body["links"]["self"]}


@bp.post("/jobs/<job_id>/retry")
def retry_job(job_id: str) -> tuple[dict[str, Any], int]:
    """Queue again only the job's documents that failed or were lost."""
    return {"retried": actions.retry_job(job_id)}, 202


def _format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise NotFoundError(f"Không có định dạng {fmt}; chọn pdf, docx hoặc xlsx.")
    return fmt


@bp.get("/jobs/<job_id>/documents/<name>.<fmt>")
def download(job_id: str, name: str, fmt: str) -> Response:
    """One document as PDF or DOCX: a redirect to the store when it signs URLs, else streamed."""
    key, filename = actions.document_download(job_id, name, _format(fmt))
    return send_stored(key, fmt, filename)


@bp.get("/jobs/<job_id>/revisions/<int:number>/documents/<name>.<fmt>")
def download_revision(job_id: str, number: int, name: str, fmt: str) -> Response:
    """One document of an earlier revision of the job, as it was before the correction."""
    key, filename = actions.revision_download(job_id, number, name, _format(fmt))
    return send_stored(key, fmt, filename)


@bp.get("/jobs/<job_id>/revisions/<int:number>/package.zip")
def download_revision_package(job_id: str, number: int) -> Response:
    """The ZIP of an earlier revision, with the signed copies of that revision only."""
    key, filename = actions.revision_package(job_id, number)
    return send_stored(key, "zip", filename)


@bp.get("/jobs/<job_id>/package.zip")
def download_package(job_id: str) -> Response:
    """The ZIP of the whole file of the meeting, named by chi bộ and day."""
    key, filename = actions.job_package(job_id)
    return send_stored(key, "zip", filename)


@bp.get("/jobs/<job_id>/print.pdf")
def print_file(job_id: str) -> Response:
    """Every PDF of the meeting merged, with a bookmark per document."""
    key, filename = actions.job_print(job_id)
    return send_stored(key, "pdf", filename)


@bp.delete("/jobs/<job_id>")
def delete_job(job_id: str) -> tuple[str, int]:
    """Delete a job with its documents and files (never one job of a batch: 409)."""
    actions.delete_job(job_id)
    return "", 204


@bp.get("/document-types")
@auth.public
def document_types() -> dict[str, Any]:
    """The document types, by meeting kind; ``?documents=a,b`` on POST picks a subset."""
    return {"document_types": [{"id": t.id, "title": t.title, "kind": t.kind,
                                "per_member": t.per_member} for t in DOCUMENT_TYPES.values()]}


@bp.get("/schema")
@auth.public
def schema() -> dict[str, Any]:
    """The JSON Schema of the meeting data."""
    return meeting_json_schema()
