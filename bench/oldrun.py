"""The service of an older commit, measured as ``bench.bulk`` measures today's (``--compare``).

Run as a script inside a ``git worktree`` of that commit, with only that tree on the path:
it imports nothing of today's code. It starts that tree's own stack (Redis, 2 worker
processes, web), submits the đảng bộ of ``--payload`` as one batch, then one meeting of it
``--singles`` times on the idle queue, and prints one JSON line: wall time, documents, failed,
and the singles' seconds. Anything that fails is one JSON line with ``error``.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import sys
import tempfile
import time
import traceback
import urllib.request
from pathlib import Path
from typing import Any


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _stack() -> Any:
    try:
        from service.cli import stack  # type: ignore[attr-defined,unused-ignore]
    except ImportError:
        from service import stack  # type: ignore[attr-defined,no-redef,unused-ignore]  # before service/cli/
    return stack


def _token(stack: Any, env: dict[str, str]) -> str:
    """An admin's API token in that tree's database (its ``chibo up`` makes one the same way)."""
    from service import create_app  # that tree's
    from service.config import from_env

    app = create_app(from_env(env))
    if hasattr(stack, "first_run_token"):
        return str(stack.first_run_token(app))
    from service import accounts, extensions  # type: ignore[attr-defined,unused-ignore]

    with app.app_context(), extensions.session_scope() as session:
        user = accounts.create_user(session, "bench-old", "admin", None, "bench-old-password")
        return str(accounts.create_token(session, user, "bench.compare"))


def _submit_and_wait(base: str, path: str, payload: Any, poll: float,
                     auth: dict[str, str]) -> tuple[float, dict[str, Any]]:
    start = time.monotonic()
    request = urllib.request.Request(f"{base}{path}", method="POST", data=json.dumps(payload).encode(),
                                     headers={"Content-Type": "application/json", **auth})
    with urllib.request.urlopen(request, timeout=300) as response:
        location = response.headers["Location"]
    while True:
        status = urllib.request.Request(f"{base}{location}", headers=auth)
        with urllib.request.urlopen(status, timeout=120) as response:
            body = json.load(response)
        if body["status"] in ("done", "failed", "incomplete"):
            return time.monotonic() - start, body
        time.sleep(poll)


def measure(payload: dict[str, Any], singles: int, workdir: Path) -> dict[str, Any]:
    """The batch and the single meetings through the older tree's stack."""
    stack = _stack()
    redis_url = f"redis://127.0.0.1:{_free_port()}/0"
    env = {**os.environ, "DATA_DIR": str(workdir / "var"), "REDIS_URL": redis_url}
    port = _free_port()
    processes = [stack.start_redis(redis_url, workdir / "redis")]
    try:
        processes.append(stack.start_worker(env, concurrency=2, log=workdir / "worker.log"))
        processes.append(stack.start_web(env, port, log=workdir / "web.log"))
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 600  # a fresh tree compiles every module first
        while not stack.web_alive(base):
            if time.monotonic() > deadline:
                raise TimeoutError("the older web role did not answer in 600 s")
            time.sleep(0.5)
        auth = {"Authorization": f"Bearer {_token(stack, env)}"}
        time.sleep(15)  # both LibreOffice instances warm (that tree cannot be asked)
        wall, body = _submit_and_wait(base, "/api/v1/batches", payload, 0.5, auth)
        runs = []
        for index in range(singles):
            meeting = dict(payload["chi_bo"][index % len(payload["chi_bo"])])
            meeting["organisation"] = {**meeting["organisation"], "name": f"Chi bộ đo lần {index + 1}"}
            seconds, job = _submit_and_wait(base, "/api/v1/jobs", meeting, 0.05, auth)
            runs.append([seconds, job["status"]])
        return {"wall": wall, "documents": body["total"], "failed": body["failed"],
                "status": body["status"], "singles": runs}
    finally:
        for process in reversed(processes):
            stack.stop(process, timeout=60)


def main() -> int:
    """One JSON line: the figures, or the error that stopped them."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--payload", type=Path, required=True)
    parser.add_argument("--singles", type=int, default=3)
    args = parser.parse_args()
    try:
        with tempfile.TemporaryDirectory(prefix="chibo-bench-old-") as tmp:
            figures = measure(json.loads(args.payload.read_text()), args.singles, Path(tmp))
    except Exception as exc:  # reported as a figure by bench.compare
        traceback.print_exc(file=sys.stderr)
        figures = {"error": f"{type(exc).__name__}: {str(exc)[:300]}"}
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
