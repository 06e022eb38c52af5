"""The guide's screenshots, taken of the real pages on the real stack (Debian's chromium, Playwright).

A secretary with a roster and a finished annual review, and the đảng ủy office, walk the pages the
guide "Hướng dẫn" explains; each is photographed at 1366 × 768 and written, as a small PNG, into
the pages' static folder (``static/huong-dan/<name>.png``, committed), so the guide never shows an
old screen. Then the guide itself is opened without signing in: every picture it shows exists and
loads, and neither 1366 nor 390 px scrolls sideways (the guide at both widths goes to
/tmp/chibo-screens for a person to look at).
"""

from __future__ import annotations

import io
import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from PIL import Image

from service import create_app
from service.http.pages import guide
from tests.integration.conftest import wait_until_finished
from tests.integration.test_web import (  # noqa: F401  (the module's stack and browser fixtures)
    PASSWORD,
    PHONE,
    WIDE,
    _base_url,
    _browser,
    _shot,
    _signed_in,
)
from tests.integration.test_web_monthly import _last_month
from tests.support import people
from tests.support.factories import SAMPLES

pytestmark = pytest.mark.integration
CHI_BO = "Chi bộ thôn Đông (hướng dẫn)"
ROSTER = [
    {"name": "Nguyễn Văn Hải", "birth_date": "1968-04-12", "sex": "nam", "admitted_on": "1994-05-19",
     "official_on": "1995-05-19", "party_post": "Bí thư chi bộ", "job_post": "Trưởng thôn",
     "leadership_post": True},
    {"name": "Trần Thị Mỹ", "birth_date": "1975-09-02", "sex": "nu", "admitted_on": "2001-03-26",
     "official_on": "2002-03-26", "party_post": "Phó Bí thư chi bộ", "job_post": "Chi hội trưởng Phụ nữ"},
    {"name": "Phạm Văn Tùng", "birth_date": "1952-03-08", "sex": "nam", "admitted_on": "1978-12-22",
     "official_on": "1979-12-22", "job_post": "Đảng viên hưu trí", "outside_political_system": True},
    {"name": "Đỗ Thị Hà", "birth_date": "1990-07-15", "sex": "nu", "admitted_on": "2015-02-03",
     "official_on": "2016-02-03", "job_post": "Giáo viên mầm non", "outside_political_system": True},
    {"name": "Hoàng Minh Quân", "birth_date": "2001-11-30", "sex": "nam", "admitted_on": "2025-05-19",
     "membership": "du_bi", "job_post": "Đoàn viên thanh niên", "outside_political_system": True},
]
SIZE = {"width": guide.SHOT_SIZE[0], "height": guide.SHOT_SIZE[1]}


def _annual_review() -> dict:
    """The small sample of the chi bộ, held yesterday."""
    data = json.loads((SAMPLES / "annual_review_2025_small.json").read_text(encoding="utf-8"))
    day = date.today() - timedelta(days=1)
    data = json.loads(json.dumps(data, ensure_ascii=False).replace("năm 2025", f"năm {day.year}"))
    data.update(start=f"{day}T08:00:00", end=f"{day}T11:00:00", review_year=day.year)
    data["organisation"]["name"] = CHI_BO
    return data


def _keep(page, folder: Path, name: str, tmp_path: Path, *, at: str | None = None) -> None:
    """The window (1366 × 768) as a small PNG: 128 colours, which text and forms survive.

    The page is also looked at 390 px wide (a phone), where it may not scroll sideways; that
    picture, of the whole page, goes to /tmp/chibo-screens only.
    """
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), name
    _shot(page, tmp_path, f"31-{name}-390")
    page.set_viewport_size(SIZE)
    if at:
        page.locator(at).first.scroll_into_view_if_needed()
    page.wait_for_function("Array.from(document.images).every(i => i.complete)", timeout=60_000)
    picture = Image.open(io.BytesIO(page.screenshot()))
    assert picture.size == guide.SHOT_SIZE, name
    picture.convert("RGB").quantize(colors=128, method=Image.Quantize.MEDIANCUT).save(
        folder / f"{name}.png", optimize=True)


def test_the_guide_shows_the_pages_as_they_are(browser, base_url, stack_config, tmp_path):
    """Every page the guide explains photographed now; the guide shows exactly those pictures."""
    app = create_app({"TESTING": True, **stack_config})
    folder = Path(app.blueprints["web"].static_folder) / "huong-dan"
    folder.mkdir(exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()
    token = people.token(app, role="chi_bo", org=CHI_BO, password=PASSWORD, username="bi-thu-huong-dan")
    api = people.as_user(app.test_client(), token)
    assert api.put("/api/v1/roster", json={"members": ROSTER}).status_code == 200
    last_month = _last_month(date.today())
    last_month["organisation"]["name"] = CHI_BO
    assert api.post("/api/v1/jobs", json=last_month).status_code == 202
    job = api.post("/api/v1/jobs", json=_annual_review()).get_json()
    assert wait_until_finished(api, job["links"]["self"])["status"] == "done"

    stranger = browser.new_context(viewport=SIZE, locale="vi-VN").new_page()
    stranger.goto(base_url + "/dang-nhap")
    _keep(stranger, folder, "dang-nhap", tmp_path)

    page = _signed_in(browser, base_url, "bi-thu-huong-dan")
    try:
        _keep(page, folder, "viec-cua-toi", tmp_path)
        page.goto(base_url + "/dang-vien")
        _keep(page, folder, "dang-vien", tmp_path)
        page.goto(base_url + "/sinh-hoat/moi")
        _keep(page, folder, "sinh-hoat", tmp_path, at="[name=m-0-name]")
        page.goto(base_url + "/hoi-nghi")
        _keep(page, folder, "hoi-nghi", tmp_path, at="[name=m-0-name]")
        page.goto(f"{base_url}/viec/{job['id']}")
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")  # thumbnails load lazily
        page.wait_for_function("Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)",
                               timeout=120_000)
        page.evaluate("window.scrollTo(0, 0)")
        _keep(page, folder, "viec", tmp_path)
        page.locator("a.sign").first.click()
        page.wait_for_url("**/ky-so/**")
        _keep(page, folder, "ky-so", tmp_path)
    finally:
        page.context.close()

    office = _signed_in(browser, base_url, "vp-dang-uy")
    try:
        _keep(office, folder, "dang-uy", tmp_path)
        office.goto(base_url + "/mau-van-ban")
        _keep(office, folder, "mau-van-ban", tmp_path)
    finally:
        office.context.close()

    assert sorted(p.stem for p in folder.glob("*.png")) == sorted(guide.SHOTS)
    for name in guide.SHOTS:
        assert (folder / f"{name}.png").stat().st_size < 250_000, name  # small enough to commit

    stranger.goto(base_url + "/huong-dan")  # not signed in
    for picture in stranger.locator("img").all():  # they load lazily, as they come into view
        picture.scroll_into_view_if_needed()
    stranger.wait_for_function("Array.from(document.images).every(i => i.complete)", timeout=60_000)
    shown = stranger.eval_on_selector_all(
        "img", "images => images.map(i => [i.getAttribute('src'), i.complete && i.naturalWidth > 0])")
    assert sorted(src.rsplit("/", 1)[1] for src, _ in shown) == sorted(f"{n}.png" for n in guide.SHOTS)
    assert all(loaded for _, loaded in shown), shown
    for size, suffix in ((PHONE, "390"), (WIDE, "1366")):
        stranger.set_viewport_size(size)
        stranger.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        assert stranger.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), suffix
        _shot(stranger, tmp_path, f"30-huong-dan-{suffix}")
    stranger.context.close()
