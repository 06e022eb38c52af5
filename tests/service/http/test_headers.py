"""Headers on every answer: CSP without inline code, no framing, no sniffing, no caching of member data."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from service import accounts, create_app, extensions
from service.accounts import users
from service.http.headers import CSP
from tests.support import people
from tests.support.building import build_all
from tests.support.factories import meeting_payload

TEMPLATES = Path(__file__).parents[3] / "service" / "http" / "pages" / "templates"


@pytest.fixture(name="database_url")
def _sqlite_only(tmp_path, sqlite_template):
    """SQLite only: what is tested here does not depend on the database."""
    shutil.copyfile(sqlite_template, tmp_path / "chibo.sqlite3")  # at head, as the app fixture expects
    return f"sqlite:///{tmp_path / 'chibo.sqlite3'}"


@pytest.fixture(autouse=True)
def _no_dispatch(monkeypatch):
    """Nothing reaches Celery; passwords are hashed cheaply (for speed)."""
    from service.jobs import queue

    monkeypatch.setattr(queue, "dispatch", lambda documents, size, **_: 0)
    monkeypatch.setattr(users, "_HASHER", PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1))


def test_pages_and_json_carry_the_security_headers(anonymous, client):
    """The login page, an API answer and an error: CSP, DENY, nosniff, same-origin referrer, no-store."""
    for response in (anonymous.get("/dang-nhap"), client.get("/api/v1/jobs"), anonymous.get("/api/v1/jobs"),
                     anonymous.get("/khong-co")):
        headers = response.headers
        assert headers["Content-Security-Policy"] == CSP
        assert headers["X-Frame-Options"] == "DENY" and headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
        assert headers["Cache-Control"] == "no-store"
        assert "Strict-Transport-Security" not in headers


def test_the_policy_allows_no_inline_script_or_style():
    """script-src and style-src are 'self' only: no 'unsafe-inline', no 'unsafe-eval', no data:."""
    policy = dict(part.strip().split(" ", 1) for part in CSP.split(";"))
    assert policy["script-src"] == "'self'" and policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'" and policy["default-src"] == "'none'"


def test_no_template_has_inline_script_style_or_handlers():
    """Every template: scripts by src only, no <style>, no style= and no on…= attributes."""
    for template in TEMPLATES.glob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), template.name
        assert not re.search(r"<style\b|\sstyle=|\son[a-z]+=", text, re.IGNORECASE), template.name


def test_downloads_of_member_data_are_not_stored(app, client):
    """A PDF, a DOCX, the ZIP and the thumbnail of a document: Cache-Control no-store."""
    job = client.post("/api/v1/jobs?documents=bien_ban_kiem_diem", json=meeting_payload()).get_json()
    build_all(app, job["id"])
    job = client.get(job["links"]["self"]).get_json()
    document = job["documents"][0]
    for link in (document["links"]["pdf"], document["links"]["docx"], job["links"]["package"]):
        response = client.get(link)
        assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
        assert "ETag" not in response.headers and "Last-Modified" not in response.headers


def test_a_thumbnail_is_audited_like_a_download(app, client):
    """Opening a document's picture writes a download line naming it in the audit log."""
    job = client.post("/api/v1/jobs?documents=bien_ban_kiem_diem", json=meeting_payload()).get_json()
    build_all(app, job["id"])
    response = client.get(f"/viec/{job['id']}/anh/bien_ban_kiem_diem.png")
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert response.headers["Cache-Control"] == "no-store"
    with app.app_context(), extensions.session_scope() as session:
        details = list(session.scalars(select(accounts.AuditEvent.detail)
                                       .where(accounts.AuditEvent.action == "download")))
    assert any("bien_ban_kiem_diem.thumb.png" in detail for detail in details)


def test_the_pages_static_files_may_be_cached(anonymous):
    """The stylesheet is the same for everyone: no no-store on it."""
    response = anonymous.get("/static/app.css")
    assert response.status_code == 200 and response.headers.get("Cache-Control") != "no-store"


def test_hsts_is_sent_when_the_cookie_is_secure(tmp_path):
    """With SESSION_COOKIE_SECURE every answer carries Strict-Transport-Security."""
    app = create_app({"TESTING": True, "DATA_DIR": str(tmp_path / "v"), "SESSION_COOKIE_SECURE": True,
                      "REDIS_URL": "redis://127.0.0.1:1/0", "THROTTLE_STORAGE_URI": "memory://"})
    response = app.test_client().get("/dang-nhap")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    extensions.dispose(app)


@pytest.mark.parametrize("target", ["/\t/evil.example", "/\n/evil.example", "/\r\nSet-Cookie: x=1",
                                    "/\\evil.example", "\\\\evil.example", "//evil.example",
                                    "https://evil.example/", "/%0d%0a\x00", "javascript:alert(1)",
                                    "/ /\x7fevil.example"])
def test_login_sends_next_only_to_this_site(app, anonymous, target):
    """Tabs, line breaks, backslashes, control characters, other hosts: the start page, never a 500."""
    people.token(app, role="chi_bo", org="Chi bộ thôn 1", password="mật-khẩu-thử-123", username="bithu")
    page = anonymous.get("/dang-nhap", query_string={"next": target})
    assert page.status_code == 200
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True)).group(1)
    response = anonymous.post("/dang-nhap", data={"username": "bithu", "password": "mật-khẩu-thử-123",
                                                  "next": target, "csrf_token": csrf})
    assert response.status_code == 303 and response.headers["Location"] == "/"


def test_login_keeps_a_next_of_this_site(app, anonymous):
    """A plain path of this site, with its query, is where the login goes."""
    people.token(app, role="chi_bo", org="Chi bộ thôn 1", password="mật-khẩu-thử-123", username="bithu")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"',
                     anonymous.get("/dang-nhap").get_data(as_text=True)).group(1)
    response = anonymous.post("/dang-nhap", data={"username": "bithu", "password": "mật-khẩu-thử-123",
                                                  "next": "/hoi-nghi?x=1", "csrf_token": csrf})
    assert response.headers["Location"] == "/hoi-nghi?x=1"
