"""The self-review pages: the member's own (her personal link, no account) and the secretary's.

The member's page answers only to its token: one member, one review. It is never indexed
(``X-Robots-Tag`` and a robots meta tag), never sends its address on (``Referrer-Policy:
no-referrer``), and its forms carry a CSRF token like every other (kept in the browser's
session cookie, no login needed). A revoked, expired or unknown link answers a Vietnamese page
saying it no longer works (410, or 404). The secretary's pages need her login.
"""

from __future__ import annotations

from typing import Any

import segno
from flask import Blueprint, Response, flash, make_response, redirect, render_template, request, url_for

from service.errors import ForbiddenError, InvalidMeetingError, ServiceError
from service.http import auth
from service.http.actions import selfreviews
from service.http.files import send
from service.http.pages.forms import days
from service.meetings.schemas import LEVELS
from service.selfreviews import content

bp = Blueprint("selfreview_pages", __name__, template_folder="templates")
_LEVELS = [(level.value, level.label) for level in LEVELS]


def _private(body: Any, status: int = 200) -> Response:
    """A member's page: not indexed, its address never sent to another site."""
    response = make_response(body, status)
    response.headers["X-Robots-Tag"] = "noindex, nofollow, noarchive"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _gone(exc: ServiceError) -> Response:
    return _private(render_template("selfreview_gone.html", detail=exc.detail), exc.status)


def _member_form(view: dict[str, Any], *, errors: dict[str, str] | None = None,
                 typed: dict[str, str] | None = None, notice: str | None = None,
                 status: int = 200) -> Response:
    values = typed if typed is not None else view["content"]
    return _private(render_template("selfreview_member.html", v=view, values=values, errors=errors or {},
                                    sections=content.SECTIONS, groups=content.GROUPS, levels=_LEVELS,
                                    notice=notice,
                                    token=request.view_args["token"] if request.view_args else ""),
                    status)


@bp.get("/tu-kiem-diem/<token>")
@auth.public
def member_page(token: str) -> Response:
    """Her Mẫu 02 to write: headed with her name, birth date, posts and the year."""
    try:
        view = selfreviews.member_page(token)
    except ServiceError as exc:
        return _gone(exc)
    return _member_form(view)


@bp.post("/tu-kiem-diem/<token>")
@auth.public
def member_submit(token: str) -> Response:
    """"Lưu nháp" keeps what she typed; "Gửi chi bộ" hands it in when nothing is missing."""
    sending = request.form.get("action") == "send"
    typed = content.raw(request.form.to_dict(flat=True))
    try:
        auth.check_csrf()
    except ForbiddenError as exc:
        try:
            view = selfreviews.member_page(token)
        except ServiceError as gone:
            return _gone(gone)
        return _member_form(view, typed=typed, notice=exc.detail + " Những gì bạn vừa viết vẫn còn dưới đây.",
                            status=403)
    try:
        view, problems = selfreviews.member_save(token, request.form.to_dict(flat=True), sending=sending)
    except ServiceError as exc:
        if exc.status in (404, 410):
            return _gone(exc)
        view = selfreviews.member_page(token)
        return _member_form(view, typed=typed, notice=exc.detail, status=exc.status)
    if problems:
        errors: dict[str, str] = {}
        for p in problems:
            errors[p.field] = f"{errors[p.field]} {p.detail}" if p.field in errors else p.detail
        notice = ("Chưa gửi được: hãy xem các dòng báo đỏ. Những gì đã viết đã được lưu nháp." if sending
                  else "Đã lưu nháp, nhưng có chỗ cần sửa (báo đỏ).")
        return _member_form(view, errors=errors, typed=typed, notice=notice, status=422)
    notice = ("Đã gửi chi bộ. Bí thư chi bộ sẽ xem; nếu cần sửa, chi bộ trả lại kèm ghi chú ở trang này."
              if sending else "Đã lưu nháp. Đồng chí có thể quay lại liên kết này để viết tiếp.")
    return _member_form(view, notice=notice)


@bp.get("/tu-kiem-diem/<token>/ban-in")
@auth.public
def member_print(token: str) -> Response:
    """Her self-review laid out as the form, to print or save as PDF; "DỰ THẢO" until accepted."""
    try:
        view = selfreviews.member_page(token, printing=True)
    except ServiceError as exc:
        return _gone(exc)
    return _private(render_template("selfreview_print.html", v=view, values=view["content"],
                                    sections=content.SECTIONS, groups=content.GROUPS, levels=_LEVELS,
                                    token=token))


@bp.get("/tu-kiem-diem/<token>/ban-pdf")
@auth.public
def member_pdf(token: str) -> Response:
    """Her own Mẫu 02 as a PDF (made by a worker: a page that waits for it first)."""
    try:
        state, pdf, filename = selfreviews.member_pdf(token)
    except ServiceError as exc:
        if exc.status in (404, 410):
            return _gone(exc)
        raise
    if pdf is not None:  # opens in her browser's PDF viewer: print it or keep it from there
        response = _private(send(pdf, "pdf", filename))
        response.headers["Cache-Control"] = "private, no-store"
        return response
    return _private(render_template("selfreview_pdf.html", state=state, detail=filename, token=token),
                    200 if state == "pending" else 422)


# the secretary's side (signed in)


@bp.get("/viec/<job_id>/tu-kiem-diem")
def overview(job_id: str) -> str:
    """Who has a link, who opened, saved, sent; make links; read, accept or return each."""
    return render_template("selfreview_list.html", data=selfreviews.states(job_id), made=None, errors={})


@bp.post("/viec/<job_id>/tu-kiem-diem")
def make_links(job_id: str) -> Any:
    """Links for the members ticked, shown once on a printable sheet with their QR codes."""
    try:
        made = selfreviews.create_links(job_id, request.form.getlist("member"),
                                        days.iso(request.form.get("expires_on", "")))  # 31/12/2026
    except InvalidMeetingError as exc:
        errors = {p.field.split("[")[0]: p.detail for p in exc.problems}
        return render_template("selfreview_list.html", data=selfreviews.states(job_id), made=None,
                               errors=errors, typed_expiry=request.form.get("expires_on", "")), 422
    for item in made:
        item["qr"] = segno.make(item["link"], error="m").svg_data_uri(scale=4, border=2)
    data = selfreviews.states(job_id)
    return _private(render_template("selfreview_sheet.html", data=data, made=made))


@bp.get("/viec/<job_id>/tu-kiem-diem/<review_id>")
def read(job_id: str, review_id: str) -> str:
    """One member's self-review to read, with "Nhận" and "Trả lại" (a note she will see)."""
    view = selfreviews.read(job_id, review_id)
    return render_template("selfreview_read.html", job_id=job_id, v=view, sections=content.SECTIONS,
                           groups=content.GROUPS, levels=dict(_LEVELS))


@bp.post("/viec/<job_id>/tu-kiem-diem/<review_id>/quyet-dinh")
def decide(job_id: str, review_id: str) -> Any:
    """Accept it (its text and self-rating go into the review's data) or return it with a note."""
    accept = request.form.get("action") == "accept"
    try:
        done = selfreviews.decide(job_id, review_id, accept=accept, note=request.form.get("note", ""))
    except InvalidMeetingError as exc:
        flash(exc.problems[0].detail)
        return redirect(url_for("selfreview_pages.read", job_id=job_id, review_id=review_id), 303)
    flash(f"Đã nhận bản tự kiểm điểm của đồng chí {done['member']}." if accept
          else f"Đã trả lại bản tự kiểm điểm của đồng chí {done['member']} kèm ghi chú.")
    return redirect(url_for("selfreview_pages.overview", job_id=job_id), 303)


@bp.post("/viec/<job_id>/tu-kiem-diem/<review_id>/thu-hoi")
def revoke(job_id: str, review_id: str) -> Any:
    """Revoke a member's link: it stops working at once."""
    done = selfreviews.revoke(job_id, review_id)
    flash(f"Đã thu hồi liên kết của đồng chí {done['member']}.")
    return redirect(url_for("selfreview_pages.overview", job_id=job_id), 303)
