"""The use cases the API and the pages share: find, list, submit, retry, pack, delete.

Each runs as the request's caller (``auth``), in its own database session, writes its audit
line, and queues documents only after the commit (``jobs.queue.dispatch``: a worker must
find the rows it is given). Corrections and drafts are in ``corrections`` and re-exported
here. Blueprints call these and shape the answer; they never import each other.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from sqlalchemy.exc import IntegrityError

from service import accounts
from service.errors import (
    BadRequestError,
    ConflictError,
    FieldProblem,
    ForbiddenError,
    InvalidMeetingError,
    QueueUnavailableError,
)
from service.extensions import get_storage, session_scope
from service.http import auth, policy, presenters
from service.http.actions import intake
from service.http.actions import seasons as season_actions
from service.http.actions.access import calendar, dispatch, load_batch, load_job, lost, quiet
from service.http.actions.corrections import (
    correct_job,
    generate,
    job_input,
    rebuild_document,
    save_draft,
    use_edited_docx,
)
from service.http.actions.downloads import (
    batch_package,
    document_download,
    document_file,
    job_package,
    job_print,
    package_status,
    retry_package,
    revision_download,
    revision_package,
    thumbnail,
)
from service.jobs import batches, listing, models, packages, pipeline, queue, recovery, retention
from service.meetings.schemas import AnyMeeting, DangBoReview

__all__ = ["batch_assignments", "batch_body", "batch_package", "calendar", "correct_job", "delete_batch",
           "delete_job",
           "dispatch", "document_download", "document_file", "generate", "job_body", "job_input",
           "job_package", "job_print", "latest_monthly_input", "list_batches", "list_jobs",
           "list_organisations", "load_batch", "load_job", "package_status", "rebuild_document",
           "retry_batch", "retry_job", "retry_package", "revision_download", "revision_package",
           "save_draft", "submit_batch", "submit_job", "submit_meeting", "thumbnail", "use_edited_docx"]
KINDS = ("annual_review", "monthly", "dang_bo")


def job_body(job_id: str) -> dict[str, Any]:
    """The job as the API shows it, lost documents included."""
    with session_scope() as session:
        job = load_job(session, job_id)
        return presenters.job_json(job, lost(job.documents))


def _visible() -> frozenset[str] | None:
    return auth.caller().visible


def list_jobs(*, kind: str | None = None, status: str | None = None, year: int | None = None,
              q: str | None = None, after: str | None = None,
              limit: int = 50) -> tuple[list[dict[str, Any]], str | None]:
    """The jobs the caller may see, newest first, filtered; one page and the next page's cursor."""
    if kind is not None and kind not in KINDS:
        raise BadRequestError(f"kind phải là một trong: {', '.join(KINDS)}.",
                              errors=[{"field": "kind", "detail": "Loại hội nghị không có."}])
    if status is not None and status not in listing.STATUSES:
        raise BadRequestError(f"status phải là một trong: {', '.join(listing.STATUSES)}.",
                              errors=[{"field": "status", "detail": "Trạng thái không có."}])
    with session_scope() as session:
        found, cursor = listing.jobs(session, _visible(), kind=kind, status=status, year=year, q=q,
                                     after=after, limit=limit)
        return [presenters.job_summary_json(job) for job in found], cursor


def list_batches(*, year: int | None = None, q: str | None = None, after: str | None = None,
                 limit: int = 50) -> tuple[list[dict[str, Any]], str | None]:
    """The batches the caller may see, newest first, each chi bộ's state; a page and the next cursor."""
    with session_scope() as session:
        found, cursor = listing.batches(session, _visible(), year=year, q=q, after=after, limit=limit)
        states = listing.job_states(session, [batch.id for batch in found])
        return [presenters.batch_summary_json(batch, states[batch.id]) for batch in found], cursor


def list_organisations() -> list[dict[str, Any]]:
    """The caller's own organisation and the chi bộ she may hand a meeting to (their ids)."""
    found = auth.caller()
    with session_scope() as session:
        own = session.get(accounts.Organisation, found.organisation_id) if found.organisation_id else None
        choices = accounts.chi_bo_choices(session, found.role, found.organisation_id)
        rows = ([own] if own is not None else []) + [org for org in choices if org is not own]
        return [{"id": org.id, "name": org.name, "kind": org.kind, "parent_id": org.parent_id}
                for org in rows]


def latest_monthly_input() -> dict[str, Any] | None:
    """The data of the caller's latest monthly meeting (her organisation's first), or None.

    "Last month" for a new monthly minute: the newest monthly job that is not a draft, of the
    caller's own organisation when she has one among those she sees.
    """
    found, _ = list_jobs(kind="monthly", limit=20)
    made = [job for job in found if job["status"] != "draft"]
    own = auth.caller().organisation_id
    chosen = next((job for job in made if job["organisation_id"] == own), made[0] if made else None)
    return job_input(chosen["id"]) if chosen is not None else None


def latest_annual_report() -> tuple[int | None, dict[str, Any]] | None:
    """The Mẫu 01 body of the caller's latest generated annual review that has one, with its year.

    What a new review's report starts from ("last year's text"); her own organisation's first.
    """
    found, _ = list_jobs(kind="annual_review", limit=20)
    made = [job for job in found if job["status"] != "draft"]
    own = auth.caller().organisation_id
    made.sort(key=lambda job: job["organisation_id"] != own)  # hers first, newest first within
    for job in made[:5]:
        data = job_input(job["id"])
        report = data.get("report") if isinstance(data, dict) else None
        if isinstance(report, dict) and any(report.get(k) for k in ("strengths", "shortcomings",
                                                                     "direction")):
            year = data.get("review_year")
            return (year if isinstance(year, int) else None), report
    return None


def submit_job(data: Any, only: list[str] | None = None) -> dict[str, Any]:
    """Validate a meeting, record its job as the caller's, queue its documents; the job's JSON."""
    kind = data.get("kind") if isinstance(data, dict) else None
    if isinstance(kind, str) and not accounts.may_submit(auth.caller().role, kind):
        raise ForbiddenError("Vai trò của bạn không được làm việc này.")
    return submit_meeting(intake.meeting(data), only)


def submit_meeting(meeting: AnyMeeting, only: list[str] | None = None) -> dict[str, Any]:
    """Record a meeting validated already (``intake``) as the caller's job, queue its documents."""
    if not accounts.may_submit(auth.caller().role, meeting.kind):
        raise ForbiddenError("Vai trò của bạn không được làm việc này.")
    with session_scope() as session:
        job = pipeline.accept(meeting, session=session, storage=get_storage(), only=only,
                              **auth.ownership(session))
        session.flush()
        auth.audit(session, "generate", "job", job.id, job.organisation_id,
                   f"{job.title}: {len(job.documents)} tài liệu")
        body = presenters.job_json(job)
        documents = list(job.documents)
    _dispatch_or_undo(documents, lambda session: retention.delete_job(session, get_storage(),
                                                                       load_job(session, job.id)))
    season_actions.after_review_changed(body["id"])
    return body


def _dispatch_or_undo(documents: list[models.Document], undo: Any) -> None:
    """Queue a new submission's documents; if Redis fails meanwhile, *undo* it: nothing is kept."""
    with session_scope() as session:
        ahead = recovery.waiting_ahead(session, documents)
    try:
        queue.dispatch(documents, current_app.config["BATCH_CHUNK_SIZE"], ahead=ahead)
    except QueueUnavailableError as exc:
        with session_scope() as session:
            undo(session)  # a task already sent finds no row and gives up
        raise QueueUnavailableError(f"{queue.DOWN_DETAIL} Không có gì được lưu; hãy gửi lại sau ít "
                                    "phút.") from exc


def batch_body(batch_id: str, *, links: bool = True) -> dict[str, Any]:
    """The batch as the API shows it, lost documents included."""
    with session_scope() as session:
        batch = load_batch(session, batch_id)
        body = presenters.batch_json(batch, lost(batches.documents(batch)), links=links)
        body["package_ready"] = ready = package_ready(batch)
        state = package_status(session, "batch", batch.id, ready) if all(
            packages.finished(job) for job in batch.jobs) else {"status": "waiting", "error": None}
        body["package_status"], body["package_error"] = state["status"], state["error"]
        return body


def package_ready(batch: models.Batch) -> bool:
    """True when the batch's ZIP is built for what its records say now (one small read)."""
    if not all(packages.finished(job) for job in batch.jobs):
        return False
    manifest_key = packages.batch_keys(batch.id)[1]
    return packages.current(get_storage(), manifest_key, packages.batch_fingerprint(batch)) is not None


def batch_assignments(review: DangBoReview) -> list[dict[str, Any]]:
    """For each chi bộ of *review*: the organisation it names, and the one its name suggests.

    For the upload's confirmation step: a suggestion (the caller's one chi bộ whose name
    reads the same, case and diacritics aside) is shown to be confirmed, never applied.
    """
    found = auth.caller()
    with session_scope() as session:
        choices = accounts.chi_bo_choices(session, found.role, found.organisation_id)
        rows = []
        for index, chi_bo in enumerate(review.chi_bo):
            suggested = accounts.suggest_chi_bo(choices, chi_bo.organisation.name)
            rows.append({"index": index, "name": chi_bo.organisation.name,
                         "organisation_id": chi_bo.organisation_id,
                         "suggestion": {"id": suggested.id, "name": suggested.name} if suggested else None,
                         "choices": [{"id": org.id, "name": org.name} for org in choices]})
        return rows


def _assign(session: Any, review: DangBoReview, chosen: dict[int, str | None] | None) -> DangBoReview:
    """*review* with each chi bộ's organisation as chosen, every choice checked (all problems at once)."""
    found = auth.caller()
    chi_bo = [c.model_copy(update={"organisation_id": chosen[i]}) if chosen and i in chosen else c
              for i, c in enumerate(review.chi_bo)]
    problems: list[FieldProblem] = []
    seen: dict[str, str] = {}
    for index, meeting in enumerate(chi_bo):
        field = f"chi_bo[{index}].organisation_id"
        wanted = meeting.organisation_id
        problem = accounts.owner_problem(session, found.role, found.organisation_id, wanted)
        if problem is None and wanted is not None and wanted in seen:
            problem = (f"Chi bộ \"{meeting.organisation.name}\" và chi bộ \"{seen[wanted]}\" gắn với cùng "
                       "một tổ chức; mỗi chi bộ một tổ chức.")
        if problem is not None:
            problems.append(FieldProblem(field, f"{meeting.organisation.name}: {problem}"))
        if wanted is not None:
            seen.setdefault(wanted, meeting.organisation.name)
    if problems:
        raise InvalidMeetingError(problems)
    return review.model_copy(update={"chi_bo": chi_bo}) if chosen else review


def submit_batch(review: DangBoReview, key: str | None,
                 organisations: dict[int, str | None] | None = None,
                 replace_reviews: bool = False) -> tuple[dict[str, Any], bool]:
    """Submit a đảng bộ as the caller (a đảng ủy office or an admin); its JSON, and whether it is new.

    *organisations* maps a chi bộ's index to the organisation chosen for it at upload (None:
    the đảng bộ's own); without it each chi bộ's ``organisation_id`` decides. A chi bộ
    without one belongs to the đảng bộ: a typed name never hands a job to a chi bộ.

    A chi bộ that already has its own review of the year is never entered twice: without
    *replace_reviews* the upload is refused (409) with what the workbook changes in it; with it,
    the workbook becomes that review's next revision.
    """
    policy.require_office()
    try:
        return _submit_batch(review, key, organisations, replace_reviews)
    except IntegrityError:  # the same batch sent at once: the first one made it
        with session_scope() as session:
            found = batches.after_race(session, _assign(session, review, organisations), key,
                                       auth.ownership(session)["owner"])
            if found is None:
                raise
            return presenters.batch_json(found, lost(batches.documents(found))), False


def _submit_batch(review: DangBoReview, key: str | None, organisations: dict[int, str | None] | None,
                  replace_reviews: bool) -> tuple[dict[str, Any], bool]:
    with session_scope() as session:
        review = _assign(session, review, organisations)
        own = batches.own_reviews(session, review)
        if own and not replace_reviews:
            storage = get_storage()
            raise ConflictError("; ".join(
                f"{review.chi_bo[i].organisation.name} đã có báo cáo của chính chi bộ (bản {job.revision}); "
                f"tệp khác ở: {batches.differences(job, review.chi_bo[i], storage)}"
                for i, job in own.items())
                + ". Nếu muốn số liệu trong tệp thành bản sửa mới của báo cáo đó, hãy gửi lại và xác nhận "
                "thay báo cáo của chi bộ.")
        batch, created = batches.submit_batch(review, session=session, storage=get_storage(),
                                              idempotency_key=key, replaces=own, **auth.ownership(session))
        for job in own.values():
            auth.audit(session, "correct", "job", job.id, job.organisation_id,
                       f"{job.title}: bản sửa lần {job.revision - 1} từ tệp Excel của đảng ủy")
        if created:
            auth.audit(session, "generate", "batch", batch.id, batch.organisation_id,
                       f"{batch.title}: {len(batches.documents(batch))} tài liệu")
        body = presenters.batch_json(batch, lost(batches.documents(batch)))
        documents = batches.documents(batch) if created else []
        documents += [d for job in own.values() for d in job.documents] if created else []
        batch_id = batch.id
    _dispatch_or_undo(documents, lambda session: retention.delete_batch(session, get_storage(),
                                                                        batches.load(session, batch_id)))
    return body, created


def retry_batch(batch_id: str) -> int:
    """Queue again the batch's failed and lost documents; how many."""
    with session_scope() as session:
        owner = load_batch(session, batch_id).organisation_id
        documents = batches.retry_failed(session, batch_id, quiet=quiet(),
                                         lost_after=current_app.config["LOST_AFTER_SECONDS"])
        if documents:
            auth.audit(session, "retry", "batch", batch_id, owner, f"{len(documents)} tài liệu")
    dispatch(documents)
    return len(documents)


def retry_job(job_id: str) -> int:
    """Queue again the job's failed and lost documents (the others stay as they are); how many."""
    with session_scope() as session:
        job = load_job(session, job_id)
        if job.is_draft:
            raise ConflictError("Đây là bản nháp: chưa có tài liệu nào để tạo lại.")
        documents = recovery.retry(list(job.documents), quiet(), current_app.config["LOST_AFTER_SECONDS"])
        if documents:
            auth.audit(session, "retry", "job", job.id, job.organisation_id, f"{len(documents)} tài liệu")
    dispatch(documents)
    return len(documents)


def delete_job(job_id: str) -> None:
    """Delete a job with its documents and files (a mistake, a test); never one job of a batch.

    A chi bộ's job of a đảng ủy batch stays: the batch's summary and ZIP count every chi bộ
    (the secretary corrects it instead; the đảng ủy deletes the whole batch).
    """
    with session_scope() as session:
        job = load_job(session, job_id)
        refused = policy.delete_refusal(job.kind, job.batch_id is not None, auth.caller().role)
        if refused is not None:
            raise ConflictError(refused)
        count = retention.delete_job(session, get_storage(), job)
        auth.audit(session, "delete", "job", job_id, job.organisation_id, f"{count} tài liệu")


def delete_batch(batch_id: str) -> None:
    """Delete a whole batch: every job, document and file of it (a đảng ủy office's, or an admin's)."""
    policy.require_office()
    with session_scope() as session:
        batch = load_batch(session, batch_id)
        organisation_id = batch.organisation_id
        count = retention.delete_batch(session, get_storage(), batch)
        auth.audit(session, "delete", "batch", batch_id, organisation_id, f"{count} tài liệu")
