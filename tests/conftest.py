"""Fixtures shared by every test: an isolated app and its test client."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from service import create_app


@pytest.fixture(name="app")
def _app(tmp_path: Path) -> Flask:
    """A fresh app with its own SQLite file and storage folder."""
    return create_app({"TESTING": True, "DATA_DIR": str(tmp_path / "var"),
                       "REDIS_URL": "redis://127.0.0.1:1/0"})


@pytest.fixture(name="client")
def _client(app: Flask) -> FlaskClient:
    """A test client of the app."""
    return app.test_client()
