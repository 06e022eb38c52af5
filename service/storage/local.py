"""Files under one folder on this machine (``STORAGE_BACKEND=local``, ``STORAGE_PATH``).

Private to the service's user: the root and every folder under it 0700, every file 0600
(whatever the umask), since the names and the contents hold members' names.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from service.config import private_folder
from service.errors import NotFoundError, StorageError, StorageUnavailableError
from service.storage.base import key_parts


def _folders(root: Path, folder: Path) -> None:
    """Make *folder* and the folders between it and *root*, each 0700 whatever the umask."""
    for missing in reversed([f for f in (folder, *folder.parents) if f != root and not f.exists()
                             and f.is_relative_to(root)]):
        with contextlib.suppress(FileExistsError):  # another worker made it just now
            missing.mkdir(mode=0o700)


def _temp_file(folder: Path) -> tuple[int, str]:
    """A new temp file in *folder* named for this process (``.tmp-<pid>-…``, 0600), after
    removing those left there by a process that no longer runs (a worker killed mid-write)."""
    for left in folder.glob(".tmp-*-*"):
        owner = left.name.split("-")[1]
        if owner.isdigit() and int(owner) != os.getpid() and not _alive(int(owner)):
            with contextlib.suppress(OSError):
                left.unlink()
    return tempfile.mkstemp(dir=folder, prefix=f".tmp-{os.getpid()}-")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's
    return True


# a filesystem that may come back: remounted read-only after an error, full, over quota, busy
TRANSIENT = frozenset({errno.EROFS, errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.EAGAIN, errno.EBUSY})


@contextlib.contextmanager
def _writing(key: str) -> Iterator[None]:
    """An OSError of a write as the service's: transient (retried) or permanent."""
    try:
        yield
    except OSError as exc:
        reason = os.strerror(exc.errno) if exc.errno else type(exc).__name__
        if exc.errno in TRANSIENT:
            raise StorageUnavailableError(f"Không ghi được tệp vào kho lưu trữ ({reason}); sẽ thử "
                                          "lại.") from exc
        raise StorageError(f"Kho lưu trữ từ chối ghi tệp ({reason}).") from exc


class LocalStorage:
    """Files under a root folder on this machine."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = private_folder(Path(root).resolve())

    def path(self, key: str) -> Path:
        """The file a key maps to; refuses keys that would leave the root."""
        return self.root.joinpath(*key_parts(key))

    def put(self, key: str, data: bytes) -> None:
        """Write atomically: a temp file in the same folder, then rename."""
        target = self.path(key)
        with _writing(key):
            _folders(self.root, target.parent)
            fd, tmp = _temp_file(target.parent)
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(data)
                os.replace(tmp, target)
            except BaseException:
                with contextlib.suppress(OSError):  # a read-only folder keeps it: nothing to undo
                    Path(tmp).unlink(missing_ok=True)
                raise

    def put_file(self, key: str, path: Path) -> None:
        """Copy *path* in chunks to a temp file in the same folder, then rename."""
        target = self.path(key)
        _folders(self.root, target.parent)
        fd, tmp = _temp_file(target.parent)
        try:
            with os.fdopen(fd, "wb") as handle, path.open("rb") as source:
                shutil.copyfileobj(source, handle, 1 << 20)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def open(self, key: str) -> IO[bytes]:
        """The file, open for reading."""
        try:
            return self.path(key).open("rb")
        except FileNotFoundError as exc:
            raise NotFoundError("Không tìm thấy tệp đã lưu.") from exc

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
        with _writing(key):
            path.unlink(missing_ok=True)
        for folder in path.parents:
            if folder == self.root or not folder.is_relative_to(self.root):
                break
            try:
                folder.rmdir()
            except OSError:  # not empty (or already gone): the folders above are not empty either
                break

    def listing(self, folder: str) -> Iterator[tuple[str, datetime]]:
        """Every file under *folder* and its modification time (naive UTC); temp files left out."""
        base = self.path(folder)
        for directory, _, files in os.walk(base):
            for name in files:
                if name.startswith("."):  # a write in progress
                    continue
                path = Path(directory) / name
                with contextlib.suppress(FileNotFoundError):
                    when = datetime.fromtimestamp(path.stat().st_mtime, UTC).replace(tzinfo=None)
                    yield path.relative_to(self.root).as_posix(), when

    def url_for_download(self, key: str, filename: str, mimetype: str, *,
                         as_attachment: bool) -> str | None:
        """None: files on this machine are streamed by the web node."""
        return None

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> LocalStorage:
        """The folder ``STORAGE_PATH``."""
        return cls(config["STORAGE_PATH"])
