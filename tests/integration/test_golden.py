"""Golden tests: every document of every sample, read back from its PDF, equals a reviewed text.

A change in wording, numbers or page breaks shows up as a readable diff of
``tests/golden/<sample>.txt``. After reviewing a deliberate change, regenerate with
``CHIBO_UPDATE_GOLDEN=1 .venv/bin/pytest tests/integration/test_golden.py``.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from service.conversion.combine import page_count
from service.conversion.repeat import repeat
from service.documents import instances, meeting_figures
from service.documents.rendering import DocxRenderer
from service.jobs.pipeline import render
from service.meetings.validation import parse_meeting
from tests.integration.conftest import convert_alone
from tests.support.archival import pdfa_identification
from tests.support.factories import SAMPLES

pytestmark = pytest.mark.integration
GOLDEN = Path(__file__).resolve().parents[1] / "golden"


def _layout_text(pdf: bytes, tmp_path: Path) -> str:
    """pdftotext -layout, each line's runs of spaces folded to one: tables stay row by row."""
    path = tmp_path / "golden.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"], check=True,
                         capture_output=True).stdout.decode()
    lines = (" ".join(line.split()) for line in out.splitlines())
    return "\n".join(line for line in lines if line)


@pytest.mark.parametrize("sample", sorted(p.stem for p in SAMPLES.glob("*.json")))
def test_documents_match_golden_text(sample, converter, alone_pdfs, tmp_path):
    """Each PDF's text and page count equal the reviewed golden file; each is PDF/A-2b."""
    meeting = parse_meeting(json.loads((SAMPLES / f"{sample}.json").read_text(encoding="utf-8")))
    figures, renderer, parts = meeting_figures(meeting), DocxRenderer(), []
    for instance in instances(meeting):
        # as build() makes it: each part converted alone (the session's PDF when test_combine
        # converted it already), its pages repeated
        pdf = repeat([(convert_alone(converter, alone_pdfs, (sample, 0, instance.name, index), docx), times)
                      for index, (docx, times) in enumerate(render(instance, meeting, figures, renderer))])
        assert pdfa_identification(pdf) == "2B", f"{instance.name}: pdfinfo -meta shows no PDF/A-2b"
        parts.append(f"=== {instance.name} ({page_count(pdf)} trang)\n"
                     f"{_layout_text(pdf, tmp_path)}\n")
    actual = "\n".join(parts)
    golden = GOLDEN / f"{sample}.txt"
    if os.environ.get("CHIBO_UPDATE_GOLDEN"):
        golden.write_text(actual, encoding="utf-8")
    assert golden.exists(), f"no golden file {golden}; run with CHIBO_UPDATE_GOLDEN=1 and review it"
    assert actual == golden.read_text(encoding="utf-8")
