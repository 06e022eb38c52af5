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
import re
import secrets
import sqlite3
import threading
import time
import urllib.error
import urllib.request
from datetime import datetime
from pathlib import Path
from typing import Any

from service import accounts, create_app, extensions
from service.cli import stack
from service.config import from_env
from service.conversion.office import free_port, process_tree


def _proc(pid: int) -> tuple[str, int]:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return "", 0
    fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
    return fields.get("Name", "").strip(), int(fields.get("VmRSS", "0 kB").split()[0]) * 1024


def tree_rss(root: int) -> tuple[int, int]:
    """RSS of the processes under *root*: (all but LibreOffice and unoserver, LibreOffice)."""
    own = office = 0
    for pid in process_tree(root):
        name, rss = _proc(pid)
        if name == "soffice.bin":
            office += rss
        elif "unoserver" not in name:
            own += rss
    return own, office


class MemoryWatch(threading.Thread):
    """Samples the worker tree, LibreOffice and the web tree twice a second; keeps the peaks."""

    def __init__(self, worker_pid: int, web_pid: int) -> None:
        super().__init__(daemon=True)
        self.worker_pid, self.web_pid = worker_pid, web_pid
        self.peak_worker = self.peak_office = self.peak_web = 0
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(0.5):
            worker, office = tree_rss(self.worker_pid)
            self.peak_worker, self.peak_office = max(self.peak_worker, worker), max(self.peak_office, office)
            self.peak_web = max(self.peak_web, tree_rss(self.web_pid)[0])

    def reset(self) -> None:
        """Start the peaks again (each measurement its own)."""
        self.peak_worker = self.peak_office = self.peak_web = 0


def bench_token(env: dict[str, str]) -> str:
    """A new admin's API token in the database of the stack run with *env*."""
    app = create_app(from_env(env))
    with app.app_context(), extensions.session_scope() as session:
        user = accounts.create_user(session, f"bench-{secrets.token_hex(4)}", "admin", None,
                                    secrets.token_urlsafe(16))
        return accounts.create_token(session, user, "bench.bulk")


class Stack:
    """A private Redis, worker and web role, and an HTTP client with the bench's token."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        redis_url = f"redis://127.0.0.1:{free_port()}/0"
        self.env = {**os.environ, "DATA_DIR": str(workdir / "var"), "REDIS_URL": redis_url}
        port = free_port()
        self.redis = stack.start_redis(redis_url, workdir / "redis")
        self.worker = stack.start_worker(self.env, concurrency=2, log=workdir / "worker.log")
        self.web = stack.start_web(self.env, port, log=workdir / "web.log")
        self.base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while not stack.web_alive(self.base) and time.monotonic() < deadline:
            time.sleep(0.2)
        self.auth = {"Authorization": f"Bearer {bench_token(self.env)}"}
        self.watch = MemoryWatch(self.worker.pid, self.web.pid)

    def start(self) -> None:
        """Wait for both LibreOffice instances to be warm, as in a running service; start sampling."""
        time.sleep(8)
        self.watch.start()

    def stop(self) -> None:
        """Stop sampling and every process."""
        self.watch.stopped.set()
        for process in (self.web, self.worker, self.redis):
            stack.stop(process, timeout=60)

    def request(self, path: str, payload: Any = None, timeout: float = 300) -> tuple[int, Any, Any]:
        """(status, headers, JSON body or None) of a GET, or a POST of *payload*."""
        data = None if payload is None else json.dumps(payload).encode()
        request = urllib.request.Request(f"{self.base}{path}", data=data, method="POST" if data else "GET",
                                         headers={"Content-Type": "application/json", **self.auth})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, response.headers, json.load(response)
        except urllib.error.HTTPError as exc:
            return exc.code, exc.headers, None

    def submit_and_wait(self, path: str, payload: Any, poll: float = 0.5) -> tuple[float, dict[str, Any]]:
        """Seconds from submission to done or failed, and the final body."""
        start = time.monotonic()
        _, headers, _ = self.request(path, payload)
        while True:
            _, _, body = self.request(headers["Location"])
            if body["status"] in ("done", "failed"):
                return time.monotonic() - start, body
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
        """The workers' page counters from ``/metrics``: laid out and delivered."""
        for attempt in range(3):  # a busy machine: the web role may be slow to answer
            try:
                with urllib.request.urlopen(f"{self.base}/metrics", timeout=120) as response:
                    text = response.read().decode()
                break
            except TimeoutError:
                if attempt == 2:
                    raise
        found = {}
        for name in ("laid_out", "delivered"):
            match = re.search(rf"^chibo_pages_{name}_total (\S+)$", text, re.MULTILINE)
            found[name] = float(match.group(1)) if match else 0.0
        return found

    def latencies(self, created: datetime) -> list[float]:
        """Seconds from *created* to each done document's last change, sorted."""
        with sqlite3.connect(self.workdir / "var" / "chibo.sqlite3") as connection:
            rows = connection.execute("select updated_at from documents where status = 'done'").fetchall()
        return sorted((datetime.fromisoformat(r[0]) - created).total_seconds() for r in rows)

    def pages(self) -> int:
        """Pages of every done document (the pages delivered)."""
        with sqlite3.connect(self.workdir / "var" / "chibo.sqlite3") as connection:
            return int(connection.execute("select coalesce(sum(pages), 0) from documents "
                                          "where status = 'done'").fetchone()[0])
