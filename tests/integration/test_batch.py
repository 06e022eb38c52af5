"""A đảng bộ batch through the real queue: every document of every chi bộ, the summary, the ZIP."""

from __future__ import annotations

import io
import zipfile

import pikepdf
import pytest
from openpyxl import load_workbook

from tests.integration.conftest import download_package, pdf_text, wait_until_finished
from tests.support.factories import dang_bo_payload, meeting_payload

pytestmark = pytest.mark.integration


def test_batch_completes_with_summary_and_zip(live_client):
    """Two chi bộ and the summary are built by the worker; the batch ZIP holds them all."""
    payload = dang_bo_payload()
    payload["chi_bo"] = payload["chi_bo"][:2]
    payload["decisions"] = []
    response = live_client.post("/api/v1/batches", json=payload)
    assert response.status_code == 202
    body = wait_until_finished(live_client, response.headers["Location"])
    assert body["status"] == "done", body["failures"]
    assert body["done"] == body["total"] == 1 + 17 + 10
    summary = body["summary"]["documents"][0]["links"]
    book = load_workbook(io.BytesIO(live_client.get(summary["xlsx"]).data))
    assert book["Đảng viên"]["B6"].value == "Tổng cộng"
    names = zipfile.ZipFile(io.BytesIO(download_package(live_client, body["links"]["package"]))).namelist()
    assert "dang-bo-phuong-thanh-sen-tong-hop-nam-2025/01-tong_hop_xep_loai.xlsx" in names
    assert "chi-bo-thon-tan-phong-nam-2025/chi-bo-thon-tan-phong-nam-2025-ban-in.pdf" in names
    again = live_client.post("/api/v1/batches", json=payload)
    assert again.status_code == 200 and again.get_json()["id"] == body["id"]


def test_the_worker_builds_a_job_s_print_pdf_once_it_is_done(live_client):
    """A meeting's print PDF, built by the worker: every document's pages, a bookmark each."""
    response = live_client.post("/api/v1/jobs", json=meeting_payload())
    job = wait_until_finished(live_client, response.headers["Location"])
    printed = pikepdf.open(io.BytesIO(download_package(live_client, job["links"]["print"])))
    assert len(printed.pages) == sum(d["pages"] + d["pages"] % 2 for d in job["documents"])  # duplex: even
    with printed.open_outline() as outline:
        assert [item.title for item in outline.root] == [d["title"] for d in job["documents"]]


def test_batch_summary_says_a_chi_bo_without_vote_has_no_result(live_client, tmp_path):
    """Thạch Linh entered no vote: the summary's XLSX and PDF say "Chưa có kết quả" and why."""
    payload = dang_bo_payload()
    payload["chi_bo"] = payload["chi_bo"][:2]
    payload["decisions"] = []
    response = live_client.post("/api/v1/batches", json=payload)  # the batch of the test above, again
    body = wait_until_finished(live_client, response.headers["Location"])
    links = body["summary"]["documents"][0]["links"]
    sheet = load_workbook(io.BytesIO(live_client.get(links["xlsx"]).data))["Tổ chức đảng"]
    thach_linh, tan_phong = ([c.value for c in sheet[row]] for row in (4, 5))
    assert thach_linh[1] == "Chi bộ Trường Tiểu học Thạch Linh"
    assert thach_linh[6] == "Chưa có kết quả"
    assert thach_linh[7].startswith("Chi bộ chưa nhập số phiếu biểu quyết")
    assert tan_phong[6:8] == ["Hoàn thành tốt nhiệm vụ",
                              "Theo biểu quyết của chi bộ, Đảng ủy chưa quyết định"]
    text = pdf_text(live_client.get(links["pdf"]).data, tmp_path)
    assert "Chưa có kết quả (không tính theo mức chi bộ tự xếp loại)" in text
    assert "Hoàn thành tốt nhiệm vụ trở lên: 01/01 chi bộ được xếp loại (100%)" in text
