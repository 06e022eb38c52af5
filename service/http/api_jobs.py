"""The JSON API under ``/api/v1``: submit a meeting, follow its job, download documents."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, request

from service.documents import DOCUMENT_TYPES, package
from service.errors import BadRequestError, NotFoundError, NotReadyError, UnsupportedMediaTypeError
from service.http import actions
from service.http.files import FORMATS, send, send_stored
from service.meetings.schemas import meeting_json_schema

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def _json_body() -> Any:
    if not request.is_json:
        raise UnsupportedMediaTypeError("Kiểu nội dung không được hỗ trợ; hãy gửi application/json.")
    data = request.get_json(silent=True)
    if data is None:
        raise BadRequestError("Nội dung gửi lên không phải JSON hợp lệ.")
    return data


@bp.post("/jobs")
def create_job() -> tuple[dict[str, Any], int, dict[str, str]]:
    """Validate a meeting, record its job and queue one task per document."""
    data = _json_body()
    only = [n.strip() for n in request.args.get("documents", "").split(",") if n.strip()]
    body = actions.submit_job(data, only or None)
    return body, 202, {"Location": body["links"]["self"]}


@bp.get("/jobs/<job_id>")
def get_job(job_id: str) -> dict[str, Any]:
    """The job's status and its documents."""
    return actions.job_body(job_id)


@bp.get("/jobs/<job_id>/documents/<name>.<fmt>")
def download(job_id: str, name: str, fmt: str) -> Response:
    """One document as PDF or DOCX: a redirect to the store when it signs URLs, else streamed."""
    if fmt not in FORMATS:
        raise NotFoundError(f"Không có định dạng {fmt}; chọn pdf, docx hoặc xlsx.")
    return send_stored(actions.document_file(job_id, name, fmt), fmt, f"{name}.{fmt}")


@bp.get("/jobs/<job_id>/package.zip")
def download_package(job_id: str) -> Response:
    """The ZIP of the whole file of the meeting, named by chi bộ and year."""
    title, documents, failed = actions.packed(job_id)
    data = package.zip_package(documents, title, failed)
    return send(data, "zip", f"{package.package_name(title)}.zip")


@bp.get("/jobs/<job_id>/print.pdf")
def print_file(job_id: str) -> Response:
    """Every PDF of the meeting merged, with a bookmark per document."""
    title, documents, _ = actions.packed(job_id)
    if not documents:
        raise NotReadyError("Chưa có tài liệu nào được tạo xong.")
    return send(package.print_pdf(documents, title), "pdf", f"{package.package_name(title)}-ban-in.pdf")


@bp.delete("/jobs/<job_id>")
def delete_job(job_id: str) -> tuple[str, int]:
    """Delete a job with its documents and files (a chi bộ's request, or a mistake)."""
    actions.delete_job(job_id)
    return "", 204


@bp.get("/document-types")
def document_types() -> dict[str, Any]:
    """The document types, by meeting kind; ``?documents=a,b`` on POST picks a subset."""
    return {"document_types": [{"id": t.id, "title": t.title, "kind": t.kind,
                                "per_member": t.per_member} for t in DOCUMENT_TYPES.values()]}


@bp.get("/schema")
def schema() -> dict[str, Any]:
    """The JSON Schema of the meeting data."""
    return meeting_json_schema()
