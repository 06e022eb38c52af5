"""The Redis `chibo up` runs itself: a generated password, kept 0600, never on a command line."""

from __future__ import annotations

import os
import subprocess

import pytest
from redis import Redis
from redis.exceptions import AuthenticationError, ResponseError

from service.cli import stack
from service.conversion.office import free_port


@pytest.fixture(name="own_redis", scope="module")
def _own_redis(tmp_path_factory):
    """The Redis `chibo up` would start for a loopback URL without a password (one per module)."""
    data_dir = tmp_path_factory.mktemp("var")
    url = f"redis://127.0.0.1:{free_port()}/0"
    guarded, start = stack.own_redis(url, data_dir)
    assert start and guarded != url
    password = stack.redis_password(data_dir)
    process = stack.start_redis(url, data_dir / "redis", password)
    yield url, guarded, data_dir, process
    stack.stop(process)


def test_the_password_is_kept_private_and_off_the_command_line(own_redis):
    """DATA_DIR/redis-password is 0600; `ps` shows no password; the URL of the roles carries it."""
    url, guarded, data_dir, process = own_redis
    path = data_dir / "redis-password"
    assert path.stat().st_mode & 0o777 == 0o600
    assert (data_dir / "redis" / "redis.conf").stat().st_mode & 0o077 == 0
    password = path.read_text().strip()
    assert len(password) >= 32 and password in guarded
    command_line = subprocess.run(["ps", "-o", "args=", "-p", str(process.pid)], capture_output=True,
                                  text=True, check=True).stdout
    assert password not in command_line
    assert stack.own_redis(url, data_dir) == (guarded, False)  # the next `chibo up` finds it


@pytest.mark.parametrize("command", [("KEYS", "*"), ("FLUSHALL",), ("PUBLISH", "celery.pidbox", "x"),
                                     ("GET", "LIMITS:LIMITER/login")])
def test_a_client_without_the_password_reads_clears_and_sends_nothing(own_redis, command):
    """Another local user's client: every command, a Celery broadcast or clearing the login counters
    included, is refused; with the password the same command works."""
    url, guarded, _, _ = own_redis
    with pytest.raises((AuthenticationError, ResponseError), match=r"(?i)auth"):
        Redis.from_url(url, socket_timeout=5).execute_command(*command)
    Redis.from_url(guarded, socket_timeout=5).execute_command(*command)


def test_a_passwordless_redis_already_there_is_used_with_a_warning(tmp_path, capsys):
    """Someone else's Redis without a password on the port: used as it is, and said so."""
    url = f"redis://127.0.0.1:{free_port()}/0"
    process = stack.start_redis(url, tmp_path / "redis")
    try:
        assert stack.own_redis(url, tmp_path / "var") == (url, False)
        assert "không có mật khẩu" in capsys.readouterr().err
    finally:
        stack.stop(process)


def test_an_operators_redis_url_is_used_as_given(tmp_path):
    """A URL with a password, or on another host, is never changed."""
    given = "redis://:secret@127.0.0.1:1/0"
    assert stack.own_redis(given, tmp_path)[0] == given
    assert os.listdir(tmp_path) == []
