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
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

from bench.ballots import report as report_ballots
from bench.data import generate
from bench.report import Report, batch_lines, big_line, documents_line, singles_line, times, zip_line
from bench.stackrun import Stack, tree_rss
from service.conversion.converter import UnoserverConverter
from service.conversion.office import OfficeProcess, default_unoserver_command
from service.documents import instances, render_context
from service.documents.rendering import DocxRenderer
from service.meetings.schemas import DangBoReview


def measure_batch(run: Stack, payload: dict) -> dict:
    """The đảng bộ as one batch through the stack: time, latencies, pages, memory, what failed."""
    counted = run.counters()
    run.watch.reset()
    wall, body = run.submit_and_wait("/api/v1/batches", payload)
    after = run.counters()
    created = datetime.fromisoformat(body["created_at"].rstrip("Z"))
    return {"documents": body["total"], "failed": body["failed"], "status": body["status"],
            "not_done": run.not_done(), "wall": wall, "latencies": run.latencies(created),
            "pages": run.pages(), "laid_out": after["laid_out"] - counted["laid_out"],
            "delivered": after["delivered"] - counted["delivered"], "package": body["links"]["package"],
            "peak_worker": run.watch.peak_worker, "peak_office": run.watch.peak_office,
            "peak_web": run.watch.peak_web}


def measure_zip(run: Stack, package: str) -> dict:
    """The batch ZIP: how long after done the worker had it, its size, its download, web growth."""
    time.sleep(1)
    web_before = tree_rss(run.web.pid)[0]
    run.watch.reset()
    waited, size, seconds = run.download(package)
    return {"waited": waited, "mib": size / 2**20, "seconds": seconds,
            "web_growth": max(0, run.watch.peak_web - web_before)}


def measure_singles(run: Stack, members: int, singles: int) -> list[tuple[float, str]]:
    """Submit → final state of one meeting on the idle queue, *singles* times, sorted."""
    runs = []
    for index in range(singles):
        meeting = generate(1, members)["chi_bo"][0]
        meeting["organisation"]["name"] = f"Chi bộ đo lần {index + 1}"
        seconds, job = run.submit_and_wait("/api/v1/jobs", meeting, poll=0.05)
        runs.append((seconds, job["status"]))
    return sorted(runs)


def measure_big(run: Stack, members: int) -> dict:
    """One meeting of *members*: submit → final state, its documents, then its print PDF."""
    run.watch.reset()
    meeting = generate(1, members)["chi_bo"][0]
    done, job = run.submit_and_wait("/api/v1/jobs", meeting, poll=1)
    pages, not_done, named = documents_line(job["documents"])
    big = {"members": members, "done": done, "status": job["status"], "pages": pages,
           "documents": len(job["documents"]), "not_done": not_done, "named": named,
           "peak_worker": run.watch.peak_worker, "peak_office": run.watch.peak_office, "print": None}
    if job["status"] == "done":
        try:
            waited, size, seconds = run.download(job["links"]["print"])
            big["print"] = {"after": waited, "download": seconds, "mib": size / 2**20}
        except Exception as exc:  # the figures above stand; the print PDF's failure is one more
            big["print"] = {"error": f"{type(exc).__name__}: {str(exc)[:200]}"}
    return big


def run_service(report: Report, args: argparse.Namespace, payload: dict, workdir: Path) -> float | None:
    """Through a private stack: the batch, its ZIP, single meetings, the big meeting; each
    figure printed as it is measured. The service's docs/s, when the batch was measured."""
    run = Stack(workdir)
    rate = None
    try:
        with report.measuring("the private stack (Redis, 2 worker processes, web)"):
            run.start()
        if run.watch is None:
            return None
        batch = None
        with report.measuring(f"đảng bộ of {args.chi_bo} chi bộ × {args.members} members"):
            batch = measure_batch(run, payload)
            rate = batch["documents"] / batch["wall"]
            for line in batch_lines(args, batch):
                report.line(line)
        if batch is not None:
            with report.measuring("batch ZIP"):
                report.line(zip_line(measure_zip(run, batch["package"])))
        if args.singles:
            with report.measuring(f"one meeting of {args.members} members on the idle queue"):
                report.line(singles_line(args.members, measure_singles(run, args.members, args.singles)))
        if args.big_meeting:
            with report.measuring(f"meeting of {args.big_meeting} members"):
                report.line(big_line(measure_big(run, args.big_meeting)))
    finally:
        run.stop()
    return rate


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
                         capture_output=True, text=True, cwd=Path(__file__).parents[1])
    if out.returncode != 0:
        raise RuntimeError(f"bench.ballots exited {out.returncode}: {out.stderr.strip()[-300:]}")
    return dict(json.loads(out.stdout.splitlines()[-1]))


def main(argv: list[str] | None = None) -> int:
    """Run the measurements, printing each figure as it is measured; 1 if one could not be."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chi-bo", type=int, default=40)
    parser.add_argument("--members", type=int, default=15)
    parser.add_argument("--sample", type=int, default=40, help="documents for the references")
    parser.add_argument("--singles", type=int, default=5, help="runs of one meeting on the idle queue")
    parser.add_argument("--big-meeting", type=int, default=0, metavar="MEMBERS",
                        help="also time one meeting of this many members (e.g. 2000)")
    parser.add_argument("--ballots", default="250", help="members of the large chi bộ whose ballots "
                        "are measured, comma-separated (\"\" for none)")
    args = parser.parse_args(argv)
    report = Report()
    report.line(f"machine: {os.cpu_count()} cores, {os.uname().machine}, {os.uname().release}, "
                f"load average {os.getloadavg()[0]:.1f}")
    payload = generate(args.chi_bo, args.members)
    review = DangBoReview.model_validate(payload)
    with tempfile.TemporaryDirectory(prefix="chibo-bench-") as tmp:
        workdir = Path(tmp)
        rate = run_service(report, args, payload, workdir)
        with report.measuring("(a) naive docxtpl + soffice --convert-to"):
            sample = rendered_sample(review, args.sample)
            naive_rate = naive(sample, workdir)
            report.line(f"(a) naive docxtpl + soffice --convert-to, 2 parallel, {len(sample)} docs: "
                        f"{naive_rate:.2f} docs/s{times(rate, naive_rate, '.1f', 25)}")
        with report.measuring("(b) warm one by one, unoserver ×2"):
            ceiling_sample = rendered_sample(review, args.sample * 5)
            ceiling_rate = ceiling(ceiling_sample)
            report.line(f"(b) warm one by one, unoserver ×2, convert only, {len(ceiling_sample)} docs: "
                        f"{ceiling_rate:.2f} docs/s{times(rate, ceiling_rate, '.2f', 4)}")
    for size in (s.strip() for s in args.ballots.split(",")):
        if size:
            with report.measuring(f"ballots of a chi bộ of {size} members"):
                report.line(report_ballots(ballots(int(size))))
    if report.failures:
        report.line(f"not measured: {', '.join(report.failures)}")
    return report.exit_code


if __name__ == "__main__":
    raise SystemExit(main())
