"""Retention: the files of a submission killed before its job row was committed are deleted."""

from __future__ import annotations

import os
import time

from service import extensions
from service.extensions import get_storage
from service.jobs import retention
from tests.support.factories import meeting_payload


def test_orphan_inputs_are_deleted_and_nothing_else(app, client, monkeypatch):
    """An hour-old jobs/<id>/input.json with no job row goes; a fresh one (a submission in flight)
    and the input of a real job stay."""
    from service.jobs import queue

    monkeypatch.setattr(queue, "dispatch", lambda documents, size, **_: 0)
    job = client.post("/api/v1/jobs", json=meeting_payload()).get_json()
    with app.app_context():
        storage = get_storage()
        storage.put("jobs/" + "a" * 32 + "/input.json", '{"members": ["Nguyễn Văn A"]}'.encode())
        storage.put("jobs/" + "b" * 32 + "/input.json", b"{}")
        hour_ago = time.time() - 3700
        os.utime(storage.path("jobs/" + "a" * 32 + "/input.json"), (hour_ago, hour_ago))
        real = f"jobs/{job['id']}/input.json"
        os.utime(storage.path(real), (hour_ago, hour_ago))
        with extensions.session_scope() as session:
            assert retention.purge_orphans(session, storage) == 1
        assert not storage.exists("jobs/" + "a" * 32 + "/input.json")
        assert storage.exists("jobs/" + "b" * 32 + "/input.json") and storage.exists(real)


def test_remembered_conversions_go_after_their_hours(app):
    """A conversion older than CONVERSION_CACHE_HOURS goes, a fresh one stays; 0 hours: all go."""
    with app.app_context():
        storage = get_storage()
        storage.put("conversions/old.pdf", b"%PDF-old")
        storage.put("conversions/new.pdf", b"%PDF-new")
        day_ago = time.time() - 25 * 3600
        os.utime(storage.path("conversions/old.pdf"), (day_ago, day_ago))
        assert retention.purge_conversions(storage, 24) == 1
        assert not storage.exists("conversions/old.pdf") and storage.exists("conversions/new.pdf")
        assert retention.purge_conversions(storage, 0) == 1 and not storage.exists("conversions/new.pdf")
