"""Where inputs and finished documents are kept, behind a small protocol.

``LocalStorage`` keeps files under one folder (``STORAGE_PATH``); an S3 backend can take
its place without touching views or tasks. Keys are relative, slash-separated paths such
as ``jobs/<job id>/bien_ban_kiem_diem.pdf``; writes are atomic (temp file + rename), so a
reader never sees half a document and a re-run task simply replaces the same key.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path, PurePosixPath
from typing import Protocol

from flask import Flask, current_app

from service.errors import NotFoundError


class Storage(Protocol):
    """A flat store of bytes by key."""

    def put(self, key: str, data: bytes) -> None:
        """Store *data* under *key*, replacing what was there."""
        ...

    def get(self, key: str) -> bytes:
        """Return the bytes under *key*; raise NotFoundError when there are none."""
        ...

    def exists(self, key: str) -> bool:
        """True when *key* holds data."""
        ...

    def delete(self, key: str) -> None:
        """Remove *key* if present."""
        ...


class LocalStorage:
    """Files under a root folder on this machine."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root).resolve()
        self.root.mkdir(parents=True, exist_ok=True)

    def path(self, key: str) -> Path:
        """The file a key maps to; refuses keys that would leave the root."""
        parts = PurePosixPath(key).parts
        if not parts or key.startswith("/") or any(p in ("..", ".", "") for p in parts):
            raise ValueError(f"invalid storage key: {key!r}")
        return self.root.joinpath(*parts)

    def put(self, key: str, data: bytes) -> None:
        """Write atomically: a temp file in the same folder, then rename."""
        target = self.path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def get(self, key: str) -> bytes:
        """Read the bytes under *key*."""
        try:
            return self.path(key).read_bytes()
        except FileNotFoundError as exc:
            raise NotFoundError("Không tìm thấy tệp đã lưu.") from exc

    def exists(self, key: str) -> bool:
        """True when the file exists."""
        return self.path(key).is_file()

    def delete(self, key: str) -> None:
        """Remove the file if present."""
        self.path(key).unlink(missing_ok=True)


def init_app(app: Flask) -> None:
    """Build the configured backend and keep it in ``app.extensions``."""
    backend = app.config["STORAGE_BACKEND"]
    if backend != "local":
        raise ValueError(f"unknown STORAGE_BACKEND {backend!r} (supported: local)")
    app.extensions["storage"] = LocalStorage(app.config["STORAGE_PATH"])


def get_storage() -> Storage:
    """The storage of the current app."""
    storage: Storage = current_app.extensions["storage"]
    return storage
