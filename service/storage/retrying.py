"""A store that waits out a transient write error: read-only for a while, full, 5xx, throttled.

Workers write through ``RetryingStorage``: a ``StorageUnavailableError`` of ``put`` or
``delete`` (``local``: EROFS, ENOSPC, EDQUOT, EIO; ``s3``: no answer, 5xx, SlowDown) is tried
again after 0.5 s, 1 s, 2 s … (each pause at most ``cap`` seconds) until ``window`` seconds have
gone by; only then is it raised, and the task's own retries take over. A permanent refusal
(``StorageError``: permissions, a missing bucket) is raised at once and fails the document.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from typing import Any

from service.errors import StorageUnavailableError
from service.storage.base import Storage

logger = logging.getLogger(__name__)


class RetryingStorage:
    """*inner* with its writes retried with backoff for up to *window* seconds."""

    def __init__(self, inner: Storage, window: float, cap: float = 8.0,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.inner, self.window, self.cap, self._sleep = inner, window, cap, sleep

    def _patiently(self, what: str, key: str, call: Callable[[], None]) -> None:
        deadline = time.monotonic() + self.window
        pause = 0.5
        while True:
            try:
                call()
                return
            except StorageUnavailableError as exc:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise
                logger.warning("storage %s %s: %s; again in %.1f s", what, key, exc.detail, pause)
                self._sleep(min(pause, left))
                pause = min(pause * 2, self.cap)

    def put(self, key: str, data: bytes) -> None:
        """Store *data* under *key*, waiting out a transient error."""
        self._patiently("put", key, lambda: self.inner.put(key, data))

    def delete(self, key: str) -> None:
        """Remove *key*, waiting out a transient error."""
        self._patiently("delete", key, lambda: self.inner.delete(key))

    def get(self, key: str) -> bytes:
        """The bytes under *key* (reads are not retried here: the task retries them)."""
        return self.inner.get(key)

    def exists(self, key: str) -> bool:
        """True when *key* holds data."""
        return self.inner.exists(key)

    def url_for_download(self, key: str, filename: str, mimetype: str, *,
                         as_attachment: bool) -> str | None:
        """The inner store's download URL."""
        return self.inner.url_for_download(key, filename, mimetype, as_attachment=as_attachment)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)  # anything else the backend offers, as it is

    @classmethod
    def from_config(cls, inner: Storage, config: Mapping[str, Any]) -> RetryingStorage:
        """*inner* retried for ``STORAGE_RETRY_SECONDS``."""
        return cls(inner, float(config["STORAGE_RETRY_SECONDS"]))


def patient(inner: Storage, config: Mapping[str, Any]) -> Storage:
    """*inner* with its transient write errors waited out (``STORAGE_RETRY_SECONDS``; 0: not)."""
    if not config["STORAGE_RETRY_SECONDS"]:
        return inner
    return RetryingStorage.from_config(inner, config)
