"""Alembic's environment: the connection comes from ``service.migrations``, the target from
the models (``service.database.Base``, filled by ``service.jobs.models``,
``service.accounts.models`` and ``service.roster.models``). Run it through ``chibo db …``, not the
``alembic`` command."""

from __future__ import annotations

from alembic import context

from service.accounts import models as accounts_models
from service.customtemplates import models as templates_models
from service.database import Base
from service.jobs import models as jobs_models
from service.roster import models as roster_models
from service.seasons import models as seasons_models
from service.selfreviews import models as selfreviews_models

# importing them puts their tables in Base.metadata
MODELS = (accounts_models, jobs_models, roster_models, templates_models, selfreviews_models, seasons_models)

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations with `chibo db upgrade` (service.migrations), not alembic")
context.configure(connection=connection, target_metadata=Base.metadata,
                  render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
