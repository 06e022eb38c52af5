"""`chibo up`, the README's first command after installing: the whole stack on one machine."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from celery import Celery
from redis import Redis
from redis.exceptions import RedisError

from service import create_app
from service.cli import stack
from service.conversion.office import free_port

pytestmark = pytest.mark.integration


def _open_to_others(root: Path) -> list[str]:
    """What under *root* (and root itself) group or others may read, write or enter."""
    paths = [root, *root.rglob("*")]
    return [f"{oct(p.lstat().st_mode & 0o777)} {p}" for p in paths
            if not p.is_symlink() and p.lstat().st_mode & 0o077]


def _worker_main(up: subprocess.Popen[str]) -> int:
    """The pid of the Celery main process `chibo up` started (the worker role execs celery)."""
    rows = subprocess.run(["ps", "--ppid", str(up.pid), "-o", "pid=,args="], capture_output=True,
                          text=True, check=True).stdout.splitlines()
    return next(int(row.split()[0]) for row in rows if "celery" in row and " worker --" in row)


def _pings(celery: Celery) -> bool:
    return bool(celery.control.ping(timeout=2.0))


def test_up_starts_everything_renders_the_sample_and_stops_on_ctrl_c(tmp_path):
    """With no Redis it starts one (with a password), renders the sample (files 0600, folders 0700);
    a Celery "shutdown" is not obeyed, a worker killed -9 is started again alone (counted in
    /metrics) and documents are still made; Ctrl-C stops all."""
    redis_url = f"redis://127.0.0.1:{free_port()}/0"
    port = free_port()
    data_dir = tmp_path / "var"
    env = {**os.environ, "DATA_DIR": str(data_dir), "REDIS_URL": redis_url, "WORKER_CONCURRENCY": "1"}
    process = subprocess.Popen([sys.executable, "-m", "service.cli", "up", "--port", str(port)], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: list[str] = []
    guarded = redis_url
    try:
        deadline = time.monotonic() + 900  # a loaded machine (load 8+) starts and renders slowly
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            assert line, "chibo up exited early:\n" + "".join(lines)
            lines.append(line)
            if line.startswith("PDF:") or "Ctrl-C" in line:
                break
        pdf_lines = [line for line in lines if line.startswith("PDF:")]
        assert pdf_lines, "".join(lines)
        pdf = Path(pdf_lines[0].split(":", 1)[1].strip())
        assert pdf.read_bytes().startswith(b"%PDF-")
        # its own Redis: a generated password, 0600 in DATA_DIR; without it nothing is answered
        guarded = stack.with_password(redis_url, (data_dir / "redis-password").read_text().strip())
        assert stack.redis_alive(guarded) and not stack.redis_alive(redis_url)
        with pytest.raises(RedisError):
            Redis.from_url(redis_url, socket_timeout=5).flushall()
        # everything the run wrote is its user's only: database, secret key, logs, documents
        loose = _open_to_others(data_dir)
        assert not loose, loose
        celery = Celery(broker=guarded)
        # even with the password, the workers obey only ping and offices
        celery.control.broadcast("shutdown")
        time.sleep(3)
        assert _pings(celery), "the worker obeyed a remote shutdown"
        # kill -9 of the Celery main process: started again, alone; documents are still made
        web_pid = _role_pid(process, "web")
        os.kill(_worker_main(process), signal.SIGKILL)
        stack.wait_until(lambda: _pings(celery), 180, "the restarted worker")
        assert _role_pid(process, "web") == web_pid and process.poll() is None
        base = f"http://127.0.0.1:{port}"
        metrics = urllib.request.urlopen(f"{base}/metrics", timeout=30).read().decode()
        assert 'chibo_role_restarts_total{role="worker"} 1.0' in metrics
        app = create_app({"DATA_DIR": str(data_dir), "REDIS_URL": guarded, "THROTTLE_STORAGE_URI": "memory://"})
        token = stack.first_run_token(app)
        job = _one_document(base, token)  # one document is enough: the sample was made above
        assert job["status"] == "done" and len(job["documents"]) == 1, job
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=60)
    assert process.returncode == 0
    assert not stack.redis_alive(guarded), "the Redis that chibo up started is still running"


def _role_pid(up: subprocess.Popen[str], name: str) -> int:
    rows = subprocess.run(["ps", "--ppid", str(up.pid), "-o", "pid=,args="], capture_output=True,
                          text=True, check=True).stdout.splitlines()
    return next(int(row.split()[0]) for row in rows if f"service.roles {name}" in row or
                (name == "web" and "gunicorn" in row))


def _one_document(base: str, token: str, timeout: float = 300) -> dict[str, Any]:
    """The sample's biên bản alone, submitted to the running service; its job once finished."""
    auth = {"Authorization": f"Bearer {token}"}
    request = urllib.request.Request(f"{base}/api/v1/jobs?documents=bien_ban_kiem_diem",
                                     data=stack.SAMPLE.read_bytes(), method="POST",
                                     headers={"Content-Type": "application/json", **auth})
    with urllib.request.urlopen(request, timeout=30) as response:
        location = response.headers["Location"]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with urllib.request.urlopen(urllib.request.Request(f"{base}{location}", headers=auth),
                                    timeout=10) as response:
            job: dict[str, Any] = json.loads(response.read())
        if job["status"] in {"done", "failed"}:
            return job
        time.sleep(0.5)
    raise AssertionError(f"job {location} did not finish within {timeout:.0f} s")
