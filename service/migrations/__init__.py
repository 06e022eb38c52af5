"""The database schema, kept by Alembic: upgrade under a lock, the current revision, new ones.

The migration environment lives in this package (``env.py``, ``versions/``) and is configured
from code, so an installed service finds it and no ``alembic.ini`` is needed. ``extensions.init_app``
calls ``upgrade`` when ``DB_AUTO_MIGRATE`` is on; ``chibo db upgrade|current|revision`` call
the same functions.

Several processes may start at once (the web service and each worker process). On PostgreSQL
the upgrade runs in one transaction that holds an advisory lock, so the first one migrates and
the others find the database at head; on SQLite (whose DDL pysqlite does not run in a
transaction) it runs under an exclusive file lock beside the database file. A database made by
the ``create_all`` of earlier versions (the tables, no ``alembic_version``) is stamped with the
first revision, which creates exactly that schema, and then upgraded.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import logging
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import NullPool

from service import database

HERE = Path(__file__).resolve().parent
BASELINE = "0001"  # the schema the create_all of earlier versions made
_LOCK_KEY = 0x63_68_69_62_6F  # "chibo": the PostgreSQL advisory lock of the migrations

log = logging.getLogger(__name__)


def alembic_config(connection: Connection | None = None, versions: Path | None = None) -> Config:
    """Alembic's configuration, from code; *versions* is an extra folder for new revisions."""
    config = Config(cmd_opts=argparse.Namespace(quiet=True))  # the callers say what happened
    config.set_main_option("script_location", str(HERE))
    config.set_main_option("path_separator", "os")
    if versions is not None:
        config.set_main_option("version_locations", os.pathsep.join([str(HERE / "versions"), str(versions)]))
    config.attributes["connection"] = connection
    return config


def _engine(url: str) -> Engine:
    """An engine for migrating: no pool, and on SQLite a busy timeout and no foreign keys.

    Batch mode rebuilds a SQLite table by dropping it: with foreign keys on, the drop would
    cascade into the rows that refer to it.
    """
    return database.sqlite_pragmas(create_engine(url, poolclass=NullPool),
                             "busy_timeout=30000", "foreign_keys=OFF")


@contextlib.contextmanager
def _file_lock(database: str | None) -> Iterator[None]:
    if not database or database == ":memory:" or database.startswith("file:"):
        yield  # a private in-memory database: nobody to race with
        return
    with open(f"{database}-migrate.lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextlib.contextmanager
def _locked(engine: Engine) -> Iterator[Connection]:
    """A connection in a transaction, holding the lock that serialises migrations."""
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
            yield connection
    else:
        with _file_lock(engine.url.database), engine.begin() as connection:
            yield connection


def _revision_of(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def upgrade(url: str, revision: str = "head", versions: Path | None = None) -> str | None:
    """Bring the database at *url* to *revision* (safe when run by many processes at once).

    *versions* is an extra folder of revisions (the tests' own).
    """
    engine = _engine(url)
    try:
        with _locked(engine) as connection:
            config = alembic_config(connection, versions)
            if _revision_of(connection) is None and inspect(connection).has_table("jobs"):
                log.info("database made before migrations: stamped %s", BASELINE)
                command.stamp(config, BASELINE)
            command.upgrade(config, revision)
            return _revision_of(connection)
    finally:
        engine.dispose()


def current(url: str) -> str | None:
    """The revision the database at *url* is at (None: not migrated)."""
    engine = _engine(url)
    try:
        with engine.connect() as connection:
            return _revision_of(connection)
    finally:
        engine.dispose()


def head() -> str | None:
    """The newest revision in ``versions/``."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def revision(message: str, versions: Path | None = None) -> Path:
    """Write a new revision: what the models have that the schema at head lacks.

    The schema at head is built in a scratch SQLite file, so no database is needed; the
    operations are written in batch form, which runs on PostgreSQL and SQLite alike. The
    file goes to ``versions/`` (or to *versions*) with the next number as its id.
    """
    with tempfile.TemporaryDirectory() as scratch:
        engine = _engine(f"sqlite:///{scratch}/head.sqlite3")
        try:
            with engine.begin() as connection:
                config = alembic_config(connection, versions)
                command.upgrade(config, "head")
                # the highest number + 1 (not the count: revisions made on branches leave gaps)
                number = max(int(found.revision) for found in
                             ScriptDirectory.from_config(config).walk_revisions()) + 1
                script = command.revision(config, message=message, autogenerate=True,
                                          rev_id=f"{number:04d}",
                                          version_path=str(versions) if versions else None)
        finally:
            engine.dispose()
    assert script is not None and not isinstance(script, list)
    return Path(script.path)
