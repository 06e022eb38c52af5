"""Faults injected for real: LibreOffice killed in the middle of a batch; recycling."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from service.converter import UnoserverConverter
from service.documents import instances, render_context
from service.office import OfficeProcess, default_unoserver_command, process_tree
from service.rendering import DocxRenderer
from service.validation import parse_meeting
from tests.factories import dang_bo_payload, meeting_payload
from tests.integration.conftest import wait_until_finished

pytestmark = pytest.mark.integration


def _name(pid: int) -> str:
    try:
        return (Path("/proc") / str(pid) / "comm").read_text().strip()
    except OSError:
        return ""


def test_killing_libreoffice_mid_batch_loses_no_document(live_client, worker):
    """kill -9 of a soffice.bin while documents convert: every document is still produced."""
    payload = dang_bo_payload()
    payload["chi_bo"] = payload["chi_bo"][1:2]  # the small chi bộ: 10 documents + summary
    payload["chi_bo"][0]["organisation"]["name"] = "Chi bộ thôn Tân Phong (thử lỗi)"
    payload["decisions"] = []
    response = live_client.post("/api/v1/batches", json=payload)
    assert response.status_code == 202
    location = response.headers["Location"]
    deadline = time.monotonic() + 60
    killed = None
    while killed is None and time.monotonic() < deadline:
        offices = [pid for pid in process_tree(worker.pid)[1:] if _name(pid) == "soffice.bin"]
        if offices and live_client.get(location).get_json()["running"]:
            killed = offices[0]
            os.kill(killed, signal.SIGKILL)
        time.sleep(0.05)
    assert killed is not None, "no conversion was seen running"
    body = wait_until_finished(live_client, location)
    assert body["status"] == "done", body["failures"]
    assert body["done"] == body["total"] == 11


def test_libreoffice_is_recycled_after_the_configured_count():
    """With recycle_after=3, five conversions run on two LibreOffice starts; memory is read."""
    meeting = parse_meeting(meeting_payload())
    instance = next(i for i in instances(meeting) if i.doc_type.id == "phieu_danh_gia_chi_bo")
    rendered = DocxRenderer().render(instance.doc_type.template, render_context(instance, meeting))
    office = OfficeProcess(default_unoserver_command(), recycle_after=3)
    converter = UnoserverConverter(office)
    try:
        for _ in range(5):
            assert converter.to_pdf(rendered).startswith(b"%PDF-")
        assert office.starts == 2
        assert office.rss_mb() > 20
    finally:
        office.stop()
