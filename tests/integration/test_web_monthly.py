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
from tests.integration.conftest import pdf_text, wait_until_finished
from tests.integration.test_web import PASSWORD, _shots, _signed_in
from tests.support import people
from tests.support.factories import monthly_payload

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


LEDGER_CHI_BO = "Chi bộ Khu phố 3 (thử theo dõi nghị quyết)"


def _day(page, name: str, iso: str) -> None:
    """Type a day into the date field *name* (ISO: what the field takes)."""
    page.fill(f"[name={name}]", iso)


def _make(page, api, tmp_path, *, day: str, month: int, tasks: str) -> dict:
    """Fill the day, month, part II and the vote; make the documents (past any warning); the job done."""
    _day(page, "date", day)
    page.fill("[name=start_time]", "08:00")
    page.fill("[name=end_time]", "10:00")
    page.fill("[name=month]", str(month))
    page.fill("[name=year]", "2025")
    page.fill("[name=res-tasks]", tasks)
    page.fill("[name=res-agree]", "7")
    with page.expect_navigation():
        page.click("button[value=generate]")
    if "/viec/" not in page.url:  # HD 42's warnings first
        assert page.query_selector("#warnings"), page.inner_text("main")[:2000]
        page.click("#confirm")
        page.wait_for_url("**/viec/*")
    job = wait_until_finished(api, f"/api/v1/jobs/{page.url.rstrip('/').split('/')[-1]}")
    assert job["status"] == "done", job
    return job


def _go(page, url: str) -> None:
    """Open *url*, again when the job page's own reload (the job done) took the navigation over,
    with an error or without one."""
    for attempt in range(3):
        try:
            page.goto(url)
            page.wait_for_load_state()
            if page.url.startswith(url):
                return
        except Exception:  # playwright's "interrupted by another navigation"
            if attempt == 2:
                raise
            page.wait_for_load_state()
    raise AssertionError(f"{url} never stayed open: {page.url}")


def _pdf(api, job: dict, name: str, tmp_path) -> str:
    document = next(d for d in job["documents"] if d["name"] == name)
    return pdf_text(api.get(document["links"]["pdf"]).data, tmp_path)


def test_three_months_follow_up_their_assignments_in_the_browser(browser, base_url, stack_config, tmp_path):
    """October assigns three tasks; November follows them up and issues its resolution; December
    opens with the late and the new one and names the late one in part I; the year's texts list them."""
    app = create_app({"TESTING": True, **stack_config})
    token = people.token(app, role="chi_bo", org=LEDGER_CHI_BO, password=PASSWORD, username="bi-thu-so")
    api = people.as_user(app.test_client(), token)
    september = monthly_payload(organisation={**monthly_payload()["organisation"], "name": LEDGER_CHI_BO},
                                month=9, start="2025-09-08T08:00:00", end="2025-09-08T10:30:00",
                                preparation=None, issue_resolution=False)
    september["resolution"]["assignments"] = []
    september.pop("check")
    assert api.post("/api/v1/jobs", json=september).status_code == 202  # the members to start from
    page = _signed_in(browser, base_url, "bi-thu-so")
    try:
        page.goto(base_url + "/sinh-hoat/moi")
        assert page.query_selector("#follow-ups") is None  # nothing assigned yet
        for row, (who, task) in enumerate((("Đồng chí Lê Sỹ Trường", "Sửa đường liên thôn"),
                                           ("Đồng chí Hoàng Thị Hạnh", "Thu đảng phí quý IV"),
                                           ("Chi ủy", "Rà soát hồ sơ đảng viên"))):
            page.fill(f"[name=a-{row}-who]", who)
            page.fill(f"[name=a-{row}-task]", task)
        _make(page, api, tmp_path, day="2025-10-07", month=10, tasks="Làm đường, thu đảng phí.")

        _go(page, base_url + "/sinh-hoat/moi")
        assert page.locator(".follow-up-row").count() == 3
        for row, status in enumerate(("done", "late", "dropped")):
            page.select_option(f"[name=f-{row}-status]", status)
        page.fill("[name=f-1-note]", "còn 2 đảng viên chưa nộp")
        page.fill("[name=a-0-who]", "Đồng chí Lê Sỹ Trường")
        page.fill("[name=a-0-task]", "Lập danh sách hộ nghèo")
        page.fill("[name=a-0-due_month]", "12/2025")
        page.check("[name=issue_resolution]")
        page.fill("[name=resolution_number]", "11")
        page.select_option("[name=quality]", "tot")
        page.click("#draft-results")
        page.wait_for_selector("#follow-ups")
        assert "Thu đảng phí quý IV (Đồng chí Hoàng Thị Hạnh): chậm tiến độ" in page.input_value(
            "[name=res-results]")
        _shots(page, tmp_path, "23-theo-doi-nghi-quyet-thang")
        november = _make(page, api, tmp_path, day="2025-11-07", month=11, tasks="Chuẩn bị kiểm điểm.")
        resolution = _pdf(api, november, "nghi_quyet_sinh_hoat", tmp_path)
        for part in ("Số 11-NQ/CB", "QUYẾT NGHỊ:", "I. Đánh giá kết quả thực hiện nhiệm vụ",
                     "II. Phương hướng, nhiệm vụ", "III. Phân công tổ chức thực hiện",
                     "IV. Tự đánh giá chất lượng sinh hoạt chi bộ", "Lập danh sách hộ nghèo"):
            assert part in resolution, part

        _go(page, base_url + "/sinh-hoat/moi")
        tasks = page.locator(".follow-up-row strong").all_inner_texts()
        assert tasks == ["Thu đảng phí quý IV", "Lập danh sách hộ nghèo"]
        page.select_option("[name=f-0-status]", "done")
        page.select_option("[name=f-1-status]", "in_progress")
        december = _make(page, api, tmp_path, day="2025-12-05", month=12, tasks="Tổng kết năm.")
        minutes = " ".join(_pdf(api, december, "bien_ban_sinh_hoat", tmp_path).split())
        assert "Thu đảng phí quý IV (Đồng chí Hoàng Thị Hạnh): đã hoàn thành" in minutes

        _go(page, base_url + "/theo-doi-nghi-quyet?nam=2025")
        report = page.input_value("#report-text")
        assert "phân công 04 nhiệm vụ: 02 đã hoàn thành, 01 đang thực hiện, 00 chậm tiến độ, " \
               "01 không thực hiện nữa" in report
        member = page.locator("label:has-text('Mẫu 02 – đồng chí Lê Sỹ Trường') textarea").input_value()
        assert member.splitlines() == [
            "- Tháng 10/2025: Sửa đường liên thôn: đã hoàn thành.",
            "- Tháng 11/2025: Lập danh sách hộ nghèo (thời hạn trong tháng 12/2025): đang thực hiện."]
        _shots(page, tmp_path, "24-theo-doi-nghi-quyet")
    finally:
        page.context.close()
