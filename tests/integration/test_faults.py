"""Faults injected for real: LibreOffice killed mid-batch, a document that hangs it, recycling."""

from __future__ import annotations

import io
import os
import signal
import time
from pathlib import Path

import pytest
from docx import Document as WordDocument

from service import create_app, extensions
from service.conversion.converter import UnoserverConverter
from service.conversion.office import OfficeProcess, default_unoserver_command, office_states, process_tree
from service.documents import DOCUMENT_TYPES, instances, render_context
from service.documents.rendering import DocxRenderer
from service.errors import ConverterUnavailableError
from service.extensions import get_storage
from service.jobs import models, pipeline
from service.meetings.validation import parse_meeting
from tests.integration.conftest import wait_until_finished
from tests.support.factories import dang_bo_payload, meeting_payload

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


def _hanging_docx() -> bytes:
    """Tables nested 60 deep: LibreOffice lays this out for minutes (measured: over 60 s)."""
    document = WordDocument()
    cell = document.add_table(rows=1, cols=1).cell(0, 0)
    for _ in range(60):
        cell = cell.add_table(rows=1, cols=2).cell(0, 0)
    cell.text = "treo"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


class _OneHangingRenderer(DocxRenderer):
    """Renders every template normally except one, which comes out as the hanging DOCX."""

    def __init__(self, template: str, docx: bytes) -> None:
        super().__init__()
        self.template, self.docx = template, docx

    def render(self, template, context, source=None, draft=False):
        return self.docx if template == self.template else super().render(template, context, source,
                                                                            draft=draft)


def test_a_document_that_hangs_libreoffice_is_quarantined_and_the_rest_are_made(tmp_path):
    """A DOCX that hangs LibreOffice past the timeout twice: poison, kept; the others done."""
    app = create_app({"TESTING": True, "DATA_DIR": str(tmp_path)})
    hanging = _hanging_docx()
    office = OfficeProcess(default_unoserver_command(), conversion_timeout=3)
    converter = UnoserverConverter(office)
    with app.app_context():
        storage = get_storage()
        with extensions.session_scope() as session:
            job = pipeline.submit(meeting_payload(), session=session, storage=storage)
            ids = [d.id for d in job.documents]
        template = DOCUMENT_TYPES["bien_ban_kiem_phieu"].template
        work = {"sessions": extensions.session_scope, "storage": storage, "converter": converter,
                "renderer": _OneHangingRenderer(template, hanging)}
        try:
            with pytest.raises(ConverterUnavailableError, match="thời gian"):
                pipeline.build_documents(ids, **work)  # the task retries on this error
            pipeline.build_documents(ids, **work)  # the retry
        finally:
            office.stop()
        with extensions.session_scope() as session:
            documents = {d.doc_type: d for d in session.get(models.Job, job.id).documents}
    stuck = documents.pop("bien_ban_kiem_phieu")
    assert stuck.status == models.FAILED and stuck.error_type == "poison-document"
    assert "treo 2 lần" in stuck.error_detail and "CONVERSION_TIMEOUT" in stuck.error_detail
    with app.app_context():
        assert get_storage().get(f"jobs/{job.id}/r1/{stuck.id}.poison.docx") == hanging
    assert documents and all(d.status == models.DONE for d in documents.values())
    assert office.starts == 2  # killed after each timeout; started again for the retry


def test_a_running_libreoffice_is_announced_and_answers_the_health_ping(tmp_path):
    """With a state folder, a started LibreOffice is listed as answering; once stopped, not at all."""
    office = OfficeProcess(default_unoserver_command(), state_dir=tmp_path)
    try:
        office.ensure_ready()
        assert office_states(tmp_path) == [{"pid": os.getpid(), "port": office.port, "answering": True}]
    finally:
        office.stop()
    assert office_states(tmp_path) == []
