"""What the worker hands LibreOffice's launcher: its account, its environment, its socket."""

from __future__ import annotations

import importlib.util

import pytest

from service.conversion import office, rpc
from service.errors import ConverterUnavailableError


def test_the_environment_keeps_locale_and_path_and_drops_the_secrets(tmp_path):
    """SECRET_KEY, DATABASE_URL and S3 keys stay behind; home and temp are the private folder."""
    environ = {"PATH": "/usr/bin", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "SECRET_KEY": "x",
               "DATABASE_URL": "postgresql://u:p@h/d", "S3_SECRET_ACCESS_KEY": "y", "HOME": "/root"}
    assert office.office_environment(tmp_path, environ) == {
        "PATH": "/usr/bin", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "HOME": str(tmp_path),
        "TMPDIR": str(tmp_path / "tmp")}


def test_a_root_worker_refuses_to_convert_without_the_office_user(monkeypatch):
    """As root, a missing OFFICE_USER is an error naming the fix, never LibreOffice as root."""
    monkeypatch.setattr(office.os, "geteuid", lambda: 0)
    with pytest.raises(ConverterUnavailableError, match=r"run\.sh install"):
        office.office_account("chibo-khong-co-nguoi-dung-nay")


def test_a_worker_that_is_not_root_runs_libreoffice_as_itself(monkeypatch):
    """Not root: no account to switch to, whatever OFFICE_USER says."""
    monkeypatch.setattr(office.os, "geteuid", lambda: 1000)
    assert office.office_account("chibo-office") is None


def test_a_missing_socket_does_not_answer(tmp_path):
    """No launcher listening: the health ping says no, it does not raise."""
    assert rpc.answers(tmp_path / "rpc.sock") is False


def test_the_office_user_is_never_root(monkeypatch):
    """OFFICE_USER=root would make the separation void: the launcher refuses it."""
    spec = importlib.util.spec_from_file_location("sandbox", office.SANDBOX)
    assert spec and spec.loader
    sandbox = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(sandbox)
    monkeypatch.setattr(sandbox.os, "setuid", lambda _: pytest.fail("setuid called"))
    with pytest.raises(PermissionError, match="root"):
        sandbox.drop_to("root")
