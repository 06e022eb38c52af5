"""The JSON API under ``/api/v1``: submit a meeting, follow its job, download documents."""

from __future__ import annotations

import io
from typing import Any

from flask import Blueprint, Response, current_app, redirect, request, send_file, url_for

from service import auth, db, package, pipeline, retention
from service.documents import DOCUMENT_TYPES
from service.errors import BadRequestError, NotFoundError, NotReadyError, UnsupportedMediaTypeError
from service.schemas import meeting_json_schema
from service.storage import get_storage

bp = Blueprint("api", __name__, url_prefix="/api/v1")

_STATE = {db.QUEUED: "đang chờ tạo", db.RUNNING: "đang được tạo", db.FAILED: "bị lỗi",
          db.DONE: "đã xong"}
_FORMATS = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _json_body() -> Any:
    if not request.is_json:
        raise UnsupportedMediaTypeError("Kiểu nội dung không được hỗ trợ; hãy gửi application/json.")
    data = request.get_json(silent=True)
    if data is None:
        raise BadRequestError("Nội dung gửi lên không phải JSON hợp lệ.")
    return data


def _document_json(job: db.Job, document: db.Document) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": document.name,
        "type": document.doc_type,
        "title": document.title,
        "status": document.status,
        "attempts": document.attempts,
    }
    if document.status == db.DONE:
        body["pages"] = document.pages
        formats = [f for f in _FORMATS if f != "xlsx" or DOCUMENT_TYPES[document.doc_type].spreadsheet]
        body["links"] = {fmt: url_for("api.download", job_id=job.id, name=document.name,
                                      fmt=fmt) for fmt in formats}
    if document.status == db.FAILED:
        body["error"] = {"type": document.error_type, "detail": document.error_detail}
    return body


def job_json(job: db.Job) -> dict[str, Any]:
    """The job as the API shows it."""
    return {
        "id": job.id,
        "kind": job.kind,
        "title": job.title,
        "status": job.status,
        "created_at": job.created_at.isoformat() + "Z",
        "warnings": job.warnings,
        "documents": [_document_json(job, d) for d in job.documents],
        "links": {"self": url_for("api.get_job", job_id=job.id),
                  "package": url_for("api.download_package", job_id=job.id),
                  "print": url_for("api.print_file", job_id=job.id)},
    }


def load_job(session: Any, job_id: str) -> db.Job:
    """The job *job_id*, if it exists and the caller may see it; else NotFoundError."""
    job = session.get(db.Job, job_id) if len(job_id) <= 64 else None
    if job is None or not auth.caller().sees(job.organisation_id):
        raise NotFoundError(f"Không có công việc mã {job_id}.")
    return job


@bp.post("/jobs")
def create_job() -> tuple[dict[str, Any], int, dict[str, str]]:
    """Validate a meeting, record its job and queue one task per document."""
    from workers.tasks import dispatch

    data = _json_body()
    if isinstance(data, dict) and data.get("kind") == "dang_bo":
        auth.require_role("dang_uy", "admin")  # the đảng bộ's summary is the đảng ủy office's
    only = [n.strip() for n in request.args.get("documents", "").split(",") if n.strip()]
    with db.session_scope() as session:
        job = pipeline.submit(data, session=session, storage=get_storage(), only=only or None,
                              **auth.ownership(session))
        session.flush()
        auth.audit(session, "generate", "job", job.id, job.organisation_id,
                   f"{job.title}: {len(job.documents)} tài liệu")
        body = job_json(job)
        documents = list(job.documents)
    # only after the commit: a worker must find the rows it is given
    dispatch(documents, current_app.config["BATCH_CHUNK_SIZE"])
    return body, 202, {"Location": body["links"]["self"]}


@bp.get("/jobs/<job_id>")
def get_job(job_id: str) -> dict[str, Any]:
    """The job's status and its documents."""
    with db.session_scope() as session:
        return job_json(load_job(session, job_id))


@bp.get("/jobs/<job_id>/documents/<name>.<fmt>")
def download(job_id: str, name: str, fmt: str) -> Response:
    """One document as PDF or DOCX: a redirect to the store when it signs URLs, else streamed."""
    if fmt not in _FORMATS:
        raise NotFoundError(f"Không có định dạng {fmt}; chọn pdf, docx hoặc xlsx.")
    with db.session_scope() as session:
        job = load_job(session, job_id)
        document = next((d for d in job.documents if d.name == name), None)
        if document is None:
            raise NotFoundError(f"Công việc này không có tài liệu {name}.")
        if document.status != db.DONE:
            raise NotReadyError(f"Tài liệu {name} {_STATE[document.status]}.",
                                document_status=document.status)
        if fmt == "xlsx" and DOCUMENT_TYPES[document.doc_type].spreadsheet is None:
            raise NotFoundError(f"Tài liệu {name} không có bản Excel.")
        key = {"pdf": document.pdf_key, "docx": document.docx_key,
               "xlsx": f"jobs/{job.id}/{document.name}.xlsx"}[fmt]
        auth.audit(session, "download", "document", document.id, job.organisation_id, f"{name}.{fmt}")
    return send_stored(str(key), fmt, f"{name}.{fmt}")


def send_stored(key: str, fmt: str, filename: str) -> Response:
    """A stored file: a redirect to a short-lived URL of the store if it gives one, else streamed."""
    storage = get_storage()
    url = storage.url_for_download(key, filename, _FORMATS.get(fmt, "application/zip"),
                                   as_attachment=fmt != "pdf")
    if url is None:
        return send(storage.get(key), fmt, filename)
    response = redirect(url, 302)
    response.headers["Cache-Control"] = "no-store"  # the URL expires; never reuse the redirect
    return response


def send(data: bytes, fmt: str, filename: str) -> Response:
    """A file download; PDFs open in the browser, the rest are attachments."""
    mimetype = _FORMATS.get(fmt, "application/zip")
    return send_file(io.BytesIO(data), mimetype=mimetype, as_attachment=fmt != "pdf",
                     download_name=filename)


def packed(job_id: str) -> tuple[str, list[package.PackedDocument], list[str]]:
    """A finished job's title, its done documents' files, and its failures."""
    storage = get_storage()
    with db.session_scope() as session:
        job = load_job(session, job_id)
        if job.status in (db.QUEUED, db.RUNNING):
            raise NotReadyError(f"Công việc {_STATE[job.status]}; hãy chờ hoàn tất.",
                                job_status=job.status)
        done = [(d.name, d.title, d.pdf_key, d.docx_key, f"jobs/{job.id}/{d.name}.xlsx")
                for d in job.documents if d.status == db.DONE]
        failed = [f"{d.title}: {d.error_detail}" for d in job.documents if d.status == db.FAILED]
        title = job.title
        auth.audit(session, "download", "job", job.id, job.organisation_id, "ZIP / bản in")
    documents = [package.PackedDocument(name, doc_title, storage.get(str(pdf)), storage.get(str(docx)),
                                        storage.get(xlsx) if storage.exists(xlsx) else None)
                 for name, doc_title, pdf, docx, xlsx in done]
    return title, documents, failed


@bp.get("/jobs/<job_id>/package.zip")
def download_package(job_id: str) -> Response:
    """The ZIP of the whole file of the meeting, named by chi bộ and year."""
    title, documents, failed = packed(job_id)
    data = package.zip_package(documents, title, failed)
    return send(data, "zip", f"{package.package_name(title)}.zip")


@bp.get("/jobs/<job_id>/print.pdf")
def print_file(job_id: str) -> Response:
    """Every PDF of the meeting merged, with a bookmark per document."""
    title, documents, _ = packed(job_id)
    if not documents:
        raise NotReadyError("Chưa có tài liệu nào được tạo xong.")
    return send(package.print_pdf(documents, title), "pdf", f"{package.package_name(title)}-ban-in.pdf")


@bp.delete("/jobs/<job_id>")
def delete_job(job_id: str) -> tuple[str, int]:
    """Delete a job with its documents and files (a chi bộ's request, or a mistake)."""
    with db.session_scope() as session:
        job = load_job(session, job_id)
        if job.batch_id is not None and job.kind == "dang_bo":
            raise BadRequestError("Đây là biểu tổng hợp của cả lô: hãy xoá cả lô.")
        count = retention.delete_job(session, get_storage(), job)
        auth.audit(session, "delete", "job", job_id, job.organisation_id, f"{count} tài liệu")
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
