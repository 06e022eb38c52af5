"""The converters' own Prometheus metrics, written by worker processes.

They reach ``/metrics`` through prometheus-client's multiprocess files
(``PROMETHEUS_MULTIPROC_DIR``, set by ``chibo up`` for its children).
"""

from __future__ import annotations

from prometheus_client import Counter, Histogram

CONVERSION_SECONDS = Histogram("chibo_conversion_seconds", "Time of one LibreOffice conversion",
                               buckets=(0.25, 0.5, 1, 2, 4, 8, 16, 32, 64, 128))
OFFICE_RESTARTS = Counter("chibo_office_restarts", "LibreOffice instances started again")
PAGES_LAID_OUT = Counter("chibo_pages_laid_out", "Pages LibreOffice laid out (each part converted once)")
PAGES_DELIVERED = Counter("chibo_pages_delivered", "Pages of the PDFs made from them (copies repeated)")
