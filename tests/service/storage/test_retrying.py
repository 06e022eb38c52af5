"""Storage writes that wait out a transient error: real files, a real read-only folder."""

from __future__ import annotations

import errno
import os
import subprocess
import threading
import time

import pytest

from service.errors import StorageError, StorageUnavailableError
from service.storage.local import LocalStorage
from service.storage.retrying import RetryingStorage, patient
from tests.support.fakes import MemoryStorage


class _Flaky(MemoryStorage):
    """Fails the first *failures* writes with *error*."""

    def __init__(self, failures: int, error: Exception) -> None:
        super().__init__()
        self.failures, self.error, self.tries = failures, error, 0

    def put(self, key: str, data: bytes) -> None:
        """Fail, then store."""
        self.tries += 1
        if self.tries <= self.failures:
            raise self.error
        super().put(key, data)


def test_a_transient_write_error_is_retried_with_growing_pauses():
    """Three refusals, then the write lands; the pauses double from 0.5 s."""
    pauses: list[float] = []
    inner = _Flaky(3, StorageUnavailableError("đầy"))
    RetryingStorage(inner, window=60, sleep=pauses.append).put("a", b"x")
    assert inner.files == {"a": b"x"} and pauses == [0.5, 1.0, 2.0]


def test_the_pauses_stop_growing_at_the_cap():
    """Backoff is capped: never more than *cap* seconds a pause."""
    pauses: list[float] = []
    RetryingStorage(_Flaky(6, StorageUnavailableError("đầy")), window=600, cap=3,
                    sleep=pauses.append).put("a", b"x")
    assert max(pauses) == 3 and pauses[-1] == 3


def test_a_transient_error_outlasting_the_window_is_raised():
    """After the window the error goes up, for the task's own retries."""
    with pytest.raises(StorageUnavailableError):
        RetryingStorage(_Flaky(10**6, StorageUnavailableError("đầy")), window=0.05,
                        sleep=time.sleep).put("a", b"x")


def test_a_permanent_error_is_raised_at_once():
    """A refusal that will not change (permissions) is not retried."""
    inner = _Flaky(1, StorageError("từ chối"))
    with pytest.raises(StorageError):
        RetryingStorage(inner, window=60, sleep=lambda _: None).put("a", b"x")
    assert inner.tries == 1


def test_no_window_means_the_store_itself():
    """STORAGE_RETRY_SECONDS=0 leaves the backend unwrapped."""
    inner = MemoryStorage()
    assert patient(inner, {"STORAGE_RETRY_SECONDS": 0}) is inner


def test_a_full_disk_is_transient_and_a_refusal_is_not(tmp_path, monkeypatch):
    """ENOSPC from the filesystem is StorageUnavailableError; EACCES is StorageError."""
    storage = LocalStorage(tmp_path)

    def fail(code):
        def replace(*_args):
            raise OSError(code, os.strerror(code))
        return replace

    monkeypatch.setattr(os, "replace", fail(errno.ENOSPC))
    with pytest.raises(StorageUnavailableError, match="sẽ thử lại"):
        storage.put("jobs/a/b.pdf", b"x")
    monkeypatch.setattr(os, "replace", fail(errno.EACCES))
    with pytest.raises(StorageError) as raised:
        storage.put("jobs/a/b.pdf", b"x")
    assert not isinstance(raised.value, StorageUnavailableError)
    assert not [p for p in tmp_path.rglob(".tmp-*")]


def _mount(*args: str) -> bool:
    return subprocess.run(["mount", *args], capture_output=True).returncode == 0


def test_a_folder_read_only_for_a_while_is_waited_out(tmp_path):
    """A real read-only bind mount for 1 s: the write fails with EROFS, waits, and lands."""
    root = tmp_path / "store"
    root.mkdir()
    if os.geteuid() != 0 or not _mount("--bind", str(root), str(root)):
        pytest.skip("needs root and mount (a read-only bind mount)")
    storage = RetryingStorage(LocalStorage(root), window=30)
    try:
        assert _mount("-o", "remount,ro,bind", str(root))
        threading.Timer(1.0, _mount, ("-o", "remount,rw,bind", str(root))).start()
        started = time.monotonic()
        storage.put("jobs/x/a.pdf", b"%PDF-")
        assert time.monotonic() - started >= 0.9
        assert (root / "jobs" / "x" / "a.pdf").read_bytes() == b"%PDF-"
    finally:
        subprocess.run(["umount", str(root)], capture_output=True)
