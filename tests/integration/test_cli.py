"""The ``chibo`` console script, as a user runs it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.factories import SAMPLES, meeting_payload
from tests.integration.conftest import pdf_text

CHIBO = [sys.executable, "-m", "service.cli"]


def test_schema_prints_json_schema():
    """`chibo schema` prints the meeting's JSON Schema."""
    out = subprocess.run([*CHIBO, "schema"], capture_output=True, check=True, text=True).stdout
    assert "members" in json.loads(out)["$defs"]["AnnualReview"]["properties"]


def test_invalid_input_names_the_field_and_writes_nothing(tmp_path):
    """Invalid data exits non-zero, names the field, and leaves the output folder empty."""
    data = meeting_payload()
    data["ratings"][0]["member"] = "Không Có Ai"
    meeting = tmp_path / "bad.json"
    meeting.write_text(json.dumps(data), encoding="utf-8")
    out = tmp_path / "out"
    result = subprocess.run([*CHIBO, "render", str(meeting), "-o", str(out)],
                            capture_output=True, text=True)
    assert result.returncode == 2
    assert "ratings[0].member" in result.stderr
    assert not out.exists() or not any(out.iterdir())


@pytest.mark.integration
def test_render_writes_docx_and_pdf(tmp_path):
    """`chibo render SAMPLE -o OUT` converts in-process through its own LibreOffice."""
    out = tmp_path / "out"
    result = subprocess.run(
        [*CHIBO, "render", str(SAMPLES / "annual_review_2025.json"), "-o", str(out)],
        capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in out.iterdir())
    assert names == ["bien_ban_kiem_diem.docx", "bien_ban_kiem_diem.pdf"]
    text = pdf_text(Path(out / "bien_ban_kiem_diem.pdf").read_bytes(), tmp_path)
    assert "Hà Tĩnh, ngày 05 tháng 12 năm 2025" in text
