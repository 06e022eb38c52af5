"""POST a meeting → Redis → Celery worker → docxtpl → LibreOffice → stored PDF and DOCX."""

from __future__ import annotations

import io
import subprocess

import pytest
from docx import Document

from tests.integration.conftest import pdf_text, wait_until_finished
from tests.support import people
from tests.support.factories import meeting_payload

pytestmark = pytest.mark.integration


@pytest.fixture(name="done_job", scope="module")
def _done_job(stack_config, worker):
    """The sample meeting, submitted once and built by the real worker."""
    from service import create_app

    client = people.client(create_app({"TESTING": True, **stack_config}))
    response = client.post("/api/v1/jobs", json=meeting_payload())
    assert response.status_code == 202
    return client, wait_until_finished(client, response.headers["Location"])


def test_job_finishes_done(done_job):
    """The worker builds every document of the sample."""
    _, job = done_job
    assert job["status"] == "done", job
    assert job["documents"][0]["pages"] >= 2


def test_pdf_reads_as_the_official_minutes(done_job, tmp_path):
    """The PDF's text has the national title, the type, the chi bộ, the date and the tallies."""
    client, job = done_job
    response = client.get(job["documents"][0]["links"]["pdf"])
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    text = pdf_text(response.data, tmp_path)
    for expected in ("ĐẢNG CỘNG SẢN VIỆT NAM", "BIÊN BẢN", "CHI BỘ TRƯỜNG TIỂU HỌC THẠCH LINH",
                     "Hà Tĩnh, ngày 05 tháng 12 năm 2025", "Số 01-BB/CB", "11/12", "91,7%",
                     "07 (77,8%)", "08/09 phiếu Hoàn thành tốt nhiệm vụ (88,9%)",
                     "Hoàn thành xuất sắc nhiệm vụ", "T/M CHI BỘ"):
        assert expected in text, expected


def test_pdf_embeds_liberation_serif(done_job, tmp_path):
    """Times New Roman is mapped to Liberation Serif and every font is embedded."""
    client, job = done_job
    path = tmp_path / "doc.pdf"
    path.write_bytes(client.get(job["documents"][0]["links"]["pdf"]).data)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True,
                           text=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows and all("LiberationSerif" in row for row in rows), fonts
    assert all(" yes yes yes " in row for row in rows), fonts


def test_docx_download_is_editable_word(done_job):
    """The DOCX opens with python-docx and carries the filled text."""
    client, job = done_job
    response = client.get(job["documents"][0]["links"]["docx"])
    assert response.status_code == 200
    doc = Document(io.BytesIO(response.data))
    assert any("BIÊN BẢN" in p.text for p in doc.paragraphs)
    assert "attachment" in response.headers["Content-Disposition"]


def test_health_and_metrics_of_the_running_stack(done_job):
    """With Redis and a worker up, /healthz is ok and /metrics has the workers' conversion times."""
    client, _ = done_job
    health = client.get("/healthz")
    assert health.status_code == 200, health.get_json()
    assert set(health.get_json()["checks"]) == {"redis", "database", "storage", "workers", "converter",
                                                "disk", "queue", "packages"}
    text = client.get("/metrics").get_data(as_text=True)
    count = next(line for line in text.splitlines() if line.startswith("chibo_conversion_seconds_count"))
    assert float(count.split()[-1]) >= 1
    assert 'chibo_documents{status="done"}' in text


def test_a_corrected_vote_is_in_the_new_pdf_and_the_old_pdf_keeps_the_old_one(live_client, tmp_path):
    """Submit, PUT one member's votes corrected, wait: the new PDF has 06 (66,7%), revision 1's 07 (77,8%)."""
    response = live_client.post("/api/v1/jobs?documents=bien_ban_kiem_diem", json=meeting_payload())
    job = wait_until_finished(live_client, response.headers["Location"])
    assert job["status"] == "done", job
    corrected = meeting_payload()
    corrected["ratings"][0]["votes"] = {"xuat_sac": 6, "tot": 3}
    again = live_client.put(job["links"]["self"], json=corrected)
    assert again.status_code == 202 and again.headers["Location"] == job["links"]["self"]
    job = wait_until_finished(live_client, job["links"]["self"])
    assert job["status"] == "done" and job["revision"] == 2, job
    new_pdf = live_client.get(job["documents"][0]["links"]["pdf"])
    assert "bien-ban-kiem-diem-chi-bo-truong-tieu-hoc-thach-linh-2025-12-05.pdf" in new_pdf.headers[
        "Content-Disposition"]
    new_text = pdf_text(new_pdf.data, tmp_path)
    old_text = pdf_text(live_client.get(job["revisions"][0]["documents"][0]["links"]["pdf"]).data, tmp_path)
    assert "06 (66,7%)" in new_text and "06 (66,7%)" not in old_text
    # 07 (77,8%) is also another member's "tốt": the corrected member's is the one gone
    assert old_text.count("07 (77,8%)") == new_text.count("07 (77,8%)") + 1
