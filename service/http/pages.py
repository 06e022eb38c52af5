"""The web pages, in Vietnamese, for the people who make these documents.

Server-rendered with Jinja; a little JavaScript refreshes progress and adds form rows, and
everything works without it. Pages call the same plain functions as the JSON API.
"""

from __future__ import annotations

import io
import json
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from werkzeug.exceptions import RequestEntityTooLarge

from service.config import PROJECT_ROOT
from service.errors import BadRequestError, ForbiddenError, InvalidMeetingError, NotFoundError
from service.http import actions
from service.http.forms import FORM_ROWS, empty_form, form_to_payload, problems_by_row
from service.meetings.schemas import LEVELS, DangBoReview
from service.meetings.validation import parse_meeting
from service.spreadsheets.cells import Limits
from service.spreadsheets.reader import parse_workbook

bp = Blueprint("web", __name__, template_folder="templates", static_folder="static",
               static_url_path="/static")
SAMPLES = PROJECT_ROOT / "doc_templates" / "samples"
_LEVEL_OPTIONS = [(level.value, level.label) for level in LEVELS]


@bp.app_template_filter("vn_status")
def vn_status(status: str) -> str:
    """The Vietnamese word for a status."""
    return {"queued": "đang chờ", "running": "đang tạo", "done": "hoàn tất",
            "failed": "có lỗi", "incomplete": "chưa đủ (cần tạo lại)"}.get(status, status)


@bp.get("/")
def index() -> str:
    """What the service makes, the blank workbook, a sample, the upload form."""
    return render_template("index.html", samples=sorted(p.name for p in SAMPLES.glob("*.json")))


@bp.get("/mau/<name>")
def sample(name: str) -> Response:
    """A bundled sample payload."""
    path = SAMPLES / name
    if path.suffix != ".json" or path.parent != SAMPLES or not path.is_file():
        abort(404)
    return send_file(path, mimetype="application/json", as_attachment=True, download_name=name)


@bp.post("/tai-len")
def upload() -> Any:
    """A workbook or JSON file: a batch for a đảng bộ, a job for one meeting."""
    samples = sorted(p.name for p in SAMPLES.glob("*.json"))
    try:
        upload_file = request.files.get("file")
    except RequestEntityTooLarge:
        limit = current_app.config["MAX_CONTENT_LENGTH"] / (1024 * 1024)
        return render_template("index.html", samples=samples,
                               message=f"Tệp quá lớn: tối đa {limit:.0f} MB."), 413
    name = (upload_file.filename or "") if upload_file else ""
    try:
        if upload_file is None or not name:
            raise BadRequestError("Hãy chọn tệp Excel (.xlsx) hoặc JSON để tải lên.")
        data = upload_file.read()
        if name.lower().endswith(".xlsx"):
            review: Any = parse_workbook(data, Limits.from_config(current_app.config), actions.calendar())
        elif name.lower().endswith(".json"):
            try:
                review = parse_meeting(json.loads(data), actions.calendar())
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                raise BadRequestError("Tệp JSON không đọc được.") from exc
        else:
            raise BadRequestError("Chỉ nhận tệp .xlsx (theo mẫu) hoặc .json.")
    except InvalidMeetingError as exc:
        return render_template("index.html", errors=exc.problems, filename=name, samples=samples), 422
    except BadRequestError as exc:
        return render_template("index.html", message=exc.detail, filename=name, samples=samples), 400
    if isinstance(review, DangBoReview):
        try:
            body, _ = actions.submit_batch(review, None)
        except ForbiddenError:
            return render_template("index.html", filename=name, message="Chỉ văn phòng đảng ủy gửi "
                                   "được tệp của cả đảng bộ; chi bộ hãy gửi hội nghị của chi bộ mình.",
                                   samples=sorted(p.name for p in SAMPLES.glob("*.json"))), 403
        return redirect(url_for("web.batch_page", batch_id=body["id"]), 303)
    return _submit_job(review.model_dump(mode="json"))


def _submit_job(payload: dict[str, Any]) -> Any:
    body = actions.submit_job(payload)
    return redirect(url_for("web.job_page", job_id=body["id"]), 303)


@bp.get("/hoi-nghi")
def meeting_form() -> str:
    """The form for one annual review meeting, members and votes row by row."""
    return render_template("meeting_form.html", form=empty_form(), rows=FORM_ROWS,
                           levels_options=_LEVEL_OPTIONS, errors={}, general=[])


@bp.post("/hoi-nghi")
def meeting_submit() -> Any:
    """Validate the form; on errors show it again, everything typed kept, errors beside fields."""
    form = request.form.to_dict(flat=True)
    payload = form_to_payload(form)
    try:
        parse_meeting(payload, actions.calendar())
    except InvalidMeetingError as exc:
        errors, general = problems_by_row(exc.problems, form)
        return render_template("meeting_form.html", form=form, rows=_rows_needed(form),
                               levels_options=_LEVEL_OPTIONS, errors=errors, general=general), 422
    return _submit_job(payload)


def _rows_needed(form: dict[str, str]) -> int:
    used = [int(k.split("-")[1]) for k in form
            if k.startswith("m-") and k.endswith("-name") and form[k].strip()]
    return max(FORM_ROWS, (max(used) + 2) if used else 0)


@bp.get("/lo/<batch_id>")
def batch_page(batch_id: str) -> str:
    """A batch: live progress, failures with a retry button, documents by chi bộ."""
    try:
        body = actions.batch_body(batch_id, links=False)
    except NotFoundError:
        abort(404)
    return render_template("batch.html", batch=body)


@bp.post("/lo/<batch_id>/thu-lai")
def batch_retry(batch_id: str) -> Any:
    """Queue the failed and lost documents again and go back to the batch page."""
    try:
        actions.retry_batch(batch_id)
    except NotFoundError:
        abort(404)
    return redirect(url_for("web.batch_page", batch_id=batch_id), 303)


@bp.get("/viec/<job_id>")
def job_page(job_id: str) -> str:
    """One meeting's documents."""
    try:
        body = actions.job_body(job_id)
    except NotFoundError:
        abort(404)
    return render_template("job.html", job=body)


@bp.get("/viec/<job_id>/anh/<name>.png")
def thumbnail(job_id: str, name: str) -> Response:
    """A small picture of a document's first page, made once and kept."""
    try:
        picture = actions.thumbnail(job_id, name)
    except NotFoundError:
        abort(404)
    return send_file(io.BytesIO(picture), mimetype="image/png")
