"""A PostgreSQL server of the tests' own, from Debian's binaries, like their own Redis.

``initdb`` into a fresh folder (trust authentication, UTF8, C.UTF-8), then ``postgres`` on a
free loopback port with its socket in that folder and durability off (the data is thrown
away). As root both run as the ``postgres`` system user, which initdb and postgres insist on
and which then owns the folder; as anyone else they run as that user. Nothing touches a
PostgreSQL the machine already runs.
"""

from __future__ import annotations

import contextlib
import ctypes
import glob
import itertools
import os
import pwd
import re
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg

from service import migrations
from service.conversion.office import free_port

TEMPLATE = "chibo_template"
_PR_SET_PDEATHSIG = 1


def bin_dir() -> Path:
    """The folder of initdb and postgres: on PATH, else Debian's newest /usr/lib/postgresql/N."""
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                      key=lambda p: int(re.sub(r"\D", "", p.split("/")[4]) or 0))
    if not versions:
        raise RuntimeError("PostgreSQL is not installed (bash service/run.sh install)")
    return Path(versions[-1]).parent


def _die_with_parent() -> None:  # pragma: no cover - runs in the child
    # a killed test run takes its server down with it (after the switch of user, which
    # would clear the setting)
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGQUIT)


class PostgresServer:
    """One running server; databases are made from a migrated template in milliseconds."""

    def __init__(self) -> None:
        self.user = "postgres" if os.geteuid() == 0 else None
        self.root = Path(tempfile.mkdtemp(prefix="chibo-pg-"))
        if self.user:
            entry = pwd.getpwnam(self.user)
            os.chown(self.root, entry.pw_uid, entry.pw_gid)
        self.port = free_port()
        self._names = itertools.count(1)
        binaries = bin_dir()
        subprocess.run([binaries / "initdb", "-D", self.root / "data", "-U", "postgres", "-A", "trust",
                        "-E", "UTF8", "--locale=C.UTF-8", "--no-sync", "--no-instructions"],
                       user=self.user, check=True, capture_output=True, cwd=self.root)
        self._log = open(self.root / "postgres.log", "ab")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [binaries / "postgres", "-D", self.root / "data", "-p", str(self.port),
             "-h", "127.0.0.1", "-k", self.root, "-c", "fsync=off", "-c", "synchronous_commit=off",
             "-c", "full_page_writes=off", "-c", "max_connections=200"],
            user=self.user, cwd=self.root, stdout=self._log, stderr=subprocess.STDOUT,
            preexec_fn=_die_with_parent,
        )
        self._wait_ready()
        self.create_database(TEMPLATE, template="template0")
        migrations.upgrade(self.url(TEMPLATE))

    def _wait_ready(self, seconds: float = 30) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"postgres exited: {(self.root / 'postgres.log').read_text()}")
            with contextlib.suppress(psycopg.OperationalError):
                psycopg.connect(self._dsn("postgres"), connect_timeout=2).close()
                return
            time.sleep(0.1)
        raise RuntimeError(f"postgres did not start within {seconds:.0f} s")

    def _dsn(self, database: str) -> str:
        return f"host=127.0.0.1 port={self.port} user=postgres dbname={database}"

    def url(self, database: str) -> str:
        """The SQLAlchemy URL of *database*."""
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def _admin(self, statement: str) -> None:
        with psycopg.connect(self._dsn("postgres"), autocommit=True) as connection:
            connection.execute(statement)  # type: ignore[arg-type]

    def create_database(self, name: str | None = None, template: str = TEMPLATE) -> str:
        """A new database, a copy of *template* (by default migrated to head); its name."""
        name = name or f"test_{next(self._names)}"
        self._admin(f'CREATE DATABASE "{name}" TEMPLATE "{template}" STRATEGY FILE_COPY')
        return name

    def drop_database(self, name: str) -> None:
        """Drop *name*, closing whatever still uses it."""
        self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        """Fast shutdown, then remove the folder."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self._log.close()
        shutil.rmtree(self.root, ignore_errors=True)
