"""chibo-docs: official documents of a Vietnamese Party cell, from meeting data.

``create_app`` (``service/app.py``) builds the Flask app; the packages are stacked in rows
(docs/development.md, "How it is built"): ``meetings`` → ``spreadsheets`` → ``documents``/``conversion``/
``storage``/``accounts`` → ``jobs`` → ``migrations`` → ``extensions`` → ``http`` → ``app`` →
``cli``.

``create_app`` is imported on first use, not with the package: ``python -m service.roles``
(each role's start, the image's HEALTHCHECK) and ``service.config`` then start without loading
Flask, SQLAlchemy, LibreOffice's client and the PDF libraries.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from service.app import create_app

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    """``service.create_app``, imported when first asked for."""
    if name == "create_app":
        from service.app import create_app

        return create_app
    raise AttributeError(f"module 'service' has no attribute {name!r}")
