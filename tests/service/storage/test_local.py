"""LocalStorage against a real temporary folder."""

from __future__ import annotations

import os
import subprocess

import pytest

from service.errors import NotFoundError
from service.storage import LocalStorage, content_disposition


def test_put_get_round_trip(tmp_path):
    """Bytes come back as stored, under nested keys."""
    storage = LocalStorage(tmp_path)
    storage.put("jobs/a/b.pdf", b"%PDF-x")
    assert storage.get("jobs/a/b.pdf") == b"%PDF-x"
    assert storage.exists("jobs/a/b.pdf")


def test_missing_key_is_not_found(tmp_path):
    """An absent key raises NotFoundError."""
    with pytest.raises(NotFoundError):
        LocalStorage(tmp_path).get("nope")


@pytest.mark.parametrize("key", ["../escape", "/etc/passwd", "a/../../b", ""])
def test_keys_cannot_leave_the_root(tmp_path, key):
    """Keys with .. or an absolute path are refused."""
    with pytest.raises(ValueError):
        LocalStorage(tmp_path).put(key, b"x")


def test_put_replaces_atomically(tmp_path):
    """A second put replaces the file and leaves no temp files behind."""
    storage = LocalStorage(tmp_path)
    storage.put("k", b"one")
    storage.put("k", b"two")
    assert storage.get("k") == b"two"
    assert [p.name for p in tmp_path.iterdir()] == ["k"]


def test_local_storage_gives_no_download_url(tmp_path):
    """Files on this machine are streamed by the web node: no URL."""
    storage = LocalStorage(tmp_path)
    assert storage.url_for_download("k", "k.pdf", "application/pdf", as_attachment=False) is None


def test_content_disposition_keeps_the_vietnamese_name():
    """An ASCII fallback without diacritics, and the UTF-8 name as RFC 5987 filename*."""
    assert content_disposition("Biên bản đảng ủy.pdf", as_attachment=False) == (
        "inline; filename=\"Bien ban dang uy.pdf\"; "
        "filename*=UTF-8''Bi%C3%AAn%20b%E1%BA%A3n%20%C4%91%E1%BA%A3ng%20%E1%BB%A7y.pdf")
    assert content_disposition("a.docx", as_attachment=True).startswith('attachment; filename="a.docx"')


def test_delete_removes_the_folders_it_empties(tmp_path):
    """Deleting the last file of a job removes its folder; the root and busy folders stay."""
    storage = LocalStorage(tmp_path / "root")
    storage.put("jobs/a/x.pdf", b"1")
    storage.put("jobs/b/y.pdf", b"2")
    storage.delete("jobs/a/x.pdf")
    assert not (tmp_path / "root" / "jobs" / "a").exists()
    assert (tmp_path / "root" / "jobs" / "b" / "y.pdf").exists()
    storage.delete("jobs/b/y.pdf")
    assert (tmp_path / "root").is_dir()


def test_folders_are_private_whatever_the_umask(tmp_path):
    """Under umask 022 the root and each folder made are 0700, the file 0600 (names hold members)."""
    previous = os.umask(0o022)
    try:
        storage = LocalStorage(tmp_path / "store")
        storage.put("jobs/a/ban-kiem-diem.pdf", b"%PDF-x")
    finally:
        os.umask(previous)
    for folder in (tmp_path / "store", tmp_path / "store" / "jobs", tmp_path / "store" / "jobs" / "a"):
        assert folder.stat().st_mode & 0o777 == 0o700, folder
    assert (tmp_path / "store" / "jobs" / "a" / "ban-kiem-diem.pdf").stat().st_mode & 0o777 == 0o600


def test_an_open_root_of_this_user_is_closed(tmp_path):
    """A storage folder left 0755 by an older version is 0700 once opened."""
    (tmp_path / "store").mkdir(mode=0o755)
    (tmp_path / "store").chmod(0o755)
    LocalStorage(tmp_path / "store")
    assert (tmp_path / "store").stat().st_mode & 0o777 == 0o700


def test_a_write_removes_what_a_killed_writer_left_in_its_folder(tmp_path):
    """A temp file of a process that is gone (killed mid-write) goes at the next write there;
    one of a live process stays (it may still be writing)."""
    storage = LocalStorage(tmp_path)
    storage.put("jobs/a/goi/x.zip", b"1")
    folder = tmp_path / "jobs" / "a" / "goi"
    gone = folder / f".tmp-{_ended_pid()}-abc"
    live = folder / f".tmp-{os.getppid()}-def"
    gone.write_bytes(b"half")
    live.write_bytes(b"half")
    storage.put("jobs/a/goi/y.zip", b"2")
    assert sorted(p.name for p in folder.iterdir()) == [live.name, "x.zip", "y.zip"]


def _ended_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid
