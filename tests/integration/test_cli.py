"""The ``chibo`` console script, as a user runs it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.integration.conftest import pdf_text
from tests.support.factories import SAMPLES, meeting_payload

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
def test_render_writes_the_whole_file(tmp_path):
    """`chibo render SAMPLE -o OUT` converts in-process: every document, the ZIP and the print PDF."""
    out = tmp_path / "out"
    result = subprocess.run(
        [*CHIBO, "render", str(SAMPLES / "annual_review_2025_small.json"), "-o", str(out)],
        capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in out.iterdir())
    assert "bien_ban_kiem_diem.docx" in names and "bien_ban_kiem_diem.pdf" in names
    assert "ban_kiem_diem_ca_nhan-03-pham-van-tung.pdf" in names
    assert "chi-bo-thon-tan-phong-nam-2025.zip" in names
    printed = PdfReader(out / "chi-bo-thon-tan-phong-nam-2025-ban-in.pdf")
    singles = [PdfReader(out / n) for n in names if n.endswith(".pdf") and "ban-in" not in n]
    assert len(printed.pages) == sum(len(r.pages) + len(r.pages) % 2 for r in singles)  # duplex: even
    assert len(printed.outline) == len(singles)
    text = pdf_text(Path(out / "bien_ban_kiem_diem.pdf").read_bytes(), tmp_path)
    assert "Kỳ Anh, ngày 14 tháng 12 năm 2025" in text


@pytest.mark.integration
def test_render_a_subset(tmp_path):
    """--documents limits what is made."""
    out = tmp_path / "out"
    result = subprocess.run(
        [*CHIBO, "render", str(SAMPLES / "monthly_2025_11.json"), "-o", str(out),
         "--documents", "bien_ban_sinh_hoat"],
        capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    text = pdf_text((out / "bien_ban_sinh_hoat.pdf").read_bytes(), tmp_path)
    assert "Sinh hoạt chi bộ định kỳ tháng 11 năm 2025" in text
    assert "07/07 đồng chí tán thành (100%)" in text
