"""Benchmark: the two ballots of one large chi bộ, one copy per voter, built as a worker does.

Generates a chi bộ of ``--members`` members (``bench.data.generate``: every member but the
dự bị votes, so there are members − 1 ballots), then builds the member ballot and the chi bộ
ballot with ``service.jobs.pipeline.build`` through one warm LibreOffice, and prints for each:
wall time, the pages LibreOffice laid out and the pages delivered, the PDF's size (or, for a
ballot that could not be built, why: reported, exit 1); then the peak memory of this process
and of LibreOffice. Run it in a fresh process (``bench.bulk``
does) so that the peak is the ballots'. The same file runs on an older checkout, to compare.

    .venv/bin/python -m bench.ballots [--members 250] [--per-sheet 1] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.data import generate
from service.conversion.combine import page_count
from service.conversion.converter import UnoserverConverter
from service.conversion.office import OfficeProcess, default_unoserver_command, process_tree
from service.documents import instances
from service.documents.rendering import DocxRenderer
from service.jobs.pipeline import build
from service.meetings.validation import parse_meeting

BALLOTS = ("phieu_danh_gia_dang_vien", "phieu_danh_gia_chi_bo")


class OfficeWatch(threading.Thread):
    """Samples the RSS of the LibreOffice processes under this one four times a second."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak = 0
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(0.25):
            total = 0
            for pid in process_tree(os.getpid()):
                try:
                    status = Path(f"/proc/{pid}/status").read_text()
                except OSError:
                    continue
                fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
                if fields.get("Name", "").strip() == "soffice.bin":
                    total += int(fields.get("VmRSS", "0 kB").split()[0]) * 1024
            self.peak = max(self.peak, total)


class CountingConverter:
    """The real converter, counting the pages LibreOffice lays out."""

    def __init__(self, converter: UnoserverConverter) -> None:
        self.converter = converter
        self.pages = 0

    def to_pdf(self, docx: bytes, *, options: Sequence[str] = ()) -> bytes:
        """Convert and count."""
        pdf = self.converter.to_pdf(docx, options=options)
        self.pages += page_count(pdf)
        return pdf


def measure(members: int, per_sheet: int = 1) -> dict[str, Any]:
    """Build both ballots of a chi bộ of *members*; their figures and the memory peaks."""
    data = generate(1, members)["chi_bo"][0]
    data["rules"] = {"chi_bo_ballots_per_sheet": per_sheet}
    meeting = parse_meeting(data)
    chosen = [i for i in instances(meeting) if i.doc_type.id in BALLOTS]
    watch = OfficeWatch()
    results: dict[str, Any] = {"members": members, "ballots": members - 1, "documents": []}
    # generous: the old way lays out members × copies rows in one conversion
    with OfficeProcess(default_unoserver_command(), conversion_timeout=3600) as office:
        office.ensure_ready()
        watch.start()
        for instance in chosen:
            converter = CountingConverter(UnoserverConverter(office))
            started = time.monotonic()
            try:
                built = build(meeting, instance, DocxRenderer(), converter)
            except Exception as exc:  # a ballot that could not be built is a figure, not a crash
                results["documents"].append({
                    "type": instance.doc_type.id, "seconds": round(time.monotonic() - started, 2),
                    "error": f"{type(exc).__name__}: {str(exc)[:200]}"})
                continue
            seconds = time.monotonic() - started
            results["documents"].append({
                "type": instance.doc_type.id, "seconds": round(seconds, 2),
                "laid_out": converter.pages, "delivered": built.pages,
                "pdf_mib": round(len(built.pdf) / 2**20, 2), "docx_mib": round(len(built.docx) / 2**20, 2)})
        watch.stopped.set()
    results["seconds"] = round(sum(d["seconds"] for d in results["documents"]), 2)
    results["peak_python_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    results["peak_office_mib"] = round(watch.peak / 2**20)
    return results


def report(results: dict[str, Any]) -> str:
    """The figures as lines to print."""
    lines = [f"ballots of a chi bộ of {results['members']} members ({results['ballots']} ballots): "
             f"{results['seconds']:.1f} s, peak RSS {results['peak_python_mib']} MiB (worker) + "
             f"{results['peak_office_mib']} MiB (LibreOffice)"]
    for document in results["documents"]:
        if "error" in document:
            lines.append(f"  {document['type']}: FAILED after {document['seconds']:.1f} s "
                         f"({document['error']})")
            continue
        lines.append(f"  {document['type']}: {document['seconds']:.1f} s, LibreOffice laid out "
                     f"{document['laid_out']} pages for {document['delivered']} delivered, "
                     f"PDF {document['pdf_mib']} MiB, DOCX {document['docx_mib']} MiB")
    return "\n".join(lines)


def main() -> int:
    """Measure and print (``--json``: one JSON line, for ``bench.bulk``)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=250)
    parser.add_argument("--per-sheet", type=int, default=1, choices=(1, 2, 4))
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results = measure(args.members, args.per_sheet)
    print(json.dumps(results) if args.json else report(results), flush=True)
    return 1 if any("error" in d for d in results["documents"]) else 0


if __name__ == "__main__":
    raise SystemExit(main())
