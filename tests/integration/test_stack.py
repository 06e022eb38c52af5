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


def test_up_starts_everything_renders_the_sample_and_stops_on_ctrl_c(tmp_path):
    """With no Redis listening it starts one, renders the sample, prints its PDF, and Ctrl-C stops all."""
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
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=60)
    assert process.returncode == 0
    assert not stack.redis_alive(redis_url), "the Redis that chibo up started is still running"
