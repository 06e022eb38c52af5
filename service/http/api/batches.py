"""``/api/v1/batches``: a whole đảng bộ from one workbook or JSON, its progress and files.

Also ``/api/v1/organisations``: the ids a đảng ủy names its chi bộ by (``organisation_id``).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, request

from service.documents import package
from service.errors import BadRequestError, UnsupportedMediaTypeError
from service.http import auth
from service.http.actions import intake
from service.http.actions import jobs as actions
from service.http.files import XLSX, send, send_stored
from service.http.params import flag, int_arg, page, text_arg
from service.meetings.schemas import DangBoReview
from service.spreadsheets.workbook import blank_workbook

bp = Blueprint("batches", __name__, url_prefix="/api/v1")
MAX_IDEMPOTENCY_KEY = 200  # the column's width


def _review_from_request() -> DangBoReview:
    if request.is_json:
        data = request.get_json(silent=True)
        if data is None:
            raise BadRequestError("Nội dung gửi lên không phải JSON hợp lệ.")
        return intake.dang_bo(data)
    if request.mimetype == "multipart/form-data":
        upload = request.files.get("file")
        if upload is None:
            raise BadRequestError("Hãy gửi tệp Excel (.xlsx) trong trường \"file\".")
        if not (upload.filename or "").lower().endswith(".xlsx"):
            raise BadRequestError("Chỉ nhận tệp Excel .xlsx (dùng mẫu tải về từ hệ thống).")
        return intake.workbook(upload.read())
    if request.mimetype == XLSX:
        return intake.workbook(request.get_data())
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


@bp.get("/batches")
def list_batches() -> dict[str, Any]:
    """The batches the caller may see, newest first, with each chi bộ's state; ``year``, ``q`` filter."""
    year, q, limit = int_arg("year", 1900, 2100), text_arg("q"), int_arg("limit", 1, 100)
    items, cursor = actions.list_batches(year=year, q=q, after=text_arg("after"), limit=limit or 50)
    return page("batches.list_batches", items, cursor, year=year, q=q, limit=limit)


@bp.get("/organisations")
def list_organisations() -> dict[str, Any]:
    """The caller's organisation and the chi bộ she may give a meeting to, with their ids."""
    return {"items": actions.list_organisations()}


@bp.post("/batches")
def create_batch() -> tuple[dict[str, Any], int, dict[str, str]]:
    """Validate the whole đảng bộ, create a job per chi bộ and the summary, queue every document."""
    key = _idempotency_key()
    review = _review_from_request()
    body, created = actions.submit_batch(review, key, replace_reviews=flag("replace_reviews"))
    return body, 202 if created else 200, {"Location": body["links"]["self"]}


@bp.get("/batches/<batch_id>")
def get_batch(batch_id: str) -> dict[str, Any]:
    """Progress (done/total, failures with their reason) and every job's documents."""
    return actions.batch_body(batch_id)


@bp.post("/batches/<batch_id>/retry")
def retry_batch(batch_id: str) -> tuple[dict[str, Any], int]:
    """Queue again only the documents that failed or were lost."""
    return {"retried": actions.retry_batch(batch_id)}, 202


@bp.get("/batches/<batch_id>/package.zip")
def batch_package(batch_id: str) -> Response:
    """One ZIP of the whole batch: the summary and a folder per chi bộ."""
    key, title = actions.batch_package(batch_id)
    return send_stored(key, "zip", f"{package.package_name(title)}-toan-bo.zip")


@bp.post("/batches/<batch_id>/package")
def retry_batch_package(batch_id: str) -> tuple[dict[str, Any], int]:
    """Build the batch's ZIP again after it failed (``package_status`` ``failed``)."""
    actions.retry_package("batch", batch_id)
    return {"package_status": "building"}, 202


@bp.delete("/batches/<batch_id>")
def delete_batch(batch_id: str) -> tuple[str, int]:
    """Delete a whole batch: every job, document and file of it."""
    actions.delete_batch(batch_id)
    return "", 204


@bp.get("/workbook")
@auth.public
def workbook() -> Response:
    """The blank workbook to fill in, with an example row and instructions."""
    return send(blank_workbook(), "xlsx", "mau-danh-gia-xep-loai.xlsx")
