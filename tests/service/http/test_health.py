"""/healthz and /metrics of an app whose Redis is not there."""

from __future__ import annotations

from service import create_app
from service.conversion.office import free_port
from service.http import health
from tests.support import people


def test_healthz_names_the_part_that_does_not_answer(client):
    """No Redis and no worker: 503, with database and storage still ok."""
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["checks"]["database"] == "ok" and body["checks"]["storage"] == "ok"
    assert body["checks"]["redis"].startswith("lỗi")


def test_metrics_count_documents_by_status(client, monkeypatch):
    """After a submission the queued documents are counted in Prometheus format."""
    from service.jobs import queue
    from tests.support.factories import meeting_payload

    monkeypatch.setattr(queue, "dispatch", lambda documents, size, **_: None)
    client.post("/api/v1/jobs?documents=bien_ban_kiem_diem", json=meeting_payload())
    text = client.get("/metrics").get_data(as_text=True)
    assert 'chibo_documents{status="queued"} 1.0' in text


def _s3_app(tmp_path, monkeypatch, **settings):
    monkeypatch.setattr(health, "_workers", lambda: None)  # no broker here: skip its 6 s ping
    return create_app({"TESTING": True, "DATA_DIR": str(tmp_path / "var"),
                       "REDIS_URL": "redis://127.0.0.1:1/0",
                       "THROTTLE_STORAGE_URI": "memory://", **settings})


def test_healthz_checks_s3_storage(s3_server, bucket, tmp_path, monkeypatch):
    """With STORAGE_BACKEND=s3 the storage check writes and reads the bucket."""
    app = _s3_app(tmp_path, monkeypatch, **s3_server.settings(bucket))
    body = app.test_client().get("/healthz").get_json()
    assert body["checks"]["storage"] == "ok"


def test_healthz_names_an_s3_store_that_does_not_answer(tmp_path, monkeypatch):
    """Nothing at S3_ENDPOINT_URL: the storage check reports it unavailable."""
    app = _s3_app(tmp_path, monkeypatch, STORAGE_BACKEND="s3", S3_ENDPOINT_URL=f"http://127.0.0.1:{free_port()}",
                  S3_ACCESS_KEY_ID="k", S3_SECRET_ACCESS_KEY="s", S3_CREATE_BUCKET=False)
    admin = people.as_user(app.test_client(), people.token(app, role="admin", org=None))
    body = admin.get("/healthz").get_json()
    assert body["checks"]["storage"].startswith("lỗi: StorageUnavailableError")


def test_health_reports_documents_stuck_beyond_the_limit(app, client, monkeypatch):
    """A document queued longer than STUCK_AFTER_SECONDS is counted under `stuck`; fresh ones are not."""
    from service.jobs import queue
    from tests.support.factories import meeting_payload

    monkeypatch.setattr(queue, "dispatch", lambda documents, size, **_: None)
    client.post("/api/v1/jobs?documents=bien_ban_kiem_diem", json=meeting_payload())
    health._cache.clear()
    assert client.get("/healthz").get_json()["stuck"]["count"] == 0
    app.config["STUCK_AFTER_SECONDS"] = 0
    health._cache.clear()
    body = client.get("/healthz").get_json()
    assert body["stuck"]["count"] == 1 and body["stuck"]["oldest"].endswith("Z")
    assert body["status"] == "degraded"


def test_healthz_tells_the_public_no_reasons_and_an_admin_why(app, anonymous):
    """Without a token each failing part is only "lỗi" (no paths, hosts or URLs); an admin sees why."""
    public = anonymous.get("/healthz")
    assert public.status_code == 503 and public.get_json()["checks"]["redis"] == "lỗi"
    assert "127.0.0.1" not in public.get_data(as_text=True)
    secretary = people.as_user(app.test_client(), people.token(app, role="chi_bo", org="Chi bộ 1"))
    assert secretary.get("/healthz").get_json()["checks"]["redis"] == "lỗi"
    admin = people.as_user(app.test_client(), people.token(app, role="admin", org=None))
    assert admin.get("/healthz").get_json()["checks"]["redis"].startswith("lỗi: ")


def test_healthz_turns_red_when_documents_wait_and_nothing_moves(app, client, monkeypatch):
    """Queued documents older than QUEUE_STALL_SECONDS while no worker started or finished any:
    "queue" is a fault (the probe's 40 documents waited 15 minutes under an "ok")."""
    from service.jobs import queue
    from tests.support.factories import meeting_payload

    monkeypatch.setattr(queue, "dispatch", lambda documents, size, **_: None)
    client.post("/api/v1/jobs?documents=bien_ban_kiem_diem", json=meeting_payload())
    health._cache.clear()
    admin = people.as_user(app.test_client(), people.token(app, role="admin", org=None))
    assert admin.get("/healthz").get_json()["checks"]["queue"] == "ok"
    monkeypatch.setitem(app.config, "QUEUE_STALL_SECONDS", 0)
    health._cache.clear()
    body = admin.get("/healthz").get_json()
    assert body["checks"]["queue"].startswith("lỗi: RuntimeError: không worker nào nhận việc: 1 tài liệu")


def test_healthz_turns_red_when_the_disk_is_full(app, client, monkeypatch):
    """Less free space than DISK_MIN_FREE_MB where the service writes: "disk" is a fault."""
    health._cache.clear()
    assert client.get("/healthz").get_json()["checks"]["disk"] == "ok"
    monkeypatch.setitem(app.config, "DISK_MIN_FREE_MB", 1 << 40)
    health._cache.clear()
    response = people.as_user(app.test_client(), people.token(app, role="admin", org=None)).get("/healthz")
    assert response.status_code == 503 and "đĩa gần đầy" in response.get_json()["checks"]["disk"]
