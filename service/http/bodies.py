"""JSON from clients, read so that no body can take the process down.

Python's parser recurses: an array nested 1,000 deep is a ``RecursionError`` (which Flask does
not treat as bad JSON: a 500), and a shallower one that parses recurses again in every
validator and serializer after it. Every JSON body (``request.get_json``, through the app's
JSON provider) and every JSON text of a form or an uploaded file (``loads``) is refused —
as invalid JSON, a 400 — when it nests deeper than ``JSON_MAX_DEPTH``.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Flask, current_app
from flask.json.provider import DefaultJSONProvider


class TooDeepError(ValueError):
    """Raised when a JSON text nests deeper than the limit (or than the parser can)."""


def depth(value: Any) -> int:
    """How deep *value* nests (a scalar is 0, ``[]`` is 1), counted without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            item = list(item.values())
        elif not isinstance(item, list):
            continue
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in item if isinstance(child, dict | list))
    return deepest


def loads(text: str | bytes, limit: int | None = None) -> Any:
    """*text* parsed; ValueError when it is no JSON, TooDeepError when it nests too deep."""
    limit = current_app.config["JSON_MAX_DEPTH"] if limit is None else limit
    try:
        data = json.loads(text)
    except RecursionError as exc:
        raise TooDeepError("JSON nests too deep") from exc
    if depth(data) > limit:
        raise TooDeepError(f"JSON nests deeper than {limit}")
    return data


class SafeJSONProvider(DefaultJSONProvider):
    """Flask's JSON, whose ``loads`` (``request.get_json``) refuses what nests too deep."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        """Parse *s*; ValueError (so Flask's bad-JSON path) when it is no JSON or too deep."""
        return loads(s, self._app.config["JSON_MAX_DEPTH"])


def init_app(app: Flask) -> None:
    """Make the app read request bodies with the safe parser."""
    provider = SafeJSONProvider(app)
    provider.ensure_ascii = False
    app.json = provider
