"""The web pages of signing: a document's "Ký số" page (the signing link, upload of a copy
signed elsewhere, a scanned hand-signed copy), the secretary's own Word file as the document
of record (its next revision, to be signed like any other) and "Kiểm tra tài liệu" (verify a PDF)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)

from service.errors import ServiceError
from service.http.actions import jobs as actions
from service.http.actions import signatures
from service.http.headers import CSP

bp = Blueprint("signing_pages", __name__, template_folder="templates")


def _file() -> bytes:
    upload = request.files.get("file")
    return upload.read() if upload is not None else b""


@bp.get("/viec/<job_id>/ky-so/<name>")
def sign_page(job_id: str, name: str) -> Response:
    """One document's signing: one click for the VGCA Sign Service (app.js talks to it on the
    secretary's computer), a copy signed elsewhere, and a scanned hand-signed copy."""
    job = actions.job_body(job_id)
    document = next((d for d in job["documents"] if d["name"] == name), None)
    link = signatures.signing_link(job_id, name)
    plugin = str(current_app.config["SIGNING_PLUGIN_URL"])
    response = make_response(render_template("sign.html", job=job, d=document, link=link, plugin=plugin,
                                             plugin_page=_origin(plugin).replace("wss://", "https://", 1)))
    # the page's script may reach the signing tool's own address, and nothing else beyond this site
    response.headers["Content-Security-Policy"] = CSP.replace("connect-src 'self'",
                                                              f"connect-src 'self' {_origin(plugin)}")
    return response


def _origin(url: str) -> str:
    """``wss://127.0.0.1:8987`` of ``wss://127.0.0.1:8987/SignApproved``."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _back(job_id: str, name: str, done: str, take: Any) -> Any:
    data = _file()
    try:
        if not data:
            raise ServiceError("Hãy chọn một tệp.")
        take(job_id, name, data)
    except ServiceError as exc:
        flash(f"Không nhận được tệp: {exc.detail}")
    else:
        flash(done)
    return redirect(url_for("signing_pages.sign_page", job_id=job_id, name=name), 303)


@bp.post("/viec/<job_id>/ky-so/<name>")
def sign_upload(job_id: str, name: str) -> Any:
    """A copy signed elsewhere ("Tải bản đã ký"), checked and kept."""
    return _back(job_id, name, "Đã nhận bản ký số.", signatures.take_signed)


@bp.post("/viec/<job_id>/ky-tay/<name>")
def scan_upload(job_id: str, name: str) -> Any:
    """A scanned hand-signed copy ("bản ký tay"), kept as such."""
    return _back(job_id, name, "Đã nhận bản ký tay.", signatures.take_scan)


@bp.post("/viec/<job_id>/ban-word/<name>")
def edited_upload(job_id: str, name: str) -> Any:
    """The DOCX she finished in Word as the document's next revision; a signed one, or one
    already made of her file, asks first; a refused file answers why, with the form again."""
    upload = request.files.get("file")
    data = upload.read() if upload is not None else b""
    confirmed = request.form.get("confirm_signed") == "1"
    try:
        if not data:
            raise ServiceError("Hãy chọn tệp Word (.docx) đã sửa.")
        actions.use_edited_docx(job_id, name, data, (upload.filename if upload else None) or "",
                                confirm_signed=confirmed)
    except ServiceError as exc:
        job = actions.job_body(job_id)
        document = next((d for d in job["documents"] if d["name"] == name), None)
        if document is None:
            raise
        problems = [e["detail"] for e in exc.extra.get("errors", []) if e.get("field") == "file"]
        return render_template("edited_docx.html", job=job, d=document, error=exc.detail,
                               problems=problems, confirm=exc.status == 409), exc.status
    flash("Đã nhận bản Word đã sửa; văn bản đang được chuyển sang PDF.")
    return redirect(url_for("web.job_page", job_id=job_id), 303)


@bp.get("/kiem-tra")
def verify_page() -> str:
    """Verify a PDF: the form."""
    return render_template("verify.html", answer=None, error=None)


@bp.post("/kiem-tra")
def verify_submit() -> tuple[str, int]:
    """Verify a PDF: which job and document, altered or not, signed or not."""
    try:
        return render_template("verify.html", answer=signatures.verify(_file()), error=None), 200
    except ServiceError as exc:
        return render_template("verify.html", answer=None, error=exc.detail), exc.status
