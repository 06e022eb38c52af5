"""The whole path on PostgreSQL: the app and a real Celery worker sharing one database."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import create_engine, text

from service import create_app, extensions
from tests.integration.conftest import wait_until_finished
from tests.support import people
from tests.support.factories import SAMPLES

pytestmark = pytest.mark.integration


def test_meeting_is_built_by_a_worker_on_postgresql(pg_stack_config, pg_worker):
    """A meeting sent to an app on PostgreSQL is built, every document, by a worker on it too."""
    assert pg_worker.poll() is None, "the worker process died"
    app = create_app({"TESTING": True, **pg_stack_config})
    client = people.client(app)
    meeting = json.loads((SAMPLES / "annual_review_2025_small.json").read_text(encoding="utf-8"))
    response = client.post("/api/v1/jobs", json=meeting)
    assert response.status_code == 202
    job = wait_until_finished(client, response.headers["Location"])
    assert job["status"] == "done", job
    assert client.get(job["documents"][0]["links"]["pdf"]).data.startswith(b"%PDF-")
    engine = create_engine(pg_stack_config["DATABASE_URL"])
    with engine.connect() as connection:
        done = connection.execute(text("SELECT count(*) FROM documents WHERE status = 'done'")).scalar()
    engine.dispose()
    extensions.dispose(app)
    assert done == len(job["documents"]) >= 9
