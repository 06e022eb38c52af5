"""Files under one folder on this machine (``STORAGE_BACKEND=local``, ``STORAGE_PATH``)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from service.errors import NotFoundError
from service.storage.base import key_parts


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

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> LocalStorage:
        """The folder ``STORAGE_PATH``."""
        return cls(config["STORAGE_PATH"])
