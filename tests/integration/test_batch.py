"""A đảng bộ batch through the real queue: every document of every chi bộ, the summary, the ZIP."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import load_workbook

from tests.factories import dang_bo_payload
from tests.integration.conftest import wait_until_finished

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
    sheet = load_workbook(io.BytesIO(live_client.get(summary["xlsx"]).data))["Đảng viên"]
    assert sheet["B6"].value == "Tổng cộng"
    names = zipfile.ZipFile(io.BytesIO(live_client.get(body["links"]["package"]).data)).namelist()
    assert "dang-bo-phuong-thanh-sen-tong-hop-nam-2025/01-tong_hop_xep_loai.xlsx" in names
    assert "chi-bo-thon-tan-phong-nam-2025/chi-bo-thon-tan-phong-nam-2025-ban-in.pdf" in names
    again = live_client.post("/api/v1/batches", json=payload)
    assert again.status_code == 200 and again.get_json()["id"] == body["id"]
