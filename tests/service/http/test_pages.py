"""The web pages' own files and routes, without a browser (tests/integration/test_web.py has one)."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(("path", "kind"), [("/static/app.js", "javascript"), ("/static/app.css", "css")])
def test_the_pages_script_and_stylesheet_are_served(anonymous, path, kind):
    """app.js and app.css come from service/http/static, to anyone (the login page needs them)."""
    response = anonymous.get(path)
    assert response.status_code == 200 and kind in response.content_type
