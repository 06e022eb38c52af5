"""One warm LibreOffice behind unoserver, owned by the process that starts it.

unoserver must run under Debian's Python (the one python3-uno is built for), so the
service runs it as a child process from ``.sysvenv`` and talks to it over XML-RPC on
loopback. Each ``OfficeProcess`` has its own ports and its own LibreOffice profile, so
several can run side by side (one per worker process). It is started lazily, checked with
``info()`` before use, and restarted when it has died (unoserver exits after a crash or
after ``--conversion-timeout``).

It is started through ``sandbox.py``: as the office user (``OFFICE_USER``, when the worker is
root), in a network namespace of its own when the machine allows, with a scrubbed environment
and a private folder; the worker reaches it through a Unix socket in that folder
(``service.conversion.rpc``), and documents go to it as bytes, never as paths.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import pwd
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import xmlrpc.client
from pathlib import Path

from service.config import DEFAULTS, PROJECT_ROOT
from service.conversion.metrics import OFFICE_RESTARTS
from service.conversion.rpc import answers, rpc_proxy
from service.errors import ConverterUnavailableError

_PR_SET_PDEATHSIG = 1
SANDBOX = Path(__file__).with_name("sandbox.py")
LOADER = Path(__file__).with_name("unoloader.py")
SOCKET_NAME = "rpc.sock"  # sandbox.py's
# what LibreOffice needs of the worker's environment; the rest (SECRET_KEY, DATABASE_URL with
# its password, S3 keys…) stays out of reach of whoever might make LibreOffice run a program
_PASSED_ENV = ("PATH", "LANG", "LANGUAGE", "TZ")
# sandbox.py's early exits
_EXIT_REASONS = {125: "không tách được LibreOffice khỏi dịch vụ (người dùng, không gian mạng)",
                 126: "người dùng của LibreOffice không chạy được unoserver (quyền thư mục dự án)"}


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


def launcher_python() -> str:
    """Debian's python3 for ``sandbox.py`` (the office user can read it), else this one."""
    return "/usr/bin/python3" if os.access("/usr/bin/python3", os.X_OK) else sys.executable


def default_unoserver_command() -> str:
    """``.sysvenv/bin/python unoloader.py`` (unoserver opening documents hidden) next to the
    project, else stock unoserver. A command is split as a shell would (``shlex``)."""
    local = PROJECT_ROOT / ".sysvenv" / "bin" / "python"
    if local.exists():
        return shlex.join([str(local), str(LOADER)])
    return stock_unoserver_command()


def stock_unoserver_command() -> str:
    """unoserver as shipped: ``.sysvenv/bin/unoserver`` next to the project, else on PATH."""
    local = PROJECT_ROOT / ".sysvenv" / "bin" / "unoserver"
    return str(local) if local.exists() else shutil.which("unoserver") or "unoserver"


def office_states(state_dir: Path) -> list[dict[str, object]]:
    """Each LibreOffice announced in *state_dir* by a live process, and whether it answers."""
    states = []
    for path in sorted(state_dir.glob("*.json")) if state_dir.is_dir() else []:
        try:
            state = json.loads(path.read_text())
            os.kill(int(state["pid"]), 0)
            socket_path = Path(state["socket"])
        except (OSError, ValueError, KeyError, TypeError):
            continue  # written by a process that has gone (or half-written): not a converter
        states.append({"pid": state["pid"], "port": int(state["port"]),
                       "answering": answers(socket_path)})
    return states


def office_account(user: str) -> pwd.struct_passwd | None:
    """The account LibreOffice runs as: *user* when this process is root, else None (itself).

    Root with an empty *user* runs it as root (the operator's choice; the launcher warns).
    """
    if os.geteuid() != 0 or not user:
        return None
    try:
        return pwd.getpwnam(user)
    except KeyError:
        raise ConverterUnavailableError(
            f"Không có người dùng hệ thống {user!r} để chạy LibreOffice: chạy `bash service/run.sh "
            "install` với quyền root để tạo, hoặc đặt OFFICE_USER.") from None


def office_environment(folder: Path, environ: dict[str, str] | None = None) -> dict[str, str]:
    """What LibreOffice gets of *environ*: locale and PATH; home and temp in its *folder*."""
    environ = dict(os.environ) if environ is None else environ
    kept = {k: v for k, v in environ.items() if k in _PASSED_ENV or k.startswith("LC_")}
    return {"PATH": "/usr/local/bin:/usr/bin:/bin", **kept, "HOME": str(folder),
            "TMPDIR": str(folder / "tmp")}


class OfficeProcess:
    """A unoserver + LibreOffice pair on two free loopback ports, run through ``sandbox.py``.

    *user* is the account LibreOffice runs as when this process is root (``OFFICE_USER``).
    With *state_dir*, the owning process announces its port in ``<state_dir>/<pid>.json``
    while it runs, so the worker's main process can answer a health ping for it.
    """

    def __init__(self, command: str, *, conversion_timeout: int = 120,
                 start_timeout: float = 60.0, recycle_after: int = 0,
                 memory_limit_mb: int = 0, state_dir: Path | None = None,
                 user: str = DEFAULTS["OFFICE_USER"]) -> None:
        self.command = command
        self.user = user
        self.state_dir = state_dir
        self.conversion_timeout = conversion_timeout
        self.start_timeout = start_timeout
        self.recycle_after = recycle_after
        self.memory_limit_mb = memory_limit_mb
        self.since_start = 0
        self.port = self.uno_port = 0  # inside its network namespace, when it has one
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
        account = office_account(self.user)
        self.port, self.uno_port = free_port(), free_port()
        self._profile = Path(tempfile.mkdtemp(prefix="chibo-lo-"))  # 0700
        if account is not None:
            os.chown(self._profile, account.pw_uid, account.pw_gid)
        args = [launcher_python(), "-I", str(SANDBOX), "--dir", str(self._profile),
                "--port", str(self.port), "--user", account.pw_name if account else "", "--",
                *shlex.split(self.command), "--interface", "127.0.0.1", "--uno-interface", "127.0.0.1",
                "--port", str(self.port), "--uno-port", str(self.uno_port),
                "--user-installation", str(self._profile / "profile"),
                "--temp-dir", str(self._profile / "tmp"),
                "--conversion-timeout", str(self.conversion_timeout)]
        try:
            # no --logfile: with it unoserver re-spawns itself and SIGTERM stops reaching soffice;
            # the launcher's own warnings go to this process's stderr (the worker's log)
            self._process = subprocess.Popen(args, stdin=subprocess.DEVNULL,
                                             stdout=subprocess.DEVNULL,
                                             env=office_environment(self._profile),
                                             preexec_fn=_die_with_parent)
        except OSError as exc:
            shutil.rmtree(self._profile, ignore_errors=True)
            raise ConverterUnavailableError(f"Không khởi động được unoserver: {exc}") from exc
        self._ready = False
        self.since_start = 0
        if self.state_dir is not None:
            self.state_dir.mkdir(parents=True, exist_ok=True)
            self._state_file().write_text(json.dumps({"pid": os.getpid(), "port": self.port,
                                                      "socket": str(self.socket_path)}))
        if self.starts:
            OFFICE_RESTARTS.inc()
        self.starts += 1

    @property
    def socket_path(self) -> Path:
        """The Unix socket the worker reaches this unoserver through."""
        if self._profile is None:
            raise ConverterUnavailableError("LibreOffice chưa được khởi động.")
        return self._profile / SOCKET_NAME

    def rpc(self) -> xmlrpc.client.ServerProxy:
        """An XML-RPC proxy of this unoserver (start it first: ``ensure_ready``)."""
        return rpc_proxy(self.socket_path)

    def ensure_ready(self) -> None:
        """Start if needed and wait until unoserver answers ``info()``."""
        if self._ready and self.running:
            return
        self.start()
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if not self.running:
                code = self._process.returncode if self._process is not None else None
                reason = _EXIT_REASONS.get(code or 0, "xem nhật ký của worker")
                self.stop()
                raise ConverterUnavailableError(
                    f"unoserver đã dừng ngay khi khởi động (mã {code}: {reason}).")
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
        return self._profile is not None and answers(self.socket_path)

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
