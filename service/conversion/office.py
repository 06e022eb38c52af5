"""One warm LibreOffice behind unoserver, owned by the process that starts it.

unoserver must run under Debian's Python (the one python3-uno is built for), so the
service runs it as a child process from ``.sysvenv`` and talks to it over XML-RPC on
loopback. Each ``OfficeProcess`` has its own ports and its own LibreOffice profile, so
several can run side by side (one per worker process). It is started lazily, checked with
``info()`` before use, and restarted when it has died (unoserver exits after a crash or
after ``--conversion-timeout``).
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import xmlrpc.client
from pathlib import Path

from service.config import PROJECT_ROOT
from service.conversion.metrics import OFFICE_RESTARTS
from service.errors import ConverterUnavailableError

_PR_SET_PDEATHSIG = 1


def process_tree(root: int) -> list[int]:
    """*root* and every process below it, read from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _die_with_parent() -> None:  # pragma: no cover - runs in the child
    # a Celery pool process ignores some signals and exec keeps "ignored": give LibreOffice
    # back the defaults, or SIGTERM never stops it and every shutdown waits for SIGKILL
    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGQUIT, signal.SIGUSR1):
        signal.signal(signum, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_SETMASK, [])
    # unoserver forwards SIGTERM to soffice, so neither outlives a killed worker
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    os.setsid()


def default_unoserver_command() -> str:
    """``.sysvenv/bin/unoserver`` next to the project, else ``unoserver`` on PATH."""
    local = PROJECT_ROOT / ".sysvenv" / "bin" / "unoserver"
    if local.exists():
        return str(local)
    return shutil.which("unoserver") or "unoserver"


def office_states(state_dir: Path) -> list[dict[str, object]]:
    """Each LibreOffice announced in *state_dir* by a live process, and whether it answers."""
    states = []
    for path in sorted(state_dir.glob("*.json")) if state_dir.is_dir() else []:
        try:
            state = json.loads(path.read_text())
            os.kill(int(state["pid"]), 0)
        except (OSError, ValueError, KeyError):
            continue  # written by a process that has gone (or half-written): not a converter
        port = int(state["port"])
        states.append({"pid": state["pid"], "port": port, "answering": _answers(port)})
    return states


def _answers(port: int) -> bool:
    try:
        with xmlrpc.client.ServerProxy(f"http://127.0.0.1:{port}") as proxy:
            proxy.info()
    except (OSError, xmlrpc.client.Error):
        return False
    return True


class OfficeProcess:
    """A unoserver + LibreOffice pair on two free loopback ports.

    With *state_dir*, the owning process announces its port in ``<state_dir>/<pid>.json``
    while it runs, so the worker's main process can answer a health ping for it.
    """

    def __init__(self, command: str, *, conversion_timeout: int = 120,
                 start_timeout: float = 60.0, recycle_after: int = 0,
                 memory_limit_mb: int = 0, state_dir: Path | None = None) -> None:
        self.command = command
        self.state_dir = state_dir
        self.conversion_timeout = conversion_timeout
        self.start_timeout = start_timeout
        self.recycle_after = recycle_after
        self.memory_limit_mb = memory_limit_mb
        self.since_start = 0
        self.port = 0
        self._process: subprocess.Popen[bytes] | None = None
        self._profile: Path | None = None
        self._ready = False
        self.starts = 0

    @property
    def running(self) -> bool:
        """True while the unoserver process is alive."""
        return self._process is not None and self._process.poll() is None

    @property
    def pid(self) -> int | None:
        """The unoserver process id, when one is running."""
        return self._process.pid if self.running and self._process else None

    def start(self) -> None:
        """Start unoserver in the background; ``ensure_ready`` waits for it."""
        if self.running:
            return
        self.stop()
        self.port, uno_port = free_port(), free_port()
        self._profile = Path(tempfile.mkdtemp(prefix="chibo-lo-"))
        args = [self.command, "--interface", "127.0.0.1", "--uno-interface", "127.0.0.1",
                "--port", str(self.port), "--uno-port", str(uno_port),
                "--user-installation", str(self._profile),
                "--conversion-timeout", str(self.conversion_timeout)]
        try:
            # no --logfile: with it unoserver re-spawns itself and SIGTERM stops reaching soffice
            self._process = subprocess.Popen(args, stdin=subprocess.DEVNULL,
                                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                             preexec_fn=_die_with_parent)
        except OSError as exc:
            raise ConverterUnavailableError(f"Không khởi động được unoserver: {exc}") from exc
        self._ready = False
        self.since_start = 0
        if self.state_dir is not None:
            self.state_dir.mkdir(parents=True, exist_ok=True)
            self._state_file().write_text(json.dumps({"pid": os.getpid(), "port": self.port}))
        if self.starts:
            OFFICE_RESTARTS.inc()
        self.starts += 1

    def ensure_ready(self) -> None:
        """Start if needed and wait until unoserver answers ``info()``."""
        if self._ready and self.running:
            return
        self.start()
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if not self.running:
                raise ConverterUnavailableError("unoserver đã dừng ngay khi khởi động.")
            if self.ping():
                self._ready = True
                return
            time.sleep(0.25)
        self.stop()
        raise ConverterUnavailableError("LibreOffice không sẵn sàng trong thời gian cho phép.")

    def rss_mb(self) -> float:
        """Resident memory of LibreOffice (every process of this instance's group), in MiB."""
        if self._process is None:
            return 0.0
        total = 0
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                if os.getpgid(int(entry.name)) != self._process.pid:
                    continue
                status = (entry / "status").read_text()
            except (OSError, ProcessLookupError):
                continue
            for line in status.splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        return total / 1024

    def converted(self) -> None:
        """Count a conversion; recycle after the configured number or above the memory limit."""
        self.since_start += 1
        too_many = self.recycle_after and self.since_start >= self.recycle_after
        too_big = self.memory_limit_mb and self.rss_mb() > self.memory_limit_mb
        if too_many or too_big:
            self.stop()  # the next conversion starts a fresh one

    def ping(self) -> bool:
        """True when the XML-RPC server answers."""
        return _answers(self.port)

    def _state_file(self) -> Path:
        assert self.state_dir is not None
        return self.state_dir / f"{os.getpid()}.json"

    def stop(self) -> None:
        """Stop unoserver (it takes LibreOffice with it) and remove the profile."""
        process, self._process, self._ready = self._process, None, False
        if self.state_dir is not None:
            self._state_file().unlink(missing_ok=True)
        if process is not None:
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)
                with contextlib.suppress(subprocess.TimeoutExpired):
                    process.wait(timeout=3)  # a warm LibreOffice can sit on SIGTERM: its profile is throwaway
            # whatever is left of the group (oosplash, soffice.bin) goes too: the group is ours
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGKILL)
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=5)
        if self._profile is not None:
            shutil.rmtree(self._profile, ignore_errors=True)
            self._profile = None

    def __enter__(self) -> OfficeProcess:
        self.ensure_ready()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
