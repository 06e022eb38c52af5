"""Where inputs and finished documents are kept, behind a small protocol.

``STORAGE_BACKEND`` picks the backend from ``BACKENDS``: ``local`` keeps files under one
folder (``STORAGE_PATH``, ``storage/local.py``); ``s3`` keeps them in a bucket that workers on
other machines can share (``storage/s3.py``). Views and tasks see only ``Storage``
(``storage/base.py``, with the key layout every backend checks). A new backend is a module
here with a ``from_config(config)`` class method, and one line in ``BACKENDS``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from service.errors import StorageError
from service.storage.base import Storage, content_disposition, key_parts
from service.storage.local import LocalStorage
from service.storage.s3 import S3Storage

logger = logging.getLogger(__name__)

BACKENDS: dict[str, Callable[[Mapping[str, Any]], Storage]] = {
    "local": LocalStorage.from_config,
    "s3": S3Storage.from_config,
}

__all__ = ["BACKENDS", "LocalStorage", "S3Storage", "Storage", "content_disposition", "from_config",
           "key_parts"]


def from_config(config: Mapping[str, Any]) -> Storage:
    """The backend ``STORAGE_BACKEND`` names, built from the settings."""
    backend = config["STORAGE_BACKEND"]
    if backend not in BACKENDS:
        raise ValueError(f"unknown STORAGE_BACKEND {backend!r} (supported: {', '.join(BACKENDS)})")
    storage = BACKENDS[backend](config)
    if isinstance(storage, S3Storage) and config["S3_CREATE_BUCKET"]:
        try:
            storage.ensure_bucket()
        except StorageError as exc:  # store not up yet, or HEAD not allowed: the first
            logger.warning("S3 bucket not checked at startup: %s", exc.detail)  # write tells
    return storage
