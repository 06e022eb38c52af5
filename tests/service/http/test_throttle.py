"""Login throttling: wrong passwords and refused tokens, per account and per address, audited."""

from __future__ import annotations

import re
import shutil
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from service import accounts, extensions
from service.accounts import users
from tests.support import people

PASSWORD = "mật-khẩu-thử-123"


def _attempt(client, password: str, username: str = "bithu", address: str = "10.0.0.1"):
    page = client.get("/dang-nhap").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    return client.post("/dang-nhap", data={"username": username, "password": password, "csrf_token": csrf},
                       environ_base={"REMOTE_ADDR": address})


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


def _actions(app) -> list[str]:
    with app.app_context(), extensions.session_scope() as session:
        return list(session.scalars(select(accounts.AuditEvent.action).order_by(accounts.AuditEvent.id)))


def test_after_five_wrong_passwords_the_right_one_waits(app, anonymous, secretary):
    """The sixth attempt within a minute is 429 with Retry-After, the right password too; audited."""
    for _ in range(5):
        assert _attempt(anonymous, "sai-rồi").status_code == 401
    refused = _attempt(anonymous, PASSWORD)
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert "thử lại sau" in refused.get_data(as_text=True)
    assert anonymous.get("/hoi-nghi").status_code == 302  # not signed in
    assert _actions(app).count("login-failed") == 5 and "login-locked" in _actions(app)


def test_the_lock_of_an_account_holds_from_another_address(app, anonymous, secretary):
    """Changing address does not reset the account's count."""
    for number in range(5):
        _attempt(anonymous, "sai-rồi", address=f"10.0.0.{number + 1}")
    assert _attempt(app.test_client(), PASSWORD, address="10.9.9.9").status_code == 429


def test_an_address_trying_many_accounts_is_throttled(app, anonymous, secretary):
    """Wrong passwords for many usernames from one address lock that address, not the others."""
    app.config["LOGIN_LIMITS_ADDRESS"] = "4 per minute"
    for number in range(4):
        assert _attempt(anonymous, "sai", username=f"khach-{number}").status_code == 401
    assert _attempt(anonymous, PASSWORD).status_code == 429
    assert _attempt(app.test_client(), PASSWORD, address="10.0.0.2").status_code == 303


def test_the_wait_grows_with_the_failures(app, anonymous, secretary, monkeypatch):
    """Past the first window the next ones hold: after 10 failures the wait is minutes, not one."""
    start = time.time()
    for number in range(10):  # 5 a minute apart from each other: the per-minute window passes
        monkeypatch.setattr(time, "time", lambda n=number: start + (n // 5) * 61)
        _attempt(anonymous, "sai-rồi")
    monkeypatch.setattr(time, "time", lambda: start + 3 * 61)
    refused = _attempt(anonymous, PASSWORD)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 60


def test_a_success_clears_the_account_s_count(app, anonymous, secretary):
    """Four wrong, one right: the next wrong ones start counting again from zero."""
    for _ in range(4):
        _attempt(anonymous, "sai-rồi")
    assert _attempt(anonymous, PASSWORD).status_code == 303
    client = app.test_client()
    for _ in range(4):
        assert _attempt(client, "sai-rồi").status_code == 401
    assert _attempt(client, PASSWORD).status_code == 303


def test_refused_tokens_are_throttled_with_a_429_problem_and_a_valid_token_still_works(app, secretary):
    """Wrong tokens end in a Vietnamese 429 problem with Retry-After; the valid token is never
    refused by the lock (the probe saw a locked address refuse valid tokens too)."""
    token_id = secretary.split("_")[1]
    client = app.test_client()
    for _ in range(5):
        wrong = client.get("/api/v1/jobs", headers={"Authorization": f"Bearer chibo_{token_id}_sai"})
        assert wrong.status_code == 401
    refused = client.get("/api/v1/jobs", headers={"Authorization": f"Bearer chibo_{token_id}_sai"})
    assert refused.status_code == 429 and refused.mimetype == "application/problem+json"
    body = refused.get_json()
    assert body["type"] == "/problems/too-many-attempts" and "thử lại sau" in body["detail"]
    assert int(refused.headers["Retry-After"]) == body["retry_after"]
    assert "token-refused" in _actions(app) and "login-locked" in _actions(app)
    assert client.get("/api/v1/jobs", headers={"Authorization": f"Bearer {secretary}"}).status_code == 200


@pytest.fixture(name="redis_url", scope="module")
def _redis_url(tmp_path_factory):
    """A Redis of this module's own (the throttle's Lua script runs in it)."""
    from service.cli import stack
    from service.conversion.office import free_port

    url = f"redis://127.0.0.1:{free_port()}/0"
    process = stack.start_redis(url, tmp_path_factory.mktemp("redis"))
    yield url
    stack.stop(process)


@pytest.mark.parametrize("store", ["redis", "memory"])
def test_forty_wrong_passwords_at_once_against_five_have_five_checked(tmp_path, secretary, monkeypatch,
                                                                       redis_url, store):
    """40 simultaneous wrong passwords, limit 5: at most 5 reach the password check (the probe saw
    17); the other 35 are 429s. One Lua script per attempt in Redis; a lock in memory."""
    from service import create_app

    app = create_app({"TESTING": True, "DATA_DIR": str(tmp_path / "v"), "REDIS_URL": "redis://127.0.0.1:1/0",
                      "THROTTLE_STORAGE_URI": redis_url if store == "redis" else "memory://",
                      "LOGIN_LIMITS_ADDRESS": "1000 per minute"})
    people.token(app, role="chi_bo", org="Chi bộ thôn 1", password=PASSWORD, username="bithu")
    checked = []
    real = accounts.check_password

    def counting(*args, **kwargs):
        checked.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(accounts, "check_password", counting)
    clients = [app.test_client() for _ in range(40)]
    forms = [_form(client) for client in clients]
    start = threading.Barrier(40)

    def send(pair):
        client, csrf = pair
        start.wait()
        return client.post("/dang-nhap", data={"username": "bithu", "password": "sai", "csrf_token": csrf},
                           environ_base={"REMOTE_ADDR": "10.0.0.7"}).status_code

    with ThreadPoolExecutor(40) as pool:
        codes = list(pool.map(send, zip(clients, forms, strict=True)))
    assert len(checked) <= 5 and codes.count(401) == len(checked), (len(checked), sorted(codes))
    assert codes.count(429) == 40 - len(checked)
    extensions.dispose(app)


def _form(client) -> str:
    page = client.get("/dang-nhap").get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def test_the_password_change_form_is_throttled_too(app, secretary):
    """Wrong old passwords on "Đổi mật khẩu" count like wrong logins: the sixth waits (429)."""
    client = app.test_client()
    assert _attempt(client, PASSWORD).status_code == 303
    csrf = re.search(r'name="csrf_token" value="([^"]+)"',
                     client.get("/doi-mat-khau").get_data(as_text=True)).group(1)
    new = "mật-khẩu-mới-456"
    form = {"old_password": "sai-rồi", "new_password": new, "new_password_again": new, "csrf_token": csrf}
    codes = [client.post("/doi-mat-khau", data=form, environ_base={"REMOTE_ADDR": "10.0.0.1"}).status_code
             for _ in range(6)]
    assert codes == [401] * 5 + [429]
    assert "password-change-failed" in _actions(app) and "login-locked" in _actions(app)


def test_without_redis_the_throttle_counts_in_memory(tmp_path, secretary):
    """A Redis that does not answer: logins still work and wrong ones are still counted."""
    from service import create_app

    app = create_app({"TESTING": True, "DATA_DIR": str(tmp_path / "v"), "REDIS_URL": "redis://127.0.0.1:1/0"})
    people.token(app, role="chi_bo", org="Chi bộ thôn 1", password=PASSWORD, username="bithu")
    client = app.test_client()
    started = time.monotonic()
    for _ in range(5):
        assert _attempt(client, "sai").status_code == 401
    assert time.monotonic() - started < 5  # the store is not asked again for every window
    assert _attempt(client, PASSWORD).status_code == 429
    extensions.dispose(app)
