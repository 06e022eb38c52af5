"""The benchmarks run on a tiny đảng bộ, so that they cannot rot (the README's figures come from them)."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from service.config import PROJECT_ROOT

pytestmark = pytest.mark.integration


def _run(*args: str) -> str:
    out = subprocess.run([sys.executable, "-m", *args], cwd=PROJECT_ROOT, capture_output=True,
                         text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-3000:]
    return out.stdout


def test_bulk_runs_through_the_service_with_a_token():
    """bench.bulk on 2 chi bộ × 3 members, every option at once: every document done (no 401),
    each figure printed, the stage tables (batch, one meeting, a one-vote correction that takes
    unchanged documents from the conversion cache), an older commit that cannot run reported as
    a figure, the targets; nothing reported as not measured."""
    out = _run("bench.bulk", "--chi-bo", "2", "--members", "3", "--sample", "1", "--ballots", "4",
               "--big-meeting", "5", "--singles", "1", "--compare", "0000000")
    assert re.search(r"= 17 documents \(0 failed\), batch done", out), out
    for figure in ("docs/s,", "pages/s", "p50", "peak RSS: worker processes", "web", "(a) naive",
                   "(b) warm one by one", "batch ZIP: built by the worker", "web RSS growth",
                   "one meeting of 3 members on the idle queue, submit → done (1 runs)",
                   "meeting of 5 members: submit → done", "0 not done), print PDF ready",
                   "ballots of a chi bộ of 4 members (3 ballots)"):
        assert figure in out, out
    for title in ("the batch", "one meeting (1 runs summed)", "the correction"):  # the stage tables
        table = out.split(f"where the time goes, {title}: ", 1)[1].split("conversion cache hits", 1)[0]
        assert "LibreOffice layout + PDF/A export" in table and "render" in table, out
    libreoffice = re.search(r"the batch: .*?LibreOffice layout \+ PDF/A export +([\d.]+) s", out, re.DOTALL)
    assert libreoffice and float(libreoffice[1]) > 0, out
    assert re.search(r"a correction of one vote of that meeting, PUT → done: [\d.]+ s", out), out
    hits = re.search(r"where the time goes, the correction: .*?conversion cache hits (\d+)", out, re.DOTALL)
    assert hits and int(hits[1]) > 0, out  # the documents the vote did not change are not converted again
    assert "layers of one conversion" in out and "(lead " in out and "opened hidden" in out, out
    assert "0000000: not runnable on this install (git worktree add 0000000 failed" in out, out
    assert "targets (issue 30):" in out and re.search(r"one-vote correction.* (met|NOT MET)", out), out
    assert "limit: LibreOffice alone is" in out and "limit: one meeting is" in out, out
    assert "NOT MEASURED" not in out and "not done or without a page count" not in out, out
    laid_out, delivered = map(int, re.search(r"LibreOffice laid out (\d+) of (\d+) delivered", out).groups())
    assert 0 < laid_out < delivered, out  # the ballot copies are repeated, not laid out


def test_ballots_lay_out_one_copy_and_deliver_them_all():
    """bench.ballots on 6 members, 2 chi bộ ballots a sheet: LibreOffice lays out one copy's
    pages; 5 member ballots are delivered, and the 5 chi bộ ballots on 3 sheets."""
    out = _run("bench.ballots", "--members", "6", "--per-sheet", "2")
    assert "ballots of a chi bộ of 6 members (5 ballots)" in out, out
    assert "phieu_danh_gia_dang_vien: " in out and "LibreOffice laid out 1 pages for 5 delivered" in out, out
    assert re.search(r"phieu_danh_gia_chi_bo: .* laid out \d pages for 3 delivered", out), out
    peaks = re.search(r"peak RSS (\d+) MiB \(worker\) \+ (\d+) MiB \(LibreOffice\)", out)
    assert peaks and int(peaks[1]) > 0 and int(peaks[2]) > 0, out


def test_memory_runs_a_few_conversions():
    """bench.memory with three conversions and every option prints its curve and its summary line."""
    out = _run("bench.memory", "--count", "3", "--every", "1", "--recycle-after", "0",
               "--memory-limit", "2048")
    assert "# peak" in out and "3 conversions" in out and "recycle after never" in out, out
    assert "memory limit 2048 MiB" in out and "1 LibreOffice starts" in out, out
