"""The JSON API of uploaded templates under ``/api/v1/templates``, and the variable catalogue."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, request

from service.documents import DOCUMENT_TYPES
from service.errors import BadRequestError, UnsupportedMediaTypeError
from service.http import auth
from service.http.actions import templates as custom_templates
from service.http.files import first_page_png, send
from service.http.params import text_arg

bp = Blueprint("templates", __name__, url_prefix="/api/v1")


@bp.get("/templates")
def list_templates() -> dict[str, Any]:
    """Every version of the organisations the caller sees (``?type=`` one document type)."""
    doc_type = request.args.get("type")
    if doc_type is not None and doc_type not in DOCUMENT_TYPES:
        raise BadRequestError(f"Không có loại văn bản {doc_type!r}.",
                              errors=[{"field": "type", "detail": "Loại văn bản không có."}])
    return {"templates": custom_templates.list_templates(text_arg("type"))}


@bp.post("/templates")
def upload_template() -> tuple[dict[str, Any], int, dict[str, str]]:
    """Upload a DOCX (multipart: ``file``, ``type``, optional ``organisation_id``): checked, kept."""
    if not request.mimetype.startswith("multipart/form-data"):
        raise UnsupportedMediaTypeError("Hãy gửi multipart/form-data với trường file và type.")
    upload = request.files.get("file")
    doc_type = request.form.get("type", "").strip()
    missing = [{"field": name, "detail": "Thiếu trường này."}
               for name, value in (("file", upload), ("type", doc_type)) if not value]
    if missing or upload is None:
        raise BadRequestError("Thiếu tệp mẫu (file) hoặc loại văn bản (type).", errors=missing)
    body, created = custom_templates.upload_template(
        upload.read(), upload.filename or "", doc_type, request.form.get("organisation_id") or None)
    return body, 201 if created else 200, {"Location": body["links"]["self"]}


@bp.get("/templates/<version_id>")
def get_template(version_id: str) -> dict[str, Any]:
    """One version: its check's warnings, its state, its preview."""
    return custom_templates.get_template(version_id)


@bp.get("/templates/<version_id>/file.docx")
def download_template(version_id: str) -> Response:
    """The uploaded DOCX."""
    data, filename = custom_templates.template_file(version_id)
    return send(data, "docx", filename)


@bp.post("/templates/<version_id>/activate")
def activate_template(version_id: str) -> dict[str, Any]:
    """Make this version the one the organisation's documents of its type are made with."""
    return custom_templates.set_active(version_id, True)


@bp.post("/templates/<version_id>/deactivate")
def deactivate_template(version_id: str) -> dict[str, Any]:
    """Stop using this version (back to the đảng bộ's or the built-in template)."""
    return custom_templates.set_active(version_id, False)


@bp.post("/templates/<version_id>/preview")
def preview_template(version_id: str) -> tuple[dict[str, Any], int, dict[str, str]]:
    """Queue a preview: a sample meeting (or ``?job_id=`` the caller's job) filled in, to PDF."""
    body = custom_templates.request_preview(version_id, text_arg("job_id"))
    return body, 202, {"Location": body["links"]["self"]}


@bp.get("/templates/<version_id>/preview.pdf")
def preview_pdf(version_id: str) -> Response:
    """The preview as PDF."""
    return send(custom_templates.preview_file(version_id), "pdf", f"xem-truoc-{version_id}.pdf")


@bp.get("/templates/<version_id>/preview.png")
def preview_png(version_id: str) -> Response:
    """The preview's first page as a picture."""
    pdf = custom_templates.preview_file(version_id)
    return Response(first_page_png(pdf, dpi=60), mimetype="image/png")


@bp.get("/document-types/<doc_type>/variables")
@auth.public
def variables(doc_type: str) -> dict[str, Any]:
    """The variables a template of this type may use: meaning, example, lists to loop over."""
    return custom_templates.catalogue(doc_type)


@bp.get("/document-types/<doc_type>/template.docx")
@auth.public
def builtin_template(doc_type: str) -> Response:
    """The built-in template of this type, to start from."""
    data, filename = custom_templates.builtin_template(doc_type)
    return send(data, "docx", filename)
