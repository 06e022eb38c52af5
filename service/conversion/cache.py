"""Conversions remembered by what they convert: a DOCX's content and the converter's settings.

The key is the SHA-256 of the converter's settings (its PDF export options: PDF/A-2b or not)
and of each part of the DOCX package, name and bytes, in name order — not of the ZIP file,
whose bytes carry the time it was written. The same document rendered again (a correction
that changed another document, a blank form, the same ballot twice) is laid out once: its PDF
comes from this process's memory (a bounded LRU) or from the store the workers share
(``conversions/<key>.pdf``, deleted after ``CONVERSION_CACHE_HOURS`` by the daily purge). A
document converted alone and inside a combined conversion is the same PDF page for page
(``combine``), so either may answer for the other. The store failing is a miss, never an error.
"""

from __future__ import annotations

import hashlib
import io
import logging
import threading
import zipfile
from collections import OrderedDict
from collections.abc import Sequence
from typing import Protocol

from service.errors import ServiceError

logger = logging.getLogger(__name__)
FOLDER = "conversions"
MEMORY_BYTES = 64 * 2**20  # PDFs kept in each process's memory
STORED_LIMIT = 8 * 2**20  # a larger PDF (a 2,000-member ballot) is kept in memory only


class Store(Protocol):
    """What the cache needs of the document store (``service.storage.Storage`` has it)."""

    def get(self, key: str) -> bytes:
        """The bytes under *key*; raise ``NotFoundError`` when there are none."""
        ...

    def put(self, key: str, data: bytes) -> None:
        """Store *data* under *key*."""
        ...


class _Memory:
    """PDFs by key, least recently used first out past *limit* bytes; shared by the threads."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.size = 0
        self.items: OrderedDict[str, bytes] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        with self.lock:
            found = self.items.get(key)
            if found is not None:
                self.items.move_to_end(key)
            return found

    def put(self, key: str, pdf: bytes) -> None:
        if len(pdf) > self.limit:
            return
        with self.lock:
            if key in self.items:
                return
            self.items[key] = pdf
            self.size += len(pdf)
            while self.size > self.limit:
                _, dropped = self.items.popitem(last=False)
                self.size -= len(dropped)


_MEMORY = _Memory(MEMORY_BYTES)  # one per process: a worker process's tasks share it


def content_key(docx: bytes, settings: Sequence[str] = ()) -> str:
    """The SHA-256 of *settings* and of the DOCX package's parts (names and bytes, in name order)."""
    digest = hashlib.sha256("\n".join(["chibo-conversion-1", *settings]).encode())
    try:
        with zipfile.ZipFile(io.BytesIO(docx)) as archive:
            for name in sorted(archive.namelist()):
                digest.update(b"\0" + name.encode() + b"\0")
                digest.update(hashlib.sha256(archive.read(name)).digest())
    except (zipfile.BadZipFile, OSError):  # not a ZIP: its bytes are its content
        digest.update(b"\0raw\0" + docx)
    return digest.hexdigest()


class ConversionCache:
    """PDFs by content key: this process's memory first, then *store* (None: memory only)."""

    def __init__(self, store: Store | None = None, *, memory: _Memory | None = None) -> None:
        self.store = store
        self.memory = memory if memory is not None else _MEMORY

    def get(self, key: str) -> bytes | None:
        """The PDF converted from the content *key*, or None."""
        found = self.memory.get(key)
        if found is not None or self.store is None:
            return found
        try:
            found = self.store.get(f"{FOLDER}/{key}.pdf")
        except ServiceError:  # not there, or the store busy: convert it
            return None
        if not found.startswith(b"%PDF-"):
            return None
        self.memory.put(key, found)
        return found

    def put(self, key: str, pdf: bytes) -> None:
        """Remember *pdf* as the conversion of the content *key*."""
        self.memory.put(key, pdf)
        if self.store is None or len(pdf) > STORED_LIMIT:
            return
        try:
            self.store.put(f"{FOLDER}/{key}.pdf", pdf)
        except ServiceError:
            logger.warning("conversion %s not kept in the store", key[:12], exc_info=True)
