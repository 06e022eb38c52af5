"""Where the seconds of a measurement went: the service's stage counters, before and after.

The workers and the web role add the seconds of each stage of making documents to
``chibo_stage_seconds_total{stage=…}`` (``service.conversion.metrics.stage``); ``bench.bulk``
reads ``/metrics`` before and after a measurement and prints the difference as a table. The
seconds are summed over processes (two worker processes working for 10 s make 20 s), so the
table says where the work went, the wall time how long it took; LibreOffice lays out and
exports PDF/A in one call, so its line holds both (the bench's layer references split them).
"""

from __future__ import annotations

import re

from service.conversion.metrics import STAGES

_STAGE = re.compile(r'^chibo_stage_seconds_total\{stage="([^"]+)"\} (\S+)$', re.MULTILINE)
_COUNTER = re.compile(r"^chibo_(pages_laid_out|pages_delivered|conversion_cache_hits)_total (\S+)$",
                      re.MULTILINE)
LABELS = {"queue wait": "queue wait (longest of each task)", "combine": "combine (with the leads)",
          "libreoffice": "LibreOffice layout + PDF/A export", "repeat": "repeat copies (ballots)",
          "provenance": "page count + provenance (fonts)", "storage": "storage + database"}


def parse(text: str) -> dict[str, float]:
    """The counters of a ``/metrics`` page: ``stage:<name>`` seconds, pages and cache hits."""
    found = {f"stage:{name}": float(value) for name, value in _STAGE.findall(text)}
    found.update({name: float(value) for name, value in _COUNTER.findall(text)})
    return found


def difference(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
    """*after* − *before*, name by name."""
    return {name: after.get(name, 0.0) - before.get(name, 0.0) for name in {*before, *after}}


def work(spent: dict[str, float]) -> float:
    """Seconds of work of one measurement, summed over processes and stages (queue wait apart)."""
    return sum(spent.get(f"stage:{name}", 0.0) for name in STAGES if name != "queue wait")


def table(title: str, spent: dict[str, float], wall: float) -> list[str]:
    """The stage table of one measurement: seconds and share of each stage, in pipeline order."""
    seconds = {name: spent.get(f"stage:{name}", 0.0) for name in STAGES}
    total = work(spent)
    lines = [f"where the time goes, {title}: wall {wall:.2f} s, {total:.2f} s of work summed over "
             f"processes (queue wait apart)"]
    for name in STAGES:
        share = f"{seconds[name] / total:4.0%}" if total and name != "queue wait" else "    "
        lines.append(f"  {LABELS.get(name, name):<38} {seconds[name]:8.2f} s {share}")
    hits = spent.get("conversion_cache_hits", 0.0)
    lines.append(f"  pages laid out {spent.get('pages_laid_out', 0.0):.0f} of "
                 f"{spent.get('pages_delivered', 0.0):.0f} delivered; conversion cache hits {hits:.0f}")
    return lines
