"""Sessions that end: logout, password change and reset, lock-out, lifetime and idle timeout."""

from __future__ import annotations

import re
import shutil
import time

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from service import accounts, extensions
from service.accounts import users
from service.cli import main
from tests.support import people

PASSWORD = "mật-khẩu-thử-123"


def _csrf(client, path: str = "/dang-nhap") -> str:
    page = client.get(path)
    return re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True)).group(1)


def _login(app, client, username: str = "bithu") -> None:
    response = client.post("/dang-nhap", data={"username": username, "password": PASSWORD,
                                               "csrf_token": _csrf(client)})
    assert response.status_code == 303, response.get_data(as_text=True)


@pytest.fixture(name="database_url")
def _sqlite_only(tmp_path, sqlite_template):
    """SQLite only: what is tested here does not depend on the database."""
    shutil.copyfile(sqlite_template, tmp_path / "chibo.sqlite3")  # at head, as the app fixture expects
    return f"sqlite:///{tmp_path / 'chibo.sqlite3'}"


@pytest.fixture(name="secretary")
def _secretary(app, monkeypatch):
    """A chi bộ secretary with a password (hashed cheaply, for speed) and an API token."""
    monkeypatch.setattr(users, "_HASHER", PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1))
    return people.token(app, role="chi_bo", org="Chi bộ thôn 1", password=PASSWORD, username="bithu")


def _signed_in(client) -> bool:
    return client.get("/hoi-nghi").status_code == 200


def _stolen(client, app):
    """A second browser holding a copy of *client*'s session cookie."""
    thief = app.test_client()
    cookie = client.get_cookie("session")
    thief.set_cookie("session", cookie.value)
    return thief


def _user(app, username: str = "bithu") -> accounts.User:
    with app.app_context(), extensions.session_scope() as session:
        user = session.scalars(select(accounts.User).where(accounts.User.username == username)).one()
        session.expunge(user)
        return user


def test_a_copied_cookie_stops_working_after_logout(app, anonymous, secretary):
    """Logout ends the session on the server: a copy of the cookie made before is no login."""
    _login(app, anonymous)
    thief = _stolen(anonymous, app)
    assert _signed_in(thief)
    anonymous.post("/dang-xuat", data={"csrf_token": _csrf(anonymous, "/hoi-nghi")})
    assert not _signed_in(thief) and not _signed_in(anonymous)


def test_changing_the_password_ends_every_other_session(app, anonymous, secretary):
    """After a password change the browser that changed it stays in; every other session ends."""
    _login(app, anonymous)
    other = app.test_client()
    _login(app, other)
    response = anonymous.post("/doi-mat-khau", data={
        "old_password": PASSWORD, "new_password": "mới-mật-khẩu-456",
        "new_password_again": "mới-mật-khẩu-456",
        "csrf_token": _csrf(anonymous, "/doi-mat-khau")})
    assert response.status_code == 200
    assert _signed_in(anonymous) and not _signed_in(other)


def test_a_password_reset_ends_every_session(app, anonymous, secretary, monkeypatch):
    """`chibo admin password` ends the user's sessions at once."""
    _login(app, anonymous)
    _admin_cli(app, monkeypatch, "password", "bithu")
    assert not _signed_in(anonymous)


def test_locking_out_ends_sessions_and_tokens_and_a_reset_revives_neither(app, anonymous, secretary,
                                                                          monkeypatch):
    """`--disable` ends sessions and revokes tokens; a later reset opens the account, not its old token."""
    _login(app, anonymous)
    api = people.as_user(app.test_client(), secretary)
    assert api.get("/api/v1/jobs").status_code == 200
    _admin_cli(app, monkeypatch, "password", "bithu", "--disable")
    assert not _signed_in(anonymous) and api.get("/api/v1/jobs").status_code == 401
    _admin_cli(app, monkeypatch, "password", "bithu")
    assert api.get("/api/v1/jobs").status_code == 401
    assert not _signed_in(anonymous)
    with app.app_context(), extensions.session_scope() as session:
        assert all(t.revoked for t in session.scalars(select(accounts.ApiToken)))


def test_a_session_ends_after_its_lifetime(app, anonymous, secretary, monkeypatch):
    """A session older than SESSION_HOURS is no login, however busy it was."""
    _login(app, anonymous)
    start = time.time()
    for hours in (4, 8, 11.9):  # used every few hours: never idle, and still alive until 12 h
        monkeypatch.setattr(time, "time", lambda h=hours: start + h * 3600)
        app.config["SESSION_IDLE_MINUTES"] = 24 * 60
        assert _signed_in(anonymous)
    monkeypatch.setattr(time, "time", lambda: start + 12.1 * 3600)
    assert not _signed_in(anonymous)


def test_a_session_ends_when_idle(app, anonymous, secretary, monkeypatch):
    """A session unused for SESSION_IDLE_MINUTES is no login; one used within it lives on."""
    _login(app, anonymous)
    start = time.time()
    monkeypatch.setattr(time, "time", lambda: start + 50 * 60)
    assert _signed_in(anonymous)  # 50 min: still in, and the idle clock starts again
    monkeypatch.setattr(time, "time", lambda: start + 100 * 60)
    assert _signed_in(anonymous)
    monkeypatch.setattr(time, "time", lambda: start + 161 * 60)
    assert not _signed_in(anonymous)


def test_a_cookie_of_before_without_a_version_is_no_login(app, anonymous, secretary):
    """A session cookie signed before sessions carried their version is refused."""
    user = _user(app)
    with anonymous.session_transaction() as cookie:
        cookie["user_id"] = user.id
        cookie["csrf"] = "x"
    assert not _signed_in(anonymous)


def _admin_cli(app, monkeypatch, *args: str) -> None:
    """Run `chibo admin …` on the app's database."""
    monkeypatch.setenv("DATABASE_URL", app.config["DATABASE_URL"])
    monkeypatch.setenv("DATA_DIR", app.config["DATA_DIR"])
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1/0")
    monkeypatch.setenv("THROTTLE_STORAGE_URI", "memory://")
    assert main(["admin", *args]) == 0
