"""The JSON API under ``/api/v1``: submit a meeting, follow its job, download documents."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, request, send_file, url_for
from werkzeug.exceptions import UnsupportedMediaType

from service import db, pipeline
from service.errors import BadRequestError, NotFoundError, NotReadyError
from service.schemas import meeting_json_schema
from service.storage import get_storage

bp = Blueprint("api", __name__, url_prefix="/api/v1")

_FORMATS = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _json_body() -> Any:
    if not request.is_json:
        raise UnsupportedMediaType()
    data = request.get_json(silent=True)
    if data is None:
        raise BadRequestError("Nội dung gửi lên không phải JSON hợp lệ.")
    return data


def _document_json(job: db.Job, document: db.Document) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": document.doc_type,
        "title": document.title,
        "status": document.status,
        "attempts": document.attempts,
    }
    if document.status == db.DONE:
        body["pages"] = document.pages
        body["links"] = {fmt: url_for("api.download", job_id=job.id, doc_type=document.doc_type,
                                      fmt=fmt) for fmt in _FORMATS}
    if document.status == db.FAILED:
        body["error"] = {"type": document.error_type, "detail": document.error_detail}
    return body


def _job_json(job: db.Job) -> dict[str, Any]:
    return {
        "id": job.id,
        "kind": job.kind,
        "title": job.title,
        "status": job.status,
        "created_at": job.created_at.isoformat() + "Z",
        "warnings": job.warnings,
        "documents": [_document_json(job, d) for d in job.documents],
        "links": {"self": url_for("api.get_job", job_id=job.id)},
    }


def _load_job(session: Any, job_id: str) -> db.Job:
    job = session.get(db.Job, job_id) if len(job_id) <= 64 else None
    if job is None:
        raise NotFoundError(f"Không có công việc mã {job_id}.")
    return job


@bp.post("/jobs")
def create_job() -> tuple[dict[str, Any], int, dict[str, str]]:
    """Validate a meeting, record its job and queue one task per document."""
    from workers.tasks import build_document

    data = _json_body()
    with db.session_scope() as session:
        job = pipeline.submit(data, session=session, storage=get_storage())
        session.flush()
        body = _job_json(job)
        document_ids = [d.id for d in job.documents]
    for document_id in document_ids:
        build_document.delay(document_id)
    return body, 202, {"Location": body["links"]["self"]}


@bp.get("/jobs/<job_id>")
def get_job(job_id: str) -> dict[str, Any]:
    """The job's status and its documents."""
    with db.session_scope() as session:
        return _job_json(_load_job(session, job_id))


@bp.get("/jobs/<job_id>/documents/<doc_type>.<fmt>")
def download(job_id: str, doc_type: str, fmt: str) -> Response:
    """One document as PDF or DOCX."""
    if fmt not in _FORMATS:
        raise NotFoundError(f"Không có định dạng {fmt}; chọn pdf hoặc docx.")
    with db.session_scope() as session:
        job = _load_job(session, job_id)
        document = next((d for d in job.documents if d.doc_type == doc_type), None)
        if document is None:
            raise NotFoundError(f"Công việc này không có tài liệu {doc_type}.")
        if document.status != db.DONE:
            raise NotReadyError(f"Tài liệu {doc_type} đang ở trạng thái {document.status}.",
                                status_of_document=document.status)
        key = document.pdf_key if fmt == "pdf" else document.docx_key
    data = get_storage().get(str(key))
    import io

    return send_file(io.BytesIO(data), mimetype=_FORMATS[fmt], as_attachment=fmt == "docx",
                     download_name=f"{doc_type}.{fmt}")


@bp.get("/schema")
def schema() -> dict[str, Any]:
    """The JSON Schema of the meeting data."""
    return meeting_json_schema()
