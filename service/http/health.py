"""``/healthz`` and ``/metrics``: is every part answering, and what has been done.

Health checks Redis, the database, the storage, the workers (a Celery ping), packages
that failed or wait too long (``packages``), documents stuck (queued or running longer than
``STUCK_AFTER_SECONDS``, under ``stuck``) and the converters (a remote-control command asks
each worker which of its processes' LibreOffice answers ``info()``; at least one must),
cached for a few seconds so a load balancer cannot turn the checks into load. Metrics are in
Prometheus format: the queue depth, documents by status and failures by reason are read at
scrape time from Redis and the database (true across every process); the conversion-time
histogram and LibreOffice restarts come from the workers through prometheus-client's
multiprocess files (``PROMETHEUS_MULTIPROC_DIR``, set by ``chibo up`` for its children).
"""

from __future__ import annotations

import os
import shutil
import time
import xmlrpc.client
from collections.abc import Iterator
from typing import Any

from flask import Blueprint, Flask, Response, current_app
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from redis import Redis
from sqlalchemy import func, select, text

from service import extensions
from service.extensions import get_storage
from service.http import auth
from service.jobs import models, packages, recovery

bp = Blueprint("health", __name__)
_cache: dict[int, tuple[float, dict[str, Any]]] = {}



def _check(name: str, probe: Any) -> tuple[str, str]:
    try:
        probe()
    except Exception as exc:  # any failure of a dependency is reported, never raised
        return name, f"lỗi: {type(exc).__name__}: {str(exc)[:120]}"
    return name, "ok"


def _workers() -> None:
    if not current_app.extensions["celery"].control.ping(timeout=1.0):
        raise RuntimeError("không có worker nào trả lời")


def _converters() -> str:
    """At least one LibreOffice answers: an external unoserver, or one a worker announces."""
    address = current_app.config["UNOSERVER_ADDRESS"]
    if address:
        host, _, port = address.rpartition(":")
        with xmlrpc.client.ServerProxy(f"http://{host or '127.0.0.1'}:{port}") as proxy:
            proxy.info()
        return "ok"
    replies = current_app.extensions["celery"].control.broadcast("offices", reply=True, timeout=1.0)
    states = [state for reply in replies for answer in reply.values() for state in answer]
    answering = sum(1 for state in states if state["answering"])
    if not answering:
        raise RuntimeError(f"không LibreOffice nào trả lời (0/{len(states)})")
    return "ok"


def _storage() -> None:
    storage = get_storage()
    storage.put("health/probe", b"ok")
    assert storage.get("health/probe") == b"ok"


def _disk(config: Any) -> None:
    """The folders written to have DISK_MIN_FREE_MB free (a full disk stops every role)."""
    folders = {config["DATA_DIR"]}
    if config["STORAGE_BACKEND"] == "local":
        folders.add(config["STORAGE_PATH"])
    least = int(config["DISK_MIN_FREE_MB"]) * 1024 * 1024
    for folder in sorted(folders):
        free = shutil.disk_usage(folder).free
        if free < least:
            raise RuntimeError(f"đĩa gần đầy: còn {free // (1024 * 1024)} MB trống (cần ít nhất "
                               f"{least // (1024 * 1024)} MB) ở {folder}")


def _consuming(config: Any) -> None:
    """Documents waiting while no worker takes any (QUEUE_STALL_SECONDS) are a fault."""
    with extensions.session_scope() as session:
        count, oldest = recovery.stalled(session, config["QUEUE_STALL_SECONDS"], config["TASK_TIME_LIMIT"])
    if count:
        raise RuntimeError(f"không worker nào nhận việc: {count} tài liệu chờ từ {oldest:%H:%M:%S} UTC")


def _packages(config: Any) -> None:
    """A package whose build failed, or queued longer than PACKAGE_STALL_SECONDS, is a fault."""
    with extensions.session_scope() as session:
        failed, stuck = packages.troubles(session, config["PACKAGE_STALL_SECONDS"])
    if failed or stuck:
        raise RuntimeError(f"gói tài liệu: {failed} không đóng gói được, {stuck} chờ quá "
                           f"{config['PACKAGE_STALL_SECONDS']} giây")


def _stuck(after_seconds: int) -> dict[str, Any]:
    """Documents queued or running longer than STUCK_AFTER_SECONDS: how many, since when."""
    try:
        with extensions.session_scope() as session:
            count, oldest = recovery.stuck(session, after_seconds)
    except Exception as exc:  # the database check above says why
        return {"count": None, "after_seconds": after_seconds, "error": type(exc).__name__}
    return {"count": count, "after_seconds": after_seconds,
            "oldest": oldest.isoformat() + "Z" if oldest is not None else None}


def checks() -> dict[str, Any]:
    """Every dependency's state, cached for ``HEALTH_CACHE_SECONDS``."""
    # flask types current_app as Flask; it is a werkzeug LocalProxy, which has this method
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    cached = _cache.get(id(app))
    if cached and time.monotonic() - cached[0] < app.config["HEALTH_CACHE_SECONDS"]:
        return cached[1]
    redis = Redis.from_url(app.config["REDIS_URL"], socket_connect_timeout=1, socket_timeout=1)

    def database() -> None:
        with extensions.session_scope() as session:
            session.execute(text("select 1"))

    results = dict(_check(n, p) for n, p in (("redis", redis.ping), ("database", database),
                                              ("storage", _storage)))
    results.update([_check("disk", lambda: _disk(app.config))])
    if results["redis"] == "ok":
        results.update(_check(n, p) for n, p in (("workers", _workers), ("converter", _converters)))
    else:  # workers answer through Redis: asking them now would only wait for the timeouts
        results["workers"] = results["converter"] = "lỗi: không hỏi được (Redis không trả lời)"
    if results["database"] == "ok":
        results.update([_check("queue", lambda: _consuming(app.config)),
                        _check("packages", lambda: _packages(app.config))])
    stuck = _stuck(app.config["STUCK_AFTER_SECONDS"])
    healthy = all(v == "ok" for v in results.values()) and not stuck.get("count")
    body = {"status": "ok" if healthy else "degraded", "checks": results, "stuck": stuck}
    _cache[id(app)] = (time.monotonic(), body)
    return body


@bp.get("/healthz")
@auth.public
def healthz() -> tuple[dict[str, Any], int]:
    """200 when every part answers, 503 naming the part that does not.

    Anyone may ask: each part is ``ok`` or ``lỗi``. Why a part fails (an exception's text may
    hold a path, a host or a URL) is shown to an admin only (token or session).
    """
    body = checks()
    status = 200 if body["status"] == "ok" else 503
    found = auth.optional_caller()
    if found is not None and found.role == "admin":
        return body, status
    public = {name: "ok" if state == "ok" else "lỗi" for name, state in body["checks"].items()}
    stuck = body["stuck"]  # counts and a time: nothing internal
    return {"status": body["status"], "checks": public,
            "stuck": {k: stuck[k] for k in ("count", "after_seconds", "oldest") if k in stuck}}, status


class _StateCollector:
    """Queue depth and document counts, read when Prometheus scrapes."""

    def __init__(self, app: Flask) -> None:
        self.app = app

    def collect(self) -> Iterator[GaugeMetricFamily]:
        """Yield the gauges."""
        with self.app.app_context():
            depth = GaugeMetricFamily("chibo_queue_depth", "Tasks waiting in the Redis queue")
            try:
                redis = Redis.from_url(self.app.config["REDIS_URL"], socket_connect_timeout=1)
                depth.add_metric([], float(redis.llen("documents")))
            except Exception:
                pass
            yield depth
            documents = GaugeMetricFamily("chibo_documents", "Documents by status",
                                          labels=["status"])
            failures = GaugeMetricFamily("chibo_failures", "Failed documents by reason",
                                         labels=["reason"])
            with extensions.session_scope() as session:
                for status, count in session.execute(
                        select(models.Document.status, func.count()).group_by(models.Document.status)):
                    documents.add_metric([status], count)
                for reason, count in session.execute(
                        select(models.Document.error_type, func.count())
                        .where(models.Document.status == models.FAILED).group_by(models.Document.error_type)):
                    failures.add_metric([reason or "unknown"], count)
            yield documents
            yield failures


@bp.get("/metrics")
@auth.public
def metrics() -> Response:
    """Prometheus text format."""
    registry = CollectorRegistry()
    # the app behind the LocalProxy (typed as Flask by flask, see checks()): the collector
    # enters its own app context when it is read
    registry.register(_StateCollector(current_app._get_current_object()))  # type: ignore[attr-defined]
    folder = current_app.config["METRICS_DIR"]
    if folder and os.path.isdir(folder):
        MultiProcessCollector(registry, path=folder)
    return Response(generate_latest(registry), mimetype="text/plain; version=0.0.4")


def init_app(app: Flask) -> None:
    """Register the two endpoints."""
    app.register_blueprint(bp)
