"""A đảng bộ batch as ``jobs.batches`` records it: each chi bộ validated and computed once."""

from __future__ import annotations

import pytest

from service.jobs import queue
from service.meetings import figures, validation
from tests.support.factories import dang_bo_payload
from tests.support.fakes import count_calls


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_batch_validates_once_and_computes_each_chi_bo_once(client, monkeypatch):
    """The review the edge validated is never dumped and parsed again; each chi bộ's figures

    serve its own job and the summary both.
    """
    monkeypatch.setattr(queue, "dispatch", lambda documents, size, **_: None)
    computed = count_calls(monkeypatch, figures.compute)
    validated = count_calls(monkeypatch, validation.parse_meeting)
    response = client.post("/api/v1/batches", json=dang_bo_payload())
    assert response.status_code == 202, response.get_json()
    body = response.get_json()
    assert len(body["chi_bo"]) == 3
    assert len(validated) == 1
    assert sorted(call[0].organisation.name for call in computed) == sorted(
        job["title"].split(" – ")[0] for job in body["chi_bo"])
