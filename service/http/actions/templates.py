"""The use cases of uploaded templates, shared by the API and the đảng ủy's page.

Who may do what: a đảng ủy office (or an admin) uploads, activates and previews templates of
its đảng bộ (used by the đảng bộ and every chi bộ under it); a chi bộ secretary only when
``CHI_BO_OWN_TEMPLATES`` allows it, for her chi bộ alone. Anyone sees the versions of the
organisations she sees; another organisation's version answers 404.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, url_for
from sqlalchemy.orm import Session

from service import accounts, isolation
from service.customtemplates import versions
from service.customtemplates.inspection import Limits
from service.customtemplates.models import (
    PREVIEW_DONE,
    PREVIEW_FAILED,
    PREVIEW_NONE,
    PREVIEW_QUEUED,
    TemplateVersion,
)
from service.documents import DOCUMENT_TYPES
from service.documents.catalogue import flat
from service.documents.rendering import TEMPLATE_DIR
from service.errors import BadRequestError, ForbiddenError, NotFoundError, NotReadyError
from service.extensions import get_storage, session_scope
from service.http import auth
from service.http.actions.access import load_job
from service.jobs import queue

PREVIEW_STATES = {PREVIEW_NONE: "chưa xem trước", PREVIEW_QUEUED: "đang tạo bản xem trước",
                  PREVIEW_DONE: "đã có bản xem trước", PREVIEW_FAILED: "xem trước bị lỗi"}


def _limits() -> Limits:
    config = current_app.config
    return Limits(int(config["TEMPLATE_MAX_BYTES"]), int(config["TEMPLATE_MAX_UNPACKED"]),
                  int(config["TEMPLATE_MAX_ENTRIES"]), int(config["TEMPLATE_MAX_PART"]))


def _chi_bo_own() -> bool:
    return bool(current_app.config["CHI_BO_OWN_TEMPLATES"])


def _actor() -> Any:
    """The caller as the audit log's actor (``accounts.Actor``)."""
    return auth.caller()


def _when(moment: Any) -> str | None:
    return moment.isoformat() + "Z" if moment is not None else None


def template_json(version: TemplateVersion, organisation_name: str = "") -> dict[str, Any]:
    """One version as the API shows it."""
    links = {name: url_for(f"templates.{endpoint}", version_id=version.id)
             for name, endpoint in (("self", "get_template"), ("file", "download_template"),
                                    ("activate", "activate_template"),
                                    ("deactivate", "deactivate_template"),
                                    ("preview", "preview_template"))}
    preview: dict[str, Any] = {"status": version.preview_status,
                               "detail": version.preview_detail}
    if version.preview_status == PREVIEW_DONE:
        preview["links"] = {"pdf": url_for("templates.preview_pdf", version_id=version.id),
                            "png": url_for("templates.preview_png", version_id=version.id)}
    return {"id": version.id, "type": version.doc_type, "title": DOCUMENT_TYPES[version.doc_type].title,
            "version": version.number, "sha256": version.sha256, "size": version.size,
            "filename": version.filename, "organisation_id": version.organisation_id,
            "organisation": organisation_name, "active": version.active,
            "uploaded_by": version.uploaded_by_name, "uploaded_at": _when(version.uploaded_at),
            "activated_at": _when(version.activated_at), "warnings": version.warnings,
            "preview": preview, "links": links}


def _name(session: Session, organisation_id: str) -> str:
    found = session.get(accounts.Organisation, organisation_id)
    return found.name if found is not None else ""


def _check_manage(session: Session, organisation_id: str) -> accounts.Organisation:
    """The organisation, if the caller may manage its templates; else 403 (404 if unseen)."""
    found = auth.caller()
    auth.check_visible(organisation_id, "tổ chức này")
    organisation = session.get(accounts.Organisation, organisation_id)
    if organisation is None:
        raise NotFoundError("Không có tổ chức này.")
    if found.role == "admin":
        return organisation
    if organisation.kind == "dang_bo" and found.role == "dang_uy":
        return organisation
    if organisation.kind == "chi_bo" and _chi_bo_own():
        return organisation
    if organisation.kind == "chi_bo":
        raise ForbiddenError("Mẫu văn bản của chi bộ do đảng ủy tải lên cho cả đảng bộ; chi bộ không "
                             "có mẫu riêng (CHI_BO_OWN_TEMPLATES đang tắt).")
    raise ForbiddenError("Vai trò của bạn không được quản lý mẫu văn bản của đảng bộ.")


def list_templates(doc_type: str | None = None) -> list[dict[str, Any]]:
    """The versions of every organisation the caller sees, by organisation and type, newest first."""
    if doc_type is not None:
        versions.check_type(doc_type)
    with session_scope() as session:
        return [template_json(v, _name(session, v.organisation_id))
                for v in versions.listing(session, auth.caller().visible, doc_type)]


def upload_template(data: bytes, filename: str, doc_type: str,
                    organisation_id: str | None) -> tuple[dict[str, Any], bool]:
    """Check and keep an upload as a version (not active); its JSON and whether it is new."""
    found = auth.caller()
    versions.check_type(doc_type)
    target = organisation_id or found.organisation_id
    if target is None:
        raise BadRequestError("Chọn tổ chức của mẫu (organisation_id).",
                              errors=[{"field": "organisation_id", "detail": "Thiếu tổ chức."}])
    with session_scope() as session:
        organisation = _check_manage(session, target)
        uploaded = versions.upload(session, get_storage(), organisation=organisation, doc_type=doc_type,
                                   data=data, filename=filename, limits=_limits(), user=_actor(),
                                   bounds=isolation.bounds_of(current_app.config))
        session.flush()
        return template_json(uploaded.version, organisation.name), uploaded.created


def get_template(version_id: str) -> dict[str, Any]:
    """One version the caller sees."""
    with session_scope() as session:
        version = versions.load(session, version_id, auth.caller().visible)
        return template_json(version, _name(session, version.organisation_id))


def template_file(version_id: str) -> tuple[bytes, str]:
    """The uploaded DOCX of a version and the name to download it as (audited)."""
    with session_scope() as session:
        version = versions.load(session, version_id, auth.caller().visible)
        auth.audit(session, "template-download", "template", version.id, version.organisation_id,
                   f"{version.doc_type} phiên bản {version.number}")
        return get_storage().get(version.storage_key), \
            f"mau-{version.doc_type.replace('_', '-')}-phien-ban-{version.number}.docx"


def set_active(version_id: str, active: bool) -> dict[str, Any]:
    """Activate (or deactivate) a version of an organisation the caller manages."""
    with session_scope() as session:
        version = versions.load(session, version_id, auth.caller().visible)
        organisation = _check_manage(session, version.organisation_id)
        if active:
            versions.activate(session, version, _actor())
        else:
            versions.deactivate(session, version, _actor())
        session.flush()
        return template_json(version, organisation.name)


def request_preview(version_id: str, job_id: str | None) -> dict[str, Any]:
    """Queue a preview of the version: with the caller's job *job_id*, or a bundled sample."""
    with session_scope() as session:
        version = versions.load(session, version_id, auth.caller().visible)
        organisation = _check_manage(session, version.organisation_id)
        input_key = None
        if job_id:
            job = load_job(session, job_id)
            if job.is_draft or job.kind != DOCUMENT_TYPES[version.doc_type].kind:
                raise BadRequestError("Công việc này không có văn bản loại của mẫu để xem trước.",
                                      errors=[{"field": "job_id", "detail": "Không dùng được để xem trước."}])
            input_key = job.input_key
        version.preview_status, version.preview_detail = PREVIEW_QUEUED, None
        session.flush()
        body = template_json(version, organisation.name)
    try:
        queue.preview(version_id, input_key)
    except Exception:  # not queued: said so, not "queued" forever
        with session_scope() as session:
            version = versions.load(session, version_id, None)
            version.preview_status = PREVIEW_FAILED
            version.preview_detail = "Không gửi được yêu cầu xem trước tới máy làm văn bản; hãy thử lại."
        raise
    return body


def preview_file(version_id: str) -> bytes:
    """The preview PDF of a version (the page draws its picture from it)."""
    with session_scope() as session:
        version = versions.load(session, version_id, auth.caller().visible)
        if version.preview_status != PREVIEW_DONE:
            raise NotReadyError(f"Mẫu {PREVIEW_STATES[version.preview_status]}.")
        key = version.preview_pdf_key
    return get_storage().get(key)


def _known(doc_type: str) -> None:
    """NotFoundError for a type in a path that is no document type."""
    if doc_type not in DOCUMENT_TYPES:
        raise NotFoundError(f"Không có loại văn bản {doc_type}.")


def catalogue(doc_type: str) -> dict[str, Any]:
    """The variables of *doc_type*, for marking up a form in Word."""
    _known(doc_type)
    known = DOCUMENT_TYPES[doc_type]
    return {"type": doc_type, "title": known.title,
            "variables": [item.as_json() for item in flat(doc_type)],
            "links": {"template": url_for("templates.builtin_template", doc_type=doc_type)}}


def builtin_template(doc_type: str) -> tuple[bytes, str]:
    """The built-in DOCX of *doc_type*, a starting point to mark up."""
    _known(doc_type)
    return (TEMPLATE_DIR / DOCUMENT_TYPES[doc_type].template).read_bytes(), \
        f"mau-co-san-{doc_type.replace('_', '-')}.docx"
