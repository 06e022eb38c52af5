"""How messages name the `chibo` command: as it can be typed on this machine."""

from __future__ import annotations

import sys

from service import create_app
from service.cli import names, stack


def test_not_on_path_it_is_the_venv_path(monkeypatch, tmp_path):
    """Run as .venv/bin/chibo from the project folder, messages say `.venv/bin/chibo`."""
    monkeypatch.setattr(names.shutil, "which", lambda name: None)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "argv", [str(tmp_path / ".venv" / "bin" / "chibo"), "admin"])
    assert names.chibo() == ".venv/bin/chibo"


def test_on_path_it_is_chibo(monkeypatch):
    """Where `chibo` is on PATH (the Docker image), messages say `chibo`."""
    monkeypatch.setattr(names.shutil, "which", lambda name: "/usr/local/bin/chibo")
    assert names.chibo() == "chibo"


def test_the_first_admin_message_names_a_command_that_can_be_typed(monkeypatch, capsys, tmp_path):
    """`chibo up`'s first-run line tells how to add users with `.venv/bin/chibo admin`."""
    monkeypatch.setattr(names.shutil, "which", lambda name: None)
    monkeypatch.setattr(sys, "argv", ["python"])
    app = create_app({"TESTING": True, "DATA_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path}/d.db"})
    stack.first_run_token(app)
    assert "`.venv/bin/chibo admin user …`" in capsys.readouterr().out
