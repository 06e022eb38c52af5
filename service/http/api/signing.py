"""Signed copies in the API: send a signed PDF or a scan back, fetch them, get a signing link,
verify any PDF; and the short-lived link a signing tool (VGCA Sign Service) fetches and posts to."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, request

from service.errors import BadRequestError
from service.http import auth
from service.http.actions import signatures
from service.http.files import send, send_stored

bp = Blueprint("signing", __name__)


def uploaded() -> bytes:
    """The file of the request: the multipart field ``file``, or the whole body (``application/pdf``)."""
    upload = request.files.get("file")
    if upload is not None:
        return bytes(upload.read())
    if request.mimetype in ("application/pdf", "application/octet-stream", "image/jpeg", "image/png"):
        return request.get_data()
    raise BadRequestError("Hãy gửi tệp trong trường file (multipart/form-data) hoặc thân application/pdf.",
                          errors=[{"field": "file", "detail": "Thiếu tệp."}])


@bp.post("/api/v1/jobs/<job_id>/documents/<name>/signed")
def post_signed(job_id: str, name: str) -> tuple[dict[str, Any], int]:
    """Take a digitally signed copy of the document (checked with pyHanko); the job."""
    return signatures.take_signed(job_id, name, uploaded()), 201


@bp.get("/api/v1/jobs/<job_id>/documents/<name>/signed.pdf")
def get_signed(job_id: str, name: str) -> Response:
    """The signed copy of the document, as it was sent back."""
    key, _ = signatures.stored_copy(job_id, name, "signed")
    return send_stored(key, "pdf", f"{name}-da-ky.pdf")


@bp.post("/api/v1/jobs/<job_id>/documents/<name>/scan")
def post_scan(job_id: str, name: str) -> tuple[dict[str, Any], int]:
    """Attach a scanned hand-signed copy ("bản ký tay": PDF, JPEG or PNG); the job."""
    return signatures.take_scan(job_id, name, uploaded()), 201


@bp.get("/api/v1/jobs/<job_id>/documents/<name>/scan")
def get_scan(job_id: str, name: str) -> Response:
    """The scanned hand-signed copy, as it was sent."""
    key, content_type = signatures.stored_copy(job_id, name, "scan")
    extension = key.rsplit(".", 1)[-1]
    response = send_stored(key, extension, f"{name}-ban-ky-tay.{extension}")
    response.mimetype = content_type
    return response


@bp.post("/api/v1/jobs/<job_id>/documents/<name>/signing-link")
def post_signing_link(job_id: str, name: str) -> tuple[dict[str, Any], int]:
    """A short-lived link for one document: its PDF to fetch, the address to post it signed to."""
    return signatures.signing_link(job_id, name), 201


@bp.post("/api/v1/verify")
def post_verify() -> dict[str, Any]:
    """Which job and document a PDF is, whether it was altered, whether it is signed."""
    return signatures.verify(uploaded())


@bp.get("/ky-so/<token>/tai-lieu.pdf")
@auth.public
def link_pdf(token: str) -> Response:
    """The PDF a signing link is for (no login: the token is the permission)."""
    return send(signatures.link_pdf(token), "pdf", "tai-lieu.pdf")


@bp.post("/ky-so/<token>")
@auth.public
def link_upload(token: str) -> tuple[dict[str, Any], int]:
    """The signed copy posted by a signing tool to a signing link (no login, no session)."""
    return signatures.link_upload(token, uploaded()), 201
