"""Where inputs and finished documents are kept, behind a small protocol.

``STORAGE_BACKEND`` picks the backend: ``LocalStorage`` keeps files under one folder
(``STORAGE_PATH``); ``S3Storage`` (``service.storage_s3``) keeps them in a bucket that
workers on other machines can share. Views and tasks see only ``Storage``. Keys are
relative, slash-separated paths such as ``jobs/<job id>/bien_ban_kiem_diem.pdf``, checked
the same way by every backend; a write is all or nothing (temp file + rename; one S3 PUT),
so a reader never sees half a document and a re-run task simply replaces the same key.
"""

from __future__ import annotations

import logging
import os
import tempfile
import unicodedata
from pathlib import Path, PurePosixPath
from typing import Protocol
from urllib.parse import quote

from flask import Flask, current_app

from service.errors import NotFoundError, StorageError

logger = logging.getLogger(__name__)


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

    def url_for_download(self, key: str, filename: str, mimetype: str, *,
                         as_attachment: bool) -> str | None:
        """A short-lived URL the browser can fetch *key* from, or None: stream it instead."""
        ...


def key_parts(key: str) -> tuple[str, ...]:
    """The parts of a storage key; refuses keys that are absolute or climb with ``..``."""
    parts = PurePosixPath(key).parts
    if not parts or key.startswith("/") or any(p in ("..", ".", "") for p in parts):
        raise ValueError(f"invalid storage key: {key!r}")
    return parts


def content_disposition(filename: str, *, as_attachment: bool) -> str:
    """``inline; filename="bien-ban.pdf"; filename*=UTF-8''…``: an ASCII name and the real one.

    The ASCII fallback drops the diacritics (``đ`` → ``d``); RFC 5987's ``filename*`` keeps
    the Vietnamese name for every current browser.
    """
    plain = filename.replace("đ", "d").replace("Đ", "D")
    plain = unicodedata.normalize("NFKD", plain).encode("ascii", "ignore").decode()
    plain = "".join(c for c in plain if c.isprintable() and c not in '"\\') or "download"
    kind = "attachment" if as_attachment else "inline"
    return f"{kind}; filename=\"{plain}\"; filename*=UTF-8''{quote(filename, safe='')}"


class LocalStorage:
    """Files under a root folder on this machine."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root).resolve()
        self.root.mkdir(parents=True, exist_ok=True)

    def path(self, key: str) -> Path:
        """The file a key maps to; refuses keys that would leave the root."""
        return self.root.joinpath(*key_parts(key))

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
        """Remove the file if present, and the folders it leaves empty (never the root)."""
        path = self.path(key)
        path.unlink(missing_ok=True)
        for folder in path.parents:
            if folder == self.root or not folder.is_relative_to(self.root):
                break
            try:
                folder.rmdir()
            except OSError:  # not empty (or already gone): the folders above are not empty either
                break

    def url_for_download(self, key: str, filename: str, mimetype: str, *,
                         as_attachment: bool) -> str | None:
        """None: files on this machine are streamed by the web node."""
        return None


def init_app(app: Flask) -> None:
    """Build the configured backend and keep it in ``app.extensions``."""
    backend = app.config["STORAGE_BACKEND"]
    if backend == "local":
        app.extensions["storage"] = LocalStorage(app.config["STORAGE_PATH"])
    elif backend == "s3":
        from service.storage_s3 import S3Storage

        storage = S3Storage.from_config(app.config)
        if app.config["S3_CREATE_BUCKET"]:
            try:
                storage.ensure_bucket()
            except StorageError as exc:  # store not up yet, or HEAD not allowed: the first
                logger.warning("S3 bucket not checked at startup: %s", exc.detail)  # write tells
        app.extensions["storage"] = storage
    else:
        raise ValueError(f"unknown STORAGE_BACKEND {backend!r} (supported: local, s3)")


def get_storage() -> Storage:
    """The storage of the current app."""
    storage: Storage = current_app.extensions["storage"]
    return storage
