"""The database's foundations: the declarative base, ids, time, and engines.

The tables of ``service.jobs.models`` and ``service.accounts.models`` share this ``Base``;
they are made by the migrations in ``service/migrations`` (Alembic), not from the classes: a
change to a model needs a new revision (``chibo db revision -m "…"``), and a test fails until
it has one.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase


def now() -> datetime:
    """The current UTC time, naive, as the tables store it."""
    return datetime.now(UTC).replace(tzinfo=None)


def new_id() -> str:
    """An unguessable id (128 random bits)."""
    return uuid.uuid4().hex


class Base(DeclarativeBase):
    """Declarative base of the service's tables."""


def sqlite_pragmas(engine: Engine, *pragmas: str) -> Engine:
    """*engine*, running ``PRAGMA`` *pragmas* on each new connection when it is SQLite."""
    if engine.dialect.name == "sqlite":

        def run(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            for pragma in pragmas:
                cursor.execute(f"PRAGMA {pragma}")
            cursor.close()

        event.listen(engine, "connect", run)
    return engine


def make_engine(url: str) -> Engine:
    """An engine for *url*; SQLite gets WAL and a busy timeout for concurrent workers."""
    # busy_timeout first: switching to WAL may have to wait
    return sqlite_pragmas(create_engine(url, pool_pre_ping=True),
                          "busy_timeout=30000", "journal_mode=WAL", "foreign_keys=ON")
