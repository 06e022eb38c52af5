"""`chibo up`, the README's first command after installing: the whole stack on one machine."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from service.cli import stack
from service.conversion.office import free_port

pytestmark = pytest.mark.integration


def _open_to_others(root: Path) -> list[str]:
    """What under *root* (and root itself) group or others may read, write or enter."""
    paths = [root, *root.rglob("*")]
    return [f"{oct(p.lstat().st_mode & 0o777)} {p}" for p in paths
            if not p.is_symlink() and p.lstat().st_mode & 0o077]


def test_up_starts_everything_renders_the_sample_and_stops_on_ctrl_c(tmp_path):
    """With no Redis it starts one, renders the sample (files 0600, folders 0700), Ctrl-C stops all."""
    redis_url = f"redis://127.0.0.1:{free_port()}/0"
    env = {**os.environ, "DATA_DIR": str(tmp_path / "var"), "REDIS_URL": redis_url,
           "WORKER_CONCURRENCY": "1"}
    process = subprocess.Popen([sys.executable, "-m", "service.cli", "up", "--port",
                                str(free_port())], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    lines: list[str] = []
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            assert line, "chibo up exited early:\n" + "".join(lines)
            lines.append(line)
            if line.startswith("PDF:") or "Ctrl-C" in line:
                break
        pdf_lines = [line for line in lines if line.startswith("PDF:")]
        assert pdf_lines, "".join(lines)
        pdf = Path(pdf_lines[0].split(":", 1)[1].strip())
        assert pdf.read_bytes().startswith(b"%PDF-")
        assert stack.redis_alive(redis_url)
        # everything the run wrote is its user's only: database, secret key, logs, documents
        loose = _open_to_others(tmp_path / "var")
        assert not loose, loose
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=60)
    assert process.returncode == 0
    assert not stack.redis_alive(redis_url), "the Redis that chibo up started is still running"
