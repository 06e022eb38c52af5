"""Benchmark: a whole đảng bộ (40 chi bộ × 15 members) through the running service.

Starts a private stack (its own Redis on a free port, the default worker setup, the web
service), submits the generated đảng bộ as one batch, waits for it, and prints documents
per second, wall time, p50/p95 of per-document latency, and peak memory of the worker and of
LibreOffice. In the same run it measures two references on a sample of the same documents:
(a) the naive way, docxtpl then ``soffice --headless --convert-to pdf`` per document, two in
parallel; (b) the per-document ceiling, converting the rendered DOCX one by one through two
warm unoserver instances.

    .venv/bin/python -m bench.bulk [--chi-bo 40] [--members 15] [--sample 40]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import tempfile
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

from service.cli import stack
from service.conversion.converter import UnoserverConverter
from service.conversion.office import OfficeProcess, default_unoserver_command, free_port, process_tree
from service.documents import instances, render_context
from service.documents.rendering import DocxRenderer
from service.meetings.schemas import DangBoReview

FAMILY = "Nguyễn Trần Lê Phạm Hoàng Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý".split()  # noqa: SIM905
MIDDLE = "Văn Thị Minh Thanh Quốc Thu Đức Ngọc Hữu Kim".split()  # noqa: SIM905
GIVEN = ("An Bình Châu Dũng Giang Hà Hạnh Khoa Lâm Linh Long Mai Nam Nga Phúc Quang Sơn Tâm "  # noqa: SIM905
         "Thảo Trung").split()


def generate(chi_bo: int, members: int) -> dict:
    """A realistic đảng bộ: every chi bộ with its members, ratings, votes and ballot count."""
    units = []
    for c in range(chi_bo):
        people = [f"{FAMILY[(c + i) % 15]} {MIDDLE[(c * 3 + i) % 10]} {GIVEN[(c + i * 7) % 20]}"
                  for i in range(members)]
        member_rows = [{"id": f"C{c:02d}M{i:02d}", "name": name,
                        "position": "Bí thư chi bộ" if i == 0 else "Đảng viên",
                        "leadership_post": i == 0,
                        "membership": "du_bi" if i == members - 1 else "chinh_thuc"}
                       for i, name in enumerate(people)]
        voters = members - 1
        ratings = [{"member": f"C{c:02d}M{i:02d}", "self_rating": "xuat_sac" if i < 2 else "tot",
                    "self_score": 92 if i < 2 else 82,
                    "votes": {"xuat_sac": voters - 1, "tot": 1} if i < 2 else {"tot": voters}}
                   for i in range(members)]
        units.append({
            "kind": "annual_review",
            "organisation": {"parent": "Đảng bộ phường Thành Sen", "name": f"Chi bộ số {c + 1}",
                             "place": "Hà Tĩnh"},
            "document_number": 1, "review_year": 2025,
            "start": f"2025-12-{1 + c % 20:02d}T14:00:00", "end": f"2025-12-{1 + c % 20:02d}T17:00:00",
            "location": f"Hội trường chi bộ số {c + 1}",
            "chair": {"name": people[0], "position": "Bí thư chi bộ"},
            "secretary": {"name": people[1], "position": "Đảng viên"},
            "members": member_rows, "ratings": ratings,
            "chi_bo_rating": {"self_rating": "tot", "self_score": 85, "votes": {"tot": voters}},
            "ballot_count": {"committee": [{"name": people[2]}], "issued": voters,
                             "returned": voters, "invalid": 0},
            "agenda": ["Kiểm điểm tập thể.", "Kiểm điểm cá nhân.", "Bỏ phiếu."],
            "conclusion": ["Hội nghị thành công."],
        })
    return {"kind": "dang_bo", "dang_bo": {"name": "Đảng bộ phường Thành Sen",
                                           "parent": "Đảng bộ tỉnh Hà Tĩnh", "place": "Hà Tĩnh",
                                           "review_year": 2025}, "chi_bo": units}


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
        time.sleep(8)  # both LibreOffice instances warm, as in a running service
        watch.start()
        start = time.monotonic()
        request = urllib.request.Request(f"{base}/api/v1/batches", method="POST",
                                         data=json.dumps(payload).encode(),
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=300) as response:
            location = response.headers["Location"]
        while True:
            with urllib.request.urlopen(f"{base}{location}", timeout=60) as response:
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


def main() -> None:
    """Run the three measurements and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chi-bo", type=int, default=40)
    parser.add_argument("--members", type=int, default=15)
    parser.add_argument("--sample", type=int, default=40, help="documents for the references")
    args = parser.parse_args()
    payload = generate(args.chi_bo, args.members)
    review = DangBoReview.model_validate(payload)
    with tempfile.TemporaryDirectory(prefix="chibo-bench-") as tmp:
        workdir = Path(tmp)
        service = run_service(payload, workdir)
        sample = rendered_sample(review, args.sample)
        naive_rate = naive(sample, workdir)
        ceiling_rate = ceiling(rendered_sample(review, args.sample * 5))
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


if __name__ == "__main__":
    main()
