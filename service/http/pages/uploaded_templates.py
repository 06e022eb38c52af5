"""The đảng ủy's page of its own templates (Vietnamese): upload, problems, preview, activate.

``/mau-van-ban`` lists the versions of each document type with their state; an upload is
checked at once and, refused, shows every problem beside the form; ``/mau-van-ban/<type>``
is the variable catalogue an office clerk marks her form up with. The page calls the same
use cases as ``/api/v1/templates`` (``custom_templates``).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for

from service.documents import DOCUMENT_TYPES
from service.errors import InvalidTemplateError, ServiceError
from service.http import auth
from service.http.actions import templates as custom_templates

bp = Blueprint("template_pages", __name__, template_folder="templates")
_ORDER = list(DOCUMENT_TYPES)


def _page(status: int = 200, **extra: Any) -> tuple[str, int]:
    found = auth.caller()
    items = custom_templates.list_templates()
    by_type: dict[str, list[dict[str, Any]]] = {}
    for item in items:
        by_type.setdefault(item["type"], []).append(item)
    waiting = any(item["preview"]["status"] == "queued" for item in items)
    return render_template("templates.html", types=DOCUMENT_TYPES, order=_ORDER, by_type=by_type,
                           waiting=waiting, admin=found.role == "admin",
                           chosen=request.form.get("type", request.args.get("type", "bien_ban_kiem_diem")),
                           **{"problems": [], "warnings": [], **extra}), status


@bp.get("/mau-van-ban")
def index() -> tuple[str, int]:
    """The versions of every document type, the upload form."""
    return _page()


@bp.post("/mau-van-ban")
def upload() -> Any:
    """Check an uploaded DOCX; refused, the page again with every problem."""
    file = request.files.get("file")
    doc_type = request.form.get("type", "")
    if file is None or not file.filename:
        return _page(400, problems=["Chọn tệp .docx của mẫu."])
    try:
        body, created = custom_templates.upload_template(file.read(), file.filename, doc_type,
                                                         request.form.get("organisation_id") or None)
    except InvalidTemplateError as exc:
        return _page(422, problems=[e["detail"] for e in exc.extra.get("errors", [])],
                     warnings=exc.extra.get("warnings", []), refused=file.filename)
    flash(f"Đã nhận mẫu “{body['filename']}” (phiên bản {body['version']}). Hãy xem trước rồi bấm "
          "“Dùng mẫu này”." if created else
          f"Mẫu này đã có (phiên bản {body['version']}), không lưu thêm bản nào.")
    for warning in body["warnings"]:
        flash(f"Lưu ý: {warning}")
    return redirect(url_for("template_pages.index", type=doc_type) + f"#v-{body['id']}")


@bp.post("/mau-van-ban/<version_id>/<action>")
def act(version_id: str, action: str) -> Any:
    """Preview, activate or stop using a version, then back to the list."""
    try:
        if action == "xem-truoc":
            custom_templates.request_preview(version_id, request.form.get("job_id") or None)
            flash("Đang tạo bản xem trước; trang sẽ tự tải lại.")
        elif action == "dung":
            body = custom_templates.set_active(version_id, True)
            flash(f"Từ nay {body['title'].lower()} được làm bằng mẫu phiên bản {body['version']}.")
        elif action == "thoi-dung":
            custom_templates.set_active(version_id, False)
            flash("Đã thôi dùng mẫu này; văn bản sẽ làm bằng mẫu có sẵn.")
        else:
            flash("Không có thao tác này.")
    except ServiceError as exc:
        if exc.status == 404:
            raise
        flash(exc.detail)
    return redirect(url_for("template_pages.index") + f"#v-{version_id}")


@bp.get("/mau-van-ban/loai/<doc_type>")
def catalogue(doc_type: str) -> str:
    """The variables of one document type, with their meaning and an example."""
    return render_template("template_variables.html", catalogue=custom_templates.catalogue(doc_type))
