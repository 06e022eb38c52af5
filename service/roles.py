"""The long-running processes of chibo-docs and their command lines, in one place.

``python -m service.roles ROLE`` replaces itself (exec) with the process of that role:

    web      gunicorn serving ``service.wsgi:app`` on WEB_BIND with WEB_WORKERS processes
    worker   ``celery -A workers worker`` on the documents queue with WORKER_CONCURRENCY
             processes, each with its own LibreOffice
    flower   Celery's monitoring web UI (configured by flower's own FLOWER_* variables;
             FLOWER_PORT defaults to 5555)
    beat     ``celery -A workers beat``, the scheduler of periodic tasks (run one only)

``python -m service.roles health [ROLE]`` exits 0 when that role, running on this machine
(in this container), is healthy, and 1 with the reason otherwise; with no ROLE it reads the
role ``docker/entrypoint.sh`` recorded in ``$CHIBO_ROLE_FILE`` (``/tmp/chibo-role``).

``service.cli.stack`` (``chibo up``, the tests, the benchmarks) and ``docker/entrypoint.sh`` (the
Docker image) both start these, so the commands the tests run are the ones users run.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from service.config import PRIVATE_UMASK, PROJECT_ROOT, from_env

ROLES = ("web", "worker", "flower", "beat")
# the entrypoint's own variable: where it records the role for the image's HEALTHCHECK
ROLE_FILE = Path(os.environ.get("CHIBO_ROLE_FILE") or "/tmp/chibo-role")
# what the web process needs itself; the workers and converters it reports on are the
# worker role's health, not the web's
WEB_OWN_CHECKS = ("redis", "database", "storage")


def with_metrics_dir(env: Mapping[str, str], config: Mapping[str, Any]) -> dict[str, str]:
    """*env* with prometheus-client's multiprocess folder (its own variable) set and created."""
    folder = str(config["METRICS_DIR"])
    Path(folder).mkdir(parents=True, exist_ok=True)
    return {**env, "METRICS_DIR": folder, "PROMETHEUS_MULTIPROC_DIR": folder}


def web_command(bind: str, workers: int, threads: int = 8) -> list[str]:
    """gunicorn with the app: *workers* processes of *threads* threads each.

    The worker class (``service.webserver.IdleSafeWorker``, gunicorn's gthread) waits for a
    connection's first bytes in its poller, so connections that send nothing hold no thread
    (200 of them do not slow a request), and a slow request holds one thread for at most
    ``READ_SECONDS`` per read, not a whole process. The request line, the number of headers
    and each header's size are bounded (larger: 400).
    """
    return [sys.executable, "-m", "gunicorn", "--bind", bind, "--workers", str(workers),
            "--worker-class", WORKER_CLASS, "--threads", str(threads), "--timeout", "60",
            "--graceful-timeout", "20", "--keep-alive", "5",
            "--limit-request-line", str(LIMIT_REQUEST_LINE), "--limit-request-fields", "60",
            "--limit-request-field_size", "8190", "service.wsgi:app"]


WORKER_CLASS = "service.webserver.IdleSafeWorker"
LIMIT_REQUEST_LINE = 4094  # bytes of "GET /path?query HTTP/1.1" (gunicorn's own largest is 8190)


def worker_command(concurrency: int) -> list[str]:
    """The Celery worker; its node name is unique per process and ends with ``@<hostname>``."""
    return [sys.executable, "-m", "celery", "-A", "workers", "worker", "--loglevel", "INFO",
            "--concurrency", str(concurrency), "--queues", "documents", "--without-gossip",
            "--without-mingle", "--hostname", f"chibo-{os.getpid()}-{time.monotonic_ns()}@%h"]


def flower_command() -> list[str]:
    """Celery's monitoring UI (FLOWER_PORT, FLOWER_BASIC_AUTH, … are flower's own settings)."""
    return [sys.executable, "-m", "celery", "-A", "workers", "flower"]


def beat_command(config: Mapping[str, Any]) -> list[str]:
    """The periodic-task scheduler, its schedule kept in DATA_DIR."""
    return [sys.executable, "-m", "celery", "-A", "workers", "beat", "--loglevel", "INFO",
            "--schedule", str(beat_schedule(config))]


def beat_schedule(config: Mapping[str, Any]) -> Path:
    """The file celery beat keeps its schedule in."""
    return Path(config["DATA_DIR"]) / "celerybeat-schedule"


def command(role: str, config: Mapping[str, Any], args: argparse.Namespace) -> list[str]:
    """The command line of *role* with the settings in *config* and the options in *args*."""
    if role == "web":
        return web_command(args.bind or config["WEB_BIND"], args.workers or config["WEB_WORKERS"],
                           config["WEB_THREADS"])
    if role == "worker":
        return worker_command(args.concurrency or config["WORKER_CONCURRENCY"])
    if role == "flower":
        return flower_command()
    return beat_command(config)


# --- health ---------------------------------------------------------------------------------


class Unhealthy(Exception):
    """The role does not work; the message says why."""


def _local_url(bind: str) -> str:
    """The address to reach a server bound to *bind* (``host:port``) from this machine."""
    host, _, port = bind.rpartition(":")
    host = host.strip("[]")
    if host in {"", "0.0.0.0", "::"}:
        host = "127.0.0.1"
    return f"http://{host}:{port}"


def web_health(config: Mapping[str, Any]) -> str:
    """The web process answers /healthz and its own parts (Redis, database, storage) work."""
    url = f"{_local_url(config['WEB_BIND'])}/healthz"
    try:
        with urllib.request.urlopen(url, timeout=8) as response:
            body = json.load(response)
    except urllib.error.HTTPError as exc:
        if exc.code != 503:
            raise Unhealthy(f"{url}: HTTP {exc.code}") from exc
        body = json.load(exc)
    except (OSError, ValueError) as exc:
        raise Unhealthy(f"{url}: {exc}") from exc
    checks = body.get("checks", {})
    failing = {name: checks.get(name) for name in WEB_OWN_CHECKS if checks.get(name) != "ok"}
    if failing:
        raise Unhealthy(f"{url}: {failing}")
    return f"web ok ({body.get('status')}: {checks})"


def _celery(config: Mapping[str, Any]) -> Any:
    from celery import Celery

    return Celery("chibo-health", broker=config["REDIS_URL"])


def worker_health(config: Mapping[str, Any], hostname: str | None = None) -> str:
    """A worker of this machine answers a Celery ping and has a LibreOffice that answers."""
    from kombu.exceptions import OperationalError

    hostname = hostname or socket.gethostname()
    app = _celery(config)
    try:
        replies = app.control.ping(timeout=2.0)
        nodes = [node for reply in replies for node in reply if node.endswith(f"@{hostname}")]
        if not nodes:
            raise Unhealthy(f"no worker on {hostname} answers a ping at {config['REDIS_URL']}")
        answers = app.control.broadcast("offices", reply=True, timeout=2.0, destination=nodes)
    except (OSError, OperationalError) as exc:
        raise Unhealthy(f"broker {config['REDIS_URL']}: {exc}") from exc
    finally:
        app.close()
    states = [state for reply in answers for answer in reply.values() for state in answer]
    answering = sum(1 for state in states if state["answering"])
    if config["UNOSERVER_ADDRESS"] == "" and not answering:
        raise Unhealthy(f"{nodes}: no LibreOffice answers (0/{len(states)})")
    return f"worker ok ({', '.join(nodes)}; LibreOffice {answering}/{len(states)})"


def flower_health(environ: Mapping[str, str]) -> str:
    """Flower answers its /healthcheck."""
    url = f"http://127.0.0.1:{environ.get('FLOWER_PORT') or 5555}/healthcheck"
    try:
        with urllib.request.urlopen(url, timeout=8) as response:
            return f"flower {response.read().decode().strip()}"
    except OSError as exc:
        raise Unhealthy(f"{url}: {exc}") from exc


def beat_health(config: Mapping[str, Any]) -> str:
    """Beat's broker answers and its schedule file exists."""
    from redis import Redis
    from redis.exceptions import RedisError

    try:
        Redis.from_url(config["REDIS_URL"], socket_connect_timeout=2, socket_timeout=2).ping()
    except (RedisError, OSError) as exc:
        raise Unhealthy(f"broker {config['REDIS_URL']}: {exc}") from exc
    schedule = beat_schedule(config)
    if not any(schedule.parent.glob(schedule.name + "*")):
        raise Unhealthy(f"no schedule file {schedule}")
    return "beat ok"


def health(role: str | None, config: Mapping[str, Any], environ: Mapping[str, str]) -> str:
    """Why *role* is healthy; ``Unhealthy`` when it is not."""
    if role is None:
        try:
            role = ROLE_FILE.read_text().strip()
        except OSError:
            return f"no role recorded in {ROLE_FILE}: nothing to check"
    if role == "web":
        return web_health(config)
    if role == "worker":
        return worker_health(config)
    if role == "flower":
        return flower_health(environ)
    if role == "beat":
        return beat_health(config)
    return f"role {role!r} has no health check"


def main(argv: list[str] | None = None) -> int:
    """``python -m service.roles ROLE [options]`` or ``python -m service.roles health [ROLE]``."""
    parser = argparse.ArgumentParser(prog="python -m service.roles", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("role", choices=(*ROLES, "health"))
    parser.add_argument("checked", nargs="?", choices=ROLES, help="health: the role to check")
    parser.add_argument("--bind", help="web: host:port (default: WEB_BIND)")
    parser.add_argument("--workers", type=int, help="web: gunicorn processes (default: WEB_WORKERS)")
    parser.add_argument("--concurrency", type=int,
                        help="worker: processes (default: WORKER_CONCURRENCY)")
    args = parser.parse_args(argv)
    os.umask(PRIVATE_UMASK)  # kept across exec: what the role writes is its user's only
    config = from_env()
    if args.role == "health":
        try:
            print(health(args.checked, config, os.environ))
        except Unhealthy as exc:
            print(f"unhealthy: {exc}", file=sys.stderr)
            return 1
        return 0
    line = command(args.role, config, args)
    env = with_metrics_dir(os.environ, config)
    os.chdir(PROJECT_ROOT)
    sys.stdout.flush()
    os.execve(line[0], line, env)
    return 0  # not reached


if __name__ == "__main__":
    sys.exit(main())
