"""Uploading, listing, activating and choosing template versions (plain functions).

Which template makes a document of an organisation (``choose``): a chi bộ's own active
version when ``CHI_BO_OWN_TEMPLATES`` allows it, else its đảng bộ's active version, else the
built-in. A đảng bộ's own documents (its summary) take its own. Only the organisation's own
chain is ever looked at, so a chi bộ of one đảng bộ never gets another's template.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from service import accounts, isolation
from service.customtemplates.inspection import Limits, Report, inspect
from service.customtemplates.models import PREVIEW_DONE, TemplateVersion
from service.database import new_id, now
from service.documents import DOCUMENT_TYPES
from service.documents.rendering import TemplateSource
from service.errors import (
    ConflictError,
    FieldProblem,
    InvalidTemplateError,
    NotFoundError,
    UnknownDocumentTypeError,
)
from service.storage import Storage

MAX_FILENAME = 200


@dataclass(frozen=True)
class Uploaded:
    """The outcome of an upload: the version (new or the same bytes uploaded before) and its check."""

    version: TemplateVersion
    report: Report
    created: bool


def check_type(doc_type: str) -> None:
    """UnknownDocumentTypeError unless *doc_type* is a document type."""
    if doc_type not in DOCUMENT_TYPES:
        raise UnknownDocumentTypeError(
            f"Không có loại văn bản {doc_type}; chọn trong: {', '.join(DOCUMENT_TYPES)}.",
            errors=[{"field": "type", "detail": f"Không có loại văn bản {doc_type}."}])


def refusal(report: Report) -> InvalidTemplateError:
    """The error that refuses a template, naming every problem (and the warnings)."""
    detail = "; ".join(p.rstrip(".") for p in report.problems[:3])
    if len(report.problems) > 3:
        detail += f"; và {len(report.problems) - 3} lỗi khác"
    return InvalidTemplateError(f"Mẫu không dùng được: {detail}.",
                                errors=[FieldProblem("file", p).as_dict() for p in report.problems],
                                warnings=report.warnings)


def upload(session: Session, storage: Storage, *, organisation: accounts.Organisation, doc_type: str,
           data: bytes, filename: str, limits: Limits, user: accounts.Actor | None,
           bounds: isolation.Bounds | None = None) -> Uploaded:
    """Check *data* and keep it as a version of *organisation*'s *doc_type* (not yet active).

    The check runs in a child process within *bounds* (``service.isolation``; None: in this
    process, for the command line). Raises InvalidTemplateError with every problem when the
    check refuses it (BoundsExceededError when it takes too long or too much memory). The same
    bytes uploaded again are the version they were (``created`` False).
    """
    check_type(doc_type)
    if len(data) > limits.max_bytes or bounds is None:
        report = inspect(data, doc_type, limits)  # too big is refused unread
    else:
        report = isolation.run(inspect, data, doc_type, limits, bounds=bounds, what="mẫu")
    if not report.ok:
        raise refusal(report)
    existing = session.scalars(select(TemplateVersion).where(
        TemplateVersion.organisation_id == organisation.id, TemplateVersion.doc_type == doc_type,
        TemplateVersion.sha256 == report.sha256)).first()
    if existing is not None:
        return Uploaded(existing, report, False)
    number = 1 + max(session.scalars(select(TemplateVersion.number).where(
        TemplateVersion.organisation_id == organisation.id, TemplateVersion.doc_type == doc_type)),
        default=0)
    version_id = new_id()
    version = TemplateVersion(id=version_id, organisation_id=organisation.id, doc_type=doc_type,
                              number=number, sha256=report.sha256, size=len(data),
                              filename=filename[:MAX_FILENAME], storage_key=f"templates/{version_id}.docx",
                              warnings_json=json.dumps(report.warnings, ensure_ascii=False),
                              uploaded_by=user.id if user else None,
                              uploaded_by_name=user.username if user else "", uploaded_at=now())
    storage.put(version.storage_key, data)
    session.add(version)
    accounts.record(session, user, "template-upload", "template", version.id, organisation.id,
                    f"{doc_type} phiên bản {number}, sha256 {report.sha256}")
    return Uploaded(version, report, True)


def listing(session: Session, visible: frozenset[str] | None,
            doc_type: str | None = None) -> list[TemplateVersion]:
    """The versions of the organisations *visible* (None: all), by organisation, type, newest first."""
    query = select(TemplateVersion)
    if visible is not None:
        query = query.where(TemplateVersion.organisation_id.in_(sorted(visible)))
    if doc_type is not None:
        query = query.where(TemplateVersion.doc_type == doc_type)
    query = query.order_by(TemplateVersion.organisation_id, TemplateVersion.doc_type,
                           TemplateVersion.number.desc())
    return list(session.scalars(query))


def load(session: Session, version_id: str, visible: frozenset[str] | None) -> TemplateVersion:
    """The version *version_id* if the caller sees its organisation; else NotFoundError."""
    version = session.get(TemplateVersion, version_id) if version_id.isalnum() else None
    if version is None or (visible is not None and version.organisation_id not in visible):
        raise NotFoundError(f"Không có mẫu văn bản mã {version_id}.")
    return version


def activate(session: Session, version: TemplateVersion, user: accounts.Actor | None) -> None:
    """Make *version* the one its organisation's documents of its type are made with.

    Only a version whose preview was made (by a worker, with its LibreOffice) may be: one that
    does not fill or convert never reaches a chi bộ's documents. ConflictError otherwise.
    """
    if version.preview_status != PREVIEW_DONE:
        raise ConflictError("Mẫu chưa có bản xem trước thành công: hãy bấm “Xem trước” và kiểm tra "
                            "bản xem trước rồi mới dùng mẫu này.")
    for other in session.scalars(select(TemplateVersion).where(
            TemplateVersion.organisation_id == version.organisation_id,
            TemplateVersion.doc_type == version.doc_type, TemplateVersion.active.is_(True))):
        other.active = False
    session.flush()
    version.active = True
    version.activated_at = now()
    accounts.record(session, user, "template-activate", "template", version.id, version.organisation_id,
                    f"{version.doc_type} phiên bản {version.number}")


def deactivate(session: Session, version: TemplateVersion, user: accounts.Actor | None) -> None:
    """Stop using *version*: its organisation's documents go back to the built-in (or the đảng bộ's)."""
    version.active = False
    accounts.record(session, user, "template-deactivate", "template", version.id,
                    version.organisation_id, f"{version.doc_type} phiên bản {version.number}")


def active_version(session: Session, organisation_id: str, doc_type: str) -> TemplateVersion | None:
    """The active version of *organisation_id* for *doc_type*, if any."""
    return session.scalars(select(TemplateVersion).where(
        TemplateVersion.organisation_id == organisation_id, TemplateVersion.doc_type == doc_type,
        TemplateVersion.active.is_(True))).first()


def choose(session: Session, organisation_id: str | None, doc_type: str, *,
           chi_bo_own: bool) -> TemplateVersion | None:
    """The version that makes *doc_type* for *organisation_id* now (None: the built-in)."""
    if organisation_id is None:
        return None
    organisation = session.get(accounts.Organisation, organisation_id)
    if organisation is None:
        return None
    if organisation.kind == "dang_bo":
        return active_version(session, organisation.id, doc_type)
    if chi_bo_own:
        own = active_version(session, organisation.id, doc_type)
        if own is not None:
            return own
    if organisation.parent_id is None:
        return None
    return active_version(session, organisation.parent_id, doc_type)


_BYTES: dict[str, bytes] = {}  # uploaded templates read from storage, by content hash
_BYTES_LIMIT = 32


def source_of(version: TemplateVersion, storage: Storage) -> TemplateSource:
    """The bytes of *version* as a render source (read from storage once per process)."""
    data = _BYTES.get(version.sha256)
    if data is None:
        data = storage.get(version.storage_key)
        if len(_BYTES) >= _BYTES_LIMIT:
            _BYTES.clear()
        _BYTES[version.sha256] = data
    return TemplateSource(version.sha256, version.id, data)


def chooser(storage: Storage, *, chi_bo_own: bool) -> Callable[[Session, str | None, str],
                                                              TemplateSource | None]:
    """``pipeline.TemplateChooser``: the source that makes a type for an organisation now."""
    def pick(session: Session, organisation_id: str | None, doc_type: str) -> TemplateSource | None:
        version = choose(session, organisation_id, doc_type, chi_bo_own=chi_bo_own)
        return None if version is None else source_of(version, storage)
    return pick
