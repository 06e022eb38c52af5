"""The launcher of one LibreOffice: run as a script (``python -I sandbox.py``), never imported.

``OfficeProcess`` starts this instead of unoserver itself:

    python -I sandbox.py --dir DIR --port PORT [--user NAME] -- UNOSERVER_COMMAND ARGS…

It takes unoserver and LibreOffice out of reach of everyone but the worker, as far as the
machine allows, then runs unoserver and relays the worker's XML-RPC calls to it:

1. **Its own network.** A new network namespace (as root; otherwise with a user namespace,
   when the kernel lets unprivileged users make one) with only its own loopback up: the
   XML-RPC port and LibreOffice's UNO port (which gives the whole UNO API, i.e. any program
   run as that user) are unreachable from the machine's loopback. When no namespace can be
   made it says so on stderr and the ports stay on the shared loopback.
2. **Its own user.** Started as root with ``--user``, it drops to that user (no groups) before
   anything is run, so LibreOffice cannot read what only the service's user can (DATA_DIR,
   the secret key, the database, the stored documents) whoever asks it to.
3. **A private folder.** DIR (0700, the office user's) holds the profile, the temp files of
   the documents in flight and ``rpc.sock``, the Unix socket the worker talks to (reachable
   by the office user and root only); it is removed when unoserver ends or this is signalled.

Stdlib only, no project import: it runs with ``-I`` under Debian's python3 (readable by every
user, unlike a Python in root's home) and imports everything before it drops its privileges.
The exit code says why it stopped early: 125 the user or the isolation, 126 the command cannot
be run by the office user; otherwise unoserver's.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import encodings.idna  # noqa: F401 - connect(("127.0.0.1", …)) needs it; no import after the drop
import fcntl
import os
import pwd
import select
import shutil
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import FrameType

CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000
_PR_SET_PDEATHSIG = 1
_SIOCGIFFLAGS, _SIOCSIFFLAGS, _IFF_UP = 0x8913, 0x8914, 0x1
EXIT_SETUP, EXIT_COMMAND = 125, 126
SOCKET_NAME = "rpc.sock"
STOP_SECONDS = 10  # after a SIGTERM, then everything of the group is killed

_libc = ctypes.CDLL(None, use_errno=True)


def _say(message: str) -> None:
    print(f"chibo-office[{os.getpid()}]: {message}", file=sys.stderr, flush=True)


def _unshare(flags: int) -> None:
    if _libc.unshare(flags) != 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code))


def _loopback_up() -> None:
    """Bring ``lo`` of the (new, empty) network namespace up: 127.0.0.1 works only then."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        request = struct.pack("16sh14x", b"lo", 0)
        flags = struct.unpack("16sh14x", fcntl.ioctl(sock, _SIOCGIFFLAGS, request))[1]
        fcntl.ioctl(sock, _SIOCSIFFLAGS, struct.pack("16sh14x", b"lo", flags | _IFF_UP))


def own_network() -> str:
    """Move into a network namespace of our own; what was done, or why not (then: shared)."""
    uid, gid = os.getuid(), os.getgid()
    try:
        if os.geteuid() == 0:
            _unshare(CLONE_NEWNET)
        else:  # an unprivileged user may own a network inside a user namespace it owns
            _unshare(CLONE_NEWUSER | CLONE_NEWNET)
            Path("/proc/self/setgroups").write_text("deny")
            Path("/proc/self/uid_map").write_text(f"{uid} {uid} 1")
            Path("/proc/self/gid_map").write_text(f"{gid} {gid} 1")
        _loopback_up()
    except OSError as exc:
        return f"shared loopback (no network namespace: {exc.strerror or exc})"
    return "own network namespace"


def drop_to(user: str) -> None:
    """Become *user* with its own group only; refuses to go on if root could be regained."""
    entry = pwd.getpwnam(user)
    if entry.pw_uid == 0:
        raise PermissionError(f"{user} is root")
    os.setgroups([])
    os.setgid(entry.pw_gid)
    os.setuid(entry.pw_uid)
    try:
        os.setuid(0)
    except PermissionError:
        return
    raise PermissionError("root could be regained after setuid")


def die_with_parent() -> None:
    """SIGTERM when the parent goes (a credential change clears the earlier setting)."""
    _libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def _pump(client: socket.socket, port: int) -> None:
    """Copy bytes both ways between the worker's connection and unoserver's port."""
    with client, contextlib.suppress(OSError):
        upstream = socket.create_connection(("127.0.0.1", port), timeout=5)
        upstream.settimeout(None)
        with upstream:
            ends = {client: upstream, upstream: client}
            while True:
                readable, _, _ = select.select(list(ends), [], [])
                for end in readable:
                    data = end.recv(65536)
                    if not data:
                        return
                    ends[end].sendall(data)


def relay(listener: socket.socket, port: int) -> None:
    """Accept the worker's connections on the Unix socket, one thread each."""
    while True:
        try:
            client, _ = listener.accept()
        except OSError:
            return
        threading.Thread(target=_pump, args=(client, port), daemon=True).start()


def main(argv: list[str] | None = None) -> int:
    """Isolate, drop privileges, run unoserver, relay; remove DIR at the end."""
    parser = argparse.ArgumentParser(prog="sandbox.py")
    parser.add_argument("--dir", required=True, type=Path)
    parser.add_argument("--port", required=True, type=int)
    parser.add_argument("--user", default="")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    parent = os.getppid()
    try:
        network = own_network()
        if args.user:
            drop_to(args.user)
        elif os.geteuid() == 0:
            _say("warning: LibreOffice runs as root (OFFICE_USER is empty)")
    except (OSError, KeyError) as exc:
        _say(f"cannot isolate LibreOffice: {exc}")
        return EXIT_SETUP
    os.umask(0o077)
    die_with_parent()
    if os.getppid() != parent:  # the worker went before the line above
        return EXIT_SETUP
    if network.startswith("shared"):
        _say(f"warning: {network}; its ports are reachable from this machine's loopback")
    if not os.access(command[0], os.X_OK):
        _say(f"{command[0]} cannot be run by uid {os.getuid()}: every folder above it must be "
             "readable and searchable by others (chmod o+rx)")
        return EXIT_COMMAND
    (args.dir / "tmp").mkdir(mode=0o700, exist_ok=True)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(args.dir / SOCKET_NAME))
    listener.listen(16)
    child = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, preexec_fn=die_with_parent)

    stopping: list[float] = []  # when it was asked to stop

    def forward(signum: int, _frame: FrameType | None) -> None:
        stopping.append(time.monotonic())
        with contextlib.suppress(ProcessLookupError):
            child.send_signal(signum)  # unoserver hands it on to LibreOffice

    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, forward)
    threading.Thread(target=relay, args=(listener, args.port), daemon=True).start()
    try:
        while child.poll() is None:
            if stopping and time.monotonic() - stopping[0] > STOP_SECONDS:
                break  # unoserver sits on the signal (it waits for LibreOffice): see below
            time.sleep(0.1)
    finally:
        listener.close()
        shutil.rmtree(args.dir, ignore_errors=True)
    if child.poll() is None and os.getpgrp() == os.getpid():
        os.killpg(0, signal.SIGKILL)  # the whole group, this process last: nothing outlives it
    code = child.wait()
    return code if code >= 0 else 128 - code


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        sys.exit(main())
    sys.exit(128 + signal.SIGINT)
