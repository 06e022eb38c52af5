"""Benchmark: LibreOffice memory over many conversions in a row, with and without recycling.

Converts the documents of the large sample meeting (30 members: the biên bản, Mẫu 01, the
self-reviews, the ballots, the vote count) one after another through one warm LibreOffice
(``OfficeProcess`` + ``UnoserverConverter``, exactly as a worker process does), and prints
the resident memory of LibreOffice's processes every ``--every`` conversions, with the
number of LibreOffice starts so far. Run it once with the worker's defaults
(``OFFICE_RECYCLE_AFTER`` 500, ``OFFICE_MEMORY_LIMIT_MB`` 1024) and once with recycling off
to see what recycling bounds.

    .venv/bin/python -m bench.memory [--count 1000] [--every 50] [--recycle-after 500]
                                    [--memory-limit 1024]
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import time

from service.config import DEFAULTS, PROJECT_ROOT
from service.conversion.converter import UnoserverConverter
from service.conversion.office import OfficeProcess, default_unoserver_command
from service.documents import instances, meeting_figures, render_context
from service.documents.rendering import DocxRenderer
from service.meetings.validation import parse_meeting

SAMPLE = PROJECT_ROOT / "doc_templates" / "samples" / "annual_review_2025_large.json"


def rendered_documents() -> list[tuple[str, bytes]]:
    """Every document of the large sample, rendered once (name, DOCX bytes)."""
    meeting = parse_meeting(json.loads(SAMPLE.read_text()))
    figures = meeting_figures(meeting)
    renderer = DocxRenderer()
    return [(i.name, renderer.render(i.doc_type.template, render_context(i, meeting, figures)))
            for i in instances(meeting)]


def main() -> int:
    """Convert, print the curve, print a summary line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--every", type=int, default=50)
    parser.add_argument("--recycle-after", type=int, default=DEFAULTS["OFFICE_RECYCLE_AFTER"])
    parser.add_argument("--memory-limit", type=int, default=DEFAULTS["OFFICE_MEMORY_LIMIT_MB"])
    args = parser.parse_args()

    documents = rendered_documents()
    office = OfficeProcess(default_unoserver_command(), recycle_after=args.recycle_after,
                           memory_limit_mb=args.memory_limit)
    converter = UnoserverConverter(office)
    print(f"# {args.count} conversions, {len(documents)} different documents in turn; "
          f"recycle after {args.recycle_after or 'never'}, memory limit "
          f"{args.memory_limit or 'none'} MiB; {os.cpu_count()} CPUs")
    print(f"{'conversions':>11} {'LO RSS MiB':>10} {'starts':>6} {'docs/s':>7}")
    peak, samples, started = 0.0, [], time.monotonic()
    try:
        for count, (_, docx) in enumerate(itertools.islice(itertools.cycle(documents), args.count), 1):
            converter.to_pdf(docx)
            # read after the conversion; just after a recycle there is none running: 0
            rss = office.rss_mb() if office.running else 0.0
            peak = max(peak, rss)
            if count % args.every == 0 or count == 1:
                samples.append(rss)
                rate = count / (time.monotonic() - started)
                print(f"{count:>11} {rss:>10.0f} {office.starts:>6} {rate:>7.2f}", flush=True)
    finally:
        office.stop()
    print(f"# peak {peak:.0f} MiB, last sample {samples[-1]:.0f} MiB, {office.starts} LibreOffice starts, "
          f"{args.count / (time.monotonic() - started):.2f} conversions/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
