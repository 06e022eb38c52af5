"""Fixtures shared by every test: an isolated app on SQLite and on PostgreSQL, its client.

Each test's database is a copy of a template migrated once per session (a file copy on
SQLite, ``CREATE DATABASE … TEMPLATE`` on PostgreSQL), and the suite's temporary files are on
tmpfs (/dev/shm) when the machine has one and TMPDIR is not set: see docs/development.md, "Tests".
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from service import create_app, extensions, migrations
from tests.support import measures, people, s3server
from tests.support.postgres import PostgresServer
from tests.support.s3server import S3Server
from tests.support.scheduling import pytest_xdist_make_scheduler  # noqa: F401 - hook: which process runs what
from tests.support.smtp import SmtpServer

# SQLite's commits, PostgreSQL's database copies, LibreOffice's profiles and the stored
# documents then never wait for the disk (a developer's own TMPDIR wins)
if "TMPDIR" not in os.environ and os.access("/dev/shm", os.W_OK | os.X_OK):
    os.environ["TMPDIR"] = "/dev/shm"
    tempfile.tempdir = None


def pytest_configure(config: pytest.Config) -> None:
    """The suite's own measures (tests/support/measures.py) as a plugin: it sees every fixture's setup,
    the session's too (a conftest's hooks see only the tests under it)."""
    if not config.pluginmanager.has_plugin("chibo-measures"):
        config.pluginmanager.register(measures, "chibo-measures")


@pytest.fixture(name="sqlite_template", scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated to head once; each test's database is a copy of it."""
    path = tmp_path_factory.mktemp("sqlite-template") / "template.sqlite3"
    migrations.upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(name="postgres", scope="session")
def _postgres() -> Iterator[PostgresServer]:
    """A PostgreSQL server of our own, with a template database migrated to head."""
    server = PostgresServer()
    yield server
    server.stop()


def _database(request: pytest.FixtureRequest, path: Path, **template: str) -> Iterator[str]:
    """A new SQLite file at *path*, or a new PostgreSQL database (from *template*), dropped after.

    Both are at head (copies of a migrated template) unless *template* is ``template0``: empty.
    """
    if request.param == "sqlite":
        if template.get("template") != "template0":
            shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    server: PostgresServer = request.getfixturevalue("postgres")
    name = server.create_database(**template)
    yield server.url(name)
    server.drop_database(name)


@pytest.fixture(name="database_url", params=["sqlite", "postgresql"])
def _database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database of this test alone: a new SQLite file, or a new PostgreSQL database at head."""
    yield from _database(request, tmp_path / "chibo.sqlite3")


@pytest.fixture(name="empty_database_url", params=["sqlite", "postgresql"])
def _empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database with no tables at all, for the migrations themselves."""
    yield from _database(request, tmp_path / "empty.sqlite3", template="template0")


@pytest.fixture(name="app")
def _app(tmp_path: Path, database_url: str) -> Iterator[Flask]:
    """A fresh app with its own database (at head already: not migrated again) and storage folder."""
    app = create_app({"TESTING": True, "DATA_DIR": str(tmp_path / "var"), "DATABASE_URL": database_url,
                      "REDIS_URL": "redis://127.0.0.1:1/0", "DB_AUTO_MIGRATE": False,
                      "THROTTLE_STORAGE_URI": "memory://"})
    yield app
    extensions.dispose(app)


@pytest.fixture(name="client")
def _client(app: Flask) -> FlaskClient:
    """A test client of the app, signed in with the token of a đảng ủy office user."""
    return people.as_user(app.test_client(), people.token(app))


@pytest.fixture(name="anonymous")
def _anonymous(app: Flask) -> FlaskClient:
    """A test client with no token and no session."""
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


@pytest.fixture(name="smtp_server", scope="session")
def _smtp_server() -> Iterator[SmtpServer]:
    """A real local SMTP server (aiosmtpd) receiving what the service sends."""
    server = SmtpServer().start()
    yield server
    server.stop()
