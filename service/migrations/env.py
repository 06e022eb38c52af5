"""Alembic's environment: the connection comes from ``service.migrations``, the target from
the models (``service.db.Base``). Run it through ``chibo db …``, not the ``alembic`` command."""

from __future__ import annotations

from alembic import context

from service.db import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations with `chibo db upgrade` (service.migrations), not alembic")
context.configure(connection=connection, target_metadata=Base.metadata,
                  render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
