"""The monthly minute made in a real browser (Debian's chromium, Playwright) on the real stack.

A secretary whose chi bộ met last month opens "Biên bản sinh hoạt tháng", copies last month's
agenda and guests, marks one member absent, types the resolution and its vote, is warned that
60 minutes is short (HD 42), makes it anyway, and reads the names and votes in the PDF with
pdftotext. Pages photographed at 1366 px and 390 px (copied to /tmp/chibo-screens).
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from service import create_app
from tests import people
from tests.factories import monthly_payload
from tests.integration.conftest import pdf_text, wait_until_finished
from tests.integration.test_web import PASSWORD, _shots, _signed_in

pytestmark = pytest.mark.integration
CHI_BO = "Chi bộ Văn phòng (thử sinh hoạt)"


def _last_month(today: date) -> dict:
    """The November sample, held on the first Friday-ish of the month before *today*."""
    held = (today.replace(day=1) - timedelta(days=1)).replace(day=6)
    data = monthly_payload(organisation={**monthly_payload()["organisation"], "name": CHI_BO},
                           month=held.month, year=held.year, start=f"{held}T08:00:00", end=f"{held}T10:30:00")
    data["preparation"] = {"drafted_by": "Hoàng Thị Hạnh"}
    data.pop("check")
    return data


def test_a_secretary_makes_this_month_s_minute_in_the_browser(browser, base_url, stack_config, tmp_path):
    """Started from last month, warned, made: the PDF names the members, the absent one and the votes."""
    app = create_app({"TESTING": True, **stack_config})
    token = people.token(app, role="chi_bo", org=CHI_BO, password=PASSWORD, username="bi-thu-thang")
    api = people.as_user(app.test_client(), token)
    today = date.today()
    before = api.post("/api/v1/jobs", json=_last_month(today))
    assert before.status_code == 202, before.get_json()
    page = _signed_in(browser, base_url, "bi-thu-thang")
    try:
        page.click("#new-monthly")
        page.wait_for_url("**/sinh-hoat/moi")
        assert page.input_value("[name=m-2-name]") == "Trịnh Văn Lộc"
        page.click("#copy-last")
        page.wait_for_selector("#previous")
        assert "Thông tin thời sự" in page.input_value("[name=agenda]")
        page.fill("[name=date]", str(today))
        page.fill("[name=start_time]", "08:00")
        page.fill("[name=end_time]", "09:00")
        page.select_option("[name=m-3-attendance]", "absent")
        page.fill("[name=m-3-reason]", "đi học lớp bồi dưỡng")
        page.fill("[name=s-0-speaker]", "Lê Sỹ Trường")
        page.fill("[name=s-0-content]", "Quán triệt Chỉ thị 50-CT/TW về sinh hoạt chi bộ.")
        page.fill("[name=res-results]", "Hoàn thành ký số văn bản nội bộ.")
        page.fill("[name=res-tasks]", "Tổ chức kiểm điểm, đánh giá cuối năm.")
        page.fill("[name=a-0-who]", "Đồng chí Đỗ Quang Minh")
        page.fill("[name=a-0-task]", "Tổng hợp bản kiểm điểm của đảng viên")
        page.fill("[name=res-agree]", "6")
        page.fill("[name=r-0-text]", "Thống nhất tặng quà đảng viên cao tuổi dịp Tết.")
        page.fill("[name=r-0-agree]", "5")
        page.fill("[name=r-0-other]", "1")
        _shots(page, tmp_path, "20-sinh-hoat-moi")
        page.click("button[value=generate]")
        page.wait_for_selector("#warnings")
        assert "kéo dài 60 phút, dưới mức tối thiểu 90 phút" in page.inner_text("#warnings")
        _shots(page, tmp_path, "21-sinh-hoat-luu-y")
        page.click("#confirm")
        page.wait_for_url("**/viec/*")
        job_id = page.url.rstrip("/").split("/")[-1]
        job = wait_until_finished(api, f"/api/v1/jobs/{job_id}")
        assert job["status"] == "done", job
        pdf = api.get(job["documents"][0]["links"]["pdf"]).data
        words = pdf_text(pdf, tmp_path)
        for name in ("Lê Sỹ Trường", "Hoàng Thị Hạnh", "Nguyễn Duy Bảo", "Đỗ Quang Minh"):
            assert name in words, name  # chair, secretary, the guest copied, the one assigned
        assert "vắng mặt: 01 đồng chí: - Đồng chí Mai Thị Thanh Hương: đi học lớp bồi dưỡng." in words
        assert "06/06 đồng chí tán thành (100%)" in words  # the month's resolution
        assert "05/06 đồng chí tán thành" in words and "01 đồng chí có ý kiến khác" in words
        page.reload()
        _shots(page, tmp_path, "22-sinh-hoat-viec")
    finally:
        page.context.close()
    assert Path("/tmp/chibo-screens/20-sinh-hoat-moi-390.png").exists()
