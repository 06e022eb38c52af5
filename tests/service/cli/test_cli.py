"""`chibo db`: the migrations of DATABASE_URL from the command line."""

from __future__ import annotations

from service import migrations
from service.cli import main


def test_db_upgrade_then_current_shows_head(empty_database_url, tmp_path, monkeypatch, capsys):
    """`chibo db upgrade` migrates an empty database and `chibo db current` shows it at head."""
    monkeypatch.setenv("DATABASE_URL", empty_database_url)
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "var"))
    assert main(["db", "current"]) == 0
    assert capsys.readouterr().out.startswith("trống  ")
    assert main(["db", "upgrade"]) == 0
    assert capsys.readouterr().out.startswith(f"trống → {migrations.head()} (head)  ")
    assert main(["db", "current"]) == 0
    assert capsys.readouterr().out.startswith(f"{migrations.head()} (head)  ")


def test_db_current_names_an_unreachable_database(tmp_path, monkeypatch, capsys):
    """A database that does not answer exits 1 with its URL, password hidden."""
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://chibo:secret@127.0.0.1:1/chibo")
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "var"))
    assert main(["db", "current"]) == 1
    error = capsys.readouterr().err
    assert "postgresql+psycopg://chibo:***@127.0.0.1:1/chibo" in error and "secret" not in error
