"""LocalStorage against a real temporary folder."""

from __future__ import annotations

import pytest

from service.errors import NotFoundError
from service.storage import LocalStorage


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
