"""Fixtures shared by every test: an isolated app and its test client."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from service import create_app
from tests import s3server
from tests.s3server import S3Server


@pytest.fixture(name="app")
def _app(tmp_path: Path) -> Flask:
    """A fresh app with its own SQLite file and storage folder."""
    return create_app({"TESTING": True, "DATA_DIR": str(tmp_path / "var"),
                       "REDIS_URL": "redis://127.0.0.1:1/0"})


@pytest.fixture(name="client")
def _client(app: Flask) -> FlaskClient:
    """A test client of the app."""
    return app.test_client()


@pytest.fixture(name="s3_server", scope="session")
def _s3_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[S3Server]:
    """SeaweedFS's S3 gateway on free loopback ports, started once and stopped after."""
    server = s3server.start(tmp_path_factory.mktemp("s3"))
    yield server
    server.stop()


@pytest.fixture(name="bucket")
def _bucket() -> str:
    """A bucket name no other test uses."""
    return f"test-{uuid.uuid4().hex[:16]}"
