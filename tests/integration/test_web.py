"""The web pages in a real browser (Debian's chromium driven by Playwright), on the real stack.

A secretary finds yesterday's meeting on her home page, corrects one vote, regenerates one
document, downloads the new PDF and reads the corrected figure in it, and deletes a test job.
The đảng ủy office uploads the workbook, watches the progress reach 100% and downloads the
batch ZIP; a workbook with an error shows the message beside its row; the one-meeting form
comes back with everything typed kept. Every page is photographed at 1366 px and 390 px wide
(in the test's tmp dir, copied to /tmp/chibo-screens for a person to look at).
"""

from __future__ import annotations

import concurrent.futures
import io
import json
import re
import shutil
import zipfile
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from service import create_app
from tests.integration import conftest
from tests.integration.conftest import pdf_text, wait_until_finished
from tests.support import people
from tests.support.factories import SAMPLES, workbook_bytes

pytestmark = pytest.mark.integration
CHROMIUM, FLAGS = conftest.CHROMIUM, conftest.BROWSER_FLAGS
SCREENS = Path("/tmp/chibo-screens")
PASSWORD = conftest.WEB_PASSWORD
CHI_BO = "Chi bộ thôn Tân Phong (thử web)"
WIDE, PHONE = {"width": 1366, "height": 900}, {"width": 390, "height": 844}


# the web role and the browser are the session's and the module's: tests/integration/conftest.py;
# these names stay importable for modules that took the fixtures from here
_base_url = _browser = None


def _signed_in(browser, base_url: str, username: str, tmp_path: Path | None = None):
    """A new browser page signed in as *username* through the login form."""
    context = browser.new_context(accept_downloads=True, viewport=WIDE, locale="vi-VN",
                                  bypass_csp=True)  # wait_for_function evals; the CSP forbids eval
    page = context.new_page()
    page.goto(base_url + "/")  # a stranger is sent to the login page
    page.wait_for_url("**/dang-nhap**")
    assert "chibo " not in page.content()  # no command line on the login page
    if tmp_path is not None:
        _shots(page, tmp_path, "00-dang-nhap")
    page.fill("[name=username]", username)
    page.fill("[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_selector("form.logout")
    return page


@pytest.fixture(name="page")
def _page(browser, base_url, tmp_path) -> Iterator[object]:
    """A fresh browser page, signed in as the đảng ủy office."""
    page = _signed_in(browser, base_url, "vp-dang-uy")
    yield page
    page.context.close()


def _shot(page, tmp_path: Path, name: str) -> None:
    path = tmp_path / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    SCREENS.mkdir(exist_ok=True)
    shutil.copy(path, SCREENS / path.name)


def _shots(page, tmp_path: Path, name: str) -> None:
    """The page at 1366 px and at 390 px; neither scrolls sideways."""
    for size, suffix in ((PHONE, "390"), (WIDE, "1366")):
        page.set_viewport_size(size)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), (name, suffix)
        _shot(page, tmp_path, f"{name}-{suffix}")


@pytest.fixture(name="secretary", scope="module")
def _secretary(base_url, stack_config) -> str:
    """The API token of a chi bộ secretary, whose login is ``bi-thu`` with PASSWORD."""
    return people.token(create_app({"TESTING": True, **stack_config}), role="chi_bo", org=CHI_BO,
                        password=PASSWORD, username="bi-thu")


def _yesterdays_meeting() -> dict:
    """The small sample, held yesterday."""
    data = json.loads((SAMPLES / "annual_review_2025_small.json").read_text(encoding="utf-8"))
    day = date.today() - timedelta(days=1)
    data.update(start=f"{day}T08:00:00", end=f"{day}T11:00:00", review_year=day.year)
    data["organisation"]["name"] = "Chi bộ thôn Tân Phong"
    return data


def _between(text: str, start: str, end: str) -> str:
    return text.split(start, 1)[1].split(end, 1)[0]


def test_a_secretary_finds_corrects_regenerates_downloads_and_deletes(browser, base_url, secretary,
                                                                      stack_config, tmp_path):
    """Yesterday's meeting on her home; one vote corrected; the new PDF has it; a test job deleted."""
    api = people.as_user(create_app({"TESTING": True, **stack_config}).test_client(), secretary)
    job = api.post("/api/v1/jobs", json=_yesterdays_meeting()).get_json()
    spare = api.post("/api/v1/jobs?documents=bien_ban_kiem_phieu", json=_yesterdays_meeting()).get_json()
    wait_until_finished(api, job["links"]["self"])
    wait_until_finished(api, spare["links"]["self"])
    page = _signed_in(browser, base_url, "bi-thu", tmp_path)
    day = (date.today() - timedelta(days=1)).strftime("%d/%m/%Y")
    row = page.locator(f"tr[data-job='{job['id']}']")
    assert day in row.text_content() and "hoàn tất" in row.text_content()
    assert page.locator("a[href='/api/v1/workbook']").count() == 0  # the đảng bộ's, not hers
    _shots(page, tmp_path, "10-viec-cua-toi")

    row.get_by_role("link", name="Sửa").click()
    page.wait_for_url(f"**/viec/{job['id']}/sua")
    assert page.input_value("[name='m-1-name']") == "Trần Thị Mỹ"
    assert page.input_value("[name='m-1-tot']") == "3"
    kht = page.locator("[name='m-0-kht']").bounding_box()  # the last vote column, in view at 1366
    assert kht["x"] + kht["width"] <= 1366 - 15
    page.set_viewport_size(PHONE)
    first, second = (page.locator("tr.member-row").nth(i).bounding_box() for i in (0, 1))
    assert second["y"] >= first["y"] + first["height"] and first["width"] <= 390  # stacked cards
    _shots(page, tmp_path, "11-sua-hoi-nghi")
    page.fill("[name='m-1-xs']", "1")
    page.fill("[name='m-1-tot']", "2")
    page.click("button[value=generate]")
    page.wait_for_url(f"**/viec/{job['id']}")
    page.wait_for_function("document.getElementById('progress').dataset.status === 'done'",
                           timeout=300_000)
    assert "bản 2" in page.text_content("#revision")
    page.locator("article.doc[data-name='bien_ban_kiem_phieu'] .rebuild button").click()  # Tạo lại
    page.wait_for_url(f"**/viec/{job['id']}")
    page.wait_for_function("document.getElementById('progress').dataset.status === 'done'",
                           timeout=300_000)
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")  # thumbnails load lazily
    page.wait_for_function("Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)",
                           timeout=120_000)
    _shots(page, tmp_path, "12-viec-da-sua")

    link = page.locator("article.doc[data-name='bien_ban_kiem_phieu'] a", has_text="Xem PDF")
    new_pdf = page.context.request.get(base_url + link.get_attribute("href"))
    assert new_pdf.ok and new_pdf.headers["content-type"] == "application/pdf"
    mine = _between(pdf_text(new_pdf.body(), tmp_path), "Trần Thị Mỹ", "Phạm Văn Tùng")
    assert "01 (33,3%)" in mine and "02 (66,7%)" in mine, mine
    old_link = page.locator("#revisions a", has_text="kiểm phiếu").first.get_attribute("href")
    old_pdf = page.context.request.get(base_url + old_link)
    assert "03 (100%)" in _between(pdf_text(old_pdf.body(), tmp_path), "Trần Thị Mỹ", "Phạm Văn Tùng")

    page.goto(base_url + "/")
    page.locator(f"tr[data-job='{spare['id']}']").get_by_role("link", name="Xoá").click()
    page.wait_for_selector("#confirm-delete")
    _shots(page, tmp_path, "13-xac-nhan-xoa")
    page.click("#confirm")
    page.wait_for_selector("p.notice")
    assert page.locator(f"tr[data-job='{spare['id']}']").count() == 0
    assert page.locator(f"tr[data-job='{job['id']}']").count() == 1
    page.goto(f"{base_url}/viec/{spare['id']}")  # gone: a page with a way back, not JSON
    assert "Không có công việc" in page.text_content("main") and page.locator("text=Về trang chủ").count()
    _shots(page, tmp_path, "14-loi-404")
    page.goto(base_url + "/doi-mat-khau")
    _shots(page, tmp_path, "15-doi-mat-khau")
    page.context.close()


def test_upload_workbook_progress_and_zip(page, base_url, tmp_path):
    """The sample workbook goes through to 100% and the batch ZIP holds every document."""
    workbook = tmp_path / "dang-bo.xlsx"
    workbook.write_bytes(workbook_bytes())
    page.goto(base_url + "/")
    assert "Văn bản của đảng bộ" in page.text_content("h1")
    _shots(page, tmp_path, "20-trang-chu-dang-uy")
    page.set_input_files("input[name=file]", str(workbook))
    page.click("form.upload button[type=submit]")
    page.wait_for_load_state("load")
    if page.locator("#confirm-batch").count():  # chi bộ accounts exist: whose is each chi bộ
        _shots(page, tmp_path, "21-xac-nhan-chi-bo")
        page.click("#confirm-batch button[type=submit]")
    page.wait_for_url("**/lo/**")
    page.wait_for_selector("#batch-zip", timeout=240_000)
    assert "100%" in page.text_content("#progress-text")
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")  # thumbnails load lazily
    page.wait_for_function("Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)",
                           timeout=120_000)
    _shots(page, tmp_path, "22-lo-tai-lieu")
    with page.expect_download() as download:
        page.click("#batch-zip")
    target = tmp_path / "all.zip"
    download.value.save_as(target)
    names = zipfile.ZipFile(target).namelist()
    assert any(n.endswith("tong_hop_xep_loai.xlsx") for n in names)
    assert any(re.search(r"bien.ban.kiem.diem.*\.pdf$", n) for n in names)


def test_workbook_error_is_shown_beside_its_row(page, base_url, tmp_path):
    """Five votes for one voter: the error table names sheet Phiếu, row 2."""
    workbook = tmp_path / "sai.xlsx"
    workbook.write_bytes(workbook_bytes(lambda book: book["Phiếu"].__setitem__("D2", 5)))
    page.goto(base_url + "/")
    page.set_input_files("input[name=file]", str(workbook))
    page.click("form.upload button[type=submit]")
    row = page.wait_for_selector("tr[data-sheet='Phiếu'][data-row='2']")
    assert "nhiều hơn số phiếu hợp lệ" in row.text_content()
    _shots(page, tmp_path, "23-loi-tep")


def test_meeting_form_keeps_input_and_marks_the_field(page, base_url, tmp_path):
    """A vote count above the voters comes back beside that member, every value kept."""
    page.goto(base_url + "/hoi-nghi")
    _shots(page, tmp_path, "30-nhap-hoi-nghi")
    values = {"org_parent": "Đảng bộ xã Kỳ Anh", "org_name": "Chi bộ thôn Tân Phong",
              "org_place": "Kỳ Anh", "location": "Nhà văn hóa thôn", "chair_name": "Nguyễn Văn Hải",
              "secretary_name": "Trần Thị Mỹ", "m-0-name": "Nguyễn Văn Hải", "m-0-tot": "5",
              "m-1-name": "Trần Thị Mỹ", "m-1-tot": "2", "cb-tot": "2"}
    for name, value in values.items():
        page.fill(f"[name='{name}']", value)
    page.fill("[name=date]", "2025-12-14")
    page.select_option("[name='m-0-rating']", "tot")
    page.select_option("[name='m-1-rating']", "tot")
    page.click("button[value=generate]")
    page.wait_for_selector(".error")
    assert page.input_value("[name='org_name']") == "Chi bộ thôn Tân Phong"
    assert page.input_value("[name='m-0-tot']") == "5"
    assert "nhiều hơn" in page.text_content("tr.error-row")
    _shots(page, tmp_path, "31-form-loi")
    page.fill("[name='m-0-tot']", "2")
    page.click("button[value=generate]")
    page.wait_for_url("**/viec/**")
    page.wait_for_function("document.querySelectorAll('article.doc.done').length === 7",
                           timeout=240_000)
    page.wait_for_load_state("networkidle")
    assert "hoàn tất" in page.text_content("#progress-text")
    _shot(page, tmp_path, "32-viec")


def test_a_signed_bien_ban_stays_with_its_revision(browser, base_url, secretary, stack_config, converter,
                                                   tmp_path):
    """Sign the biên bản (pyHanko, a test certificate the operator trusts), correct one vote
    (refused, then confirmed): the signed copy is revision 1's on the page and in the API, the
    revision-2 ZIP holds none, revision 1's still does, verify says "revision 1, superseded by 2";
    the "Ký số" page says what is missing without the VGCA plugin; a draft PDF says DỰ THẢO."""
    from service.documents import instances, meeting_figures
    from service.documents.rendering import DocxRenderer
    from service.jobs.pipeline import render
    from service.meetings.validation import parse_meeting
    from tests.integration.conftest import download_package
    from tests.support.signers import sign, throwaway_signer

    def signed_and_corrected() -> tuple[dict, bytes, dict, str]:
        """The API part, in a thread of its own: pyHanko runs asyncio, Playwright's loop is this one's."""
        signer = throwaway_signer("Trần Văn Bình")
        root = tmp_path / "root.pem"
        root.write_bytes(signer.cert_pem)
        app = create_app({"TESTING": True, **stack_config, "SIGNING_TRUST_ROOTS": str(root)})
        api = people.as_user(app.test_client(), secretary)
        data = _yesterdays_meeting()
        job = api.post("/api/v1/jobs?documents=bien_ban_kiem_diem,bien_ban_kiem_phieu", json=data).get_json()
        job = wait_until_finished(api, job["links"]["self"])
        bien_ban = job["documents"][0]
        ours = api.get(bien_ban["links"]["pdf"]).data
        signed = sign(ours, signer)
        taken = api.post(bien_ban["signing"]["signed"], data=signed, content_type="application/pdf")
        assert taken.status_code == 201 and taken.get_json()["documents"][0]["signed"]["trusted"] is True

        data["ratings"][1]["votes"] = {"xuat_sac": 1, "tot": 2}  # one vote corrected
        refused = api.put(job["links"]["self"], json=data)
        assert refused.status_code == 409 and bien_ban["title"] in refused.get_json()["detail"]
        assert api.put(job["links"]["self"] + "?confirm_signed=1", json=data).status_code == 202
        job = wait_until_finished(api, job["links"]["self"])
        label = "bản ký của lần 1 — đã có bản sửa lần 2, chưa ký"
        now, kept = job["documents"][0], job["revisions"][0]["documents"][0]
        assert job["revision"] == 2 and now["signed"] is None and now["earlier_signed"]["label"] == label
        assert kept["signed"]["label"] == label and kept["signed"]["superseded_by"] == 2

        def packed(zipped: bytes) -> bytes:
            archive = zipfile.ZipFile(io.BytesIO(zipped))
            return next(archive.read(n) for n in archive.namelist() if n.endswith("bien_ban_kiem_diem.pdf"))

        second = packed(download_package(api, job["links"]["package"]))
        assert b"/ByteRange" not in second and second == api.get(now["links"]["pdf"]).data
        assert packed(download_package(api, job["revisions"][0]["links"]["package"])) == signed
        answer = api.post("/api/v1/verify", data=signed, content_type="application/pdf").get_json()
        assert answer["found"] and answer["signed"] and not answer["altered"]
        assert (answer["revision"], answer["superseded_by"]) == (1, 2) and "bản sửa lần 2" in answer["detail"]
        return job, second, data, label

    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        job, second, data, label = pool.submit(signed_and_corrected).result()
    now = job["documents"][0]
    page = _signed_in(browser, base_url, "bi-thu")
    page.goto(f"{base_url}/viec/{job['id']}")
    assert label in page.text_content(f"article.doc[data-name='{now['name']}']")
    assert label in page.text_content("#revisions")
    page.goto(f"{base_url}/viec/{job['id']}/ky-so/{now['name']}")
    page.click("#vgca-sign")  # no VGCA Sign Service on this machine
    page.wait_for_selector("#vgca-status.error")
    assert "Không kết nối được phần mềm ký số" in page.text_content("#vgca-status")
    assert page.locator("#ban-ky-tay").count() == 1
    _shots(page, tmp_path, "20-ky-so")
    page.context.close()

    meeting = parse_meeting(data)
    instance = next(iter(instances(meeting, ["bien_ban_kiem_diem"])))
    docx = render(instance, meeting, meeting_figures(meeting), DocxRenderer(), draft=True)[0][0]
    assert "DỰ THẢO" in pdf_text(converter.to_pdf(docx), tmp_path)
    assert "DỰ THẢO" not in pdf_text(second, tmp_path)

def _member_page(browser, link: str):
    """A phone-sized browser with no account, on a member's personal link."""
    context = browser.new_context(viewport=PHONE, locale="vi-VN")
    page = context.new_page()
    page.goto(link)
    return page


def _write(page, strengths: str, general: str, tasks: str, rating: str) -> None:
    page.fill("#f-strengths", strengths)
    page.fill("#f-general", general)
    page.fill("#f-tasks", tasks)
    page.check(f"input[name=self_rating][value={rating}]")


def test_members_write_their_own_self_reviews_from_a_personal_link(browser, base_url, secretary,
                                                                   stack_config, tmp_path):
    """Links for three members; two write on a phone (one saves and comes back), one is returned
    with a note and fixed; both accepted; the third's link revoked; the PDFs carry their words."""
    api = people.as_user(create_app({"TESTING": True, **stack_config}).test_client(), secretary)
    data = _yesterdays_meeting()
    data["organisation"]["name"] = "Chi bộ thôn Tân Phong (tự kiểm điểm)"
    page = _signed_in(browser, base_url, "bi-thu")
    page.goto(base_url + "/dang-vien")  # her roster, typed on its page (rows left by others go)
    for n, m in enumerate(data["members"]):
        if not page.locator(f"[name=r-{n}-name]").count():
            page.click("#add-roster-row")
        page.fill(f"[name=r-{n}-name]", m["name"])
        page.fill(f"[name=r-{n}-birth_date]", "/".join(reversed((m.get("birth_date") or "").split("-"))))
        page.fill(f"[name=r-{n}-job_post]", m["position"])
        page.select_option(f"[name=r-{n}-variant]", "02A" if m.get("leadership_post") else
                           "02C" if m.get("outside_political_system") else "02B")
    for n in range(len(data["members"]), page.locator("tr.roster-row").count()):
        if page.input_value(f"[name=r-{n}-name]"):
            page.check(f"[name=r-{n}-delete]")
    page.click("form.card button[type=submit]:has-text('Lưu')")
    page.wait_for_selector(f"text=Đã lưu danh sách {len(data['members'])} đảng viên")
    page.goto(base_url + "/hoi-nghi")  # the form starts from her roster
    assert page.input_value("[name=m-0-name]") == "Nguyễn Văn Hải"
    page.click("button[value=draft]")
    page.wait_for_url("**/viec/*/sua")
    job_id = page.url.rsplit("/", 2)[1]
    votes = {r["member"]: r.pop("votes") | {} for r in data["ratings"]}  # typed on the form, below
    for rating in data["ratings"]:
        rating["votes"] = {}
        if rating["member"] in ("Nguyễn Văn Hải", "Trần Thị Mỹ"):
            rating.pop("self_score")
    chi_bo_votes, data["chi_bo_rating"]["votes"] = data["chi_bo_rating"]["votes"], {}
    assert api.put(f"/api/v1/jobs/{job_id}?draft=1", json=data).status_code == 200  # the rest of the day
    page.click("#self-reviews-link")
    for name in ("Nguyễn Văn Hải", "Trần Thị Mỹ", "Phạm Văn Tùng"):
        page.check(f"input[name=member][value='{name}']")
    page.click("#make-links-button")
    page.wait_for_selector("#link-sheet")
    assert page.locator(".slip img").count() == 3
    links = dict(zip((s.inner_text() for s in page.locator(".slip .big").all()),
                     (c.inner_text() for c in page.locator("code.self-review-link").all()), strict=True))
    _shots(page, tmp_path, "tu-kiem-diem-trang-in")

    hai = _member_page(browser, links["Nguyễn Văn Hải"])  # 02A, saves and comes back later
    assert "Mẫu 02A" in hai.inner_text("main") and "Bí thư chi bộ, Trưởng thôn" in hai.inner_text("main")
    _write(hai, "Lãnh đạo thôn hoàn thành kế hoạch làm đường liên xóm.", "26", "58", "tot")
    hai.click("#save")
    hai.wait_for_selector("text=Đã lưu nháp")
    hai.click("#print-link")  # her own copy to print, marked as a draft
    assert hai.inner_text("#draft-mark") == "DỰ THẢO" and "kế hoạch làm đường" in hai.inner_text("main")
    hai.context.close()
    hai = _member_page(browser, links["Nguyễn Văn Hải"])
    assert hai.input_value("#f-general") == "26"
    hai.fill("#f-direction", "Năm 2026 vận động bà con hiến đất mở rộng ngõ xóm.")
    hai.fill("#f-tasks", "75")  # over the limit: marked as she types
    assert "……/100" in hai.inner_text("#score-total") and "invalid" in hai.get_attribute("#f-tasks", "class")
    hai.fill("#f-tasks", "58")
    assert "84/100, ứng với mức Hoàn thành tốt nhiệm vụ" in hai.inner_text("#score-total")
    _shot(hai, tmp_path, "tu-kiem-diem-dang-vien-390")
    assert hai.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    hai.click("#send")
    hai.wait_for_selector("text=Đã gửi chi bộ")

    my = _member_page(browser, links["Trần Thị Mỹ"])  # 02B
    assert "Mẫu 02B" in my.inner_text("main")
    _write(my, "Vận động chị em tham gia tổ tiết kiệm.", "25", "55", "tot")
    my.click("#send")
    my.wait_for_selector("text=Đã gửi chi bộ")

    page.goto(f"{base_url}/viec/{job_id}/tu-kiem-diem")
    page.locator("tr[data-member='Trần Thị Mỹ'] >> text=Xem").click()
    page.fill("#note", "Đồng chí bổ sung phần hạn chế.")
    page.click("#return")
    my.goto(links["Trần Thị Mỹ"])  # she opens her link again
    assert "Đồng chí bổ sung phần hạn chế." in my.inner_text("#returned-note")
    my.fill("#f-shortcomings", "Có lúc chưa sâu sát hội viên ở xóm xa.")
    my.click("#send")
    my.wait_for_selector("text=Đã gửi chi bộ")
    for name in ("Trần Thị Mỹ", "Nguyễn Văn Hải"):
        page.goto(f"{base_url}/viec/{job_id}/tu-kiem-diem")
        page.locator(f"tr[data-member='{name}'] >> text=Xem").click()
        page.click("#accept")
        page.wait_for_selector("text=Đã nhận bản tự kiểm điểm")
    page.locator("tr[data-member='Phạm Văn Tùng'] >> text=Thu hồi liên kết").click()
    page.wait_for_selector("text=Đã thu hồi liên kết")
    _shots(page, tmp_path, "tu-kiem-diem-bi-thu")
    tung = _member_page(browser, links["Phạm Văn Tùng"])
    assert "Liên kết không còn dùng được" in tung.inner_text("main") and "thu hồi" in tung.inner_text("main")
    assert tung.evaluate("document.querySelector('meta[name=robots]').content").startswith("noindex")

    page.goto(f"{base_url}/viec/{job_id}/sua")
    assert page.input_value("[name=m-0-general]") == "26"  # her own scores, on the form
    if not page.input_value("[name=org_parent]"):
        page.fill("[name=org_parent]", data["organisation"]["parents"][-1])  # the form asks for it
    page.fill("#rp-strengths", "Chi bộ lãnh đạo thôn hoàn thành đường liên xóm trước hạn.")
    page.fill("#rp-direction", "Năm tới giữ vững nền nếp sinh hoạt, phát triển thêm hai đảng viên.")
    for n, (name, most, score) in enumerate((("Xây dựng Đảng và hệ thống chính trị", "30", "35"),
                                             ("Kết quả thực hiện nhiệm vụ chính trị", "70", "57"))):
        page.fill(f"[name=g-{n}-name]", name)  # Mẫu 01 part B: the score by criteria group
        page.fill(f"[name=g-{n}-max]", most)
        page.fill(f"[name=g-{n}-score]", score)
    assert page.inner_text(".group-limit[data-row='0']") == "Nhóm tiêu chí 1: tối đa 30 điểm"
    page.fill("[name=g-0-score]", "25")
    assert page.inner_text("#group-total") == "Tổng điểm: 82/100, ứng với mức Hoàn thành tốt nhiệm vụ."
    for n in range(len(data["members"])):  # the votes, as counted, row by row
        for short, key in (("xs", "xuat_sac"), ("tot", "tot"), ("ht", "hoan_thanh")):
            count = votes[page.input_value(f"[name=m-{n}-name]")].get(key)
            if count:
                page.fill(f"[name=m-{n}-{short}]", str(count))
    page.fill("[name=cb-tot]", str(chi_bo_votes["tot"]))
    _shots(page, tmp_path, "tu-kiem-diem-bieu-mau-mau-01")
    page.click("button[value=generate]")
    page.wait_for_url(f"**/viec/{job_id}")
    job = wait_until_finished(api, f"/api/v1/jobs/{job_id}")
    assert job["status"] == "done", job
    assert any("Phạm Văn Tùng" in w and "dòng chấm" in w for w in job["warnings"])
    pdfs = {d["name"]: api.get(d["links"]["pdf"]).get_data()
            for d in job["documents"] if d["type"] in ("ban_kiem_diem_ca_nhan", "bao_cao_kiem_diem")}
    for name, pdf in pdfs.items():  # kept beside the screenshots, to look at
        (SCREENS / f"tu-kiem-diem-{name}.pdf").write_bytes(pdf)
    texts = {name: pdf_text(pdf, tmp_path) for name, pdf in pdfs.items() if name.startswith("ban_kiem")}
    by_member = {name: next(t for t in texts.values() if name in t)
                 for name in ("Nguyễn Văn Hải", "Trần Thị Mỹ", "Phạm Văn Tùng")}
    assert "hiến đất mở rộng ngõ xóm" in by_member["Nguyễn Văn Hải"]
    assert "26/30" in by_member["Nguyễn Văn Hải"] and "84/100" in by_member["Nguyễn Văn Hải"]
    assert "chưa sâu sát hội viên" in by_member["Trần Thị Mỹ"] and "55/70" in by_member["Trần Thị Mỹ"]
    assert "……" in by_member["Phạm Văn Tùng"] and "hiến đất" not in by_member["Phạm Văn Tùng"]
    report_text = pdf_text(pdfs["bao_cao_kiem_diem"], tmp_path)
    assert "đường liên xóm trước hạn" in report_text and "phát triển thêm hai đảng viên" in report_text
    assert "25/30 điểm" in report_text and "57/70 điểm" in report_text and "82/100 điểm" in report_text
