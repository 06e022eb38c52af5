"""The suite's own measures, printed at the end of every run (a plugin registered by tests/conftest.py).

- ``suite: N s``: the wall time of the whole run, collection included.
- the processes the run started, by kind (an audit hook sees every ``subprocess.Popen`` of the
  test processes): stacks, LibreOffice, Redis, PostgreSQL, SeaweedFS, browsers. These counts do
  not depend on how loaded the machine is, so they compare two runs where wall times cannot.
- the fixtures whose setups took longest in total, with how many times each was set up.

Under pytest-xdist each worker process counts its own and sends them to the controller.
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from collections.abc import Generator
from typing import Any

import pytest

STARTED = time.monotonic()
_starts: Counter[str] = Counter()
_setups: Counter[str] = Counter()
_setup_seconds: Counter[str] = Counter()
_KINDS = (  # (what, every word its command line has), the first that matches
    ("worker role", ("service.roles", "worker")), ("web role", ("service.roles", "web")),
    ("beat role", ("service.roles", "beat")), ("chibo up", ("service.cli", "up")),
    ("docker entrypoint", ("entrypoint.sh",)),
    ("LibreOffice (unoserver, in a test process)", ("sandbox.py",)),
    ("soffice --convert-to", ("soffice", "--convert-to")), ("redis-server", ("redis-server",)),
    ("PostgreSQL", ("bin/postgres -D",)), ("SeaweedFS", ("weed",)),
    ("browser (Playwright driver)", ("run-driver",)), ("bench", ("-m", "bench.")),
)


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if event != "subprocess.Popen":
        return
    argv = args[1]
    words = [str(a) for a in argv] if isinstance(argv, list | tuple) else str(argv).split()
    line = " ".join(words)
    for kind, needles in _KINDS:
        if all(needle in line for needle in needles):
            _starts[kind] += 1
            if kind == "worker role" and "--concurrency" in words:
                _starts["LibreOffice (in worker processes)"] += int(words[words.index("--concurrency") + 1])
            return


sys.addaudithook(_audit)


@pytest.hookimpl(hookwrapper=True)
def pytest_fixture_setup(fixturedef: pytest.FixtureDef[Any]) -> Generator[None, None, None]:
    """Count each fixture's setups and their time (its own, not the fixtures it asks for)."""
    started = time.monotonic()
    yield
    if fixturedef.argname.startswith("_") or fixturedef.argname in {"request", "tmp_path_factory"}:
        return
    key = f"{fixturedef.argname} ({fixturedef.scope})"
    _setups[key] += 1
    _setup_seconds[key] += time.monotonic() - started


def pytest_sessionfinish(session: pytest.Session) -> None:
    """An xdist worker hands its counts to the controller."""
    output = getattr(session.config, "workeroutput", None)
    if output is not None:
        output["chibo_measures"] = json.dumps([_starts, _setups, _setup_seconds])


@pytest.hookimpl(optionalhook=True)  # pytest-xdist's hook
def pytest_testnodedown(node: Any, error: Any) -> None:
    """The controller adds up what each xdist worker counted."""
    found = getattr(node, "workeroutput", {}).get("chibo_measures")
    if found:
        starts, setups, seconds = json.loads(found)
        _starts.update(starts)
        _setups.update(setups)
        _setup_seconds.update(seconds)


@pytest.hookimpl(trylast=True)  # after --durations: the last lines before pytest's own
def pytest_terminal_summary(terminalreporter: Any) -> None:
    """The wall time, the processes started, the costliest fixture setups."""
    write = terminalreporter.write_line
    if _starts:
        write("processes started: " + ", ".join(f"{kind} {count}" for kind, count in _starts.most_common()))
    costly = [(key, seconds) for key, seconds in _setup_seconds.most_common(15) if seconds >= 1]
    if costly:
        write("fixture setups (times, total): " + "; ".join(
            f"{key} {_setups[key]}× {seconds:.0f} s" for key, seconds in costly))
    write(f"suite: {time.monotonic() - STARTED:.0f} s")
