"""The schema by Alembic on SQLite and PostgreSQL: head equals the models, starts at once, revisions."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Column, Integer, Table, create_engine, inspect, select, text

from service import create_app, database, extensions, migrations
from service.config import PROJECT_ROOT
from service.jobs import models

TABLES = {"batches", "jobs", "documents", "alembic_version", "organisations", "users", "api_tokens",
          "audit_events", "job_revisions", "roster_members", "template_versions", "self_reviews",
          "sign_in_links", "seasons", "season_units", "member_decisions", "notices", "package_states"}

# imports everything, says it is ready, waits for the go, then starts like a web or worker process
_START = """
import sys, time
from pathlib import Path
from service import create_app, migrations
from service.http import health
from service.http.api import batches as api_batches
from service.http.api import jobs as api_jobs
from service.http.pages import meetings as pages
from service.jobs import queue
folder = Path(sys.argv[1])
(folder / f"ready-{sys.argv[2]}").touch()
while not (folder / "go").exists():
    time.sleep(0.005)
create_app()
"""


def _tables(url):
    engine = create_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_migrated_schema_matches_the_models(empty_database_url):
    """Alembic sees no difference between head and the models: a model change needs a revision."""
    migrations.upgrade(empty_database_url)
    engine = create_engine(empty_database_url)
    with engine.connect() as connection:
        difference = compare_metadata(MigrationContext.configure(connection), database.Base.metadata)
    engine.dispose()
    assert difference == []


def test_processes_starting_at_once_all_come_up_at_head(empty_database_url, tmp_path):
    """Four apps created at the same instant on an empty database all start; it ends at head."""
    env = {**os.environ, "DATABASE_URL": empty_database_url, "DATA_DIR": str(tmp_path / "var")}
    starts = [subprocess.Popen([sys.executable, "-c", _START, str(tmp_path), str(i)], env=env,
                               cwd=PROJECT_ROOT, stderr=subprocess.PIPE) for i in range(4)]
    deadline = time.monotonic() + 60
    while len(list(tmp_path.glob("ready-*"))) < len(starts) and time.monotonic() < deadline:
        time.sleep(0.02)
    (tmp_path / "go").touch()
    for start in starts:
        _, errors = start.communicate(timeout=60)
        assert start.returncode == 0, errors.decode()
    assert migrations.current(empty_database_url) == migrations.head()
    assert _tables(empty_database_url) == TABLES


def test_a_database_made_before_migrations_is_adopted(empty_database_url):
    """Tables from the old create_all, without alembic_version, are stamped and keep their rows."""
    migrations.upgrade(empty_database_url, "0001")  # the schema create_all made before migrations
    engine = create_engine(empty_database_url)
    with engine.begin() as connection:
        connection.execute(text("DROP TABLE alembic_version"))
        connection.execute(text("INSERT INTO batches (id, title, content_hash, created_at) "
                                "VALUES (:id, 'cũ', 'h', :at)"), {"id": "b" * 32, "at": database.now()})
    assert migrations.upgrade(empty_database_url) == migrations.head()
    with engine.connect() as connection:
        assert connection.scalars(select(models.Batch.title)).all() == ["cũ"]
    engine.dispose()


def test_jobs_made_before_revisions_get_their_year_and_search_text(empty_database_url):
    """0003 fills in the year, the folded title and the unit of rows made before it, revision 1."""
    migrations.upgrade(empty_database_url, "0002")
    engine = create_engine(empty_database_url)
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO jobs (id, position, kind, title, input_key, warnings_json, "
                                "created_at) VALUES (:id, 0, 'monthly', :title, 'k', '[]', :at)"),
                           {"id": "j" * 32, "title": "Chi bộ Thôn Đông – tháng 11/2025",
                            "at": database.now()})
    migrations.upgrade(empty_database_url)
    with engine.connect() as connection:
        row = connection.execute(text("SELECT year, search, unit_name, revision, is_draft FROM jobs")).one()
    engine.dispose()
    assert tuple(row) == (2025, "chi bo thon dong thang 11 2025", "Chi bộ Thôn Đông", 1, False)


def test_downgrade_to_base_drops_the_tables(empty_database_url):
    """The first revision undoes itself."""
    migrations.upgrade(empty_database_url)
    engine = create_engine(empty_database_url)
    with engine.begin() as connection:
        command.downgrade(migrations.alembic_config(connection), "base")
    engine.dispose()
    assert _tables(empty_database_url) == {"alembic_version"}


def test_auto_migrate_off_leaves_the_database_alone(empty_database_url, tmp_path):
    """With DB_AUTO_MIGRATE off, starting the app creates nothing (`chibo db upgrade` does)."""
    app = create_app({"TESTING": True, "DATA_DIR": str(tmp_path / "var"), "DB_AUTO_MIGRATE": False,
                      "DATABASE_URL": empty_database_url})
    extensions.dispose(app)
    assert migrations.current(empty_database_url) is None
    assert _tables(empty_database_url) == set()


def test_revision_writes_what_the_models_added(tmp_path):
    """A table added to the models gives the next numbered revision creating it, ruff-clean."""
    notes = Table("notes", database.Base.metadata, Column("id", Integer, primary_key=True))
    try:
        path = migrations.revision("add notes", versions=tmp_path)
    finally:
        database.Base.metadata.remove(notes)
    head = migrations.head()
    assert path == tmp_path / f"{int(head) + 1:04d}_add_notes.py"
    written = path.read_text()
    assert f"down_revision = '{head}'" in written and "op.create_table('notes'" in written
    lint = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", str(path)],
                          cwd=PROJECT_ROOT, capture_output=True, text=True)
    assert lint.returncode == 0, lint.stdout


def test_revision_without_a_model_change_is_empty(tmp_path):
    """When the models match head, the new revision has no operation."""
    written = migrations.revision("nothing", versions=tmp_path).read_text()
    assert "op." not in written.split("def upgrade")[1]


_REBUILD = '''
from alembic import op

revision = "{revision}"
down_revision = "{head}"


def upgrade():
    with op.batch_alter_table("jobs", recreate="always"):
        pass
'''


def test_a_sqlite_table_rebuild_keeps_the_rows_that_refer_to_it(tmp_path):
    """Batch mode drops and recreates a SQLite table; foreign keys are off, so nothing cascades."""
    url = f"sqlite:///{tmp_path / 'chibo.sqlite3'}"
    app = create_app({"TESTING": True, "DATA_DIR": str(tmp_path / "var"), "DATABASE_URL": url})
    with app.app_context(), extensions.session_scope() as session:
        session.add(models.Job(id="j" * 32, kind="annual_review", title="t", input_key="k",
                           documents=[models.Document(doc_type="x", name="n", title="t")]))
    head = str(migrations.head())
    following = f"{int(head) + 1:04d}"
    (tmp_path / f"{following}_rebuild.py").write_text(
        _REBUILD.replace("{revision}", following).replace("{head}", head))
    assert migrations.upgrade(url, versions=tmp_path) == following
    with app.app_context(), extensions.session_scope() as session:
        assert len(session.get(models.Job, "j" * 32).documents) == 1
    extensions.dispose(app)
