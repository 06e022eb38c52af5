"""service/roles.py without processes: the command lines from the settings, and the web
health rule (its own parts must work; workers being down is not the web's fault)."""

from __future__ import annotations

import argparse
import json
import os
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest

from service import roles
from service.config import from_env


def options(**given: Any) -> argparse.Namespace:
    return argparse.Namespace(**{"bind": None, "workers": None, "concurrency": None, **given})


def test_each_role_takes_its_settings_from_the_environment(tmp_path):
    config = from_env({"DATA_DIR": str(tmp_path), "WEB_BIND": "0.0.0.0:8000", "WEB_WORKERS": "3",
                       "WEB_THREADS": "5", "WORKER_CONCURRENCY": "4"})
    web = roles.command("web", config, options())
    assert web[1:7] == ["-m", "gunicorn", "--bind", "0.0.0.0:8000", "--workers", "3"]
    assert web[web.index("--worker-class") + 1] == "service.webserver.IdleSafeWorker"
    assert web[web.index("--threads") + 1] == "5"
    assert web[-1] == "service.wsgi:app"
    worker = roles.command("worker", config, options())
    assert worker[1:6] == ["-m", "celery", "-A", "workers", "worker"]
    assert worker[worker.index("--concurrency") + 1] == "4"
    assert worker[worker.index("--queues") + 1] == "documents"
    assert worker[worker.index("--hostname") + 1].endswith("@%h")  # the worker health relies on it
    beat = roles.command("beat", config, options())
    assert beat[beat.index("--schedule") + 1] == str(tmp_path / "celerybeat-schedule")
    assert roles.command("flower", config, options())[1:] == ["-m", "celery", "-A", "workers", "flower"]


def test_options_override_the_settings(tmp_path):
    config = from_env({"DATA_DIR": str(tmp_path)})
    assert config["WEB_BIND"] == "127.0.0.1:8000" and config["WORKER_CONCURRENCY"] == 2
    web = roles.command("web", config, options(bind="127.0.0.1:9999", workers=1))
    assert web[web.index("--bind") + 1] == "127.0.0.1:9999" and web[web.index("--workers") + 1] == "1"
    worker = roles.command("worker", config, options(concurrency=7))
    assert worker[worker.index("--concurrency") + 1] == "7"


def test_metrics_folder_is_made_and_handed_to_prometheus_client(tmp_path):
    config = from_env({"DATA_DIR": str(tmp_path)})
    env = roles.with_metrics_dir({"PATH": "/bin"}, config)
    assert env["PROMETHEUS_MULTIPROC_DIR"] == env["METRICS_DIR"] == str(tmp_path / "metrics")
    assert (tmp_path / "metrics").is_dir() and env["PATH"] == "/bin"


@pytest.mark.parametrize(("bind", "url"), [("0.0.0.0:8000", "http://127.0.0.1:8000"),
                                           ("[::]:8000", "http://127.0.0.1:8000"),
                                           ("127.0.0.1:81", "http://127.0.0.1:81"),
                                           ("10.1.2.3:8000", "http://10.1.2.3:8000")])
def test_the_health_check_reaches_the_web_where_it_listens(bind, url):
    assert roles._local_url(bind) == url


@pytest.fixture(name="healthz")
def _healthz() -> Iterator[tuple[str, dict[str, Any]]]:
    """A stand-in /healthz answering what the test puts in the dict."""
    answer: dict[str, Any] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = json.dumps(answer["body"]).encode()
            self.send_response(answer["status"])
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_: Any) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"127.0.0.1:{server.server_port}", answer
    server.shutdown()
    server.server_close()


def test_web_is_healthy_when_its_own_parts_work_even_without_workers(healthz, tmp_path):
    bind, answer = healthz
    config = from_env({"DATA_DIR": str(tmp_path), "WEB_BIND": bind})
    own = {"redis": "ok", "database": "ok", "storage": "ok"}
    answer.update(status=200, body={"status": "ok", "checks": {**own, "workers": "ok"}})
    assert roles.web_health(config).startswith("web ok")
    answer.update(status=503, body={"status": "degraded",
                                    "checks": {**own, "workers": "lỗi: không có worker nào"}})
    assert roles.web_health(config).startswith("web ok (degraded")
    answer.update(status=503, body={"status": "degraded", "checks": {**own, "database": "lỗi: x"}})
    with pytest.raises(roles.Unhealthy, match="database"):
        roles.web_health(config)
    answer.update(status=500, body={})
    with pytest.raises(roles.Unhealthy, match="HTTP 500"):
        roles.web_health(config)


def test_health_without_a_role_reads_the_entrypoints_role_file(monkeypatch, tmp_path):
    config = from_env({"DATA_DIR": str(tmp_path)})
    monkeypatch.setattr(roles, "ROLE_FILE", tmp_path / "role")
    assert "nothing to check" in roles.health(None, config, {})
    (tmp_path / "role").write_text("web\n")
    monkeypatch.setattr(roles, "web_health", lambda _config: "web checked")
    assert roles.health(None, config, {}) == "web checked"
    (tmp_path / "role").write_text("something-else\n")
    assert "no health check" in roles.health(None, config, {})


def test_a_role_runs_with_umask_077(tmp_path, monkeypatch):
    """The role's process (exec keeps the umask) writes files its user alone may read."""
    seen = {}

    def execve(path, line, env):
        seen["umask"] = os.umask(0o077)
        raise SystemExit(0)

    monkeypatch.setattr(roles.os, "execve", execve)
    monkeypatch.setattr(roles.os, "chdir", lambda _: None)
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "var"))
    previous = os.umask(0o022)
    try:
        with pytest.raises(SystemExit):
            roles.main(["beat"])
    finally:
        os.umask(previous)
    assert seen["umask"] == 0o077
    assert (tmp_path / "var" / "secret-key").stat().st_mode & 0o777 == 0o600
