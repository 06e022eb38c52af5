"""Benchmark: a whole đảng bộ (40 chi bộ × 15 members) through the running service.

Starts a private stack (its own Redis on a free port, the default worker setup, the web
service), submits the generated đảng bộ as one batch, waits for it, and prints documents
per second, wall time, p50/p95 of per-document latency, and peak memory of the worker and of
LibreOffice. In the same run it measures two references on a sample of the same documents:
(a) the naive way, docxtpl then ``soffice --headless --convert-to pdf`` per document, two in
parallel; (b) the per-document ceiling, converting the rendered DOCX one by one through two
warm unoserver instances. Then, each in a fresh process, the ballots of one large chi bộ
(``bench.ballots``: time, pages laid out and delivered, peak memory) for each ``--ballots`` size.

The private stack has access control like any other: the benchmark makes an admin and a
token in the stack's own database and sends it with every request.

    .venv/bin/python -m bench.bulk [--chi-bo 40] [--members 15] [--sample 40] [--ballots 250,2000]
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

from bench.ballots import report
from bench.data import generate
from service import accounts, create_app, extensions
from service.cli import stack
from service.config import from_env
from service.conversion.converter import UnoserverConverter
from service.conversion.office import OfficeProcess, default_unoserver_command, free_port, process_tree
from service.documents import instances, render_context
from service.documents.rendering import DocxRenderer
from service.meetings.schemas import DangBoReview


class MemoryWatch(threading.Thread):
    """Samples the RSS of the worker tree and of soffice.bin twice a second; keeps the peaks."""

    def __init__(self, worker_pid: int) -> None:
        super().__init__(daemon=True)
        self.worker_pid = worker_pid
        self.peak_worker = self.peak_office = 0
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(0.5):
            worker = office = 0
            for pid in process_tree(self.worker_pid):
                name, rss = _proc(pid)
                if name == "soffice.bin":
                    office += rss
                elif "unoserver" not in name:
                    worker += rss
            self.peak_worker = max(self.peak_worker, worker)
            self.peak_office = max(self.peak_office, office)


def _proc(pid: int) -> tuple[str, int]:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return "", 0
    fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
    return fields.get("Name", "").strip(), int(fields.get("VmRSS", "0 kB").split()[0]) * 1024


def bench_token(env: dict[str, str]) -> str:
    """A new admin's API token in the database of the stack run with *env*."""
    app = create_app(from_env(env))
    with app.app_context(), extensions.session_scope() as session:
        user = accounts.create_user(session, f"bench-{secrets.token_hex(4)}", "admin", None,
                                    secrets.token_urlsafe(16))
        return accounts.create_token(session, user, "bench.bulk")


def run_service(payload: dict, workdir: Path) -> dict:
    """Submit the batch to a private stack; return timings and memory peaks."""
    redis_url = f"redis://127.0.0.1:{free_port()}/0"
    env = {**os.environ, "DATA_DIR": str(workdir / "var"), "REDIS_URL": redis_url}
    port = free_port()
    redis = stack.start_redis(redis_url, workdir / "redis")
    worker = stack.start_worker(env, concurrency=2, log=workdir / "worker.log")
    web = stack.start_web(env, port, log=workdir / "web.log")
    base = f"http://127.0.0.1:{port}"
    watch = MemoryWatch(worker.pid)
    try:
        deadline = time.monotonic() + 60
        while not stack.web_alive(base) and time.monotonic() < deadline:
            time.sleep(0.2)
        auth = {"Authorization": f"Bearer {bench_token(env)}"}
        time.sleep(8)  # both LibreOffice instances warm, as in a running service
        watch.start()
        start = time.monotonic()
        request = urllib.request.Request(f"{base}/api/v1/batches", method="POST",
                                         data=json.dumps(payload).encode(),
                                         headers={"Content-Type": "application/json", **auth})
        with urllib.request.urlopen(request, timeout=300) as response:
            location = response.headers["Location"]
        while True:
            poll = urllib.request.Request(f"{base}{location}", headers=auth)
            with urllib.request.urlopen(poll, timeout=60) as response:
                body = json.load(response)
            if body["status"] in ("done", "failed"):
                break
            time.sleep(0.5)
        wall = time.monotonic() - start
    finally:
        watch.stopped.set()
        for process in (web, worker, redis):
            stack.stop(process, timeout=60)
    created = datetime.fromisoformat(body["created_at"].rstrip("Z"))
    latencies = _latencies(workdir / "var" / "chibo.sqlite3", created)
    return {"documents": body["total"], "failed": body["failed"], "wall": wall,
            "latencies": latencies, "peak_worker": watch.peak_worker, "peak_office": watch.peak_office}


def _latencies(database: Path, created: datetime) -> list[float]:
    import sqlite3

    with sqlite3.connect(database) as connection:
        rows = connection.execute("select updated_at from documents where status = 'done'").fetchall()
    return sorted((datetime.fromisoformat(r[0]) - created).total_seconds() for r in rows)


def rendered_sample(review: DangBoReview, size: int) -> list[bytes]:
    """*size* documents of the batch, rendered, in the batch's proportions."""
    work = [(m, i) for m in review.chi_bo for i in instances(m)]
    step = max(1, len(work) // size)
    renderer = DocxRenderer()
    return [renderer.render(i.doc_type.template, render_context(i, m)) for m, i in work[::step][:size]]


def naive(documents: list[bytes], workdir: Path) -> float:
    """docs/s of docxtpl + ``soffice --convert-to pdf`` per document, two at a time."""
    folder = workdir / "naive"
    folder.mkdir()
    paths = []
    for index, docx in enumerate(documents):
        path = folder / f"d{index}.docx"
        path.write_bytes(docx)
        paths.append(path)

    def convert(path: Path) -> None:
        profile = f"file://{folder}/profile-{threading.get_ident()}"
        subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless",
                        "--convert-to", "pdf", "--outdir", str(folder), str(path)],
                       check=True, capture_output=True, timeout=120)

    start = time.monotonic()
    with ThreadPoolExecutor(2) as pool:
        list(pool.map(convert, paths))
    return len(paths) / (time.monotonic() - start)


def ceiling(documents: list[bytes]) -> float:
    """docs/s converting rendered DOCX one by one through two warm unoserver instances."""
    offices = [OfficeProcess(default_unoserver_command()) for _ in range(2)]
    for office in offices:
        office.start()
    try:
        for office in offices:
            office.ensure_ready()
        converters = [UnoserverConverter(office) for office in offices]
        halves = [documents[0::2], documents[1::2]]
        start = time.monotonic()
        pairs = zip(converters, halves, strict=True)
        with ThreadPoolExecutor(2) as pool:
            list(pool.map(lambda pair: [pair[0].to_pdf(d) for d in pair[1]], pairs))
        return len(documents) / (time.monotonic() - start)
    finally:
        for office in offices:
            office.stop()


def ballots(members: int) -> dict:
    """``bench.ballots`` for a chi bộ of *members*, in a process of its own (its peak memory)."""
    out = subprocess.run([sys.executable, "-m", "bench.ballots", "--members", str(members), "--json"],
                         check=True, capture_output=True, text=True, cwd=Path(__file__).parents[1])
    return dict(json.loads(out.stdout.splitlines()[-1]))


def main() -> None:
    """Run the measurements and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chi-bo", type=int, default=40)
    parser.add_argument("--members", type=int, default=15)
    parser.add_argument("--sample", type=int, default=40, help="documents for the references")
    parser.add_argument("--ballots", default="250", help="members of the large chi bộ whose ballots "
                        "are measured, comma-separated (\"\" for none)")
    args = parser.parse_args()
    payload = generate(args.chi_bo, args.members)
    review = DangBoReview.model_validate(payload)
    with tempfile.TemporaryDirectory(prefix="chibo-bench-") as tmp:
        workdir = Path(tmp)
        service = run_service(payload, workdir)
        sample = rendered_sample(review, args.sample)
        naive_rate = naive(sample, workdir)
        ceiling_rate = ceiling(rendered_sample(review, args.sample * 5))
    large = [ballots(int(size)) for size in args.ballots.split(",") if size.strip()]
    rate = service["documents"] / service["wall"]
    lat = service["latencies"]
    print(f"machine: {os.cpu_count()} cores, {os.uname().machine}, {os.uname().release}")
    print(f"đảng bộ: {args.chi_bo} chi bộ × {args.members} members = {service['documents']} documents "
          f"({service['failed']} failed)")
    print(f"service (queue, 2 workers, combined conversion): {rate:.1f} docs/s, wall {service['wall']:.1f} s")
    print(f"  per-document latency from submission: p50 {statistics.median(lat):.1f} s, "
          f"p95 {lat[int(len(lat) * 0.95) - 1]:.1f} s")
    print(f"  peak RSS: worker processes {service['peak_worker'] / 2**20:.0f} MiB, "
          f"LibreOffice {service['peak_office'] / 2**20:.0f} MiB")
    print(f"(a) naive docxtpl + soffice --convert-to, 2 parallel, {len(sample)} docs: "
          f"{naive_rate:.2f} docs/s "
          f"→ service is {rate / naive_rate:.1f}×")
    print(f"(b) ceiling, warm unoserver ×2 one by one, convert only, {args.sample * 5} docs: "
          f"{ceiling_rate:.2f} docs/s → service is {rate / ceiling_rate:.2f}×")
    for results in large:
        print(report(results))


if __name__ == "__main__":
    main()
