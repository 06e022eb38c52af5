"""`chibo db` (the migrations of DATABASE_URL) and `chibo render`: its checks, its warnings."""

from __future__ import annotations

import contextlib
import json
import os
from datetime import date, timedelta

from service import migrations
from service.cli import main
from service.conversion import converter, office
from tests.support.factories import SAMPLES, meeting_payload
from tests.support.fakes import FakeConverter


def fake_office(monkeypatch):
    """LibreOffice replaced by a converter answering a blank page (the real one: tests/integration)."""
    monkeypatch.setattr(office, "OfficeProcess", lambda *a, **k: contextlib.nullcontext())
    monkeypatch.setattr(converter, "UnoserverConverter", lambda _office, **_: FakeConverter())


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


def test_render_prints_every_warning(tmp_path, monkeypatch, capsys):
    """`chibo render` of an incomplete meeting prints each warning after the files it wrote."""
    fake_office(monkeypatch)
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "var"))
    sample = SAMPLES / "annual_review_2025_incomplete.json"
    assert main(["render", str(sample), "-o", str(tmp_path / "out"),
                 "--documents", "bien_ban_kiem_diem"]) == 0
    lines = capsys.readouterr().out.splitlines()
    warnings = [line for line in lines if line.startswith("Lưu ý: ")]
    assert warnings == [
        "Lưu ý: Đồng chí Ngô Văn Đức: chưa nhập số phiếu.",
        "Lưu ý: Đồng chí Lý Văn Sơn chưa có kết quả đánh giá, xếp loại và không có lý do không "
        "đánh giá, xếp loại (mới kết nạp, ốm đau dài ngày…): hãy nhập kết quả hoặc lý do.",
        "Lưu ý: Số đảng viên được đề nghị \"Hoàn thành xuất sắc nhiệm vụ\" (02) vượt 20% số đảng "
        "viên \"Hoàn thành tốt nhiệm vụ\" (05): tối đa 01; cấp có thẩm quyền xem xét, quyết định.",
    ]
    assert lines[-len(warnings):] == warnings


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


def test_chibo_writes_private_files_and_gives_the_umask_back(tmp_path, monkeypatch):
    """A file `chibo` writes is 0600 under umask 022, and the caller's umask is restored."""
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "var"))
    previous = os.umask(0o022)
    try:
        assert main(["workbook", str(tmp_path / "mau.xlsx")]) == 0
        assert os.umask(0o022) == 0o022
    finally:
        os.umask(previous)
    assert (tmp_path / "mau.xlsx").stat().st_mode & 0o777 == 0o600
