"""Query parameters and JSON bodies of the API, read and checked in one place, and the pages of a list."""

from __future__ import annotations

from typing import Any

from flask import request, url_for

from service.errors import BadRequestError, UnsupportedMediaTypeError

MAX_QUERY = 200  # characters of ?q=
_YES, _NO = {"1"}, {"0"}


def flag(name: str) -> bool:
    """The query parameter *name* as a yes/no flag (absent: no; present, it is 1 or 0); else 400."""
    if name not in request.args:
        return False
    value = request.args.get(name, "").strip().lower()
    if value not in _YES | _NO:
        raise BadRequestError(f"Tham số {name} chỉ nhận 1 hoặc 0.",
                              errors=[{"field": name, "detail": "1 hoặc 0."}])
    return value in _YES


def int_arg(name: str, low: int, high: int, default: int | None = None) -> int | None:
    """The query parameter *name* as an integer in [low, high] (absent: *default*); else 400."""
    raw = request.args.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise BadRequestError(f"Tham số {name} phải là số nguyên từ {low} đến {high}.",
                              errors=[{"field": name, "detail": f"Số nguyên từ {low} đến {high}."}])
    return int(raw)


def text_arg(name: str) -> str | None:
    """The query parameter *name* (empty: None); above ``MAX_QUERY`` characters, 400."""
    value = request.args.get(name, "").strip() or None
    if value is not None and len(value) > MAX_QUERY:
        raise BadRequestError(f"Tham số {name} tối đa {MAX_QUERY} ký tự.",
                              errors=[{"field": name, "detail": f"Tối đa {MAX_QUERY} ký tự."}])
    return value


def page(endpoint: str, items: list[dict[str, Any]], cursor: str | None, **filters: Any) -> dict[str, Any]:
    """``{"items": […], "next": <address of the next page, or null>}``."""
    kept = {name: value for name, value in filters.items() if value is not None}
    return {"items": items, "next": url_for(endpoint, **kept, after=cursor) if cursor else None}


def json_object() -> dict[str, Any]:
    """The request's JSON object (415 for another type, 400 for anything else)."""
    if not request.is_json:
        raise UnsupportedMediaTypeError("Kiểu nội dung không được hỗ trợ; hãy gửi application/json.")
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise BadRequestError("Nội dung gửi lên phải là một đối tượng JSON.")
    return data
