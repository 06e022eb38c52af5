"""The guide "Hướng dẫn" at /huong-dan: public, Vietnamese, CSP-clean, linked from every page,
and showing only screenshots that exist."""

from __future__ import annotations

import re
from pathlib import Path

from service.http.pages import guide
from tests.service.http.pages.test_web_pages import sign_in


def _static(app) -> Path:
    return Path(app.blueprints["web"].static_folder)


def test_the_guide_is_read_before_signing_in(anonymous):
    """A stranger gets the guide itself (not the login page), in Vietnamese, for both readers."""
    page = anonymous.get("/huong-dan")
    body = page.get_data(as_text=True)
    assert page.status_code == 200 and page.mimetype == "text/html"
    for words in ("Hướng dẫn sử dụng", "Dành cho bí thư chi bộ", "Dành cho văn phòng đảng ủy",
                  "Đăng nhập lần đầu", "Đảng viên", "Biên bản sinh hoạt chi bộ hằng tháng",
                  "Sửa", "hai mặt", "Ký số", "bản ký tay", "Tệp Excel của cả đảng bộ", "Mẫu văn bản"):
        assert words in body, words


def test_the_guide_has_no_inline_script_or_style(anonymous):
    """Scripts and styles come from our files only (the CSP forbids inline ones)."""
    body = anonymous.get("/huong-dan").get_data(as_text=True)
    assert re.findall(r"<script(?![^>]*\bsrc=)", body) == []
    assert "<style" not in body and " style=" not in body and " on" + "click=" not in body


def test_the_guide_shows_only_screenshots_that_exist(app, anonymous):
    """Each picture of the guide is a committed PNG of static/huong-dan/, served to a stranger."""
    body = anonymous.get("/huong-dan").get_data(as_text=True)
    pictures = set(re.findall(r'<img src="/static/huong-dan/([a-z-]+)\.png"', body))
    assert pictures == set(guide.SHOTS)
    for name in pictures:
        path = _static(app) / "huong-dan" / f"{name}.png"
        assert path.exists(), path
        served = anonymous.get(f"/static/huong-dan/{name}.png")
        assert served.status_code == 200 and served.mimetype == "image/png"
        served.close()


def test_every_page_links_to_the_guide(app, anonymous, client):
    """The login page (header and footer) and a signed-in page link to /huong-dan."""
    login = anonymous.get("/dang-nhap").get_data(as_text=True)
    assert login.count('href="/huong-dan"') == 2
    sign_in(app, client)
    home = client.get("/").get_data(as_text=True)
    assert 'id="nav-guide"' in home and 'id="footer-guide"' in home
