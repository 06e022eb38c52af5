"""Starting the pieces on one machine: Redis if absent, Celery workers, the web service.

``chibo up`` uses ``run_stack``; the integration tests use the same ``start_redis``,
``start_worker`` and ``start_web``, which run the roles of ``service.roles`` that the Docker
image's entrypoint runs, so that what is tested is what a user runs.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlparse, urlunparse

from redis import Redis
from redis.exceptions import RedisError

from service import extensions
from service.cli.names import chibo
from service.cli.supervisor import Role, Supervisor, restart_counter
from service.config import PRIVATE_UMASK, PROJECT_ROOT

SAMPLE = PROJECT_ROOT / "doc_templates" / "samples" / "annual_review_2025.json"


def redis_alive(url: str) -> bool:
    """True when a Redis server answers PING at *url*."""
    try:
        return bool(Redis.from_url(url, socket_connect_timeout=1, socket_timeout=2).ping())
    except (RedisError, OSError):
        return False


LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def redis_password(data_dir: Path) -> str:
    """The password of the Redis ``chibo up`` runs: made once, kept 0600 in *data_dir*."""
    path = data_dir / "redis-password"
    with contextlib.suppress(FileNotFoundError):
        found = path.read_text().strip()
        if found:
            return found
    data_dir.mkdir(parents=True, exist_ok=True)
    password = secrets.token_urlsafe(32)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(password + "\n")
    return password


def with_password(url: str, password: str) -> str:
    """*url* (redis://host:port/db) carrying *password*."""
    parsed = urlparse(url)
    host = parsed.hostname or "127.0.0.1"
    netloc = f":{quote(password, safe='')}@{host}" + (f":{parsed.port}" if parsed.port else "")
    return urlunparse(parsed._replace(netloc=netloc))


def start_redis(url: str, data_dir: Path, password: str | None = None) -> subprocess.Popen[bytes]:
    """Start redis-server on loopback at the port of *url*, keeping its data in *data_dir*.

    With *password* it requires it (``requirepass``, written into a 0600 configuration file, not
    on the command line where ``ps`` shows it); *url* is then reached with ``with_password``.
    """
    host = urlparse(url).hostname or "127.0.0.1"
    if host not in LOOPBACK:
        raise RuntimeError(f"Redis at {url} does not answer and is not on this machine")
    binary = shutil.which("redis-server")
    if binary is None:
        raise RuntimeError("redis-server is not installed (apt-get install redis-server)")
    data_dir.mkdir(parents=True, exist_ok=True)
    port = str(urlparse(url).port or 6379)
    lines = ["bind 127.0.0.1", f"port {port}", f'dir "{data_dir}"', "appendonly yes", 'save ""',
             "protected-mode yes"]
    if password:
        lines.append(f"requirepass {password}")
    conf = data_dir / "redis.conf"
    descriptor = os.open(conf, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write("\n".join(lines) + "\n")
    process = subprocess.Popen([binary, str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    reach = with_password(url, password) if password else url
    wait_until(lambda: redis_alive(reach), 20, "Redis")
    return process


def own_redis(url: str, data_dir: Path) -> tuple[str, bool]:
    """The Redis URL the roles of ``chibo up`` use, and whether ``chibo up`` must start it.

    A loopback URL without a password names the Redis ``chibo up`` runs itself: it gets the
    password of ``redis_password`` (no other local user can then send the workers a command
    or read and clear the login counters). A Redis already answering there without one is
    used as it is, with a warning; any other URL is the operator's and used as given.
    """
    parsed = urlparse(url)
    if (parsed.hostname or "127.0.0.1") not in LOOPBACK or parsed.password:
        return url, not redis_alive(url)
    if redis_alive(url):  # (a Redis without a password also takes any password)
        print(f"Cảnh báo: Redis tại {url} không có mật khẩu: mọi người dùng trên máy này đều gửi lệnh "
              "được cho máy làm văn bản. Hãy đặt REDIS_URL có mật khẩu.", file=sys.stderr, flush=True)
        return url, False
    guarded = with_password(url, redis_password(data_dir))
    return guarded, not redis_alive(guarded)


def start_worker(env: Mapping[str, str], concurrency: int, log: Path | None = None,
                 ) -> subprocess.Popen[bytes]:
    """Start the worker role (``celery -A workers worker``, see ``service.roles``) with *env*."""
    return _start_role(env, ["worker", "--concurrency", str(concurrency)], log)


def start_beat(env: Mapping[str, str], log: Path | None = None) -> subprocess.Popen[bytes]:
    """Start the beat role (``celery -A workers beat``): the periodic tasks; run one only."""
    return _start_role(env, ["beat"], log)


def start_web(env: Mapping[str, str], port: int, log: Path | None = None,
              ) -> subprocess.Popen[bytes]:
    """Start the web role (gunicorn with the app, see ``service.roles``) on 127.0.0.1:*port*."""
    return _start_role(env, ["web", "--bind", f"127.0.0.1:{port}"], log)


def _start_role(env: Mapping[str, str], args: list[str], log: Path | None,
                ) -> subprocess.Popen[bytes]:
    # settings are environment variables; the role replaces this Python with its process
    out = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115 - handed to the child
    return subprocess.Popen([sys.executable, "-m", "service.roles", *args], cwd=PROJECT_ROOT,
                            env=dict(env), stdout=out, stderr=subprocess.STDOUT)


def stop(process: subprocess.Popen[bytes], timeout: float = 20) -> None:
    """SIGTERM, then SIGKILL if it does not exit in time."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


def wait_until(check: Callable[[], object], seconds: float, what: str) -> None:
    """Poll *check* until it is true; RuntimeError after *seconds*."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise RuntimeError(f"{what} did not start within {seconds:.0f} s")


def _get_json(url: str, headers: Mapping[str, str] | None = None) -> dict[str, Any]:
    with urllib.request.urlopen(urllib.request.Request(url, headers=dict(headers or {})),
                                timeout=10) as response:
        return dict(json.load(response))


def first_run_token(app: Any) -> str:
    """A token to submit the sample with; on a database without users, make the first admin.

    The admin's password is printed once; the token is revoked when ``chibo up`` ends.
    """
    from sqlalchemy import select

    from service import accounts

    with app.app_context(), extensions.session_scope() as session:
        admin = session.scalars(select(accounts.User).where(accounts.User.role == "admin")).first()
        if admin is None:
            password = secrets.token_urlsafe(12)
            admin = accounts.create_user(session, "admin", "admin", None, password)
            print(f"Tài khoản quản trị đầu tiên: admin / {password} (chỉ hiện lần này; đổi mật khẩu "
                  f"trên trang web; tạo tổ chức và người dùng bằng `{chibo()} admin org …` và "
                  f"`{chibo()} admin user …`, xem `{chibo()} admin -h`)", flush=True)
        return accounts.create_token(session, admin, "chibo up")


def revoke(app: Any, token: str) -> None:
    """Revoke a token made by ``first_run_token``."""
    from service import accounts

    with app.app_context(), extensions.session_scope() as session:
        row = session.get(accounts.ApiToken, token.split("_")[1])
        if row is not None:
            row.revoked = True


def web_alive(base: str) -> bool:
    """True when the web service at *base* answers /healthz."""
    with contextlib.suppress(OSError, urllib.error.URLError):
        return _get_json(f"{base}/healthz").get("status") == "ok"
    return False


def submit_and_wait(base: str, payload: bytes, token: str, timeout: float = 300) -> dict[str, Any]:
    """POST a meeting to a running service and poll its job until it is done or failed."""
    auth = {"Authorization": f"Bearer {token}"}
    request = urllib.request.Request(f"{base}/api/v1/jobs", data=payload, method="POST",
                                     headers={"Content-Type": "application/json", **auth})
    with urllib.request.urlopen(request, timeout=30) as response:
        location = response.headers["Location"]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = _get_json(f"{base}{location}", auth)
        if job["status"] in {"done", "failed"}:
            return job
        time.sleep(0.5)
    raise RuntimeError(f"job {location} did not finish within {timeout:.0f} s")


def _interrupt(signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def run_stack(port: int = 8000, sample: str | None = None, *, submit_sample: bool = True) -> int:
    """Run Redis (if absent), workers, beat and the web service until Ctrl-C; restart any that dies."""
    from service import create_app

    os.umask(PRIVATE_UMASK)  # before anything is made: Redis, workers and web inherit it
    app = create_app()
    config = app.config
    # Ctrl-C, kill and a closed terminal all stop what was started, even when the shell
    # started us in the background with SIGINT ignored
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _interrupt)
    data_dir = Path(config["DATA_DIR"])
    logs = data_dir / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "DATA_DIR": str(data_dir)}
    shutil.rmtree(config["METRICS_DIR"], ignore_errors=True)  # counters of earlier runs
    roles: list[Role] = []
    supervisor = Supervisor(roles, logs / "supervisor.log", restart_counter(Path(config["METRICS_DIR"])))
    try:
        redis_url, start = own_redis(config["REDIS_URL"], data_dir)
        if start:
            print(f"Khởi động Redis tại {config['REDIS_URL']} (mật khẩu trong "
                  f"{data_dir / 'redis-password'}) …", flush=True)
            password = urlparse(redis_url).password
            roles.append(Role("redis", lambda: start_redis(config["REDIS_URL"], data_dir / "redis",
                                                           unquote(password) if password else None)))
        env["REDIS_URL"] = redis_url
        concurrency = config["WORKER_CONCURRENCY"]
        roles += [Role("worker", lambda: start_worker(env, concurrency, logs / "worker.log")),
                  Role("beat", lambda: start_beat(env, logs / "beat.log")),  # the daily purge, lost tasks
                  Role("web", lambda: start_web(env, port, logs / "web.log"))]
        supervisor.start_all()
        supervisor.watch()  # from now on a role that dies is started again, alone
        base = f"http://127.0.0.1:{port}"
        wait_until(lambda: web_alive(base), 600, "the web service")  # a loaded machine starts slowly
        print(f"Dịch vụ đang chạy tại {base} (đăng nhập: {base}/dang-nhap; nhật ký: {logs})",
              flush=True)
        if submit_sample:
            _submit_sample(app, base, sample)
        print("Nhấn Ctrl-C để dừng.", flush=True)
        while True:
            time.sleep(1)
    except KeyboardInterrupt:
        print("\nĐang dừng …", flush=True)
        return 0
    finally:
        supervisor.stop_all(stop)


def _submit_sample(app: Any, base: str, sample: str | None) -> None:
    """Submit the sample meeting (or *sample*) and print where its PDFs are."""
    config = app.config
    path = Path(sample) if sample else SAMPLE
    print(f"Gửi hội nghị mẫu {path} …", flush=True)
    token = first_run_token(app)
    try:
        job = submit_and_wait(base, path.read_bytes(), token)
    finally:
        revoke(app, token)
    storage = Path(config["STORAGE_PATH"])
    keys = _pdf_keys(app, str(job["id"]))
    for document in job["documents"]:
        if document["status"] == "done":
            url = f"{base}{document['links']['pdf']}"
            if config["STORAGE_BACKEND"] == "local":
                print(f"PDF: {storage / keys.get(document['name'], '')}")
                print(f"     {url}")
            else:  # the file is in the bucket; the service serves it
                print(f"PDF: {url}")
        else:
            print(f"Lỗi {document['type']}: {document.get('error')}", file=sys.stderr)


def _pdf_keys(app: Any, job_id: str) -> dict[str, str]:
    """Where each PDF of the job is stored (its key under the storage folder), by document name."""
    from service.jobs import models

    with app.app_context(), extensions.session_scope() as session:
        job = session.get(models.Job, job_id)
        return {d.name: d.pdf_key for d in job.documents if d.pdf_key} if job is not None else {}
