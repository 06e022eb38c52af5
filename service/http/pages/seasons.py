"""The office's pages: "Đơn vị" (its units and their secretaries' accounts) and "Theo dõi"
(seasons, the board, the đảng ủy's decisions, reminders, the summary); and the page a one-time
sign-in link opens. Every page calls ``season_actions``, like the API; an error is shown in
Vietnamese on the page it came from, never a field's internal name.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for

from service import accounts
from service.errors import InvalidMeetingError, ServiceError
from service.http import auth, sessions
from service.http.actions import seasons as season_actions
from service.meetings.schemas import LEVELS
from service.seasons.board import STATE_LABELS, STATES

bp = Blueprint("season_pages", __name__, template_folder="templates")
LEVEL_OPTIONS = [(level.value, level.label) for level in LEVELS]


def _say(exc: ServiceError) -> None:
    """Flash what went wrong, in the words of each failing field, never its name."""
    if isinstance(exc, InvalidMeetingError):
        for problem in exc.problems:
            flash(problem.detail)
    else:
        flash(exc.detail)


def _back(endpoint: str, **values: Any) -> Response:
    return redirect(url_for(endpoint, **values), 303)  # type: ignore[return-value]


# units and accounts ---------------------------------------------------------------------------


@bp.get("/don-vi")
def units_page() -> str:
    """The units of the office and their secretaries' accounts, with what can be done to each."""
    auth.require_role("dang_uy", "admin")
    found = season_actions.list_units()
    users = season_actions.list_users()
    by_unit: dict[str, list[dict[str, Any]]] = {}
    for user in users:
        by_unit.setdefault(user["organisation_id"], []).append(user)
    return render_template(
        "units.html",
        units=found,
        by_unit=by_unit,
        kinds=accounts.UNIT_KINDS,
        labels=accounts.KIND_LABELS,
        shown=None,
    )


@bp.post("/don-vi")
def unit_create() -> Response:
    """Create a unit from the form."""
    try:
        made = season_actions.create_unit(
            {"name": request.form.get("name"), "kind": request.form.get("kind")}
        )
        flash(f"Đã tạo {made['kind_label'].lower()} “{made['name']}”.")
    except ServiceError as exc:
        _say(exc)
    return _back("season_pages.units_page")


@bp.post("/don-vi/<unit_id>")
def unit_change(unit_id: str) -> Response:
    """Rename or close a unit."""
    try:
        if request.form.get("action") == "close":
            made = season_actions.change_unit(unit_id, {"closed": True})
            flash(f"Đã đóng “{made['name']}”; tài khoản của đơn vị bị khoá.")
        else:
            made = season_actions.change_unit(unit_id, {"name": request.form.get("name")})
            flash(f"Đã đổi tên thành “{made['name']}”.")
    except ServiceError as exc:
        _say(exc)
    return _back("season_pages.units_page")


def _shown(title: str, lines: list[str]) -> str:
    """The units page with a secret shown once (a password, a link): never in a redirect."""
    found = season_actions.list_units()
    by_unit: dict[str, list[dict[str, Any]]] = {}
    for user in season_actions.list_users():
        by_unit.setdefault(user["organisation_id"], []).append(user)
    return render_template(
        "units.html",
        units=found,
        by_unit=by_unit,
        kinds=accounts.UNIT_KINDS,
        labels=accounts.KIND_LABELS,
        shown={"title": title, "lines": lines},
    )


@bp.post("/tai-khoan")
def user_create() -> Any:
    """A secretary's account; its first password shown once on the page."""
    try:
        made = season_actions.create_user(
            {key: request.form.get(key) for key in ("organisation_id", "username", "email")}
        )
    except ServiceError as exc:
        _say(exc)
        return _back("season_pages.units_page")
    return _shown(
        f"Đã tạo tài khoản {made['username']}", [f"Mật khẩu (chỉ hiện một lần): {made['password']}"]
    )


@bp.post("/tai-khoan/<user_id>")
def user_change(user_id: str) -> Any:
    """Reset the password, make a one-time sign-in link, change the e-mail, or lock the account."""
    action = request.form.get("action")
    try:
        if action == "password":
            made = season_actions.reset_password(user_id)
            return _shown(
                f"Mật khẩu mới của {made['username']}", [f"Mật khẩu (chỉ hiện một lần): {made['password']}"]
            )
        if action == "link":
            made = season_actions.sign_in_link(user_id)
            hours = made["expires_in"] // 3600
            return _shown(
                f"Liên kết đăng nhập một lần cho {made['username']}",
                [made["link"], f"Dùng được một lần, trong {hours} giờ. Gửi riêng cho bí thư."],
            )
        if action == "disable":
            made = season_actions.change_user(user_id, {"active": False})
            flash(f"Đã khoá tài khoản {made['username']}.")
        else:
            made = season_actions.change_user(user_id, {"email": request.form.get("email")})
            flash(f"Đã lưu địa chỉ thư của {made['username']}.")
    except ServiceError as exc:
        _say(exc)
    return _back("season_pages.units_page")


# the one-time sign-in link (public: its secret is its permission) --------------------------------


@bp.get("/dang-nhap/lien-ket/<secret>")
@auth.public
def link_form(secret: str) -> str:
    """A button to use the link: a preview of the link (a chat app) never spends it."""
    return render_template("sign_in_link.html", secret=secret, error=None)


@bp.post("/dang-nhap/lien-ket/<secret>")
@auth.public
def link_submit(secret: str) -> Any:
    """Spend the link and sign in."""
    try:
        auth.check_csrf()
    except ServiceError:
        return render_template(
            "sign_in_link.html", secret=secret, error="Trang đã hết hạn; hãy bấm lại."
        ), 403
    found = season_actions.use_sign_in_link(secret)
    if found is None:
        return render_template(
            "sign_in_link.html",
            secret=secret,
            error="Liên kết không dùng được: đã dùng, đã hết hạn hoặc không đúng. "
            "Hãy xin văn phòng đảng ủy liên kết mới.",
        ), 410
    sessions.start(*found)
    auth.csrf_token()
    flash("Đã đăng nhập bằng liên kết một lần. Hãy xin văn phòng đảng ủy đặt mật khẩu nếu cần dùng lâu dài.")
    return _back("web.index")


# seasons ---------------------------------------------------------------------------------------


@bp.get("/theo-doi")
def seasons_page() -> str:
    """The seasons the caller sees; the office also opens one here."""
    office = auth.caller().role in ("dang_uy", "admin")
    return render_template(
        "seasons.html",
        seasons=season_actions.list_seasons(),
        units=season_actions.list_units() if auth.caller().role == "dang_uy" else [],
        office=office,
        year=date.today().year,
    )


@bp.post("/theo-doi")
def season_open() -> Response:
    """Open a season from the form."""
    form = request.form
    year = form.get("year", "").strip()
    try:
        data = {
            "year": int(year) if year.isdigit() else None,
            "deadline": form.get("deadline"),
            "organisation_ids": form.getlist("organisation_ids"),
            "superior": form.get("superior", ""),
            "place": form.get("place", ""),
            "kind": form.get("kind") or "annual_review",
            "month": int(form["month"]) if form.get("month", "").isdigit() else None,
        }
        if form.get("title", "").strip():
            data["title"] = form["title"]
        made = season_actions.open_season(data)
    except ServiceError as exc:
        _say(exc)
        return _back("season_pages.seasons_page")
    flash(f"Đã mở đợt “{made['title']}”.")
    return _back("season_pages.season_page", season_id=made["id"])


@bp.get("/theo-doi/<season_id>")
def season_page(season_id: str) -> str:
    """The board of a season."""
    body = season_actions.season_body(season_id)
    return render_template(
        "season.html", season=body, labels=STATE_LABELS, states=STATES, levels=dict(LEVEL_OPTIONS)
    )


@bp.post("/theo-doi/<season_id>/nhac")
def season_remind(season_id: str) -> Response:
    """Remind the chosen units."""
    try:
        done = season_actions.remind(season_id, request.form.getlist("organisation_ids"), request.host_url)
        mails = sum(int(str(d["emails"])) for d in done["reminded"].values())
        flash(f"Đã nhắc {len(done['reminded'])} đơn vị; đã gửi {mails} thư điện tử.")
    except ServiceError as exc:
        _say(exc)
    return _back("season_pages.season_page", season_id=season_id)


@bp.post("/theo-doi/<season_id>/tong-hop")
def season_summary(season_id: str) -> Response:
    """Make or remake the summary from the units' own reviews; open it."""
    try:
        made = season_actions.build_summary(season_id)
    except ServiceError as exc:
        _say(exc)
        return _back("season_pages.season_page", season_id=season_id)
    flash("Đang lập biểu tổng hợp từ báo cáo của các đơn vị.")
    return _back("web.job_page", job_id=made["job_id"])


@bp.get("/theo-doi/<season_id>/don-vi/<unit_id>")
def decision_form(season_id: str, unit_id: str) -> str:
    """The đảng ủy's decision on one unit and on each of its members."""
    body = season_actions.season_body(season_id)
    row = next((r for r in body["rows"] if r["organisation_id"] == unit_id), None)
    if row is None or not body["office"]:
        auth.check_visible(None, "đơn vị này trong đợt")
    decided = season_actions.member_decisions(season_id, unit_id)
    return render_template(
        "decision.html",
        season=body,
        row=row,
        decided=decided,
        levels=LEVEL_OPTIONS,
        labels=dict(LEVEL_OPTIONS),
    )


@bp.post("/theo-doi/<season_id>/don-vi/<unit_id>")
def decision_submit(season_id: str, unit_id: str) -> Response:
    """Record the decision."""
    form = request.form
    members = [
        {"member": name, "level": form.get(f"m-{i}-level") or None, "note": form.get(f"m-{i}-note")}
        for i, name in enumerate(form.getlist("member"))
    ]
    data = {
        "organisation_id": unit_id,
        "level": form.get("level") or None,
        "note": form.get("note"),
        "reviewed": form.get("reviewed") == "1",
        "members": members,
    }
    try:
        season_actions.decide(season_id, data)
        flash("Đã ghi quyết định của đảng ủy.")
    except ServiceError as exc:
        _say(exc)
        return _back("season_pages.decision_form", season_id=season_id, unit_id=unit_id)
    return _back("season_pages.season_page", season_id=season_id)
