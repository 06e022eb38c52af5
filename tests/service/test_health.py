"""/healthz and /metrics of an app whose Redis is not there."""

from __future__ import annotations


def test_healthz_names_the_part_that_does_not_answer(client):
    """No Redis and no worker: 503, with database and storage still ok."""
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["checks"]["database"] == "ok" and body["checks"]["storage"] == "ok"
    assert body["checks"]["redis"].startswith("lỗi")


def test_metrics_count_documents_by_status(client, monkeypatch):
    """After a submission the queued documents are counted in Prometheus format."""
    from tests.factories import meeting_payload
    from workers import tasks

    monkeypatch.setattr(tasks, "dispatch", lambda documents, size: None)
    client.post("/api/v1/jobs?documents=bien_ban_kiem_diem", json=meeting_payload())
    text = client.get("/metrics").get_data(as_text=True)
    assert 'chibo_documents{status="queued"} 1.0' in text
