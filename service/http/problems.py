"""Every HTTP error, built in one place: ``application/problem+json`` (RFC 9457) for the API,
a Vietnamese page with a way back for a person in a browser.

``ServiceError`` subclasses carry their status, type and Vietnamese title; validation
problems add ``errors``, a list of ``{field, detail}``. Werkzeug's HTTP errors become
problems too, and anything unexpected is logged and answered with an opaque 500.

Which of the two: ``wants_html`` — the web pages and the login pages always answer with a page;
any other address (the API, an unknown path) answers with a page only to a request that sends
no ``Authorization`` header and prefers ``text/html`` (a browser following a link, e.g. a PDF
whose job was deleted); scripts and the pages' own ``fetch`` get problem+json.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, json, render_template, request
from werkzeug.exceptions import HTTPException

from service.errors import (
    InvalidMeetingError,
    PackageNotReadyError,
    ServiceError,
    TooManyAttemptsError,
    UnauthorizedError,
)

logger = logging.getLogger(__name__)

_HTTP = {
    400: ("Yêu cầu không hợp lệ", "Yêu cầu không hợp lệ."),
    404: ("Không tìm thấy", "Không tìm thấy địa chỉ này."),
    403: ("Không có quyền", "Bạn không được mở địa chỉ này."),
    409: ("Xung đột", "Việc này không làm được ở trạng thái hiện tại."),
    405: ("Phương thức không được hỗ trợ", "Phương thức không được hỗ trợ cho địa chỉ này."),
    413: ("Dữ liệu quá lớn", "Dữ liệu gửi lên quá lớn."),
    429: ("Quá nhiều yêu cầu", "Quá nhiều yêu cầu; hãy thử lại sau ít phút."),
    431: ("Tiêu đề yêu cầu quá lớn", "Tiêu đề (header) của yêu cầu quá lớn."),
    415: ("Kiểu nội dung không được hỗ trợ",
          "Kiểu nội dung không được hỗ trợ; hãy gửi application/json."),
}


_PAGE_BLUEPRINTS = {"web", "auth", "roster_web", "signing_pages"}


def wants_html() -> bool:
    """True when the error of this request should be a web page rather than problem+json."""
    if request.blueprint in _PAGE_BLUEPRINTS:
        return True
    if request.headers.get("Authorization"):
        return False
    best = request.accept_mimetypes.best_match(["application/json", "application/problem+json",
                                                "text/html"])
    return best == "text/html"


def page(status: int, title: str, detail: str) -> Response:
    """The error as a Vietnamese web page, with links back."""
    try:
        html = render_template("error.html", status=status, title=title, detail=detail,
                               back=_back())
    except Exception:  # the page of an error must never fail: plain text then
        logger.exception("error page failed")
        return Response(f"{title}: {detail}", status=status, mimetype="text/plain")
    return Response(html, status=status, mimetype="text/html")


def _back() -> str | None:
    """The page the user came from, if it is on this site and not this very page."""
    referrer = request.referrer or ""
    host = request.host_url.rstrip("/")
    if not referrer.startswith(host + "/"):
        return None
    path = referrer[len(host):]
    return None if path.split("?")[0] == request.path or path.startswith("//") else path


def problem(status: int, title: str, detail: str, type_: str = "about:blank",
            **extra: Any) -> Response:
    """A problem+json response."""
    body = {"type": type_ if type_ == "about:blank" else f"/problems/{type_}",
            "title": title, "status": status, "detail": detail, **extra}
    text = json.dumps(body, ensure_ascii=False)
    try:
        data = text.encode()
    except UnicodeEncodeError:  # a lone surrogate echoed from the input: send it escaped
        data = json.dumps(body).encode()
    return Response(data, status=status, mimetype="application/problem+json")


def _service_error(error: ServiceError) -> Response:
    if wants_html():
        response = page(error.status, error.title, error.detail)
        if isinstance(error, PackageNotReadyError):  # the page reloads itself until the file is there
            response.headers["Refresh"] = str(error.retry_after)
    else:
        extra = dict(error.extra)
        if isinstance(error, InvalidMeetingError):
            extra["errors"] = [p.as_dict() for p in error.problems]
        response = problem(error.status, error.title, error.detail, error.type, **extra)
        if isinstance(error, UnauthorizedError):
            response.headers["WWW-Authenticate"] = 'Bearer realm="chibo-docs"'
    if isinstance(error, (TooManyAttemptsError, PackageNotReadyError)):
        response.headers["Retry-After"] = str(error.retry_after)
    return response


def _http_error(error: HTTPException) -> Response:
    status = error.code or 500
    title, detail = _HTTP.get(status, (error.name, error.description or ""))
    response = page(status, title, detail) if wants_html() else problem(status, title, detail)
    allow = error.get_response().headers.get("Allow")
    if allow:
        response.headers["Allow"] = allow
    return response


def _unexpected(error: Exception) -> Response:
    logger.exception("unhandled error", exc_info=error)
    if wants_html():
        return page(500, "Lỗi hệ thống", "Đã xảy ra lỗi không mong muốn; vui lòng thử lại sau.")
    return problem(500, "Lỗi hệ thống", "Đã xảy ra lỗi không mong muốn; vui lòng thử lại sau.")


def init_app(app: Flask) -> None:
    """Register the three handlers."""
    app.register_error_handler(ServiceError, _service_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected)
