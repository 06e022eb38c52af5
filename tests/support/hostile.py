"""Hostile input for tests: zip bombs dressed as XLSX or DOCX, sheets that lie; the refusal guard."""

from __future__ import annotations

import hashlib
import io
import re
import struct
import zipfile
from pathlib import Path
from typing import Any

from service import extensions
from service.jobs import models

CONTENT_TYPES = (b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org'
                 b'/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>'
                 b"</Types>")
WORKSHEET_HEAD = (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats'
                  b'.org/spreadsheetml/2006/main"><sheetData>')
WORKSHEET_TAIL = b"</sheetData></worksheet>"
MIB = 1024 * 1024


def _write_padded(archive: zipfile.ZipFile, name: str, head: bytes, tail: bytes, unpacked_mib: int) -> None:
    with archive.open(name, "w") as handle:
        handle.write(head)
        chunk = b" " * MIB
        for _ in range(unpacked_mib):
            handle.write(chunk)
        handle.write(tail)


def _bomb(entries: dict[str, bytes], name: str, unpacked_mib: int) -> bytes:
    """A ZIP holding *entries* and *name*: *unpacked_mib* MiB of white space, deflated to ~1/1000."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for entry, data in entries.items():
            archive.writestr(entry, data)
        _write_padded(archive, name, WORKSHEET_HEAD, WORKSHEET_TAIL, unpacked_mib)
    return out.getvalue()


def padded_workbook(data: bytes, name: str, unpacked_mib: int) -> bytes:
    """A real workbook with *unpacked_mib* MiB of white space before the end of sheet *name*."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == name:
                cut = content.index(b"</sheetData>")
                _write_padded(archive, name, content[:cut], content[cut:], unpacked_mib)
            else:
                archive.writestr(info.filename, content)
    return out.getvalue()


def xlsx_bomb(unpacked_mib: int = 60) -> bytes:
    """A ZIP laid out like a workbook whose one sheet unpacks to *unpacked_mib* MiB."""
    return _bomb({"[Content_Types].xml": CONTENT_TYPES}, "xl/worksheets/sheet1.xml", unpacked_mib)


def docx_bomb(unpacked_mib: int = 60) -> bytes:
    """A ZIP laid out like a Word document whose body unpacks to *unpacked_mib* MiB."""
    return _bomb({"[Content_Types].xml": CONTENT_TYPES}, "word/document.xml", unpacked_mib)


def lie_about_size(data: bytes, name: str, size: int) -> bytes:
    """*data* (a ZIP) with the unpacked size of entry *name* declared as *size* in both headers."""
    encoded = name.encode()
    patched = bytearray(data)
    for signature, offset in ((b"PK\x01\x02", 24), (b"PK\x03\x04", 22)):
        name_at = 46 if signature == b"PK\x01\x02" else 30
        for found in re.finditer(re.escape(signature), data):
            start = found.start()
            if data[start + name_at:start + name_at + len(encoded)] == encoded:
                patched[start + offset:start + offset + 4] = struct.pack("<I", size)
    return bytes(patched)


def lying_xlsx_bomb(unpacked_mib: int = 60) -> bytes:
    """An XLSX bomb whose headers say its sheet unpacks to 1 KiB."""
    return lie_about_size(xlsx_bomb(unpacked_mib), "xl/worksheets/sheet1.xml", 1024)


def replace_in_entry(data: bytes, name: str, pattern: bytes, replacement: bytes) -> bytes:
    """*data* (a ZIP) with a regular-expression replacement made in entry *name*."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == name:
                content = re.sub(pattern, replacement, content)
            archive.writestr(info.filename, content)
    return out.getvalue()


def sheet_entry(data: bytes, title: str) -> str:
    """The ZIP entry of the sheet called *title* in an openpyxl-written workbook."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    workbook = archive.read("xl/workbook.xml").decode()
    titles = re.findall(r'<sheet [^>]*name="([^"]+)"', workbook)
    return f"xl/worksheets/sheet{titles.index(title) + 1}.xml"


VIETNAMESE = re.compile("[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]")


class Guard:
    """A stored job already there and every way to a worker watched, to check a refusal touched nothing.

    ``refused`` checks an API answer (a 4xx problem+json in Vietnamese), ``page_refused`` a web page;
    both check that nothing was dispatched and that the storage folder and the tables are as before.
    """

    def __init__(self, app: Any, monkeypatch: Any) -> None:
        from service.extensions import get_storage
        from service.jobs import pipeline, queue
        from tests.support.factories import meeting_payload

        self.app = app
        self.dispatched: list[str] = []
        monkeypatch.setattr(queue, "dispatch",
                            lambda docs, size, **_: self.dispatched.extend(d.id for d in docs))
        with app.app_context(), extensions.session_scope() as session:
            pipeline.submit(meeting_payload(), session=session, storage=get_storage(),
                            only=["bien_ban_kiem_diem"])
        self.before = self._state()

    def _state(self) -> tuple[dict[str, str], int, int]:
        from sqlalchemy import func, select


        root = Path(self.app.config["STORAGE_PATH"])
        files = {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
                 for p in sorted(root.rglob("*")) if p.is_file()}
        with self.app.app_context(), extensions.session_scope() as session:
            jobs = session.scalar(select(func.count()).select_from(models.Job))
            documents = session.scalar(select(func.count()).select_from(models.Document))
        return files, int(jobs or 0), int(documents or 0)

    def untouched(self) -> None:
        """Nothing was queued, stored, changed or recorded."""
        assert self.dispatched == []
        assert self._state() == self.before

    def refused(self, response: Any, status: int) -> dict[str, Any]:
        """*response* is the API's *status* problem in Vietnamese, and nothing moved; the problem."""
        assert response.status_code == status, response.get_data(as_text=True)[:500]
        assert response.content_type == "application/problem+json"
        problem = response.get_json()
        assert problem["status"] == status
        assert VIETNAMESE.search(problem["detail"].lower()), problem["detail"]
        self.untouched()
        return dict(problem)

    def page_refused(self, response: Any, status: int) -> str:
        """*response* is a web page with *status* and a Vietnamese message, and nothing moved."""
        assert response.status_code == status
        assert response.mimetype == "text/html"
        self.untouched()
        return str(response.get_data(as_text=True))


def eof_flood(signed: bytes, markers: int = 1200, size: int = 1_200_000) -> bytes:
    """*signed* with its signed bytes altered and *markers* empty revisions appended (~*size* bytes).

    The probe's PDF: a broken signature and 1,200 ``%%EOF`` markers, each after a
    ``startxref`` that still points at the last real cross-reference table, so a reader
    goes on reading it.
    """
    at = signed.index(b"/Contents")  # a byte the signature covers: the signature breaks
    broken = signed[:at] + b"/Contents".swapcase() + signed[at + 9:]
    start = re.findall(rb"startxref\s+(\d+)", broken)[-1]
    tail = b"startxref\n" + start + b"\n%%EOF\n"
    pad = max(0, (size - len(broken)) // markers - len(tail) - 2)
    return broken + b"".join(b"%" + b"x" * pad + b"\n" + tail for _ in range(markers))
