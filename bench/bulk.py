"""Benchmark: a whole đảng bộ (40 chi bộ × 15 members) through the running service.

Starts a private stack (``bench.stackrun``: its own Redis on a free port, the default
worker setup, the web service), submits the generated đảng bộ as one batch, waits for it,
and prints documents and pages per second, wall time, p50/p95 of per-document latency, the
pages LibreOffice laid out against the pages delivered, and peak memory of the workers, of
LibreOffice and of the web role; then downloads the batch ZIP (time, and the web role's RSS
growth), times one meeting's submit → done on the idle queue (5 runs), and with
``--big-meeting 2000`` one meeting of 2,000 members: submit → done, then its print PDF,
with the workers' peak memory. The issue's targets are printed beside each figure. In the
same run it measures two references on a sample of the same documents:
(a) the naive way, docxtpl then ``soffice --headless --convert-to pdf`` per document, two in
parallel; (b) the per-document ceiling, converting the rendered DOCX one by one through two
warm unoserver instances. Then, each in a fresh process, the ballots of one large chi bộ
(``bench.ballots``: time, pages laid out and delivered, peak memory) for each ``--ballots`` size.

The private stack has access control like any other: the benchmark makes an admin and a
token in the stack's own database and sends it with every request.

    .venv/bin/python -m bench.bulk [--chi-bo 40] [--members 15] [--sample 40] [--ballots 250,2000]
                                   [--big-meeting 2000]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

from bench.ballots import report
from bench.data import generate
from bench.stackrun import Stack, tree_rss
from service.conversion.converter import UnoserverConverter
from service.conversion.office import OfficeProcess, default_unoserver_command
from service.documents import instances, render_context
from service.documents.rendering import DocxRenderer
from service.meetings.schemas import DangBoReview


def run_service(payload: dict, workdir: Path, members: int, big: int, singles: int = 5) -> dict:
    """Through a private stack: the batch, its ZIP, single meetings, the big meeting."""
    run = Stack(workdir)
    try:
        run.start()
        counted = run.counters()
        wall, body = run.submit_and_wait("/api/v1/batches", payload)
        after = run.counters()
        peaks = (run.watch.peak_worker, run.watch.peak_office, run.watch.peak_web)
        created = datetime.fromisoformat(body["created_at"].rstrip("Z"))
        result = {"documents": body["total"], "failed": body["failed"], "wall": wall,
                  "latencies": run.latencies(created), "pages": run.pages(),
                  "laid_out": after["laid_out"] - counted["laid_out"],
                  "delivered": after["delivered"] - counted["delivered"],
                  "peak_worker": peaks[0], "peak_office": peaks[1], "peak_web": peaks[2]}
        time.sleep(1)
        web_before = tree_rss(run.web.pid)[0]
        run.watch.reset()
        waited, size, seconds = run.download(body["links"]["package"])
        result["zip"] = {"waited": waited, "mib": size / 2**20, "seconds": seconds,
                         "web_growth": max(0, run.watch.peak_web - web_before)}
        one = []
        for index in range(singles):
            meeting = generate(1, members)["chi_bo"][0]
            meeting["organisation"]["name"] = f"Chi bộ đo lần {index + 1}"
            one.append(run.submit_and_wait("/api/v1/jobs", meeting, poll=0.05)[0])
        result["single"] = sorted(one)
        if big:
            run.watch.reset()
            meeting = generate(1, big)["chi_bo"][0]
            done, job = run.submit_and_wait("/api/v1/jobs", meeting, poll=1)
            printed = run.download(job["links"]["print"])
            result["big"] = {"members": big, "done": done, "status": job["status"],
                             "print_after": printed[0], "print_download": printed[2],
                             "print_mib": printed[1] / 2**20,
                             "pages": sum(d["pages"] or 0 for d in job["documents"]),
                             "peak_worker": run.watch.peak_worker, "peak_office": run.watch.peak_office}
    finally:
        run.stop()
    return result


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
    parser.add_argument("--singles", type=int, default=5, help="runs of one meeting on the idle queue")
    parser.add_argument("--big-meeting", type=int, default=0, metavar="MEMBERS",
                        help="also time one meeting of this many members (e.g. 2000)")
    parser.add_argument("--ballots", default="250", help="members of the large chi bộ whose ballots "
                        "are measured, comma-separated (\"\" for none)")
    args = parser.parse_args()
    payload = generate(args.chi_bo, args.members)
    review = DangBoReview.model_validate(payload)
    with tempfile.TemporaryDirectory(prefix="chibo-bench-") as tmp:
        workdir = Path(tmp)
        service = run_service(payload, workdir, args.members, args.big_meeting, args.singles)
        sample = rendered_sample(review, args.sample)
        naive_rate = naive(sample, workdir)
        ceiling_rate = ceiling(rendered_sample(review, args.sample * 5))
    large = [ballots(int(size)) for size in args.ballots.split(",") if size.strip()]
    for line in figures(args, service, len(sample), naive_rate, ceiling_rate):
        print(line)
    for results in large:
        print(report(results))


def _mib(value: float) -> str:
    return f"{value / 2**20:.0f} MiB"


def figures(args: argparse.Namespace, service: dict, sampled: int, naive_rate: float,
            ceiling_rate: float) -> list[str]:
    """The lines of the report, with the issue's targets beside what was reached."""
    rate = service["documents"] / service["wall"]
    lat, one, pack = service["latencies"], service["single"], service["zip"]
    laid_share = service["laid_out"] / service["delivered"] if service["delivered"] else 0.0
    lines = [
        f"machine: {os.cpu_count()} cores, {os.uname().machine}, {os.uname().release}, "
        f"load average {os.getloadavg()[0]:.1f}",
        f"đảng bộ: {args.chi_bo} chi bộ × {args.members} members = {service['documents']} documents "
        f"({service['failed']} failed)",
        f"service (queue, 2 workers, combined conversion): {rate:.1f} docs/s, "
        f"{service['pages'] / service['wall']:.1f} pages/s, wall {service['wall']:.1f} s",
        f"  per-document latency from submission: p50 {statistics.median(lat):.1f} s, "
        f"p95 {lat[max(0, int(len(lat) * 0.95) - 1)]:.1f} s",
        f"  pages: LibreOffice laid out {service['laid_out']:.0f} of {service['delivered']:.0f} delivered "
        f"({laid_share:.0%}; target ≤ 60%)",
        f"  peak RSS: worker processes {_mib(service['peak_worker'])}, LibreOffice "
        f"{_mib(service['peak_office'])}, web {_mib(service['peak_web'])}",
        f"(a) naive docxtpl + soffice --convert-to, 2 parallel, {sampled} docs: {naive_rate:.2f} docs/s "
        f"→ service is {rate / naive_rate:.1f}× (target ≥ 25×)",
        f"(b) warm one by one, unoserver ×2, convert only, {args.sample * 5} docs: "
        f"{ceiling_rate:.2f} docs/s → service is {rate / ceiling_rate:.2f}× (target ≥ 4×)",
        f"batch ZIP: built by the worker {pack['waited']:.1f} s after done, {pack['mib']:.1f} MiB "
        f"downloaded in {pack['seconds']:.2f} s, web RSS growth {_mib(pack['web_growth'])} (target < 50 MiB)",
        f"one meeting of {args.members} members on the idle queue, submit → done ({len(one)} runs): "
        f"p50 {statistics.median(one):.2f} s, max {max(one):.2f} s (target p50 < 1 s)",
    ]
    big = service.get("big")
    if big:
        lines.append(f"meeting of {big['members']} members: submit → {big['status']} {big['done']:.1f} s "
                     f"({big['pages']} pages), print PDF ready {big['print_after']:.1f} s later "
                     f"({big['print_mib']:.1f} MiB, downloaded in {big['print_download']:.1f} s); "
                     f"peak RSS worker processes {_mib(big['peak_worker'])}, LibreOffice "
                     f"{_mib(big['peak_office'])} (target < 5 min, worker < 1 GiB)")
    return lines


if __name__ == "__main__":
    main()
