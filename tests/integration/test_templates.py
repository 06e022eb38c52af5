"""A đảng ủy's own biên bản, end to end on the real stack: in a browser and through the API.

The office uploads a locally changed biên bản, sees the problems of a broken version listed,
previews the fixed one (made by the real worker's LibreOffice), activates it, and its chi
bộ's next meeting is made with it (read back from the PDF with pdftotext). The pages are
photographed at 1366 and 390 px.
"""

from __future__ import annotations

import io
import time
from typing import Any

import pytest

from service import accounts, create_app, extensions
from tests.integration.conftest import pdf_text, wait_until_finished
from tests.integration.test_web import PHONE, WIDE, _shot
from tests.support import people, templatefiles
from tests.support.factories import meeting_payload

pytestmark = pytest.mark.integration
PASSWORD = "mật-khẩu-thử-mẫu"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _dang_bo(stack_config: dict[str, Any], name: str, office: str, secretary: str) -> tuple[str, str]:
    """A đảng bộ with an office user *office* and one chi bộ; the tokens of both."""
    app = create_app({"TESTING": True, **stack_config})
    office_token = people.token(app, "dang_uy", org=name, password=PASSWORD, username=office)
    people.organisation(app, f"Chi bộ thôn Mới ({name})", "chi_bo", name)
    with app.app_context(), extensions.session_scope() as session:
        chi_bo = accounts.find_organisation(session, f"Chi bộ thôn Mới ({name})")
        user = accounts.create_user(session, secretary, "chi_bo", chi_bo, PASSWORD)
        secretary_token = accounts.create_token(session, user, "test")
    return office_token, secretary_token


def _api(stack_config: dict[str, Any], token: str) -> Any:
    return people.as_user(create_app({"TESTING": True, **stack_config}).test_client(), token)


def _made_with_it(secretary: Any, tmp_path, version: dict[str, Any]) -> None:
    """The chi bộ's next meeting: its biên bản is made with *version* (PDF text and JSON)."""
    job = secretary.post("/api/v1/jobs?documents=bien_ban_kiem_diem", json=meeting_payload()).get_json()
    done = wait_until_finished(secretary, job["links"]["self"])
    document = done["documents"][0]
    assert document["status"] == "done", document
    assert document["template"] == {"builtin": False, "current": True, "id": version["id"],
                                    "version": version["version"], "sha256": version["sha256"]}
    text = pdf_text(secretary.get(document["links"]["pdf"]).data, tmp_path)
    assert templatefiles.LOCAL_TITLE in text and "Trần Văn Bình" in text


def _wait_preview(client: Any, location: str, timeout: float = 180) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        body = client.get(location).get_json()
        if body["preview"]["status"] in ("done", "failed"):
            return dict(body)
        time.sleep(0.5)
    raise AssertionError(f"no preview after {timeout} s")


def _shots(page: Any, tmp_path, name: str) -> None:
    for size, suffix in ((PHONE, "390"), (WIDE, "1366")):
        page.set_viewport_size(size)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), (name, suffix)
        _shot(page, tmp_path, f"{name}-{suffix}")


def _wait_for_picture(page: Any, timeout: float = 240) -> None:
    """Until the preview's picture is on the page, which reloads itself every 3 s while the
    preview is made: never reloaded here (its address ends in #v-…, and a refresh to the same
    address and anchor only scrolled, so the page waited for ever)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if page.locator("img.preview").count():
            return
        failed = page.locator("li.version p.error")
        assert not failed.count(), failed.first.text_content()
        time.sleep(0.5)
    raise AssertionError(f"no preview picture after {timeout} s: {page.locator('main').text_content()}")


def _choose_file(page: Any, data: bytes, name: str) -> None:
    page.select_option("select[name=type]", "bien_ban_kiem_diem")
    page.set_input_files("input[name=file]", files=[{"name": name, "mimeType": DOCX, "buffer": data}])
    page.click("form.upload button[type=submit]")
    page.wait_for_load_state()


def test_the_office_uploads_previews_activates_in_the_browser(browser, base_url, stack_config, tmp_path):
    """Broken version: its problems listed; fixed one previewed, activated; the chi bộ's meeting uses it."""
    _, secretary_token = _dang_bo(stack_config, "Đảng bộ xã Mẫu Riêng (web)", "vp-mau-web", "bt-mau-web")
    page = browser.new_context(viewport=WIDE, locale="vi-VN", bypass_csp=True).new_page()
    page.goto(base_url + "/dang-nhap")
    page.fill("[name=username]", "vp-mau-web")
    page.fill("[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_selector("form.logout")
    page.get_by_role("link", name="Mẫu văn bản").first.click()
    page.wait_for_selector("form.upload")
    _shots(page, tmp_path, "50-mau-van-ban")

    broken = templatefiles.rewritten(templatefiles.unknown_variable(), replace=(
        "{{ opening.location }}", "{{ opening.locaton }}"))
    _choose_file(page, broken, "bien-ban-tan-phong-loi.docx")
    problems = page.locator("#problems").text_content()
    assert "opening.chiar" in problems and "có phải “opening.chair”?" in problems
    assert "opening.locaton" in problems and "“opening.location”" in problems
    _shots(page, tmp_path, "51-mau-loi")

    _choose_file(page, templatefiles.locally_changed(), "bien-ban-tan-phong.docx")
    assert "Đã nhận mẫu" in page.content()
    version = page.locator("li.version").first
    assert "Phiên bản 1" in version.text_content()
    version.get_by_role("button", name="Xem trước").click()
    assert page.url.endswith(f"#{version.get_attribute('id')}")  # back at the version's anchor
    _wait_for_picture(page)
    picture = page.locator("img.preview").first
    # the page has just reloaded itself: its picture may still be on its way
    page.wait_for_function("(img) => img.complete && img.naturalWidth > 100", arg=picture.element_handle(),
                           timeout=60_000)
    pdf_link = page.get_by_role("link", name="Mở bản xem trước (PDF)").get_attribute("href")
    pdf = page.context.request.get(base_url + pdf_link).body()
    assert templatefiles.LOCAL_TITLE in pdf_text(pdf, tmp_path)
    _shots(page, tmp_path, "52-xem-truoc")

    page.locator("li.version").first.get_by_role("button", name="Dùng mẫu này").click()
    page.wait_for_selector("li.version.active .badge")
    _shots(page, tmp_path, "53-dang-dung")
    office = _api(stack_config, _dang_bo_token(stack_config, "vp-mau-web"))
    active = [t for t in office.get("/api/v1/templates").get_json()["templates"] if t["active"]]
    assert [t["version"] for t in active] == [1]
    page.context.close()
    _made_with_it(_api(stack_config, secretary_token), tmp_path, active[0])


def _dang_bo_token(stack_config: dict[str, Any], username: str) -> str:
    app = create_app({"TESTING": True, **stack_config})
    with app.app_context(), extensions.session_scope() as session:
        user = session.query(accounts.User).filter_by(username=username).one()
        return accounts.create_token(session, user, "test")


def test_the_office_does_it_through_the_api(stack_config, worker, tmp_path):
    """The same through /api/v1/templates: 422 with every problem, 201, preview by the worker, activate."""
    office_token, secretary_token = _dang_bo(stack_config, "Đảng bộ xã Mẫu Riêng (API)", "vp-mau-api",
                                             "bt-mau-api")
    office, secretary = _api(stack_config, office_token), _api(stack_config, secretary_token)

    def upload(data: bytes) -> Any:
        return office.post("/api/v1/templates", content_type="multipart/form-data", data={
            "type": "bien_ban_kiem_diem", "file": (io.BytesIO(data), "bien-ban.docx")})

    refused = upload(templatefiles.rewritten(templatefiles.with_external_image(),
                                             replace=("{{ opening.chair }}", "{{ opening.chiar }}")))
    assert refused.status_code == 422
    assert len(refused.get_json()["errors"]) == 2
    created = upload(templatefiles.locally_changed())
    assert created.status_code == 201
    version = created.get_json()
    assert office.post(version["links"]["preview"]).status_code == 202
    previewed = _wait_preview(office, version["links"]["self"])
    assert previewed["preview"]["status"] == "done", previewed["preview"]
    preview_pdf = office.get(previewed["preview"]["links"]["pdf"]).data
    assert templatefiles.LOCAL_TITLE in pdf_text(preview_pdf, tmp_path)
    assert office.get(previewed["preview"]["links"]["png"]).data.startswith(b"\x89PNG")
    assert office.post(version["links"]["activate"]).get_json()["active"] is True
    _made_with_it(secretary, tmp_path, version)
