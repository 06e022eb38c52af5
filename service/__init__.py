"""chibo-docs: official documents of a Vietnamese Party cell, from meeting data.

``create_app`` (``service/app.py``) builds the Flask app; the packages are stacked in rows
(docs/development.md, "How it is built"): ``meetings`` → ``spreadsheets`` → ``documents``/``conversion``/
``storage``/``accounts`` → ``jobs`` → ``migrations`` → ``extensions`` → ``http`` → ``app`` →
``cli``.
"""

from __future__ import annotations

from service.app import create_app

__all__ = ["create_app"]
