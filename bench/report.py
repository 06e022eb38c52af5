"""A benchmark's report: each figure printed (and flushed) the moment it is measured.

A measurement that raises does not end the run: its line says what could not be measured and
why, the next measurement goes on, and the run exits non-zero at the end. Documents that
failed or came without a page count are figures of their own, counted and named.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
import traceback
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

NAMED = 5  # failed documents named on a line; the rest counted


class Report:
    """Lines printed as they come; the measurements that could not be made."""

    def __init__(self, out: TextIO | None = None) -> None:
        self.out = out or sys.stdout
        self.lines: list[str] = []
        self.failures: list[str] = []

    def line(self, text: str) -> None:
        """Print one figure now (a later crash cannot lose it)."""
        print(text, file=self.out, flush=True)
        self.lines.append(text)

    @contextlib.contextmanager
    def measuring(self, what: str) -> Iterator[None]:
        """Run one measurement; if it raises, report *what* as not measured, with the error."""
        try:
            yield
        except Exception as exc:  # any failure of one measurement is reported, not raised
            self.failures.append(what)
            self.line(f"{what}: NOT MEASURED ({type(exc).__name__}: {str(exc)[:300]})")
            traceback.print_exc(file=sys.stderr)

    @property
    def exit_code(self) -> int:
        """0 when every measurement was made, 1 otherwise."""
        return 1 if self.failures else 0


def documents_line(documents: Iterable[dict[str, Any]]) -> tuple[int, int, str]:
    """(pages of the done documents, documents not done, what to say about those not done).

    A document that failed, is still pending or has no page count is named with its state
    and error, never a ``KeyError``.
    """
    pages, problems = 0, []
    for document in documents:
        status = document.get("status", "?")
        count = document.get("pages")
        if status == "done" and isinstance(count, int):
            pages += count
            continue
        error = document.get("error") or {}
        why = status if status != "done" else "no page count"
        if error:
            why += f": {error.get('type')} {str(error.get('detail', ''))[:80]}".rstrip()
        problems.append(f"{document.get('name', '?')} ({why})")
    return pages, len(problems), named(problems)


def named(problems: list[str]) -> str:
    """The first few problems, and how many more."""
    if not problems:
        return ""
    shown = "; ".join(problems[:NAMED])
    more = len(problems) - NAMED
    return shown + (f"; and {more} more" if more > 0 else "")


def _mib(value: float) -> str:
    return f"{value / 2**20:.0f} MiB"


def times(rate: float | None, reference: float, spec: str, target: int) -> str:
    """How many times the service's rate is *reference*'s, with the issue's target."""
    if rate is None:
        return " (the service's rate was not measured)"
    return f" → service is {rate / reference:{spec}}× (target ≥ {target}×)"


def batch_lines(args: argparse.Namespace, batch: dict) -> list[str]:
    """The batch's figures; documents not done are counted and named."""
    lat, not_done = batch["latencies"], batch["not_done"]
    laid_share = batch["laid_out"] / batch["delivered"] if batch["delivered"] else 0.0
    lines = [
        f"đảng bộ: {args.chi_bo} chi bộ × {args.members} members = {batch['documents']} documents "
        f"({batch['failed']} failed), batch {batch['status']}",
        f"service (queue, 2 workers, combined conversion): {batch['documents'] / batch['wall']:.1f} docs/s, "
        f"{batch['pages'] / batch['wall']:.1f} pages/s, wall {batch['wall']:.1f} s",
    ]
    if not_done:
        lines.append(f"  documents not done or without a page count: {len(not_done)}: {named(not_done)}")
    if lat:
        lines.append(f"  per-document latency from submission: p50 {statistics.median(lat):.1f} s, "
                     f"p95 {lat[max(0, int(len(lat) * 0.95) - 1)]:.1f} s")
    else:
        lines.append("  per-document latency from submission: no document done")
    lines += [
        f"  pages: LibreOffice laid out {batch['laid_out']:.0f} of {batch['delivered']:.0f} delivered "
        f"({laid_share:.0%}; target ≤ 50%)",
        f"  peak RSS: worker processes {_mib(batch['peak_worker'])}, LibreOffice "
        f"{_mib(batch['peak_office'])}, web {_mib(batch['peak_web'])}",
    ]
    return lines


def zip_line(pack: dict) -> str:
    """The batch ZIP's figures."""
    return (f"batch ZIP: built by the worker {pack['waited']:.1f} s after done, {pack['mib']:.1f} MiB "
            f"downloaded in {pack['seconds']:.2f} s, web RSS growth {_mib(pack['web_growth'])} "
            f"(target < 50 MiB)")


def singles_line(members: int, runs: list[tuple[float, str]]) -> str:
    """One meeting on the idle queue: p50 and max, and how many did not end done."""
    seconds = [s for s, _ in runs]
    failed = [status for _, status in runs if status != "done"]
    return (f"one meeting of {members} members on the idle queue, submit → done ({len(runs)} runs"
            f"{f', {len(failed)} not done: ' + ', '.join(failed) if failed else ''}): "
            f"p50 {statistics.median(seconds):.2f} s, max {max(seconds):.2f} s (target p50 < 1 s)")


def big_line(big: dict) -> str:
    """The big meeting's figures: its documents not done named, its print PDF or why there is none."""
    line = (f"meeting of {big['members']} members: submit → {big['status']} {big['done']:.1f} s "
            f"({big['pages']} pages, {big['documents']} documents, {big['not_done']} not done"
            f"{': ' + big['named'] if big['named'] else ''})")
    printed = big["print"]
    if printed is None:
        line += ", no print PDF (the meeting is not done)"
    elif "error" in printed:
        line += f", print PDF not downloaded ({printed['error']})"
    else:
        line += (f", print PDF ready {printed['after']:.1f} s later ({printed['mib']:.1f} MiB, "
                 f"downloaded in {printed['download']:.1f} s)")
    largest = f", the largest {_mib(big['peak_process'])}" if "peak_process" in big else ""
    return (line + f"; peak RSS worker processes {_mib(big['peak_worker'])}{largest}, LibreOffice "
            f"{_mib(big['peak_office'])} (target < 3 min, every worker process < 1 GiB)")
