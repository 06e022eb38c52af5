"""The monthly minute on the web: ``/sinh-hoat/moi`` and ``/sinh-hoat/<id>/sua``, on the pages' blueprint.

A new form starts from the organisation's latest monthly meeting (``prefill.new_monthly_form``:
the chi bộ, the chair and ``initial_attendance``); "Chép từ tháng trước" also copies its agenda
and guests and shows its resolution to review. "Tạo văn bản" validates like the API; when the
HD 42 checks warn (too short, materials posted late) the form comes back with the warnings and
a button to make the documents anyway. A monthly job is corrected in the same form.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for

from service.errors import BadRequestError, InvalidMeetingError
from service.http import auth
from service.http.actions import assignments as ledgers
from service.http.actions import intake
from service.http.actions import jobs as actions
from service.http.actions import roster as rosters
from service.http.pages.forms import days
from service.http.pages.forms.follow_ups import changed_follow_ups, draft_results, follow_up_fields
from service.http.pages.forms.monthly_form import (
    ASSIGNMENT_ROWS,
    FOLLOW_UP,
    MEMBER_ROWS,
    QUALITY,
    RESOLUTION_ROWS,
    empty_monthly_form,
    follow_up_rows,
    member_rows,
    monthly_form_to_payload,
    problems_by_field,
    rows_needed,
)
from service.http.pages.forms.prefill import (
    chair_and_secretary,
    initial_attendance,
    monthly_corrected,
    monthly_payload_to_form,
    new_monthly_form,
)
from service.meetings.figures import compute_monthly
from service.meetings.schemas import MonthlyMeeting

_RESTORED = "Dữ liệu bạn đã nhập được khôi phục. Kiểm tra lại rồi bấm \"Tạo văn bản\" (hoặc \"Lưu nháp\")."
_FORM_ONLY = ("csrf_token", "_restore", "action")  # "previous" stays: last month's resolution, shown


def _page(form: dict[str, str], *, job: dict[str, Any] | None = None, errors: dict[str, str] | None = None,
          general: list[str] | None = None, warnings: list[str] | None = None, notice: str | None = None,
          status: int = 200, changed: list[str] | None = None) -> Any:
    follow_ups = sorted({int(k.split("-")[1]) for k in form if k.startswith("f-") and k.endswith("-ref")})
    html = render_template(
        "monthly_form.html", form=days.shown(form), job=job, day_pattern=days.PATTERN, errors=errors or {},
        general=general or [], warnings=warnings or [], notice=notice, quality=QUALITY,
        follow_up_choices=FOLLOW_UP, follow_ups=follow_ups, changed=changed or [],
        who_names=[form[k] for k in sorted(form) if k.startswith("m-") and k.endswith("-name") and form[k]],
        rows=rows_needed(form, "m", MEMBER_ROWS), speeches=rows_needed(form, "s", 3),
        assignments=rows_needed(form, "a", ASSIGNMENT_ROWS),
        resolutions=rows_needed(form, "r", RESOLUTION_ROWS),
        organisations=actions.list_organisations() if _office() else [])
    return (html, status) if status != 200 else html


def _office() -> bool:
    return auth.caller().role in ("dang_uy", "admin")


def _typed() -> dict[str, str]:
    return {k: v for k, v in request.form.to_dict(flat=True).items() if k not in _FORM_ONLY}


def _checked(payload: dict[str, Any]) -> tuple[MonthlyMeeting, list[str]]:
    """The valid meeting and its warnings (HD 42: duration, preparation); InvalidMeetingError if invalid."""
    meeting = intake.meeting(payload)
    assert isinstance(meeting, MonthlyMeeting)
    return meeting, compute_monthly(meeting).warnings


def _last_month() -> dict[str, Any] | None:
    """The latest monthly meeting, its members those of the chi bộ's roster today when it keeps one."""
    previous = actions.latest_monthly_input()
    on_record = rosters.roster_on(actions.calendar().today)
    if previous is None or not previous.get("organisation"):  # the first one: the chi bộ as on record
        block = rosters.organisation_block()
        if block is not None:
            previous = {**(previous or {}), "organisation": {k: v for k, v in block.items() if v}}
    if not on_record:
        return previous
    started: dict[str, Any] = {**(previous or {}), "members": [m.as_member() for m in on_record]}
    for role, (name, position) in chair_and_secretary(on_record).items():
        started.setdefault(role, {"name": name, "position": position})  # last month's first
    return started


def _open(form: dict[str, str], day: date, skip: str | None = None) -> list[str]:
    """Add a follow-up row for each assignment still open on *day*; what corrections changed."""
    org = auth.caller().organisation_id
    if org is None:  # an office choosing the chi bộ on the form: nothing to follow up yet
        return []
    entries = ledgers.open_assignments(org, day, skip=skip)
    form.update(follow_up_fields(entries, form))
    return changed_follow_ups(entries, form)


def _drafting(form: dict[str, str]) -> bool:
    """"Soạn phần I": part I drafted from the follow-up answers (the form comes back to edit)."""
    if request.form.get("action") == "draft_results":
        form["res-results"] = draft_results(form)
        return True
    if follow_up_rows(form) and not form.get("res-results", "").strip() and any(
            form.get(key, "").strip() for key in ("res-tasks", "res-agree", "a-0-task")):
        form["res-results"] = draft_results(form)  # a resolution without part I: drafted for her
    return False


def monthly_new() -> Any:
    """A new monthly minute, started from last month's (``?chep=1``: its agenda and guests too)."""
    today = actions.calendar().today
    form = new_monthly_form(empty_monthly_form(today.month, today.year), _last_month(),
                            copy_last=request.args.get("chep") == "1")
    return _page(form, changed=_open(form, today))


def monthly_new_submit() -> Any:
    """"Tạo văn bản": validated, warned, then made; "Lưu nháp": kept unfinished."""
    form = _typed()
    if (status := auth.restoring()) is not None:
        return _page(form, notice=_RESTORED, status=status)
    if _drafting(form):
        return _page(form)
    # each row keeps what its member had where the list came from (a code, a date of birth)
    started = {"members": initial_attendance(_last_month())}
    payload = monthly_corrected(started, monthly_form_to_payload(form), _keys(form))
    action = request.form.get("action")
    try:
        if action == "draft":
            body = actions.save_draft(payload)
            flash("Đã lưu nháp. Khi đủ dữ liệu, bấm \"Tạo văn bản\".")
            return redirect(url_for("web.monthly_edit", job_id=body["id"]), 303)
        meeting, warnings = _checked(payload)
    except InvalidMeetingError as exc:
        errors, general = problems_by_field(exc.problems, form)
        return _page(form, errors=errors, general=general, status=422)
    if warnings and action != "confirm":
        return _page(form, warnings=warnings)
    body = actions.submit_meeting(meeting)
    return redirect(url_for("web.job_page", job_id=body["id"]), 303)


def monthly_edit(job_id: str) -> Any:
    """The monthly form filled from the job's data: a correction, or a draft to finish."""
    job = _monthly(job_id)
    data = actions.job_input(job_id)
    form = monthly_payload_to_form(data)
    held = date.fromisoformat(str(data.get("start") or "")[:10]) if data.get("start") else date.today()
    return _page(form, job=job, changed=_open(form, held, skip=job_id))


def monthly_edit_submit(job_id: str) -> Any:
    """Save the correction and rebuild the documents (a draft: save it, or generate it)."""
    job = _monthly(job_id)
    form = _typed()
    if (status := auth.restoring()) is not None:
        return _page(form, job=job, notice=_RESTORED, status=status)
    if _drafting(form):
        return _page(form, job=job)
    payload = monthly_corrected(actions.job_input(job_id), monthly_form_to_payload(form), _keys(form))
    action, draft = request.form.get("action"), job["status"] == "draft"
    try:
        if draft and action == "draft":
            actions.save_draft(payload, job_id=job_id)
            flash("Đã lưu nháp.")
            return redirect(url_for("web.monthly_edit", job_id=job_id), 303)
        _, warnings = _checked(payload)
        if warnings and action != "confirm":
            return _page(form, job=job, warnings=warnings)
        if draft:
            actions.save_draft(payload, job_id=job_id)
            actions.generate(job_id)
        else:
            actions.correct_job(job_id, payload)
            flash("Đã lưu sửa đổi; các văn bản đang được tạo lại.")
    except InvalidMeetingError as exc:
        errors, general = problems_by_field(exc.problems, form)
        return _page(form, job=job, errors=errors, general=general, status=422)
    return redirect(url_for("web.job_page", job_id=job_id), 303)


def _keys(form: dict[str, str]) -> list[str]:
    return [form.get(f"m-{row}-key", "") for row in member_rows(form)]


def _monthly(job_id: str) -> dict[str, Any]:
    job = actions.job_body(job_id)
    if job["kind"] != "monthly":
        raise BadRequestError("Đây không phải biên bản sinh hoạt chi bộ; hãy mở \"Sửa\" từ trang của việc.")
    return job


def register(bp: Blueprint) -> None:
    """Add the monthly pages to the web blueprint (their endpoints are ``web.monthly_*``)."""
    for path, view, kept in (("/sinh-hoat/moi", monthly_new, False),
                             ("/sinh-hoat/moi", monthly_new_submit, True),
                             ("/sinh-hoat/<job_id>/sua", monthly_edit, False),
                             ("/sinh-hoat/<job_id>/sua", monthly_edit_submit, True)):
        bp.add_url_rule(path, view.__name__, auth.keeps_form(view) if kept else view,
                        methods=["POST" if kept else "GET"])
