"""Every HTTP error as ``application/problem+json`` (RFC 9457), built in one place.

``ServiceError`` subclasses carry their status, type and Vietnamese title; validation
problems add ``errors``, a list of ``{field, detail}``. Werkzeug's HTTP errors become
problems too, and anything unexpected is logged and answered with an opaque 500.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, json
from werkzeug.exceptions import HTTPException

from service.errors import InvalidMeetingError, ServiceError, UnauthorizedError

logger = logging.getLogger(__name__)

_HTTP = {
    400: ("Yêu cầu không hợp lệ", "Yêu cầu không hợp lệ."),
    404: ("Không tìm thấy", "Không tìm thấy địa chỉ này."),
    405: ("Phương thức không được hỗ trợ", "Phương thức không được hỗ trợ cho địa chỉ này."),
    413: ("Dữ liệu quá lớn", "Dữ liệu gửi lên quá lớn."),
    415: ("Kiểu nội dung không được hỗ trợ",
          "Kiểu nội dung không được hỗ trợ; hãy gửi application/json."),
}


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
    extra = dict(error.extra)
    if isinstance(error, InvalidMeetingError):
        extra["errors"] = [p.as_dict() for p in error.problems]
    response = problem(error.status, error.title, error.detail, error.type, **extra)
    if isinstance(error, UnauthorizedError):
        response.headers["WWW-Authenticate"] = 'Bearer realm="chibo-docs"'
    return response


def _http_error(error: HTTPException) -> Response:
    status = error.code or 500
    title, detail = _HTTP.get(status, (error.name, error.description or ""))
    response = problem(status, title, detail)
    allow = error.get_response().headers.get("Allow")
    if allow:
        response.headers["Allow"] = allow
    return response


def _unexpected(error: Exception) -> Response:
    logger.exception("unhandled error", exc_info=error)
    return problem(500, "Lỗi hệ thống", "Đã xảy ra lỗi không mong muốn; vui lòng thử lại sau.")


def init_app(app: Flask) -> None:
    """Register the three handlers."""
    app.register_error_handler(ServiceError, _service_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected)
