"""Benchmark: a whole đảng bộ (40 chi bộ × 15 members) through the running service.

Starts a private stack (``bench.stackrun``: its own Redis on a free port, the default
worker setup, the web service), submits the generated đảng bộ as one batch, waits for it,
and prints documents and pages per second, wall time, p50/p95 of per-document latency, the
pages LibreOffice laid out against the pages delivered, peak memory of the workers, of
LibreOffice and of the web role, and where the time went (``bench.stages``: the seconds of
each stage, from the service's own counters); then downloads the batch ZIP (time, and the
web role's RSS growth), times one meeting's submit → done on the idle queue (5 runs, with
its stage table) and a correction of one vote of that meeting (PUT → done, with its stage
table), and with ``--big-meeting 2000`` one meeting of 2,000 members: submit → done, then
its print PDF, with the workers' peak memory. In the same run it measures the references on
a sample of the same documents (``bench.references``): (a) naive docxtpl + ``soffice
--convert-to``, (b) one by one through two warm stock unoservers, and the layers of a conversion
(the PDF/A export's and the lead's cost, A/B on one LibreOffice); then, each in a fresh
process, the ballots of one large chi bộ (``bench.ballots``) for each ``--ballots`` size;
with ``--compare 8cd3d25`` the same đảng bộ and single meetings through that commit's service
(``bench.compare``, a git worktree). Last, each of the issue's targets beside its figure.

The private stack has access control like any other: the benchmark makes an admin and a
token in the stack's own database and sends it with every request.

    .venv/bin/python -m bench.bulk [--chi-bo 40] [--members 15] [--sample 40] [--ballots 250,2000]
                                   [--big-meeting 2000] [--compare 8cd3d25]
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from bench import stages
from bench.ballots import report as report_ballots
from bench.compare import compare_line, run_commit
from bench.data import generate
from bench.references import ceiling, layers, layers_line, naive, rendered_sample
from bench.report import Report, batch_lines, big_line, documents_line, singles_line, times, zip_line
from bench.stackrun import Stack, tree_rss
from bench.targets import summary
from service.meetings.schemas import DangBoReview


def measure_batch(run: Stack, payload: dict) -> dict:
    """The đảng bộ as one batch through the stack: time, latencies, pages, memory, stages."""
    counted = run.counters()
    run.watch.reset()
    wall, body = run.submit_and_wait("/api/v1/batches", payload)
    spent = stages.difference(counted, run.counters())
    created = datetime.fromisoformat(body["created_at"].rstrip("Z"))
    return {"documents": body["total"], "failed": body["failed"], "status": body["status"],
            "not_done": run.not_done(), "wall": wall, "latencies": run.latencies(created),
            "pages": run.pages(), "laid_out": spent.get("pages_laid_out", 0.0),
            "delivered": spent.get("pages_delivered", 0.0), "package": body["links"]["package"],
            "peak_worker": run.watch.peak_worker, "peak_office": run.watch.peak_office,
            "peak_web": run.watch.peak_web, "stages": spent}


def measure_zip(run: Stack, package: str) -> dict:
    """The batch ZIP: how long after done the worker had it, its size, its download, web growth."""
    time.sleep(1)
    web_before = tree_rss(run.web.pid)[0]
    run.watch.reset()
    waited, size, seconds = run.download(package)
    return {"waited": waited, "mib": size / 2**20, "seconds": seconds,
            "web_growth": max(0, run.watch.peak_web - web_before)}


def measure_singles(run: Stack, members: int, singles: int) -> tuple[list[tuple[float, str]], dict, str]:
    """Submit → final state of one meeting on the idle queue, *singles* times, sorted; the stages
    of the runs (summed), and the last job's address (the correction's)."""
    runs, counted, last = [], run.counters(), ""
    for index in range(singles):
        meeting = generate(1, members)["chi_bo"][0]
        meeting["organisation"]["name"] = f"Chi bộ đo lần {index + 1}"
        seconds, job = run.submit_and_wait("/api/v1/jobs", meeting, poll=0.05)
        runs.append((seconds, job["status"]))
        last = job["links"]["self"]
    time.sleep(0.5)  # the last package task's seconds reach the counters
    return sorted(runs), stages.difference(counted, run.counters()), last


def one_vote(meeting: dict[str, Any]) -> dict[str, Any]:
    """*meeting* with one vote of its first member moved from "xuất sắc" to "tốt"."""
    corrected = copy.deepcopy(meeting)
    votes = corrected["ratings"][0]["votes"]
    votes["xuat_sac"] -= 1
    votes["tot"] = votes.get("tot", 0) + 1
    if not votes["xuat_sac"]:
        del votes["xuat_sac"]
    return corrected


def measure_correction(run: Stack, job: str) -> tuple[float, str, dict]:
    """A correction of one vote of the job at *job*: PUT → done, its status, its stages."""
    status, _, data = run.request(f"{job}/input")
    if status != 200:
        raise RuntimeError(f"GET {job}/input answered {status}")
    counted = run.counters()
    seconds, body = run.submit_and_wait(job, one_vote(data), poll=0.05, method="PUT")
    time.sleep(0.5)
    return seconds, body["status"], stages.difference(counted, run.counters())


def measure_big(run: Stack, members: int) -> dict:
    """One meeting of *members*: submit → final state, its documents, then its print PDF."""
    run.watch.reset()
    meeting = generate(1, members)["chi_bo"][0]
    done, job = run.submit_and_wait("/api/v1/jobs", meeting, poll=1)
    pages, not_done, named = documents_line(job["documents"])
    big = {"members": members, "done": done, "status": job["status"], "pages": pages,
           "documents": len(job["documents"]), "not_done": not_done, "named": named,
           "peak_worker": run.watch.peak_worker, "peak_office": run.watch.peak_office,
           "peak_process": run.watch.peak_process, "print": None}
    if job["status"] == "done":
        try:
            waited, size, seconds = run.download(job["links"]["print"])
            big["print"] = {"after": waited, "download": seconds, "mib": size / 2**20}
        except Exception as exc:  # the figures above stand; the print PDF's failure is one more
            big["print"] = {"error": f"{type(exc).__name__}: {str(exc)[:200]}"}
    return big


def run_service(report: Report, args: argparse.Namespace, payload: dict, workdir: Path,
                figures: dict[str, Any]) -> None:
    """Through a private stack: the batch, its ZIP, single meetings, a correction, the big meeting;
    each figure printed as it is measured and kept in *figures* for the targets."""
    run = Stack(workdir)
    try:
        with report.measuring("the private stack (Redis, 2 worker processes, web)"):
            run.start()
        if run.watch is None:
            return
        batch = None
        with report.measuring(f"đảng bộ of {args.chi_bo} chi bộ × {args.members} members"):
            batch = measure_batch(run, payload)
            figures["rate"] = batch["documents"] / batch["wall"]
            figures["processes"] = run.concurrency
            figures["batch_work"] = stages.work(batch["stages"]) / batch["documents"]
            figures["batch_office"] = batch["stages"].get("stage:libreoffice", 0.0) / batch["documents"]
            if batch["delivered"]:
                figures["laid_share"] = batch["laid_out"] / batch["delivered"]
            for line in batch_lines(args, batch) + stages.table("the batch", batch["stages"], batch["wall"]):
                report.line(line)
        if batch is not None:
            with report.measuring("batch ZIP"):
                packed = measure_zip(run, batch["package"])
                figures["web_growth"] = packed["web_growth"]
                report.line(zip_line(packed))
        job = ""
        if args.singles:
            with report.measuring(f"one meeting of {args.members} members on the idle queue"):
                runs, spent, job = measure_singles(run, args.members, args.singles)
                figures["single_p50"] = statistics.median(s for s, _ in runs)
                figures["single_work"] = stages.work(spent) / len(runs)
                figures["single_office"] = spent.get("stage:libreoffice", 0.0) / len(runs)
                report.line(singles_line(args.members, runs))
                total = sum(s for s, _ in runs)
                for line in stages.table(f"one meeting ({len(runs)} runs summed)", spent, total):
                    report.line(line)
        if job:
            with report.measuring("a correction of one vote"):
                seconds, status, spent = measure_correction(run, job)
                figures["correction"] = seconds if status == "done" else None
                report.line(f"a correction of one vote of that meeting, PUT → {status}: {seconds:.2f} s "
                            "(target < 1 s)")
                for line in stages.table("the correction", spent, seconds):
                    report.line(line)
        if args.big_meeting:
            with report.measuring(f"meeting of {args.big_meeting} members"):
                big = measure_big(run, args.big_meeting)
                figures["big"] = big
                report.line(big_line(big))
    finally:
        run.stop()


def references(report: Report, args: argparse.Namespace, review: DangBoReview, workdir: Path,
               figures: dict[str, Any]) -> None:
    """(a), (b) and the layers of a conversion, on samples of the batch's documents."""
    rate = figures.get("rate")
    with report.measuring("(a) naive docxtpl + soffice --convert-to"):
        sample = rendered_sample(review, args.sample)
        figures["naive"] = naive(sample, workdir)
        report.line(f"(a) naive docxtpl + soffice --convert-to, 2 parallel, {len(sample)} docs: "
                    f"{figures['naive']:.2f} docs/s{times(rate, figures['naive'], '.1f', 25)}")
    with report.measuring("(b) warm one by one, unoserver ×2"):
        ceiling_sample = rendered_sample(review, args.sample * 5)
        figures["ceiling"] = ceiling(ceiling_sample)
        report.line(f"(b) warm one by one, stock unoserver ×2, convert only, {len(ceiling_sample)} docs: "
                    f"{figures['ceiling']:.2f} docs/s{times(rate, figures['ceiling'], '.2f', 4)}")
    with report.measuring("layers of one conversion (PDF/A export, lead)"):
        layer_sample = rendered_sample(review, max(1, args.sample // 4))
        rounds = 3 if args.sample >= 8 else 1  # a smoke run's sample: once is enough
        report.line(layers_line(layers(layer_sample, rounds), len(layer_sample), rounds))


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
    parser.add_argument("--compare", default="", metavar="COMMIT",
                        help="also run the đảng bộ and single meetings through COMMIT's service "
                        "(e.g. 8cd3d25)")
    args = parser.parse_args(argv)
    report = Report()
    report.line(f"machine: {os.cpu_count()} cores, {os.uname().machine}, {os.uname().release}, "
                f"load average {os.getloadavg()[0]:.1f}")
    payload = generate(args.chi_bo, args.members)
    review = DangBoReview.model_validate(payload)
    figures: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="chibo-bench-") as tmp:
        workdir = Path(tmp)
        run_service(report, args, payload, workdir, figures)
        references(report, args, review, workdir, figures)
        if args.compare:
            with report.measuring(f"the service of {args.compare}"):
                old = run_commit(args.compare, payload, args.singles, workdir)
                report.line(compare_line(args.compare, old, figures.get("rate"), figures.get("single_p50")))
    for size in (s.strip() for s in args.ballots.split(",")):
        if size:
            with report.measuring(f"ballots of a chi bộ of {size} members"):
                report.line(report_ballots(ballots(int(size))))
    for line in summary(figures):
        report.line(line)
    if report.failures:
        report.line(f"not measured: {', '.join(report.failures)}")
    return report.exit_code


if __name__ == "__main__":
    raise SystemExit(main())
