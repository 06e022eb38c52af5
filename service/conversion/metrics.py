"""The converters' own Prometheus metrics, written by worker processes.

They reach ``/metrics`` through prometheus-client's multiprocess files
(``PROMETHEUS_MULTIPROC_DIR``, set by ``chibo up`` for its children).

``stage`` times one stage of making documents into ``chibo_stage_seconds_total{stage=…}``
(a few microseconds a call): ``bench.bulk`` reads the counters before and after a measurement
and prints where the seconds went.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator

from prometheus_client import Counter, Histogram

CONVERSION_SECONDS = Histogram("chibo_conversion_seconds", "Time of one LibreOffice conversion",
                               buckets=(0.25, 0.5, 1, 2, 4, 8, 16, 32, 64, 128))
OFFICE_RESTARTS = Counter("chibo_office_restarts", "LibreOffice instances started again")
PAGES_LAID_OUT = Counter("chibo_pages_laid_out", "Pages LibreOffice laid out (each part converted once)")
PAGES_DELIVERED = Counter("chibo_pages_delivered", "Pages of the PDFs made from them (copies repeated)")
STAGE_SECONDS = Counter("chibo_stage_seconds", "Seconds spent in one stage of making documents, "
                        "summed over processes", ["stage"])
CACHE_HITS = Counter("chibo_conversion_cache_hits", "Documents whose PDF came from the conversion cache")

# the stages, in the order a document goes through them (the bench prints them in this order)
STAGES = ("queue wait", "validation", "figures", "render", "combine", "libreoffice", "split",
          "repeat", "signature fields", "provenance", "storage", "package")


@contextlib.contextmanager
def stage(name: str) -> Iterator[None]:
    """Add the seconds the ``with`` body takes to the stage *name*."""
    started = time.perf_counter()
    try:
        yield
    finally:
        STAGE_SECONDS.labels(name).inc(time.perf_counter() - started)


def add_stage(name: str, seconds: float) -> None:
    """Add *seconds* measured elsewhere (a queue wait) to the stage *name*."""
    STAGE_SECONDS.labels(name).inc(max(0.0, seconds))
