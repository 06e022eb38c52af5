"""The layout regime read back from the PDFs: HD 05-HD/VPTW changes who signs the minutes."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from service.conversion.converter import UnoserverConverter
from service.documents import instances
from service.documents.rendering import DocxRenderer
from service.jobs.pipeline import build
from service.meetings.validation import parse_meeting
from tests.support.factories import meeting_payload, monthly_payload

pytestmark = pytest.mark.integration


def _text(data: dict, document: str, converter: UnoserverConverter, tmp_path: Path) -> str:
    meeting = parse_meeting(data)
    instance = next(i for i in instances(meeting) if i.name == document)
    path = tmp_path / f"{document}.pdf"
    path.write_bytes(build(meeting, instance, DocxRenderer(), converter).pdf)
    return subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"], check=True,
                          capture_output=True).stdout.decode()


@pytest.mark.parametrize(("payload", "document"), [(meeting_payload, "bien_ban_kiem_diem"),
                                                   (monthly_payload, "bien_ban_sinh_hoat")])
def test_hd05_minutes_are_signed_by_the_note_taker_and_the_chair(payload, document, converter,
                                                                 tmp_path):
    """rules.layout hd05: NGƯỜI GHI BIÊN BẢN and CHỦ TRÌ HỘI NGHỊ sign, not THƯ KÝ and T/M CHI BỘ."""
    data = payload()
    data["rules"] = {**data.get("rules", {}), "layout": "hd05"}
    text = _text(data, document, converter, tmp_path)
    signature = [line.split() for line in text.splitlines() if "NGƯỜI GHI BIÊN BẢN" in line]
    assert signature == [["NGƯỜI", "GHI", "BIÊN", "BẢN", "CHỦ", "TRÌ", "HỘI", "NGHỊ"]]
    assert "THƯ KÝ" not in text and "T/M CHI BỘ" not in text


@pytest.mark.parametrize(("payload", "document"), [(meeting_payload, "bien_ban_kiem_diem"),
                                                   (monthly_payload, "bien_ban_sinh_hoat")])
def test_hd36_minutes_keep_the_secretary_and_the_chi_bo(payload, document, converter, tmp_path):
    """Without the setting: THƯ KÝ on the left, T/M CHI BỘ over BÍ THƯ on the right."""
    text = _text(payload(), document, converter, tmp_path)
    signature = [line.split() for line in text.splitlines() if "THƯ KÝ" in line]
    assert signature == [["THƯ", "KÝ", "T/M", "CHI", "BỘ"]]
    assert "NGƯỜI GHI BIÊN BẢN" not in text
