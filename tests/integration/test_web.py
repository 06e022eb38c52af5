"""The web pages in a real browser (Debian's chromium driven by Playwright).

Upload the workbook, watch the progress reach 100%, download the batch ZIP; upload a
workbook with an error and see the message beside its row; fill the one-meeting form with
a mistake and get it back with everything typed kept. Screenshots of each page are saved in
the test's tmp dir (and copied to /tmp/chibo-screens for a person to look at).
"""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from service import create_app
from service.cli import stack
from service.conversion.office import free_port
from tests import people
from tests.factories import workbook_bytes
from tests.integration.conftest import environment

pytestmark = pytest.mark.integration
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-quic"]
SCREENS = Path("/tmp/chibo-screens")
PASSWORD = "mật-khẩu-thử-web"


@pytest.fixture(name="base_url", scope="module")
def _base_url(stack_config, stack_dir, worker) -> Iterator[str]:
    """The web service (gunicorn), sharing the worker's database, storage and broker."""
    port = free_port()
    web = stack.start_web(environment(stack_config), port, log=stack_dir / "web.log")
    base = f"http://127.0.0.1:{port}"
    stack.wait_until(lambda: stack.web_alive(base), 60, "web")
    people.token(create_app({"TESTING": True, **stack_config}), role="dang_uy", password=PASSWORD,
                 username="vp-dang-uy")
    yield base
    stack.stop(web)


@pytest.fixture(name="page")
def _page(tmp_path, base_url) -> Iterator[object]:
    """A fresh browser page, signed in as the đảng ủy office."""
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is not installed (bash service/run.sh installs it)")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        context = browser.new_context(accept_downloads=True, viewport={"width": 1100, "height": 900})
        page = context.new_page()
        page.goto(base_url + "/")  # a stranger is sent to the login page
        page.wait_for_url("**/dang-nhap**")
        _shot(page, tmp_path, "00-dang-nhap")
        page.fill("[name=username]", "vp-dang-uy")
        page.fill("[name=password]", PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_selector("form.logout")
        yield page
        browser.close()


def _shot(page, tmp_path: Path, name: str) -> None:
    path = tmp_path / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    SCREENS.mkdir(exist_ok=True)
    shutil.copy(path, SCREENS / path.name)


def test_upload_workbook_progress_and_zip(page, base_url, tmp_path):
    """The sample workbook goes through to 100% and the batch ZIP holds every document."""
    workbook = tmp_path / "dang-bo.xlsx"
    workbook.write_bytes(workbook_bytes())
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(base_url + "/")
    assert "Văn bản kiểm điểm" in page.text_content("h1")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    _shot(page, tmp_path, "0-trang-chu-dien-thoai")
    page.set_viewport_size({"width": 1100, "height": 900})
    _shot(page, tmp_path, "1-trang-chu")
    page.set_input_files("input[name=file]", str(workbook))
    page.click("form.upload button[type=submit]")
    page.wait_for_url("**/lo/**")
    page.wait_for_selector("#batch-zip", timeout=240_000)
    assert "100%" in page.text_content("#progress-text")
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")  # thumbnails load lazily
    page.wait_for_function("Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)",
                           timeout=120_000)
    _shot(page, tmp_path, "2-lo-tai-lieu")
    with page.expect_download() as download:
        page.click("#batch-zip")
    target = tmp_path / "all.zip"
    download.value.save_as(target)
    names = zipfile.ZipFile(target).namelist()
    assert any(n.endswith("tong_hop_xep_loai.xlsx") for n in names)
    assert any(n.endswith("bien_ban_kiem_diem.pdf") for n in names)


def test_workbook_error_is_shown_beside_its_row(page, base_url, tmp_path):
    """Five votes for one voter: the error table names sheet Phiếu, row 2."""
    workbook = tmp_path / "sai.xlsx"
    workbook.write_bytes(workbook_bytes(lambda book: book["Phiếu"].__setitem__("D2", 5)))
    page.goto(base_url + "/")
    page.set_input_files("input[name=file]", str(workbook))
    page.click("form.upload button[type=submit]")
    row = page.wait_for_selector("tr[data-sheet='Phiếu'][data-row='2']")
    assert "nhiều hơn số phiếu hợp lệ" in row.text_content()
    _shot(page, tmp_path, "3-loi-tep")


def test_meeting_form_keeps_input_and_marks_the_field(page, base_url, tmp_path):
    """A vote count above the voters comes back beside that member, every value kept."""
    page.goto(base_url + "/hoi-nghi")
    values = {"org_parent": "Đảng bộ xã Kỳ Anh", "org_name": "Chi bộ thôn Tân Phong",
              "org_place": "Kỳ Anh", "location": "Nhà văn hóa thôn", "chair_name": "Nguyễn Văn Hải",
              "secretary_name": "Trần Thị Mỹ", "m-0-name": "Nguyễn Văn Hải", "m-0-tot": "5",
              "m-1-name": "Trần Thị Mỹ", "m-1-tot": "2", "cb-tot": "2"}
    for name, value in values.items():
        page.fill(f"[name='{name}']", value)
    page.fill("[name=date]", "2025-12-14")
    page.select_option("[name='m-0-rating']", "tot")
    page.select_option("[name='m-1-rating']", "tot")
    page.click("form.meeting button[type=submit]")
    page.wait_for_selector(".error")
    assert page.input_value("[name='org_name']") == "Chi bộ thôn Tân Phong"
    assert page.input_value("[name='m-0-tot']") == "5"
    assert "nhiều hơn" in page.text_content("tr.error-row")
    _shot(page, tmp_path, "4-form-loi")
    page.fill("[name='m-0-tot']", "2")
    page.click("form.meeting button[type=submit]")
    page.wait_for_url("**/viec/**")
    page.wait_for_function("document.querySelectorAll('article.doc.done').length === 7",
                           timeout=240_000)
    page.wait_for_load_state("networkidle")
    assert "hoàn tất" in page.text_content("#progress-text")
    _shot(page, tmp_path, "5-viec")
