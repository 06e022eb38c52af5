"""``/api/v1/batches``: a whole đảng bộ from one workbook or JSON, its progress and files."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from flask import Blueprint, Response, current_app, request, send_file, url_for

from service import auth, batches, db, package, queue, retention
from service.api import job_json, packed, send
from service.errors import (
    BadRequestError,
    FieldProblem,
    InvalidMeetingError,
    NotFoundError,
    NotReadyError,
    UnsupportedMediaTypeError,
)
from service.schemas import DangBoReview
from service.storage import get_storage
from service.validation import parse_meeting
from service.workbook import blank_workbook
from service.workbook_cells import Limits
from service.workbook_reader import parse_workbook

bp = Blueprint("batches", __name__, url_prefix="/api/v1")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_IDEMPOTENCY_KEY = 200  # the column's width


def _review_from_request() -> DangBoReview:
    if request.is_json:
        data = request.get_json(silent=True)
        if data is None:
            raise BadRequestError("Nội dung gửi lên không phải JSON hợp lệ.")
        if isinstance(data, dict) and data.setdefault("kind", "dang_bo") != "dang_bo":
            raise InvalidMeetingError([FieldProblem("kind", "Lô tài liệu là cả đảng bộ: kind phải là "
                                                    "\"dang_bo\" (hoặc bỏ trống).")])
        review = parse_meeting(data)
        assert isinstance(review, DangBoReview)
        return review
    limits = Limits.from_config(current_app.config)
    if request.mimetype == "multipart/form-data":
        upload = request.files.get("file")
        if upload is None:
            raise BadRequestError("Hãy gửi tệp Excel (.xlsx) trong trường \"file\".")
        if not (upload.filename or "").lower().endswith(".xlsx"):
            raise BadRequestError("Chỉ nhận tệp Excel .xlsx (dùng mẫu tải về từ hệ thống).")
        return parse_workbook(upload.read(), limits)
    if request.mimetype == XLSX:
        return parse_workbook(request.get_data(), limits)
    raise UnsupportedMediaTypeError("Kiểu nội dung không được hỗ trợ; hãy gửi tệp Excel (.xlsx: "
                                    f"multipart/form-data trường \"file\", hoặc {XLSX}) hoặc "
                                    "application/json.")


def _idempotency_key() -> str | None:
    key = request.headers.get("Idempotency-Key") or None
    if key is not None and (len(key) > MAX_IDEMPOTENCY_KEY or not key.isprintable()):
        raise BadRequestError(f"Idempotency-Key phải là chuỗi in được, tối đa {MAX_IDEMPOTENCY_KEY} ký tự.",
                              errors=[{"field": "Idempotency-Key",
                                       "detail": f"Tối đa {MAX_IDEMPOTENCY_KEY} ký tự in được."}])
    return key


def _links(batch_id: str) -> dict[str, str]:
    return {"self": url_for("batches.get_batch", batch_id=batch_id),
            "package": url_for("batches.batch_package", batch_id=batch_id),
            "retry": url_for("batches.retry_batch", batch_id=batch_id)}


def _dispatch(documents: list[db.Document]) -> None:
    from workers.tasks import dispatch

    dispatch(documents, current_app.config["BATCH_CHUNK_SIZE"])


def lost_documents(batch: db.Batch) -> list[db.Document]:
    """The batch's documents whose message is gone from Redis (asks Redis only if any is pending)."""
    docs = batches.documents(batch)
    if not any(d.status in (db.QUEUED, db.RUNNING) for d in docs):
        return []
    return batches.lost(docs, queue.in_flight(), current_app.config["LOST_AFTER_SECONDS"])


def batch_body(batch: db.Batch) -> dict[str, Any]:
    """The batch as the API shows it, lost documents included."""
    return batches.batch_json(batch, job_json, _links(batch.id), lost_documents(batch))


def load_batch(session: Any, batch_id: str) -> db.Batch:
    """The batch *batch_id*, if it exists and the caller may see it; else NotFoundError."""
    batch = batches.load(session, batch_id)
    if not auth.caller().sees(batch.organisation_id):
        raise NotFoundError(f"Không có lô tài liệu mã {batch_id}.")
    return batch


def submit(session: Any, review: DangBoReview, key: str | None) -> tuple[db.Batch, bool]:
    """Submit a đảng bộ as the caller (a đảng ủy office or an admin), with its audit line."""
    auth.require_role("dang_uy", "admin")
    batch, created = batches.submit_batch(review, session=session, storage=get_storage(),
                                          idempotency_key=key, **auth.ownership(session))
    if created:
        auth.audit(session, "generate", "batch", batch.id, batch.organisation_id,
                   f"{batch.title}: {len(batches.documents(batch))} tài liệu")
    return batch, created


def retry(session: Any, batch_id: str) -> list[db.Document]:
    """Put the batch's failed and lost documents back to queued (the caller dispatches them)."""
    load_batch(session, batch_id)
    return batches.retry_failed(session, batch_id, in_flight=queue.in_flight(),
                                lost_after=current_app.config["LOST_AFTER_SECONDS"])


@bp.post("/batches")
def create_batch() -> tuple[dict[str, Any], int, dict[str, str]]:
    """Validate the whole đảng bộ, create a job per chi bộ and the summary, queue every document."""
    key = _idempotency_key()
    review = _review_from_request()
    with db.session_scope() as session:
        batch, created = submit(session, review, key)
        body = batch_body(batch)
        documents = batches.documents(batch) if created else []
    # only after the commit: a worker must find the rows it is given
    _dispatch(documents)
    return body, 202 if created else 200, {"Location": body["links"]["self"]}


@bp.get("/batches/<batch_id>")
def get_batch(batch_id: str) -> dict[str, Any]:
    """Progress (done/total, failures with their reason) and every job's documents."""
    with db.session_scope() as session:
        return batch_body(load_batch(session, batch_id))


@bp.post("/batches/<batch_id>/retry")
def retry_batch(batch_id: str) -> tuple[dict[str, Any], int]:
    """Queue again only the documents that failed or were lost."""
    with db.session_scope() as session:
        documents = retry(session, batch_id)
    _dispatch(documents)
    return {"retried": len(documents)}, 202


@bp.get("/batches/<batch_id>/package.zip")
def batch_package(batch_id: str) -> Response:
    """One ZIP of the whole batch: the summary and a folder per chi bộ."""
    with db.session_scope() as session:
        batch = load_batch(session, batch_id)
        auth.audit(session, "download", "batch", batch.id, batch.organisation_id, "ZIP toàn bộ")
        if batch.jobs and db.derived_status({j.status for j in batch.jobs}) in (db.QUEUED, db.RUNNING):
            raise NotReadyError("Lô tài liệu chưa hoàn tất.")
        title, job_ids = batch.title, [job.id for job in batch.jobs]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for job_id in job_ids:
            job_title, documents, failed = packed(job_id)
            inner = zipfile.ZipFile(io.BytesIO(package.zip_package(documents, job_title, failed)))
            for name in inner.namelist():
                archive.writestr(name, inner.read(name))
    return send(out.getvalue(), "zip", f"{package.package_name(title)}-toan-bo.zip")


@bp.delete("/batches/<batch_id>")
def delete_batch(batch_id: str) -> tuple[str, int]:
    """Delete a whole batch: every job, document and file of it."""
    with db.session_scope() as session:
        batch = load_batch(session, batch_id)
        organisation_id = batch.organisation_id
        count = retention.delete_batch(session, get_storage(), batch)
        auth.audit(session, "delete", "batch", batch_id, organisation_id, f"{count} tài liệu")
    return "", 204


@bp.get("/workbook")
def workbook() -> Response:
    """The blank workbook to fill in, with an example row and instructions."""
    return send_file(io.BytesIO(blank_workbook()), mimetype=XLSX, as_attachment=True,
                     download_name="mau-danh-gia-xep-loai.xlsx")
