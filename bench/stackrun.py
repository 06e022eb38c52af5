"""The service part of ``bench.bulk``: a private stack, a token, and what is measured through it.

``Stack`` starts its own Redis on a free port, the default worker setup (2 processes, one
LibreOffice each) and the web role, makes an admin and a token in the stack's own database,
and samples the RSS of the worker processes, of LibreOffice and of the web role twice a
second. Through it: a batch submitted and waited for, its ZIP downloaded (time, and the web
role's RSS growth while it streams), one meeting's submit → done on the idle queue, a big
meeting's submit → done and → print PDF, and the pages LibreOffice laid out and delivered
(the workers' Prometheus counters on ``/metrics``).
"""

from __future__ import annotations

import json
import os
import secrets
import sqlite3
import subprocess
import threading
import time
import urllib.error
import urllib.request
from datetime import datetime
from pathlib import Path
from typing import Any

from bench import stages
from service import accounts, create_app, extensions
from service.cli import stack
from service.config import from_env
from service.conversion.office import free_port, process_tree

FINAL = ("done", "failed", "incomplete")  # a job's or batch's states that will not change by themselves


def _proc(pid: int) -> tuple[str, int]:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return "", 0
    fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
    return fields.get("Name", "").strip(), int(fields.get("VmRSS", "0 kB").split()[0]) * 1024


def tree_rss(root: int) -> tuple[int, int]:
    """RSS of the processes under *root*: (all but LibreOffice and unoserver, LibreOffice)."""
    own, office, _ = tree_rss_largest(root)
    return own, office


def tree_rss_largest(root: int) -> tuple[int, int, int]:
    """As ``tree_rss``, and the RSS of the largest process that is not LibreOffice or unoserver."""
    own = office = largest = 0
    for pid in process_tree(root):
        name, rss = _proc(pid)
        if name == "soffice.bin":
            office += rss
        elif "unoserver" not in name:
            own += rss
            largest = max(largest, rss)
    return own, office, largest


class MemoryWatch(threading.Thread):
    """Samples the worker tree, LibreOffice and the web tree twice a second; keeps the peaks."""

    def __init__(self, worker_pid: int, web_pid: int) -> None:
        super().__init__(daemon=True)
        self.worker_pid, self.web_pid = worker_pid, web_pid
        self.peak_worker = self.peak_office = self.peak_web = 0
        self.peak_process = 0  # the largest single worker process (the "every process < 1 GiB" target)
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(0.5):
            worker, office, largest = tree_rss_largest(self.worker_pid)
            self.peak_worker, self.peak_office = max(self.peak_worker, worker), max(self.peak_office, office)
            self.peak_process = max(self.peak_process, largest)
            self.peak_web = max(self.peak_web, tree_rss(self.web_pid)[0])

    def reset(self) -> None:
        """Start the peaks again (each measurement its own)."""
        self.peak_worker = self.peak_office = self.peak_web = self.peak_process = 0


def bench_token(env: dict[str, str]) -> str:
    """A new admin's API token in the database of the stack run with *env*."""
    app = create_app(from_env(env))
    with app.app_context(), extensions.session_scope() as session:
        user = accounts.create_user(session, f"bench-{secrets.token_hex(4)}", "admin", None,
                                    secrets.token_urlsafe(16))
        return accounts.create_token(session, user, "bench.bulk")


class Stack:
    """A private Redis, worker and web role, and an HTTP client with the bench's token."""

    def __init__(self, workdir: Path, concurrency: int = 2) -> None:
        self.workdir, self.concurrency = workdir, concurrency
        self.env = {**os.environ, "DATA_DIR": str(workdir / "var"),
                    "REDIS_URL": f"redis://127.0.0.1:{free_port()}/0"}
        self.processes: list[subprocess.Popen[bytes]] = []
        self.base = ""
        self.auth: dict[str, str] = {}
        self.watch: MemoryWatch | None = None

    def start(self) -> None:
        """Start Redis, the worker and the web role; wait until both LibreOffice instances answer,
        as in a running service; start sampling. Whatever started is stopped by ``stop``."""
        self.redis = stack.start_redis(self.env["REDIS_URL"], self.workdir / "redis")
        self.processes.append(self.redis)
        self.worker = stack.start_worker(self.env, concurrency=self.concurrency,
                                         log=self.workdir / "worker.log")
        self.processes.append(self.worker)
        port = free_port()
        self.web = stack.start_web(self.env, port, log=self.workdir / "web.log")
        self.processes.append(self.web)
        self.base = f"http://127.0.0.1:{port}"
        stack.wait_until(lambda: stack.web_alive(self.base), 240, "the bench's web role")
        self.auth = {"Authorization": f"Bearer {bench_token(self.env)}"}
        stack.wait_until(self.offices_answering, 240, "the worker's LibreOffice instances")
        self.watch = MemoryWatch(self.worker.pid, self.web.pid)
        self.watch.start()

    def offices_answering(self) -> bool:
        """True when every worker process's LibreOffice answers (the worker's ``offices`` command)."""
        with self.app.app_context():
            replies = self.app.extensions["celery"].control.broadcast("offices", reply=True, timeout=1.0)
        states = [state for reply in replies for answer in reply.values() for state in answer]
        return sum(1 for state in states if state["answering"]) >= self.concurrency

    @property
    def app(self) -> Any:
        """An app on the stack's settings (its database, its broker)."""
        if not hasattr(self, "_app"):
            self._app = create_app(from_env(self.env))
        return self._app

    def stop(self) -> None:
        """Stop sampling and every process that was started."""
        if self.watch is not None:
            self.watch.stopped.set()
        for process in reversed(self.processes):
            stack.stop(process, timeout=60)

    def request(self, path: str, payload: Any = None, timeout: float = 300,
                method: str = "POST") -> tuple[int, Any, Any]:
        """(status, headers, JSON body or None) of a GET, or a POST (*method*) of *payload*."""
        data = None if payload is None else json.dumps(payload).encode()
        request = urllib.request.Request(f"{self.base}{path}", data=data, method=method if data else "GET",
                                         headers={"Content-Type": "application/json", **self.auth})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, response.headers, json.load(response)
        except urllib.error.HTTPError as exc:
            return exc.code, exc.headers, None

    def submit_and_wait(self, path: str, payload: Any, poll: float = 0.5, timeout: float = 3600,
                        method: str = "POST") -> tuple[float, dict[str, Any]]:
        """Seconds from submission (a POST, or a correction's PUT) to a final state (done, failed,
        incomplete), and the final body."""
        start = time.monotonic()
        status, headers, body = self.request(path, payload, method=method)
        if status != 202:
            raise RuntimeError(f"{method} {path} answered {status}: {json.dumps(body)[:300]}")
        while True:
            status, _, body = self.request(headers["Location"])
            if status == 200 and body["status"] in FINAL:
                return time.monotonic() - start, body
            if time.monotonic() - start > timeout:
                state = body.get("status") if body else status
                raise TimeoutError(f"{headers['Location']} still {state} after {timeout:.0f} s")
            time.sleep(poll)

    def download(self, path: str, timeout: float = 600) -> tuple[float, int, float]:
        """Wait until *path* answers 200 (not 409); (seconds waited, bytes, seconds to download).

        The download is read in chunks and thrown away, as a browser saving it would.
        """
        start = time.monotonic()
        while True:
            request = urllib.request.Request(f"{self.base}{path}", headers=self.auth)
            try:
                response = urllib.request.urlopen(request, timeout=300)
                break
            except urllib.error.HTTPError as exc:
                if exc.code != 409 or time.monotonic() - start > timeout:
                    raise
                time.sleep(0.25)
        waited = time.monotonic() - start
        size, begun = 0, time.monotonic()
        with response:
            while chunk := response.read(1 << 20):
                size += len(chunk)
        return waited, size, time.monotonic() - begun

    def counters(self) -> dict[str, float]:
        """The service's counters from ``/metrics``: pages laid out and delivered, cache hits, and
        the seconds of each stage (``bench.stages``)."""
        for attempt in range(3):  # a busy machine: the web role may be slow to answer
            try:
                with urllib.request.urlopen(f"{self.base}/metrics", timeout=120) as response:
                    text = response.read().decode()
                break
            except TimeoutError:
                if attempt == 2:
                    raise
        return stages.parse(text)

    def latencies(self, created: datetime) -> list[float]:
        """Seconds from *created* to each done document's last change, sorted."""
        with sqlite3.connect(self.workdir / "var" / "chibo.sqlite3") as connection:
            rows = connection.execute("select updated_at from documents where status = 'done'").fetchall()
        return sorted((datetime.fromisoformat(r[0]) - created).total_seconds() for r in rows)

    def not_done(self) -> list[str]:
        """Every document not done, or done without a page count: "chi bộ / name (state: error)"."""
        with sqlite3.connect(self.workdir / "var" / "chibo.sqlite3") as connection:
            rows = connection.execute(
                "select j.title, d.name, d.status, d.error_type, d.error_detail from documents d "
                "join jobs j on j.id = d.job_id where d.status != 'done' or d.pages is null "
                "order by j.title, d.name").fetchall()
        found = []
        for title, name, status, kind, detail in rows:
            why = status if status != "done" else "no page count"
            if kind:
                why += f": {kind} {(detail or '')[:80]}".rstrip()
            found.append(f"{title} / {name} ({why})")
        return found

    def pages(self) -> int:
        """Pages of every done document (the pages delivered)."""
        with sqlite3.connect(self.workdir / "var" / "chibo.sqlite3") as connection:
            return int(connection.execute("select coalesce(sum(pages), 0) from documents "
                                          "where status = 'done'").fetchone()[0])
