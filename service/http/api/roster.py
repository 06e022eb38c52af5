"""``/api/v1/roster``: a chi bộ's members on record — read, replace whole, import from a file."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, request

from service.errors import BadRequestError, UnsupportedMediaTypeError
from service.http.actions import roster as rosters
from service.http.params import flag, text_arg

bp = Blueprint("roster", __name__, url_prefix="/api/v1")


@bp.get("/roster")
def get_roster() -> dict[str, Any]:
    """The roster of the caller's chi bộ (a đảng ủy office: ``?organisation=<id>``)."""
    return rosters.roster_body(text_arg("organisation"))


@bp.put("/roster")
def put_roster() -> dict[str, Any]:
    """Replace the roster with ``{"members": [...]}`` (members with an ``id`` keep it)."""
    if not request.is_json:
        raise UnsupportedMediaTypeError("Kiểu nội dung không được hỗ trợ; hãy gửi application/json.")
    data = request.get_json(silent=True)
    if data is None:
        raise BadRequestError("Nội dung gửi lên không phải JSON hợp lệ.")
    return rosters.save_roster(text_arg("organisation"), data)


@bp.post("/roster/import")
def import_roster() -> dict[str, Any]:
    """A member list (.xlsx, .xls, .csv; multipart field ``file``): ``?dry_run=1`` previews, else saves."""
    dry_run = flag("dry_run")
    if request.mimetype != "multipart/form-data":
        raise UnsupportedMediaTypeError("Gửi tệp dạng multipart/form-data, trường \"file\".")
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise BadRequestError("Thiếu tệp: trường \"file\" (.xlsx, .xls, .csv).",
                              errors=[{"field": "file", "detail": "Chọn tệp danh sách đảng viên."}])
    return rosters.import_roster(text_arg("organisation"), upload.read(), upload.filename, dry_run=dry_run)
