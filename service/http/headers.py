"""The headers every answer carries: what a browser may run, frame, send on and keep.

- ``Content-Security-Policy``: scripts and styles from this site's files only (no inline
  script, no inline style, no ``eval``), no plugins, no framing, forms posted to this site only.
- ``X-Frame-Options: DENY`` (older browsers), ``X-Content-Type-Options: nosniff``,
  ``Referrer-Policy: same-origin`` (a page's address, with its ids, never leaves the site).
- ``Strict-Transport-Security`` when ``SESSION_COOKIE_SECURE`` (the service is behind TLS).
- ``Cache-Control: no-store`` on everything but the pages' static files: pages, JSON and
  downloads hold members' names, ratings and criticism, and no browser or proxy cache keeps
  them (a shared office computer's next user, the back button after logging out).
"""

from __future__ import annotations

from flask import Flask, Response, current_app, request

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; font-src 'self'; form-action 'self'; frame-ancestors 'none'; "
       "base-uri 'none'; object-src 'none'")
HSTS = "max-age=31536000; includeSubDomains"
_CACHED = {"web.static"}  # the pages' CSS and script: the same for everyone


def _secure(response: Response) -> Response:
    headers = response.headers
    if response.mimetype != "application/pdf":  # a PDF opens in the browser's own viewer
        headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if current_app.config["SESSION_COOKIE_SECURE"]:
        headers.setdefault("Strict-Transport-Security", HSTS)
    if request.endpoint not in _CACHED:
        headers["Cache-Control"] = "no-store"
        headers.pop("Expires", None)
        headers.pop("ETag", None)
        headers.pop("Last-Modified", None)
    return response


def init_app(app: Flask) -> None:
    """Add the headers to every answer, errors included."""
    app.after_request(_secure)
