"""Running a check of untrusted bytes in a child process with a memory and a time limit.

The web role never parses a file a user sent with an unbounded parser in its own process:
a PDF verified (``/api/v1/verify``, ``/kiem-tra``) or taken back signed, and a template
checked on upload, are handed to ``run``, which calls the function in a child process forked
from a small server (``multiprocessing``'s forkserver, started by the first check of a web
process with the service's modules imported once, so every later check costs a fork, not an
interpreter start). The child first limits itself (``resource.setrlimit``: ``RLIMIT_AS`` to
``Bounds.memory_bytes``, ``RLIMIT_CPU`` to the time allowed) and then runs the function; the
parent waits at most ``Bounds.seconds`` and kills it after. A check that runs out of memory
or time answers ``BoundsExceededError`` (422, in Vietnamese); at most ``Bounds.at_once``
checks run at once per process, the next waits that long for a place and then answers
``BusyError`` (503).

The function and its arguments travel by pickle (a function of a module, plain data); what it
returns or raises comes back the same way, so a ``ServiceError`` it raises is raised here.
"""

from __future__ import annotations

import io
import multiprocessing
import os
import resource
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from multiprocessing import context, forkserver, popen_forkserver, reduction, spawn, util
from multiprocessing.connection import Connection
from typing import Any, TypeVar, cast

from service.errors import BoundsExceededError, BusyError, ServiceError

T = TypeVar("T")
# imported once by the forkserver: everything a check needs (the service package imports its
# whole tree through create_app)
PRELOAD = ["service"]
_CONTEXT = multiprocessing.get_context("forkserver")
_CONTEXT.set_forkserver_preload(PRELOAD)
_PLACES: dict[int, threading.BoundedSemaphore] = {}
_PLACES_LOCK = threading.Lock()


class _Popen(popen_forkserver.Popen):
    """The forkserver's launch without the caller's ``__main__``: a child never runs the script
    that started the web role (gunicorn's, pytest's) again; it needs only the service's modules."""

    def _launch(self, process_obj: Any) -> None:  # CPython 3.11's, with the two main keys left out
        prep_data = spawn.get_preparation_data(process_obj._name)
        prep_data.pop("init_main_from_path", None)
        prep_data.pop("init_main_from_name", None)
        buf = io.BytesIO()
        context.set_spawning_popen(self)
        try:
            reduction.dump(prep_data, buf)
            reduction.dump(process_obj, buf)
        finally:
            context.set_spawning_popen(None)
        self.sentinel, w = forkserver.connect_to_new_process(self._fds)  # type: ignore[attr-defined]
        _parent_w = os.dup(w)
        self.finalizer = util.Finalize(self, util.close_fds,  # type: ignore[attr-defined]
                                       (_parent_w, self.sentinel))
        with open(w, "wb", closefd=True) as f:
            f.write(buf.getbuffer())
        self.pid = forkserver.read_signed(self.sentinel)


class _Process(context.ForkServerProcess):
    @staticmethod
    def _Popen(process_obj: Any) -> _Popen:
        return _Popen(process_obj)


@dataclass(frozen=True)
class Bounds:
    """What one check may use: address space in bytes, seconds of wall time, checks at once."""

    memory_bytes: int
    seconds: float
    at_once: int = 2


def bounds_of(config: Mapping[str, Any]) -> Bounds:
    """The bounds the settings give (``CHECK_MEMORY_MB``, ``CHECK_SECONDS``, ``CHECKS_AT_ONCE``)."""
    return Bounds(int(config["CHECK_MEMORY_MB"]) * 1024 * 1024, float(config["CHECK_SECONDS"]),
                  int(config["CHECKS_AT_ONCE"]))


def _place(at_once: int) -> threading.BoundedSemaphore:
    with _PLACES_LOCK:
        if at_once not in _PLACES:
            _PLACES[at_once] = threading.BoundedSemaphore(at_once)
        return _PLACES[at_once]


def _child(conn: Connection, memory_bytes: int, cpu_seconds: int, function: Callable[..., Any],
           args: tuple[Any, ...]) -> None:
    """In the child: limit this process, then run *function* and send what came of it."""
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    try:
        outcome: tuple[str, Any] = ("ok", function(*args))
    except MemoryError:
        outcome = ("memory", None)
    except ServiceError as exc:
        outcome = ("error", exc)
    except Exception as exc:  # anything else a parser raises on hostile input: said in one line
        outcome = ("failed", f"{type(exc).__name__}: {exc}"[:300])
    try:
        conn.send(outcome)
    except Exception as exc:  # an answer that does not pickle
        conn.send(("failed", f"{type(exc).__name__}: {exc}"[:300]))
    finally:
        conn.close()


def run(function: Callable[..., T], *args: Any, bounds: Bounds, what: str = "tệp") -> T:
    """``function(*args)`` in a bounded child process; its answer, or its ``ServiceError`` raised.

    *what* names the file in the Vietnamese refusals ("tệp PDF", "mẫu").
    """
    place = _place(bounds.at_once)
    if not place.acquire(timeout=bounds.seconds):
        raise BusyError(f"Đang kiểm tra nhiều {what} cùng lúc; hãy thử lại sau ít phút.")
    try:
        return _run(function, args, bounds, what)
    finally:
        place.release()


def _run(function: Callable[..., T], args: tuple[Any, ...], bounds: Bounds, what: str) -> T:
    receive, send = _CONTEXT.Pipe(duplex=False)
    process = _Process(target=_child, daemon=True,
                               args=(send, bounds.memory_bytes, max(1, int(bounds.seconds)), function, args))
    process.start()  # waits for the forkserver: its first start imports the service once
    started = time.monotonic()
    send.close()
    try:
        ready = receive.poll(max(0.0, bounds.seconds - (time.monotonic() - started)))
        outcome = receive.recv() if ready else ("timeout", None)
    except (EOFError, OSError):  # the child died without answering: killed by its limits
        outcome = ("memory", None)
    finally:
        receive.close()
        if process.is_alive():
            process.kill()
        process.join(5)
        if process.exitcode is None:  # pragma: no cover - a child that ignores SIGKILL
            process.kill()
    kind, value = outcome
    if kind == "ok":
        return cast(T, value)
    if kind == "error" and isinstance(value, ServiceError):
        raise value
    if kind == "timeout":
        raise BoundsExceededError(f"Kiểm tra {what} quá {bounds.seconds:g} giây: {what} quá phức tạp, "
                                  "không nhận.")
    if kind == "memory":
        raise BoundsExceededError(f"Kiểm tra {what} cần quá {bounds.memory_bytes // (1024 * 1024)} MB "
                                  f"bộ nhớ: {what} quá phức tạp, không nhận.")
    raise BoundsExceededError(f"Không kiểm tra được {what} ({value}).")
