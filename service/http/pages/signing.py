"""The web pages of signing: a document's "Ký số" page (the signing link, upload of a copy
signed elsewhere, a scanned hand-signed copy) and "Kiểm tra tài liệu" (verify a PDF)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for

from service.errors import ServiceError
from service.http.actions import jobs as actions
from service.http.actions import signatures

bp = Blueprint("signing_pages", __name__, template_folder="templates")


def _file() -> bytes:
    upload = request.files.get("file")
    return upload.read() if upload is not None else b""


@bp.get("/viec/<job_id>/ky-so/<name>")
def sign_page(job_id: str, name: str) -> str:
    """One document's signing: the link for the signing tool, and the uploads."""
    job = actions.job_body(job_id)
    document = next((d for d in job["documents"] if d["name"] == name), None)
    link = signatures.signing_link(job_id, name)
    return render_template("sign.html", job=job, d=document, link=link)


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
