"""The web role as it runs (gunicorn gthread): slow clients, header limits, headers, shared throttle."""

from __future__ import annotations

import re
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher

from service import create_app, extensions
from service.accounts import users
from service.cli import stack
from service.conversion.office import free_port
from tests.integration.conftest import environment
from tests.support import people

pytestmark = pytest.mark.integration


@pytest.fixture(name="web", scope="module")
def _web(stack_config: dict[str, Any], stack_dir: Path) -> Iterator[str]:
    """The web role on a free loopback port (2 processes, as by default), its address."""
    port = free_port()
    process = stack.start_web(environment(stack_config), port, stack_dir / "web.log")
    url = f"http://127.0.0.1:{port}"
    stack.wait_until(lambda: _answers(url), 60, "the web role")
    yield url
    stack.stop(process)


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/dang-nhap", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def _half_open(url: str, count: int) -> list[socket.socket]:
    """*count* connections: half send nothing, half a request line and part of a header, never ended."""
    port = int(url.rsplit(":", 1)[1])
    held = []
    for number in range(count):
        sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        if number % 2:
            sock.sendall(b"GET /dang-nhap HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: a")
        held.append(sock)
    return held


def test_half_open_connections_do_not_stall_a_normal_request(web):
    """Six half-open connections held open: requests still answer within a second each."""
    held = _half_open(web, 6)
    try:
        time.sleep(0.3)  # let gunicorn accept them all
        for _ in range(4):
            started = time.monotonic()
            with urllib.request.urlopen(f"{web}/dang-nhap", timeout=10) as response:
                assert response.status == 200
            assert time.monotonic() - started < 1.0
    finally:
        for sock in held:
            sock.close()


def test_two_hundred_idle_connections_do_not_slow_a_normal_request(web):
    """200 connections that send nothing (issue #31, 6: 17–48 s): a request still answers in < 2 s."""
    port = int(web.rsplit(":", 1)[1])
    held = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(200)]
    try:
        time.sleep(0.5)  # every one accepted, as the probe's were
        for _ in range(3):
            started = time.monotonic()
            with urllib.request.urlopen(f"{web}/dang-nhap", timeout=30) as response:
                assert response.status == 200
            assert time.monotonic() - started < 2.0
    finally:
        for sock in held:
            sock.close()


def test_an_oversized_header_or_request_line_is_refused(web):
    """A 10 KB header (431) or a 5 KB request line (414) is refused by the server; the next is served."""
    for request in (urllib.request.Request(f"{web}/dang-nhap", headers={"X-Big": "a" * 10_000}),
                    urllib.request.Request(f"{web}/dang-nhap?x={'a' * 5000}")):
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=5)
        assert refused.value.code in (414, 431)
    assert _answers(web)


def test_pages_of_the_running_server_carry_the_security_headers(web):
    """The login page, served by gunicorn, has the CSP, frame, sniffing, referrer and no-store headers."""
    with urllib.request.urlopen(f"{web}/dang-nhap", timeout=5) as response:
        headers = response.headers
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY" and headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin" and headers["Cache-Control"] == "no-store"


def _attempt(client, password: str):
    csrf = re.search(r'name="csrf_token" value="([^"]+)"',
                     client.get("/dang-nhap").get_data(as_text=True)).group(1)
    return client.post("/dang-nhap", data={"username": "bithu-redis", "password": password,
                                           "csrf_token": csrf})


def test_two_web_nodes_share_the_failures_through_redis(stack_config, monkeypatch):
    """Wrong passwords on one web node lock the account on another: the counts are in Redis."""
    monkeypatch.setattr(users, "_HASHER", PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1))
    first, second = (create_app({"TESTING": True, **stack_config}) for _ in range(2))
    assert first.extensions["throttle"]["redis"].ping()  # a real Redis answers
    people.token(first, role="chi_bo", org="Chi bộ thôn Redis", password="đúng-mật-khẩu",
                 username="bithu-redis")
    try:
        for _ in range(5):
            assert _attempt(first.test_client(), "sai").status_code == 401
        assert _attempt(second.test_client(), "đúng-mật-khẩu").status_code == 429
    finally:
        redis = first.extensions["throttle"]["redis"]
        for key in redis.scan_iter("chibo:throttle:*"):
            redis.delete(key)
        for app in (first, second):
            extensions.dispose(app)
