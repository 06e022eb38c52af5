"""Who is asking, and what they may see.

Every request except the public ones (health, metrics, the schema, the document types, the
OpenAPI description, the blank workbook, the login page) needs a user: the API takes
``Authorization: Bearer chibo_…`` (a token from ``.venv/bin/chibo admin token``), the web pages a
signed session cookie (HttpOnly, SameSite=Lax) set by the login form. A request made with
the session cookie that changes something must carry the session's CSRF token (the hidden
``csrf_token`` field of every form, or the ``X-CSRF-Token`` header).

Scoping: ``check_visible(organisation_id)`` raises NotFoundError for anything outside the
caller's organisations, so another organisation's ids answer 404 exactly like ids that do
not exist.
"""

from __future__ import annotations

import hmac
import json
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import Blueprint, Flask, current_app, g, redirect, render_template, request, session, url_for

from service import accounts, extensions
from service.errors import ForbiddenError, NotFoundError, TooManyAttemptsError, UnauthorizedError
from service.http import sessions, throttle
from service.http.problems import wants_html

bp = Blueprint("auth", __name__)
logger = logging.getLogger(__name__)

_PUBLIC = "chibo_public"  # the mark @public leaves on a view
_SAFE = {"GET", "HEAD", "OPTIONS"}
KEEPS_FORM: set[str] = set()  # endpoints whose form is kept across an expired session (keeps_form)
_NOT_KEPT = {"csrf_token", "_restore", "action"}
_EXPIRED = ("Phiên làm việc đã hết hạn. Hãy đăng nhập lại: những gì bạn vừa nhập vẫn được giữ "
            "và sẽ hiện lại trên biểu mẫu.")
MIN_PASSWORD = 8
_View = TypeVar("_View", bound=Callable[..., Any])


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


def _find_caller(header: str) -> None:
    """Set ``g.caller`` from the token or the session cookie, when either is good."""
    with extensions.session_scope() as db_session:
        user, via = None, "token"
        if header.lower().startswith("bearer "):
            user = sessions.token_user(db_session, header[7:].strip())
        elif session.get("user_id"):
            via = "session"
            user = sessions.session_user(db_session)
        if user is not None:
            g.caller = _as_caller(db_session, user, via)


def optional_caller() -> Caller | None:
    """On a public address: the user, if the request carries a good token or session; else None."""
    if g.get("caller") is None:
        try:
            _find_caller(request.headers.get("Authorization", ""))
        except TooManyAttemptsError:
            return None
    found: Caller | None = g.get("caller")
    return found


def _identify() -> Any:
    if is_public(request.endpoint):
        return None
    header = request.headers.get("Authorization", "")
    _find_caller(header)
    if g.get("caller") is None:
        if not header and wants_html():
            return _signed_out()
        if header:
            raise UnauthorizedError("Mã truy cập API không đúng hoặc đã bị thu hồi.")
        raise UnauthorizedError("Cần mã truy cập API: gửi kèm tiêu đề Authorization: Bearer <mã>.")
    if g.caller.via == "session" and request.method not in _SAFE:
        try:
            check_csrf()
        except ForbiddenError:
            if request.endpoint not in KEEPS_FORM:
                raise
            g.restore = True  # a stale form: shown again with what was typed, nothing done
    return None


def _signed_out() -> Any:
    """A browser without a session: the login page, keeping a form it was sending."""
    if request.method in _SAFE:
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    pending = ""
    if request.endpoint in KEEPS_FORM:
        pending = json.dumps({k: v for k, v in request.form.items() if k not in _NOT_KEPT},
                             ensure_ascii=False)
        target = request.path
    else:  # nothing worth keeping (a button): back to the page it was pressed on
        target = _same_site(request.referrer or "") or url_for("web.index")
    return render_template("login.html", next=target, pending=pending, error=None,
                           notice=_EXPIRED if pending else "Phiên làm việc đã hết hạn; hãy đăng "
                           "nhập lại."), 401


def public(view: _View) -> _View:
    """Mark a view as open to anyone, without a token or a session: health, the login page, the
    schemas and blank workbook, a signing link (whose token is its permission). Every other view
    asks who is calling; the static files of the pages are public too (``is_public``)."""
    setattr(view, _PUBLIC, True)
    return view


def is_public(endpoint: str | None) -> bool:
    """True when *endpoint* answers anyone: marked ``@public``, or the static files of a blueprint."""
    if endpoint is None or endpoint == "static" or endpoint.endswith(".static"):
        return True
    return bool(getattr(current_app.view_functions.get(endpoint), _PUBLIC, False))


def keeps_form(view: _View) -> _View:
    """Mark a page's POST view as one whose form survives an expired session or a stale
    CSRF token: it is shown again with what was typed (``restoring``), and nothing is done."""
    KEEPS_FORM.add(f"web.{view.__name__}")
    return view


def restoring() -> int | None:
    """When this POST only brings a kept form back, the status to show it with: 200 after a
    login, 403 when its CSRF token was stale (refused, but nothing typed is lost); else None."""
    if g.get("restore"):
        return 403
    return 200 if request.form.get("_restore") == "1" else None


def _same_site(url: str) -> str | None:
    """The path of *url* if it points at this site, else None.

    Browsers drop tabs and line breaks from addresses and read ``\\`` as ``/``, so
    ``/<TAB>/evil.example`` and ``/\\evil.example`` are ``//evil.example``, another site: any
    control character or backslash is refused, and so is anything not a single-slash path.
    """
    host = request.host_url.rstrip("/")
    path = url[len(host):] if url.startswith(host + "/") else url
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in path) or "\\" in path:
        return None
    parts = urlsplit(path)
    if not path.startswith("/") or path.startswith("//") or parts.scheme or parts.netloc:
        return None
    return path


def check_csrf() -> None:
    """ForbiddenError unless the form (or X-CSRF-Token) carries this session's CSRF token."""
    sent = request.form.get("csrf_token") or request.headers.get("X-CSRF-Token") or ""
    if not sent or not hmac.compare_digest(sent, str(session.get("csrf", ""))):
        raise ForbiddenError("Phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ; "
                             "hãy tải lại trang và gửi lại.")


@bp.get("/dang-nhap")
@public
def login() -> str:
    """The login form."""
    return render_template("login.html", next=request.args.get("next", ""), pending="", error=None,
                           notice=None)


@bp.post("/dang-nhap")
@public
def login_submit() -> Any:
    """Check the username and password (and the form's CSRF token); start a fresh session.

    A form kept from an expired session (``pending``) is sent back to its page after login,
    to be shown filled in again.
    """
    username = request.form.get("username", "").strip()
    target = _same_site(request.form.get("next", "")) or url_for("web.index")  # never off this site
    pending = request.form.get("pending", "")
    again = {"next": target, "pending": pending, "notice": _EXPIRED if pending else None}
    try:
        check_csrf()  # no login CSRF: a foreign page cannot sign the browser in as someone else
    except ForbiddenError:
        return render_template("login.html", error="Trang đăng nhập đã hết hạn; hãy nhập lại.",
                               **again), 403
    counters = (throttle.account(username), throttle.address())
    wait = throttle.retry_after(*counters)
    if wait:  # before any password is looked at: the right one waits too
        logger.warning("login throttled: %s from %s for %d s", username[:64], counters[1].who, wait)
        return render_template("login.html", error=TooManyAttemptsError(wait).detail,
                               **again), 429, {"Retry-After": str(wait)}
    with extensions.session_scope() as db_session:
        user = accounts.check_password(db_session, username, request.form.get("password", ""))
        if user is None:
            sessions.failed(db_session, counters, "login-failed", username)
        else:
            throttle.succeeded(counters[0])
            accounts.record(db_session, user, "login", "user", user.id, user.organisation_id)
            user_id, version = user.id, user.session_version
    if user is None:
        return render_template("login.html", error="Tên đăng nhập hoặc mật khẩu không đúng.",
                               **again), 401
    sessions.start(user_id, version)
    csrf_token()
    fields = _pending_fields(pending)
    if fields is not None:
        return render_template("resume.html", target=target, fields=fields)
    return redirect(target, 303)


def _pending_fields(pending: str) -> dict[str, str] | None:
    """The kept form's fields, if *pending* holds them (text only; anything else is dropped)."""
    if not pending:
        return None
    try:
        data = json.loads(pending)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    return {str(k): v for k, v in data.items() if isinstance(v, str) and k not in _NOT_KEPT}


@bp.post("/dang-xuat")
def logout() -> Any:
    """End the session, and every other session of the user (a copy of the cookie too)."""
    found = caller()
    with extensions.session_scope() as db_session:
        user = db_session.get(accounts.User, found.id)
        if user is not None:
            accounts.end_sessions(user)
        audit(db_session, "logout", "user", found.id, found.organisation_id)
    session.clear()
    return redirect(url_for("auth.login"), 303)


@bp.get("/doi-mat-khau")
def password_form() -> str:
    """The form to change one's own password."""
    return render_template("password.html", error=None, done=False)


@bp.post("/doi-mat-khau")
def password_submit() -> Any:
    """Change the signed-in user's password: the old one first, the new one twice (audited)."""
    found = caller()
    old, new = request.form.get("old_password", ""), request.form.get("new_password", "")
    error, status = None, 400
    if len(new) < MIN_PASSWORD:
        error = f"Mật khẩu mới phải có ít nhất {MIN_PASSWORD} ký tự."
    elif new != request.form.get("new_password_again", ""):
        error = "Hai lần nhập mật khẩu mới không giống nhau."
    elif new == old:
        error = "Mật khẩu mới phải khác mật khẩu cũ."
    with extensions.session_scope() as db_session:
        user = accounts.check_password(db_session, found.username, old) if error is None else None
        if error is None and user is None:
            error, status = "Mật khẩu hiện tại không đúng.", 401
            audit(db_session, "password-change-failed", "user", found.id, found.organisation_id)
        elif user is not None:
            accounts.set_password(user, new)  # ends every session of the user, this one too
            audit(db_session, "password-change", "user", found.id, found.organisation_id)
            version = user.session_version
    if error is not None:
        return render_template("password.html", error=error, done=False), status
    sessions.start(found.id, version)
    csrf_token()  # a new session here, as after a login; the others end
    return render_template("password.html", error=None, done=True)


def init_app(app: Flask) -> None:
    """Cookie settings, the login pages, and the check before every request."""
    app.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
                      SESSION_COOKIE_SECURE=app.config["SESSION_COOKIE_SECURE"],
                      PERMANENT_SESSION_LIFETIME=app.config["SESSION_HOURS"] * 3600,
                      SESSION_REFRESH_EACH_REQUEST=False)  # rewritten when "seen" moves only
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
