"""`chibo db`: the migrations of DATABASE_URL from the command line; `chibo render`'s checks."""

from __future__ import annotations

import json
from datetime import date, timedelta

from service import migrations
from service.cli import main
from tests.factories import meeting_payload


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


def test_render_refuses_a_meeting_further_ahead_than_the_setting(tmp_path, monkeypatch, capsys):
    """`chibo render` checks the date against today and MEETING_DAYS_AHEAD, writing nothing."""
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("MEETING_DAYS_AHEAD", "2")
    day = date.today() + timedelta(days=3)
    data = meeting_payload(review_year=day.year, start=f"{day}T14:00:00", end=f"{day}T17:00:00")
    meeting = tmp_path / "meeting.json"
    meeting.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert main(["render", str(meeting), "-o", str(tmp_path / "out")]) == 2
    assert "start: Ngày họp" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
