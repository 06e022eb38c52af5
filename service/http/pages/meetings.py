"""The web pages, in Vietnamese, for the people who make these documents.

Server-rendered with Jinja; a little JavaScript refreshes progress and adds form rows, and
everything works without it. Pages call the same plain functions as the JSON API
(``actions``); errors they do not handle become Vietnamese pages (``problems.wants_html``).
"""

from __future__ import annotations

import io
import json
from typing import Any

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from werkzeug.exceptions import RequestEntityTooLarge

from service.config import PROJECT_ROOT
from service.documents.bao_cao_kiem_diem import SECTIONS
from service.errors import BadRequestError, ConflictError, FieldProblem, InvalidMeetingError, NotFoundError
from service.http import auth, bodies, policy
from service.http.actions import intake
from service.http.actions import jobs as actions
from service.http.actions import seasons as season_actions
from service.http.pages import display
from service.http.pages import monthly as monthly_pages
from service.http.pages.forms import days
from service.http.pages.forms.meeting_form import (
    FORM_ROWS,
    GROUP_ROWS,
    REPORT_SECTIONS,
    SPEECH_ROWS,
    VARIANTS,
    form_to_payload,
    problems_by_row,
    rows_needed,
)
from service.http.pages.forms.prefill import corrected, new_meeting_form, payload_to_form, report_fields
from service.meetings.schemas import LEVELS, DangBoReview

bp = Blueprint("web", __name__, template_folder="templates", static_folder="static",
               static_url_path="/static")
SAMPLES = PROJECT_ROOT / "doc_templates" / "samples"
_LEVEL_OPTIONS = [(level.value, level.label) for level in LEVELS]
for _name, _filter in display.FILTERS.items():
    bp.add_app_template_filter(_filter, _name)
# the Mẫu 01 body's sections: (field, heading as printed, hint)
REPORT_SECTION_TITLES = [(key, title, hint) for (key, title), (_, hint)
                         in zip(SECTIONS, REPORT_SECTIONS, strict=True)]
PAGE_SIZE = 25
monthly_pages.register(bp)


def _office() -> bool:
    return policy.is_office()


def _samples() -> list[str]:
    """The bundled samples this user may send (a whole đảng bộ only for its office)."""
    return sorted(p.name for p in SAMPLES.glob("*.json")
                  if _office() or not p.name.startswith("dang_bo"))


def _filters() -> dict[str, Any]:
    args = request.args
    year = args.get("year", "").strip()
    return {"kind": args.get("kind") or None, "status": args.get("status") or None,
            "year": int(year) if year.isdigit() else None, "q": args.get("q", "").strip() or None}


@bp.get("/")
def index() -> Any:
    """The signed-in home: her meetings (the office also its batches), and how to add one."""
    return _home()


def _home(status: int = 200, **upload: Any) -> Any:
    filters = _filters()
    jobs, next_jobs = actions.list_jobs(**filters, after=request.args.get("after"), limit=PAGE_SIZE)
    batches: list[dict[str, Any]] = []
    if _office():
        batches, _ = actions.list_batches(year=filters["year"], q=filters["q"], limit=PAGE_SIZE)
    kept: dict[str, Any] = {k: v for k, v in request.args.items() if k != "after"}
    more = url_for("web.index", **kept, after=next_jobs) if next_jobs else None
    html = render_template("index.html", jobs=jobs, batches=batches, more=more, filters=filters,
                           office=_office(), samples=_samples(), kinds=display.KINDS, statuses=display.STATUS,
                           notices=season_actions.home_notices(), **upload)
    return (html, status) if status != 200 else html


@bp.get("/mau/<name>")
def sample(name: str) -> Response:
    """A bundled sample payload."""
    path = SAMPLES / name
    if path.suffix != ".json" or path.parent != SAMPLES or not path.is_file() \
            or name not in _samples():
        raise NotFoundError(f"Không có dữ liệu mẫu {name}.")
    return send_file(path, mimetype="application/json", as_attachment=True, download_name=name)


@bp.post("/tai-len")
def upload() -> Any:
    """A workbook or JSON file: a batch for a đảng bộ, a job for one meeting."""
    try:
        upload_file = request.files.get("file")
    except RequestEntityTooLarge:
        limit = current_app.config["MAX_CONTENT_LENGTH"] / (1024 * 1024)
        return _home(413, message=f"Tệp quá lớn: tối đa {limit:.0f} MB.")
    name = (upload_file.filename or "") if upload_file else ""
    try:
        if upload_file is None or not name:
            raise BadRequestError("Hãy chọn tệp để tải lên.")
        data = upload_file.read()
        if name.lower().endswith(".xlsx") and _office():
            review: Any = intake.workbook(data)
        elif name.lower().endswith(".json"):
            review = intake.json_file(data)
        else:
            raise BadRequestError("Chỉ nhận tệp .xlsx (theo mẫu) hoặc .json." if _office()
                                  else "Chỉ nhận tệp .json của một hội nghị; hoặc nhập hội nghị "
                                  "trên trang.")
    except InvalidMeetingError as exc:
        return _home(422, errors=exc.problems, filename=name)
    except BadRequestError as exc:
        return _home(400, message=exc.detail, filename=name)
    if isinstance(review, DangBoReview):
        if not _office():
            return _home(403, filename=name, message="Chỉ văn phòng đảng ủy gửi được tệp của cả "
                         "đảng bộ; chi bộ hãy gửi hội nghị của chi bộ mình.")
        rows = actions.batch_assignments(review)
        if any(row["choices"] for row in rows):  # chi bộ accounts exist: whose is each, confirmed
            return _confirm_page(review.model_dump(mode="json"), rows, name)
        body, _ = actions.submit_batch(review, None)
        return redirect(url_for("web.batch_page", batch_id=body["id"]), 303)
    body = actions.submit_meeting(review)
    return redirect(url_for("web.job_page", job_id=body["id"]), 303)


def _confirm_page(payload: dict[str, Any], rows: list[dict[str, Any]], filename: str,
                  errors: list[Any] | None = None, chosen: dict[int, str] | None = None,
                  status: int = 200) -> Any:
    """Which chi bộ account gets each chi bộ of an uploaded đảng bộ: suggested, never assumed."""
    for row in rows:
        suggestion = (row["suggestion"] or {}).get("id")
        row["chosen"] = (chosen or {}).get(row["index"], row["organisation_id"] or suggestion or "")
    html = render_template("confirm_batch.html", rows=rows, filename=filename, errors=errors or [],
                           payload=json.dumps(payload, ensure_ascii=False), conflict=status == 409)
    return (html, status) if status != 200 else html


@bp.post("/tai-len/xac-nhan")
@auth.keeps_form
def upload_confirm() -> Any:
    """Send the uploaded đảng bộ with each chi bộ given to the account chosen for it."""
    policy.require_office()
    filename = request.form.get("filename", "")
    try:
        review = intake.meeting(bodies.loads(request.form.get("payload", "")))
    except (ValueError, InvalidMeetingError) as exc:
        raise BadRequestError("Dữ liệu của tệp đã tải lên không còn đọc được; hãy tải tệp lên lại.") from exc
    if not isinstance(review, DangBoReview):
        raise BadRequestError("Đây không phải dữ liệu của cả đảng bộ; hãy tải tệp lên lại.")
    chosen = {i: request.form.get(f"org-{i}", "") for i in range(len(review.chi_bo))}
    status = auth.restoring()
    if status is None:
        try:
            body, _ = actions.submit_batch(review, None, {i: v or None for i, v in chosen.items()},
                                           replace_reviews=request.form.get("replace_reviews") == "1")
        except InvalidMeetingError as exc:
            errors, status = exc.problems, 422
        except ConflictError as exc:  # a chi bộ has its own review already: the difference, and ask
            errors, status = [FieldProblem("", exc.detail)], 409
        else:
            return redirect(url_for("web.batch_page", batch_id=body["id"]), 303)
    else:
        errors = []
    return _confirm_page(review.model_dump(mode="json"), actions.batch_assignments(review), filename,
                         errors, chosen, status)


def _form_page(form: dict[str, str], *, job: dict[str, Any] | None = None,
               errors: dict[str, str] | None = None, general: list[str] | None = None,
               notice: str | None = None, status: int = 200, report_notice: str | None = None) -> Any:
    """The meeting form, filled with *form*, for a new meeting or for correcting *job*."""
    html = render_template("meeting_form.html", form=days.shown(form), job=job, day_pattern=days.PATTERN,
                           rows=rows_needed(form, "m", FORM_ROWS),
                           speeches=rows_needed(form, "s", SPEECH_ROWS),
                           groups=rows_needed(form, "g", GROUP_ROWS),
                           levels_options=_LEVEL_OPTIONS, variants=VARIANTS, errors=errors or {},
                           report_sections=REPORT_SECTION_TITLES, report_notice=report_notice,
                           general=general or [], notice=notice,
                           organisations=actions.list_organisations() if _office() else [])
    return (html, status) if status != 200 else html


_RESTORED = ("Dữ liệu bạn đã nhập được khôi phục. Kiểm tra lại rồi bấm \"Tạo văn bản\" "
             "(hoặc \"Lưu nháp\").")


@bp.get("/hoi-nghi")
def meeting_form() -> str:
    """The form for one annual review meeting, members and votes row by row (from the roster)."""
    form, notice = new_meeting_form(request.args)
    previous = actions.latest_annual_report()
    report_notice = None
    if previous is not None:  # last year's report as a start, to be rewritten
        year, report = previous
        form.update(report_fields(report))
        report_notice = (f"Nội dung lấy từ báo cáo năm {year} để làm điểm bắt đầu: hãy sửa lại cho năm nay."
                         if year else "Nội dung lấy từ báo cáo lần trước để làm điểm bắt đầu: hãy sửa lại.")
    return str(_form_page(form, notice=notice, report_notice=report_notice))


@bp.post("/hoi-nghi")
@auth.keeps_form
def meeting_submit() -> Any:
    """"Tạo văn bản": validate and generate; "Lưu nháp": keep it unfinished. Errors beside fields."""
    form = _typed_form()
    if (status := auth.restoring()) is not None:
        return _form_page(form, notice=_RESTORED, status=status)
    payload = form_to_payload(form)
    try:
        if request.form.get("action") == "draft":
            body = actions.save_draft(payload)
            flash("Đã lưu nháp. Khi đủ dữ liệu, bấm \"Tạo văn bản\".")
            return redirect(url_for("web.meeting_edit", job_id=body["id"]), 303)
        meeting = intake.meeting(payload)
    except InvalidMeetingError as exc:
        errors, general = problems_by_row(exc.problems, form)
        return _form_page(form, errors=errors, general=general, status=422)
    body = actions.submit_meeting(meeting)
    return redirect(url_for("web.job_page", job_id=body["id"]), 303)


def _typed_form() -> dict[str, str]:
    return {k: v for k, v in request.form.to_dict(flat=True).items()
            if k not in ("csrf_token", "_restore", "action")}


def _editable(job_id: str) -> dict[str, Any]:
    """The job, if the annual form can correct it; else a page saying why not."""
    job = actions.job_body(job_id)
    if job["kind"] != "annual_review":
        raise BadRequestError("Trên trang này chỉ sửa được hội nghị kiểm điểm cuối năm; biên bản sinh "
                              "hoạt định kỳ được sửa ở trang \"Sinh hoạt chi bộ\" (nút Sửa của việc).")
    return job


@bp.get("/viec/<job_id>/sua")
def meeting_edit(job_id: str) -> Any:
    """The form filled from the job's data: a correction, or a draft to finish (monthly: its own form)."""
    if actions.job_body(job_id)["kind"] == "monthly":
        return redirect(url_for("web.monthly_edit", job_id=job_id), 303)
    job = _editable(job_id)
    return str(_form_page(payload_to_form(actions.job_input(job_id)), job=job))


@bp.post("/viec/<job_id>/sua")
@auth.keeps_form
def meeting_edit_submit(job_id: str) -> Any:
    """Save the correction and rebuild the documents (a draft: save it, or generate it)."""
    job = _editable(job_id)
    form = _typed_form()
    if (status := auth.restoring()) is not None:
        return _form_page(form, job=job, notice=_RESTORED, status=status)
    payload = corrected(actions.job_input(job_id), form_to_payload(form), form)
    draft = job["status"] == "draft"
    try:
        if draft and request.form.get("action") == "draft":
            actions.save_draft(payload, job_id=job_id)
            flash("Đã lưu nháp.")
            return redirect(url_for("web.meeting_edit", job_id=job_id), 303)
        if draft:
            intake.meeting(payload)  # every error shown first
            actions.save_draft(payload, job_id=job_id)
            actions.generate(job_id)
        else:
            actions.correct_job(job_id, payload, confirm_signed=request.form.get("confirm_signed") == "1")
            flash("Đã lưu sửa đổi; các văn bản đang được tạo lại.")
    except ConflictError as exc:
        if not (exc.extra.get("signed_documents") or exc.extra.get("edited_documents")):
            raise
        return _form_page(form, job=job, general=[exc.detail], status=409)
    except InvalidMeetingError as exc:
        errors, general = problems_by_row(exc.problems, form)
        return _form_page(form, job=job, errors=errors, general=general, status=422)
    return redirect(url_for("web.job_page", job_id=job_id), 303)


@bp.get("/lo/<batch_id>")
def batch_page(batch_id: str) -> str:
    """A batch: live progress, failures with a retry button, documents by chi bộ."""
    return render_template("batch.html", batch=actions.batch_body(batch_id, links=False))


@bp.post("/lo/<batch_id>/thu-lai")
def batch_retry(batch_id: str) -> Any:
    """Queue the failed and lost documents again and go back to the batch page."""
    actions.retry_batch(batch_id)
    return redirect(url_for("web.batch_page", batch_id=batch_id), 303)


@bp.post("/lo/<batch_id>/dong-goi-lai")
def batch_package_retry(batch_id: str) -> Any:
    """Build the batch's ZIP again after it failed and go back to the batch page."""
    actions.retry_package("batch", batch_id)
    return redirect(url_for("web.batch_page", batch_id=batch_id), 303)


@bp.get("/lo/<batch_id>/xoa")
def batch_delete_confirm(batch_id: str) -> str:
    """Ask before deleting a whole batch."""
    policy.require_office()
    return render_template("delete.html", batch=actions.batch_body(batch_id, links=False), job=None)


@bp.post("/lo/<batch_id>/xoa")
def batch_delete(batch_id: str) -> Any:
    """Delete a whole batch, every chi bộ's documents with it; back to the home page."""
    policy.require_office()
    title = actions.batch_body(batch_id, links=False)["title"]
    actions.delete_batch(batch_id)
    flash(f"Đã xoá lô tài liệu \"{title}\".")
    return redirect(url_for("web.index"), 303)


@bp.get("/viec/<job_id>")
def job_page(job_id: str) -> str:
    """One meeting's documents, its revision and the earlier revisions' PDFs."""
    return render_template("job.html", job=actions.job_body(job_id))


@bp.post("/viec/<job_id>/tao-lai/<name>")
def rebuild(job_id: str, name: str) -> Any:
    """Build one document again from the job's data ("Tạo lại"); a signed one asks first."""
    try:
        actions.rebuild_document(job_id, name, confirm_signed=request.form.get("confirm_signed") == "1")
    except ConflictError as exc:
        if not (exc.extra.get("signed_documents") or exc.extra.get("edited_documents")):
            raise
        job = actions.job_body(job_id)
        document = next(d for d in job["documents"] if d["name"] == name)
        return render_template("rebuild_signed.html", job=job, d=document), 409
    flash("Văn bản đang được tạo lại.")
    return redirect(url_for("web.job_page", job_id=job_id), 303)


@bp.post("/viec/<job_id>/thu-lai")
def job_retry(job_id: str) -> Any:
    """Queue the job's failed and lost documents again and go back to its page."""
    count = actions.retry_job(job_id)
    flash(f"Đang tạo lại {count} văn bản." if count else "Không có văn bản nào cần tạo lại.")
    return redirect(url_for("web.job_page", job_id=job_id), 303)


@bp.get("/viec/<job_id>/xoa")
def delete_confirm(job_id: str) -> str:
    """Ask before deleting a job: what goes with it, and that it cannot be undone."""
    return render_template("delete.html", job=actions.job_body(job_id), batch=None)


@bp.post("/viec/<job_id>/xoa")
def delete(job_id: str) -> Any:
    """Delete the job with its documents and files; back to the home page."""
    title = actions.job_body(job_id)["title"]
    actions.delete_job(job_id)
    flash(f"Đã xoá \"{title}\" cùng các văn bản của nó.")
    return redirect(url_for("web.index"), 303)


@bp.get("/viec/<job_id>/anh/<name>.png")
def thumbnail(job_id: str, name: str) -> Response:
    """A small picture of a document's first page, made once and kept."""
    picture = actions.thumbnail(job_id, name)
    return send_file(io.BytesIO(picture), mimetype="image/png")
