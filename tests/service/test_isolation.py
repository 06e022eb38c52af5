"""Checks of untrusted bytes in a bounded child process: answers, errors, memory and time limits."""

from __future__ import annotations

import os
import time

import pytest

from service import isolation
from service.errors import BoundsExceededError, SignatureError

BOUNDS = isolation.Bounds(memory_bytes=1024 * 1024 * 1024, seconds=20)


def _pid_and_sum(numbers: list[int]) -> tuple[int, int]:
    return os.getpid(), sum(numbers)


def _refuse(detail: str) -> None:
    raise SignatureError(detail)


def _hog(mib: int) -> int:
    return len(bytearray(mib * 1024 * 1024))


def _spin() -> None:
    while True:
        pass


def test_a_check_runs_in_another_process_and_answers():
    """The function runs in a child (another pid) and its answer comes back."""
    pid, total = isolation.run(_pid_and_sum, [1, 2, 3], bounds=BOUNDS)
    assert total == 6 and pid != os.getpid()


def test_a_service_error_of_the_check_is_raised_here():
    """A refusal raised in the child is raised in the caller, as it was."""
    with pytest.raises(SignatureError, match="không ký"):
        isolation.run(_refuse, "không ký", bounds=BOUNDS)


def test_a_check_over_its_memory_is_refused_and_the_caller_keeps_its_memory():
    """3 GiB asked for under a 1 GiB limit: refused in Vietnamese; this process did not grow."""
    with pytest.raises(BoundsExceededError, match="bộ nhớ"):
        isolation.run(_hog, 3 * 1024, bounds=BOUNDS)


def test_a_check_that_never_ends_is_stopped_in_time():
    """An endless loop is killed at the time limit, not waited for."""
    started = time.monotonic()
    with pytest.raises(BoundsExceededError, match="giây"):
        isolation.run(_spin, bounds=isolation.Bounds(BOUNDS.memory_bytes, seconds=3))
    assert time.monotonic() - started < 30
