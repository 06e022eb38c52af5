"""Corrections and drafts, as the caller: correct a meeting, build a document again, save a draft.

``correct_job`` validates the corrected data like a new meeting, keeps the revision it
replaces (``jobs.revisions``) and queues the new documents under the same id and address; a
chi bộ's job of a batch takes the batch's summary along. ``save_draft`` keeps unfinished data
(shape only), ``generate`` validates it fully and builds it. Each writes its audit line.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from flask import current_app

from service import accounts, database, isolation
from service.customtemplates.inspection import Limits, inspect_edited
from service.errors import (
    ConflictError,
    FieldProblem,
    ForbiddenError,
    InvalidDocumentFileError,
    InvalidMeetingError,
    NotFoundError,
)
from service.extensions import get_storage, session_scope
from service.http import auth, policy, presenters
from service.http.actions import seasons as season_actions
from service.http.actions import selfreviews
from service.http.actions.access import calendar, dispatch, load_job, lost
from service.jobs import drafts, models, revisions
from service.meetings.schemas import AnnualReview, DangBoReview
from service.meetings.validation import parse_meeting


def _may_submit(kind: Any) -> None:
    if isinstance(kind, str) and not accounts.may_submit(auth.caller().role, kind):
        raise ForbiddenError("Vai trò của bạn không được làm việc này.")


def _owner(session: Any, job: models.Job, requested: str | None) -> str | None:
    """The job's organisation after a save: the one the data names (if allowed), else unchanged."""
    if requested is None:
        return job.organisation_id
    found = auth.caller()
    return accounts.resolve_owner(session, found.role, found.organisation_id, requested)


def job_input(job_id: str) -> dict[str, Any]:
    """The meeting data as last submitted, corrected or saved as a draft (to prefill the form)."""
    with session_scope() as session:
        key = load_job(session, job_id).input_key
    return dict(json.loads(get_storage().get(key)))


def _not_building(job: models.Job) -> None:
    waiting = revisions.pending(job)
    if waiting and len(lost(waiting)) < len(waiting):
        raise ConflictError("Tài liệu của việc này đang được tạo; hãy chờ xong rồi sửa.",
                            job_status=job.status)


def _titles(documents: list[models.Document]) -> str:
    return "; ".join(d.title for d in documents[:5]) + (f" và {len(documents) - 5} văn bản khác"
                                                        if len(documents) > 5 else "")


def _signed_confirmed(documents: list[models.Document], confirmed: bool, action: str) -> None:
    """409 naming the signed documents, and those made of a DOCX edited in Word, among
    *documents*, unless the caller *confirmed*."""
    signed = [d for d in documents if revisions.has_signed_copy(d)]
    edited = [d for d in documents if revisions.edited(d) and d not in signed]
    if edited and not confirmed:
        detail = (f"Có {len(edited)} văn bản là bản Word đã chỉnh sửa ngoài hệ thống: {_titles(edited)}. "
                  f"{action} thì văn bản được tạo lại từ dữ liệu, thay bản đã chỉnh sửa (bản đó vẫn được "
                  "giữ cùng lần trước). Hãy xác nhận để tiếp tục.")
        raise ConflictError(detail, edited_documents=[d.name for d in edited],
                            signed_documents=[d.name for d in signed],
                            errors=[{"field": "confirm_signed",
                                     "detail": "Cần xác nhận thay bản Word đã chỉnh sửa."}])
    if signed and not confirmed:
        detail = (f"Có {len(signed)} văn bản đã ký: {_titles(signed)}. {action} thì văn bản được tạo "
                  "thành bản sửa mới, chưa ký, cần ký lại; bản đã ký vẫn được giữ cùng lần trước. "
                  "Hãy xác nhận để tiếp tục.")
        raise ConflictError(detail, signed_documents=[d.name for d in signed],
                            errors=[{"field": "confirm_signed",
                                     "detail": "Cần xác nhận tạo lại văn bản đã ký."}])


def correct_job(job_id: str, data: Any, *, confirm_signed: bool = False) -> dict[str, Any]:
    """Replace a job's meeting by corrected *data*: the next revision, documents rebuilt; its JSON.

    Validated like a new meeting (InvalidMeetingError names every failing field); the kind
    stays the job's. A chi bộ's job of a batch rebuilds the batch's summary too.
    """
    storage = get_storage()
    with session_scope() as session:
        job = load_job(session, job_id)
        if job.is_draft:
            raise ConflictError("Đây là bản nháp: lưu nháp (PUT ?draft=1) hoặc tạo tài liệu (generate).")
        refused = policy.edit_refusal(job.kind, job.batch_id is not None)
        if refused is not None:
            raise ConflictError(refused)
        if isinstance(data, dict):
            data = {"kind": job.kind, **data}
            if data["kind"] != job.kind:
                raise InvalidMeetingError([FieldProblem("kind", f"Khi sửa không đổi được loại hội nghị "
                                                        f"(việc này là {job.kind}).")])
        _may_submit(job.kind)
        meeting = parse_meeting(data, calendar())
        _not_building(job)
        _signed_confirmed(list(job.documents), confirm_signed, "Sửa hội nghị")
        owner = _owner(session, job, None if isinstance(meeting, DangBoReview) else meeting.organisation_id)
        batch = job.batch
        if batch is not None and owner != job.organisation_id and owner != batch.organisation_id and any(
                other.organisation_id == owner for other in batch.jobs if other is not job):
            raise InvalidMeetingError([FieldProblem("organisation_id", "Một chi bộ khác của lô đã gắn với "
                                                    "tổ chức này; mỗi chi bộ một tổ chức.")])
        job.organisation_id = owner
        review = None
        if batch is not None:
            assert isinstance(meeting, AnnualReview)
            _not_building(batch.jobs[0])
            review = revisions.summary_with(batch, job, meeting, storage)
        changes = revisions.revise(job, meeting, storage=storage, changed_by=auth.caller().id)
        auth.audit(session, "correct", "job", job.id, job.organisation_id,
                   f"{job.title}, lần sửa {job.revision - 1}: {revisions.describe_changes(changes)}")
        documents = list(job.documents)
        if batch is not None and review is not None:
            revisions.revise_summary(batch, review, storage=storage, changed_by=auth.caller().id)
            auth.audit(session, "correct", "batch", batch.id, batch.organisation_id,
                       f"{job.title} được sửa; biểu tổng hợp tạo lại (lần sửa {batch.revision - 1})")
            documents += batch.jobs[0].documents
        session.flush()
        body = presenters.job_json(job)
    dispatch(documents)
    season_actions.after_review_changed(job_id)
    return body


def rebuild_document(job_id: str, name: str, *, confirm_signed: bool = False) -> dict[str, Any]:
    """Build the document *name* again from the job's current data ("Tạo lại"); the job's JSON.

    A document with a signed copy is asked about first (409 unless *confirm_signed*) and is
    built as the job's next revision, its signed copy kept with the revision it signs.
    """
    with session_scope() as session:
        job = load_job(session, job_id)
        if job.is_draft:
            raise ConflictError("Đây là bản nháp: chưa có tài liệu nào để tạo lại.")
        current = next((d for d in job.documents if d.name == name), None)
        if current is None:
            raise NotFoundError(f"Công việc này không có tài liệu {name}.")
        _signed_confirmed([current], confirm_signed, "Tạo lại")
        if revisions.has_signed_copy(current) or revisions.edited(current):
            document = revisions.rebuild_as_revision(job, name, changed_by=auth.caller().id)
            session.flush()
            detail = (f"{job.title}: {name} tạo lại thành lần {job.revision}; bản đã ký hoặc bản Word "
                      f"đã chỉnh sửa giữ ở lần {job.revision - 1}")
        else:
            document = revisions.rebuild(job, name, get_storage())
            detail = f"{job.title}: {name}"
        auth.audit(session, "rebuild", "document", document.id, job.organisation_id, detail)
        body = presenters.job_json(job)
    dispatch([document])
    return body


def save_draft(data: Any, job_id: str | None = None) -> dict[str, Any]:
    """Keep *data* unfinished, checked for shape only: a new draft, or over the draft *job_id*."""
    _may_submit(data.get("kind", "annual_review") if isinstance(data, dict) else None)
    requested = data.get("organisation_id") if isinstance(data, dict) else None
    requested = requested if isinstance(requested, str) and requested else None
    with session_scope() as session:
        job = load_job(session, job_id) if job_id is not None else None
        if job is not None and not job.is_draft:
            raise ConflictError("Việc này đã được tạo tài liệu, không còn là bản nháp: hãy sửa hội nghị "
                                "(PUT không có draft=1).")
        found = auth.caller()
        owner = (_owner(session, job, requested) if job is not None
                 else accounts.resolve_owner(session, found.role, found.organisation_id, requested))
        saved = drafts.save(job, data, storage=get_storage(), max_bytes=current_app.config["DRAFT_MAX_BYTES"],
                            organisation_id=owner, created_by=found.id)
        session.add(saved)
        session.flush()
        auth.audit(session, "draft", "job", saved.id, saved.organisation_id, saved.title)
        return presenters.job_json(saved)


def generate(job_id: str) -> dict[str, Any]:
    """Validate a draft fully and build it ("Tạo tài liệu"); the job's JSON, documents queued."""
    storage = get_storage()
    with session_scope() as session:
        job = load_job(session, job_id)
        if not job.is_draft:
            raise ConflictError("Việc này đã được tạo tài liệu; muốn đổi số liệu, hãy sửa hội nghị.")
        _may_submit(job.kind)
        if job.kind == "annual_review":
            selfreviews.merge_accepted(session, job, storage)  # the members' own words, as accepted
        meeting = drafts.generate(job, storage=storage)
        if job.kind == "annual_review":
            job.warnings_json = json.dumps([*job.warnings, *selfreviews.missing_warnings(session, job)],
                                           ensure_ascii=False)
        if not isinstance(meeting, DangBoReview):
            job.organisation_id = _owner(session, job, meeting.organisation_id)
        session.flush()
        auth.audit(session, "generate", "job", job.id, job.organisation_id,
                   f"{job.title}: {len(job.documents)} tài liệu")
        body = presenters.job_json(job)
        documents = list(job.documents)
    dispatch(documents)
    season_actions.after_review_changed(job_id)
    return body


def use_edited_docx(job_id: str, name: str, data: bytes, filename: str, *,
                    confirm_signed: bool = False) -> dict[str, Any]:
    """The DOCX the secretary finished in Word as the document *name*'s next revision; the job.

    Checked first in a bounded child process (a real DOCX within ``EDITED_DOCX_MAX_BYTES`` and
    the ``TEMPLATE_MAX_*`` limits, no macros, nothing embedded or outside, only allowed field
    codes); then kept under the new revision and converted to PDF/A by the worker, its
    provenance saying it was edited outside the service. A signed document asks first (409).
    """
    config = current_app.config
    limits = Limits(int(config["EDITED_DOCX_MAX_BYTES"]), int(config["TEMPLATE_MAX_UNPACKED"]),
                    int(config["TEMPLATE_MAX_ENTRIES"]), int(config["TEMPLATE_MAX_PART"]))
    with session_scope() as session:
        load_job(session, job_id)  # hers, before anything of the file is read
    report = (inspect_edited(data, limits) if len(data) > limits.max_bytes  # too big: refused unread
              else isolation.run(inspect_edited, data, limits, bounds=isolation.bounds_of(config),
                                 what="tệp Word"))
    if not report.ok:
        raise InvalidDocumentFileError(
            "Tệp Word không dùng được: " + "; ".join(p.rstrip(".") for p in report.problems[:3]) + ".",
            errors=[FieldProblem("file", p).as_dict() for p in report.problems])
    with session_scope() as session:
        job = load_job(session, job_id)
        if job.is_draft:
            raise ConflictError("Đây là bản nháp: hãy tạo tài liệu trước, rồi mới tải bản Word đã sửa lên.")
        current = next((d for d in job.documents if d.name == name), None)
        if current is None:
            raise NotFoundError(f"Công việc này không có tài liệu {name}.")
        _may_submit(job.kind)
        _not_building(job)
        if revisions.has_signed_copy(current):  # another Word file over her own: no need to ask
            _signed_confirmed([current], confirm_signed, "Thay bằng bản Word đã sửa")
        upload = {"sha256": report.sha256, "filename": Path(filename or "").name[:200],
                  "size": len(data), "by": auth.caller().id, "at": database.now().isoformat() + "Z"}
        document = revisions.use_edited(job, name, data, upload, storage=get_storage(),
                                        changed_by=auth.caller().id)
        session.flush()
        auth.audit(session, "edited-docx", "document", document.id, job.organisation_id,
                   f"{job.title}: {current.title} thay bằng bản Word chỉnh sửa ngoài hệ thống "
                   f"({upload['filename'] or 'không tên'}), lần {job.revision}")
        body = presenters.job_json(job)
    dispatch([document])
    return body
