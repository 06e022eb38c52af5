"""Which pytest-xdist process runs which tests (``-n 2 --dist loadscope``, as run.sh test runs).

xdist's ``loadscope`` hands out whole modules; this hook refines it so that every module
whose tests use the shared stack (the session's Redis + Celery worker with its two
LibreOffice, the web role, the browser) is one unit, and every module using the in-process
LibreOffice (``converter``) another: each is started once, in one process. The rest goes
module by module to whichever process is free. (xdist's own ``loadgroup`` marks cannot be
used: it renames nodes through ``_nodeid``, which pytest 9.2 no longer reads.)

The units are handed out longest first, so that the two processes end near the same time:
the shared stack's and LibreOffice's, then every module that starts processes of its own
(tests/integration, tests/docker, tests/bench: a stack, a worker, a LibreOffice, ``chibo up``),
each group by its number of tests, and the in-process modules last. (xdist orders by the number
of tests alone, which left a one-test module that runs ``chibo up`` for a minute to the end of
the run while the other process had nothing left to do.)

The controller process does not collect, so a module's fixtures are read from its source:
the parameter names of its tests and fixtures. A module that reaches the stack another way runs in
its own unit: correct, at the cost of a second stack.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

import pytest

STACK = frozenset({"worker", "live_client", "base_url", "web", "browser", "web_stack", "page"})
OFFICE = frozenset({"converter"})
# the parameters of tests and of fixtures: the fixtures they ask for
_SIGNATURE = re.compile(r"^[ \t]*(?:def test_\w*|@pytest\.fixture.*\n(?:@.*\n)*def \w+)\(([^)]*)\)",
                        re.MULTILINE)
ROOT = Path(__file__).resolve().parents[2]


@functools.cache
def group_of(module: str) -> str:
    """The unit of *module* (a path relative to the project root): ``stack``, ``office`` or itself."""
    try:
        source = (ROOT / module).read_text(encoding="utf-8")
    except OSError:
        return module
    names = {name.split(":")[0].split("=")[0].strip() for signature in _SIGNATURE.findall(source)
             for name in signature.split(",")}
    if names & STACK:
        return "stack"
    if names & OFFICE:
        return "office"
    return module


HEAVY = ("tests/integration/", "tests/docker/", "tests/bench/")  # modules starting processes


def cost(unit: str, tests: int) -> tuple[int, int]:
    """How long *unit* of *tests* tests is expected to run, as a sort key: the shared stack's and
    LibreOffice's units first, then the modules starting processes, then by number of tests."""
    return (2 if unit in ("stack", "office") else 1 if unit.startswith(HEAVY) else 0, tests)


def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """With ``--dist loadscope``: whole modules, the stack's and LibreOffice's each as one unit."""
    if config.getvalue("dist") != "loadscope":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class Units(LoadScopeScheduling):  # type: ignore[misc]
        ordered = False

        def _split_scope(self, nodeid: str) -> str:
            return group_of(nodeid.split("::", 1)[0])

        def _assign_work_unit(self, node: Any) -> None:
            if not self.ordered:  # the first call: the whole queue is known, nothing handed out yet
                units = sorted(self.workqueue.items(), key=lambda item: cost(item[0], len(item[1])),
                               reverse=True)
                self.workqueue.clear()
                self.workqueue.update(units)
                self.ordered = True
            super()._assign_work_unit(node)

    return Units(config, log)
