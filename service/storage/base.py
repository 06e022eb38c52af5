"""The storage protocol and the key layout every backend shares.

Keys are relative, slash-separated paths such as ``jobs/<job id>/bien_ban_kiem_diem.pdf``,
checked the same way by every backend; a write is all or nothing (temp file + rename; one
S3 PUT), so a reader never sees half a document and a re-run task simply replaces the same key.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import IO, Protocol
from urllib.parse import quote

from service.meetings.vnformat import fold


class Storage(Protocol):
    """A flat store of bytes by key."""

    def put(self, key: str, data: bytes) -> None:
        """Store *data* under *key*, replacing what was there."""
        ...

    def get(self, key: str) -> bytes:
        """Return the bytes under *key*; raise NotFoundError when there are none."""
        ...

    def put_file(self, key: str, path: Path) -> None:
        """Store the file at *path* under *key*, streamed (never whole in memory)."""
        ...

    def open(self, key: str) -> IO[bytes]:
        """A stream of the bytes under *key* (close it); raise NotFoundError when there are none."""
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

    def listing(self, folder: str) -> Iterator[tuple[str, datetime]]:
        """Every key under *folder* (``jobs``) and when it was last written (naive UTC)."""
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
    plain = fold(filename, keep_case=True)
    plain = "".join(c for c in plain if c.isprintable() and c not in '"\\') or "download"
    kind = "attachment" if as_attachment else "inline"
    return f"{kind}; filename=\"{plain}\"; filename*=UTF-8''{quote(filename, safe='')}"
