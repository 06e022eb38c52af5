"""docker/entrypoint.sh run for real on this machine, as the image runs it (no Docker engine):
each role with its settings in the environment, a Redis of the test's own, DATA_DIR in a tmp
dir, the web role on 127.0.0.1 (WEB_BIND) instead of the image's 0.0.0.0. The image's
HEALTHCHECK command (``python -m service.roles health``) must pass for each role."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from service.cli import stack
from service.config import PROJECT_ROOT
from service.conversion.office import free_port

pytestmark = pytest.mark.integration

ENTRYPOINT = PROJECT_ROOT / "docker" / "entrypoint.sh"
VENV_BIN = Path(sys.executable).parent


def chibo_db_exists() -> bool:
    """True once `chibo db upgrade` (the migrations branch) is in this tree."""
    return subprocess.run([VENV_BIN / "chibo", "db", "--help"], capture_output=True).returncode == 0


@pytest.fixture(name="env")
def _env(tmp_path: Path) -> Iterator[dict[str, str]]:
    """The environment of a container: settings, PATH with the venv first, a Redis."""
    redis_url = f"redis://127.0.0.1:{free_port()}/0"
    redis = stack.start_redis(redis_url, tmp_path / "redis")
    path = f"{VENV_BIN}:{os.environ['PATH']}"
    if not chibo_db_exists():
        # until the migrations branch is merged: a `chibo` whose `db` records the call
        shim = tmp_path / "shim"
        shim.mkdir()
        (shim / "chibo").write_text(
            "#!/usr/bin/env bash\n"
            f'if [ "$1" = db ]; then echo "chibo $*" >> {tmp_path / "db-calls"}; exit 0; fi\n'
            f'exec {VENV_BIN / "chibo"} "$@"\n')
        (shim / "chibo").chmod(0o755)
        path = f"{shim}:{path}"
    yield {**os.environ, "PATH": path, "DATA_DIR": str(tmp_path / "data"),
           "REDIS_URL": redis_url, "WORKER_CONCURRENCY": "1", "HEALTH_CACHE_SECONDS": "0"}
    stack.stop(redis)


def start(role: str, env: dict[str, str], tmp_path: Path, *args: str) -> subprocess.Popen[bytes]:
    """The entrypoint with *role*, as `docker run IMAGE ROLE` starts it; its role file in tmp."""
    log = open(tmp_path / f"{role}.log", "ab")  # noqa: SIM115 - handed to the child
    return subprocess.Popen([str(ENTRYPOINT), role, *args], cwd=tmp_path, stdout=log,
                            stderr=subprocess.STDOUT,
                            env={**env, "CHIBO_ROLE_FILE": str(tmp_path / f"{role}.role")})


def healthcheck(role: str, env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """The image's HEALTHCHECK command, in the role's "container" (its role file)."""
    return subprocess.run([sys.executable, "-m", "service.roles", "health"], cwd=PROJECT_ROOT,
                          capture_output=True, text=True, timeout=30,
                          env={**env, "CHIBO_ROLE_FILE": str(tmp_path / f"{role}.role")})


def wait_healthy(role: str, env: dict[str, str], tmp_path: Path, process: subprocess.Popen[bytes],
                 seconds: float) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, (tmp_path / f"{role}.log").read_text()
        check = healthcheck(role, env, tmp_path)
        if check.returncode == 0:
            return check.stdout
        time.sleep(0.5)
    raise AssertionError(f"{role} not healthy after {seconds} s: {check.stderr}\n"
                         + (tmp_path / f"{role}.log").read_text())


def cmdline(pid: int) -> str:
    return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()


def terminate(process: subprocess.Popen[bytes], seconds: float = 30) -> int:
    """SIGTERM, as `docker stop` sends it to the container's process."""
    process.send_signal(signal.SIGTERM)
    try:
        return process.wait(timeout=seconds)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_worker_and_web_roles_start_answer_their_healthchecks_and_stop(env, tmp_path):
    port = free_port()
    web_env = {**env, "WEB_BIND": f"127.0.0.1:{port}"}
    worker = start("worker", env, tmp_path)
    web = start("web", web_env, tmp_path)
    try:
        # each role's healthcheck, as the image runs it: the worker answers a Celery ping
        # and has a LibreOffice that answers; the web answers /healthz
        assert "worker ok" in wait_healthy("worker", env, tmp_path, worker, 120)
        assert "web ok" in wait_healthy("web", web_env, tmp_path, web, 60)
        assert stack.web_alive(f"http://127.0.0.1:{port}")  # every check ok, workers included
        from celery import Celery

        replies = Celery(broker=env["REDIS_URL"]).control.ping(timeout=2.0)
        assert any(node.startswith("chibo-") for reply in replies for node in reply), replies
        # the entrypoint replaced itself with the server, so `docker stop` reaches it
        assert "gunicorn" in cmdline(web.pid) and "service.wsgi:app" in cmdline(web.pid)
        assert "celery" in cmdline(worker.pid) and " worker " in cmdline(worker.pid)
    finally:
        web_code, worker_code = terminate(web), terminate(worker, 60)
    assert web_code == 0, (tmp_path / "web.log").read_text()
    assert worker_code in (0, -signal.SIGTERM), (tmp_path / "worker.log").read_text()
    # the web role migrated the database before it served
    if chibo_db_exists():
        assert "head" in (tmp_path / "web.log").read_text()
    else:
        assert (tmp_path / "db-calls").read_text() == "chibo db upgrade\n"
    # gone, with nothing answering for them any more
    assert healthcheck("web", web_env, tmp_path).returncode == 1
    assert healthcheck("worker", env, tmp_path).returncode == 1


def test_flower_and_beat_roles(env, tmp_path):
    flower_env = {**env, "FLOWER_PORT": str(free_port())}
    flower = start("flower", flower_env, tmp_path)
    beat = start("beat", env, tmp_path)
    try:
        assert "flower OK" in wait_healthy("flower", flower_env, tmp_path, flower, 60)
        assert "beat ok" in wait_healthy("beat", env, tmp_path, beat, 60)
        with urllib.request.urlopen(f"http://127.0.0.1:{flower_env['FLOWER_PORT']}/workers",
                                    timeout=10) as response:
            assert response.status == 200
    finally:
        flower_code, beat_code = terminate(flower), terminate(beat)
    assert flower_code in (0, -signal.SIGTERM), (tmp_path / "flower.log").read_text()
    assert beat_code in (0, -signal.SIGTERM), (tmp_path / "beat.log").read_text()


def test_other_commands_run_as_given_and_no_role_means_nothing_to_check(env, tmp_path):
    out = subprocess.run([str(ENTRYPOINT), "chibo", "schema"], capture_output=True, text=True,
                         env=env, timeout=60, check=True)
    assert '"title"' in out.stdout
    out = subprocess.run([str(ENTRYPOINT), "sh", "-c", "echo $((6 * 7)) $PWD"],
                         capture_output=True, text=True, env=env, timeout=30, check=True)
    assert out.stdout.split() == ["42", str(PROJECT_ROOT)]
    # a container started with its own command has no role: its healthcheck passes
    check = healthcheck("none", env, tmp_path)
    assert check.returncode == 0 and "nothing to check" in check.stdout


def test_the_entrypoint_runs_everything_with_umask_077(tmp_path):
    """Before any role or command (`docker run IMAGE sh -c umask`) the umask is 077."""
    done = subprocess.run([str(ENTRYPOINT), "sh", "-c", "umask"], capture_output=True, text=True,
                          cwd=tmp_path, timeout=30)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "0077"
