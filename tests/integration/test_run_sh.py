"""`bash service/run.sh` as a person types it: options without a command are options of `up`."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", "service/run.sh", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300, check=False)


def test_options_without_a_command_go_to_up():
    """`run.sh --port 8811 --help` reaches `chibo up` (its own usage line), not run.sh's refusal."""
    done = _run("--port", "8811", "--help")
    assert done.returncode == 0, done.stderr
    assert "usage: .venv/bin/chibo up" in done.stdout and "--port" in done.stdout


def test_an_unknown_command_is_refused_before_installing():
    """A typo answers the usage line at once, with exit code 2 and nothing installed."""
    done = _run("upp")
    assert done.returncode == 2 and "usage: bash service/run.sh" in done.stderr
    assert "==>" not in done.stdout + done.stderr
