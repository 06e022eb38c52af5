"""Who is asking, and what they may see.

Every request except the public ones (health, metrics, the schema, the document types, the
OpenAPI description, the blank workbook, the login page) needs a user: the API takes
``Authorization: Bearer chibo_…`` (a token from ``chibo admin token``), the web pages a
signed session cookie (HttpOnly, SameSite=Lax) set by the login form. A request made with
the session cookie that changes something must carry the session's CSRF token (the hidden
``csrf_token`` field of every form, or the ``X-CSRF-Token`` header).

Scoping: ``check_visible(organisation_id)`` raises NotFoundError for anything outside the
caller's organisations, so another organisation's ids answer 404 exactly like ids that do
not exist.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Flask, g, redirect, render_template, request, session, url_for

from service import accounts, extensions
from service.errors import ForbiddenError, NotFoundError, UnauthorizedError

bp = Blueprint("auth", __name__)

PUBLIC = {"health.healthz", "health.metrics", "api.schema", "api.document_types", "openapi.openapi_json",
          "batches.workbook", "auth.login", "auth.login_submit", "web.static"}
_SAFE = {"GET", "HEAD", "OPTIONS"}


@dataclass(frozen=True)
class Caller:
    """The signed-in user, detached from the database session."""

    id: str
    username: str
    role: str
    organisation_id: str | None
    visible: frozenset[str] | None  # None: every organisation (admin)
    via: str  # "token" or "session"

    def sees(self, organisation_id: str | None) -> bool:
        """True when this caller may see objects of *organisation_id*."""
        return self.visible is None or (organisation_id is not None and organisation_id in self.visible)


def caller() -> Caller:
    """The user of the current request (views run only once one is known)."""
    found: Caller | None = g.get("caller")
    if found is None:
        raise UnauthorizedError("Cần đăng nhập hoặc mã truy cập API.")
    return found


def check_visible(organisation_id: str | None, what: str) -> None:
    """NotFoundError (never 403) unless the caller may see objects of *organisation_id*."""
    if not caller().sees(organisation_id):
        raise NotFoundError(f"Không có {what}.")


def require_role(*roles: str) -> Caller:
    """The caller, if their role is one of *roles*; else ForbiddenError."""
    found = caller()
    if found.role not in roles:
        raise ForbiddenError("Vai trò của bạn không được làm việc này.")
    return found


def csrf_token() -> str:
    """The CSRF token of this session, made on first use."""
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return str(session["csrf"])


def _as_caller(db_session: Any, user: accounts.User, via: str) -> Caller:
    visible = accounts.visible_organisations(db_session, user)
    return Caller(user.id, user.username, user.role, user.organisation_id,
                  None if visible is None else frozenset(visible), via)


def _identify() -> Any:
    if request.endpoint is None or request.endpoint in PUBLIC:
        return None
    header = request.headers.get("Authorization", "")
    with extensions.session_scope() as db_session:
        user, via = None, "token"
        if header.lower().startswith("bearer "):
            user = accounts.user_for_token(db_session, header[7:].strip())
        elif session.get("user_id"):
            via = "session"
            user = db_session.get(accounts.User, session["user_id"])
            if user is not None and not user.active:
                user = None
        if user is not None:
            g.caller = _as_caller(db_session, user, via)
    if g.get("caller") is None:
        if request.blueprint == "web":
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        if header:
            raise UnauthorizedError("Mã truy cập API không đúng hoặc đã bị thu hồi.")
        raise UnauthorizedError("Cần mã truy cập API: gửi kèm tiêu đề Authorization: Bearer <mã>.")
    if g.caller.via == "session" and request.method not in _SAFE:
        check_csrf()
    return None


def check_csrf() -> None:
    """ForbiddenError unless the form (or X-CSRF-Token) carries this session's CSRF token."""
    sent = request.form.get("csrf_token") or request.headers.get("X-CSRF-Token") or ""
    if not sent or not hmac.compare_digest(sent, str(session.get("csrf", ""))):
        raise ForbiddenError("Phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ; "
                             "hãy tải lại trang và gửi lại.")


@bp.get("/dang-nhap")
def login() -> str:
    """The login form."""
    return render_template("login.html", next=request.args.get("next", ""), error=None)


@bp.post("/dang-nhap")
def login_submit() -> Any:
    """Check the username and password (and the form's CSRF token); start a fresh session."""
    username = request.form.get("username", "").strip()
    target = request.form.get("next", "")
    try:
        check_csrf()  # no login CSRF: a foreign page cannot sign the browser in as someone else
    except ForbiddenError:
        return render_template("login.html", next=target, error="Trang đăng nhập đã hết hạn; "
                               "hãy nhập lại."), 403
    if not target.startswith("/") or target.startswith("//"):
        target = url_for("web.index")  # never redirect off this site
    with extensions.session_scope() as db_session:
        user = accounts.check_password(db_session, username, request.form.get("password", ""))
        if user is None:
            accounts.record(db_session, None, "login-failed", "user", username[:64])
        else:
            accounts.record(db_session, user, "login", "user", user.id, user.organisation_id)
            user_id = user.id
    if user is None:
        return render_template("login.html", next=target, error="Tên đăng nhập hoặc mật khẩu không "
                               "đúng."), 401
    session.clear()  # no session fixation: a new session for the signed-in user
    session["user_id"] = user_id
    session.permanent = True
    csrf_token()
    return redirect(target, 303)


@bp.post("/dang-xuat")
def logout() -> Any:
    """End the session."""
    session.clear()
    return redirect(url_for("auth.login"), 303)


def init_app(app: Flask) -> None:
    """Cookie settings, the login pages, and the check before every request."""
    app.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
                      SESSION_COOKIE_SECURE=app.config["SESSION_COOKIE_SECURE"],
                      PERMANENT_SESSION_LIFETIME=app.config["SESSION_HOURS"] * 3600)
    app.register_blueprint(bp)
    app.before_request(_identify)
    app.jinja_env.globals["csrf_token"] = csrf_token
    app.jinja_env.globals["current_caller"] = lambda: g.get("caller")


def ownership(db_session: Any) -> dict[str, Any]:
    """``owner`` and ``created_by`` for ``pipeline.submit``, from the caller.

    ``owner(organisation_id)`` is the caller's organisation, or the one the data names by id
    when she may name it (``accounts.resolve_owner``); never one found by a typed name.
    """
    found = caller()
    return {"owner": lambda requested: accounts.resolve_owner(db_session, found.role, found.organisation_id,
                                                              requested),
            "created_by": found.id}


def audit(db_session: Any, action: str, object_type: str, object_id: str,
          organisation_id: str | None, detail: str = "") -> None:
    """One audit line for the caller's action."""
    accounts.record(db_session, g.get("caller"), action, object_type, object_id, organisation_id,
                    detail)
