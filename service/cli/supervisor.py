"""Keeping the roles of ``chibo up`` running: a role that dies is started again, alone.

Each role (Redis when ``chibo up`` runs it, the worker, beat, the web) is watched once a
second. One that exits is started again after a pause that doubles with each quick death
(1 s, 2 s, 4 s … at most ``MAX_BACKOFF`` s; a role that ran ``STEADY_SECONDS`` starts from
1 s again); the others are never stopped for it. Each restart is written to stderr and to
``DATA_DIR/logs/supervisor.log``, and counted in ``chibo_role_restarts_total{role=…}``, which
the web role's ``/metrics`` shows (prometheus-client's multiprocess files in ``METRICS_DIR``).
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from prometheus_client import Counter, values

MAX_BACKOFF = 60.0
STEADY_SECONDS = 60.0


@dataclass
class Role:
    """One process of the stack and how to start it."""

    name: str
    start: Callable[[], subprocess.Popen[bytes]]
    process: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    quick_deaths: int = 0
    due: float | None = None  # when the next start is due, once it died


def restart_counter(metrics_dir: Path) -> Any:
    """``chibo_role_restarts_total`` written to *metrics_dir*'s multiprocess files."""
    metrics_dir.mkdir(parents=True, exist_ok=True)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(metrics_dir)
    values.ValueClass = values.get_value_class()  # type: ignore[no-untyped-call]  # now: the files
    return Counter("chibo_role_restarts", "Roles of `chibo up` started again after they died",
                   ["role"])


class Supervisor:
    """Starts *roles* in order, restarts each one that dies, stops them in reverse order."""

    def __init__(self, roles: list[Role], log: Path, counter: Any = None) -> None:
        self.roles = roles
        self.log = log
        self.counter = counter
        self.stopping = threading.Event()
        self._lock = threading.Lock()

    def watch(self) -> threading.Thread:
        """Tick once a second in a thread of its own until ``stop_all``."""
        def loop() -> None:
            while not self.stopping.wait(1.0):
                with self._lock:
                    if not self.stopping.is_set():
                        self.tick()
        thread = threading.Thread(target=loop, name="supervisor", daemon=True)
        thread.start()
        return thread

    def _say(self, message: str) -> None:
        line = f"{datetime.now(UTC).isoformat(timespec='seconds')} {message}"
        print(line, file=sys.stderr, flush=True)
        with open(self.log, "a", encoding="utf-8") as handle:
            handle.write(line + "\n")

    def start(self, role: Role) -> None:
        """Start *role* now."""
        role.process = role.start()
        role.started_at = time.monotonic()
        role.due = None

    def start_all(self) -> None:
        """Start every role, in order."""
        for role in self.roles:
            self.start(role)

    def tick(self) -> None:
        """Look at each role once: note a death, start again a role whose pause is over."""
        now = time.monotonic()
        for role in self.roles:
            if role.process is None or role.due is not None:
                if role.due is not None and now >= role.due:
                    self._say(f"khởi động lại {role.name}")
                    self.start(role)
                    if self.counter is not None:
                        self.counter.labels(role=role.name).inc()
                continue
            code = role.process.poll()
            if code is None:
                continue
            role.quick_deaths = 0 if now - role.started_at >= STEADY_SECONDS else role.quick_deaths + 1
            pause = min(MAX_BACKOFF, 2.0 ** max(0, role.quick_deaths - 1))
            role.due = now + pause
            self._say(f"{role.name} đã dừng (mã {code}); khởi động lại sau {pause:g} giây")

    def alive(self, name: str) -> bool:
        """True when the role *name* runs now."""
        role = next(r for r in self.roles if r.name == name)
        return role.process is not None and role.process.poll() is None

    def stop_all(self, stop: Callable[[subprocess.Popen[bytes]], None]) -> None:
        """Stop every role, last started first."""
        self.stopping.set()
        with self._lock:
            pass  # a restart under way has finished
        for role in reversed(self.roles):
            if role.process is not None:
                stop(role.process)
