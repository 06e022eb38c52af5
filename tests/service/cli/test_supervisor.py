"""`chibo up` keeps its roles running: a role that dies is started again, alone, with backoff."""

from __future__ import annotations

import subprocess
import time

from service.cli import stack
from service.cli.supervisor import Role, Supervisor


class Counted:
    """A stand-in for the Prometheus counter: restarts by role."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}

    def labels(self, role: str) -> Counted:
        self.role = role
        return self

    def inc(self) -> None:
        self.counts[self.role] = self.counts.get(self.role, 0) + 1


def _sleeper() -> subprocess.Popen[bytes]:
    return subprocess.Popen(["sleep", "600"])


def test_a_role_that_dies_is_restarted_alone_and_counted(tmp_path):
    """kill -9 of one role: restarted after 1 s, then 2 s; the other keeps its process; logged."""
    counted = Counted()
    supervisor = Supervisor([Role("worker", _sleeper), Role("web", _sleeper)], tmp_path / "s.log", counted)
    supervisor.start_all()
    worker, web = (role.process for role in supervisor.roles)
    try:
        for expected in (1, 2):
            supervisor.roles[0].process.kill()
            supervisor.roles[0].process.wait()
            supervisor.tick()
            pause = supervisor.roles[0].due - time.monotonic()
            assert 2 ** (expected - 1) - 0.5 < pause <= 2 ** (expected - 1)
            time.sleep(pause + 0.05)
            supervisor.tick()
            assert supervisor.alive("worker") and counted.counts == {"worker": expected}
        assert supervisor.roles[0].process is not worker and supervisor.roles[1].process is web
        assert "worker đã dừng" in (tmp_path / "s.log").read_text()
    finally:
        supervisor.stop_all(stack.stop)
    assert not supervisor.alive("worker") and not supervisor.alive("web")
