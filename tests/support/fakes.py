"""Fakes of the engines, for fast unit tests of one unit (never the only test of a path)."""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from typing import Any

import pytest
from pypdf import PdfWriter

from service.errors import NotFoundError


def _blank_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


MINIMAL_PDF = _blank_pdf()


class FakeConverter:
    """Returns a one-page PDF, or raises the error it was given."""

    def __init__(self, error: Exception | None = None) -> None:
        self.error = error
        self.calls: list[bytes] = []

    def to_pdf(self, docx: bytes, *, options: tuple[str, ...] = ()) -> bytes:
        """Record the call and answer."""
        self.calls.append(docx)
        if self.error is not None:
            raise self.error
        return MINIMAL_PDF


class MemoryStorage:
    """Storage in a dict."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}

    def put(self, key: str, data: bytes) -> None:
        """Store."""
        self.files[key] = data

    def get(self, key: str) -> bytes:
        """Load."""
        try:
            return self.files[key]
        except KeyError as exc:
            raise NotFoundError("missing") from exc

    def put_file(self, key: str, path) -> None:
        """Store a file's bytes."""
        self.files[key] = path.read_bytes()

    def open(self, key: str):
        """A stream of the bytes."""
        return io.BytesIO(self.get(key))

    def exists(self, key: str) -> bool:
        """Check."""
        return key in self.files

    def delete(self, key: str) -> None:
        """Remove."""
        self.files.pop(key, None)

    def url_for_download(self, key: str, filename: str, mimetype: str, *,
                         as_attachment: bool) -> str | None:
        """Never: downloads stream."""
        return None


def signature_blocks_pdf() -> bytes:
    """An A4 page with two signature blocks as the templates lay them: THƯ KÝ left, BÍ THƯ right.

    The text is real (Helvetica; Ư by its glyph name), the titles' baseline at y=500, centred
    near x=150 and x=450.
    """
    from pypdf.generic import (
        ArrayObject,
        DecodedStreamObject,
        DictionaryObject,
        NameObject,
        NumberObject,
    )

    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    encoding = DictionaryObject({NameObject("/Type"): NameObject("/Encoding"),
                                 NameObject("/BaseEncoding"): NameObject("/WinAnsiEncoding"),
                                 NameObject("/Differences"): ArrayObject([NumberObject(128),
                                                                          NameObject("/Uhorn")])})
    font = DictionaryObject({NameObject("/Type"): NameObject("/Font"),
                             NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Helvetica"),
                             NameObject("/Encoding"): encoding})
    page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): DictionaryObject(
        {NameObject("/F1"): writer._add_object(font)})})
    content = DecodedStreamObject()
    content.set_data(b"BT /F1 12 Tf 70 700 Td (Th\xe0nh vi\xean: BI THU ky) Tj ET "
                     b"BT /F1 12 Tf 124 500 Td (TH\x80 K\xdd) Tj ET "
                     b"BT /F1 12 Tf 410 516 Td (T/M CHI B\xd4) Tj ET "
                     b"BT /F1 12 Tf 424 500 Td (B\xcd TH\x80) Tj ET")
    page[NameObject("/Contents")] = writer._add_object(content)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def count_calls(monkeypatch: pytest.MonkeyPatch, function: Callable[..., Any]) -> list[tuple[Any, ...]]:
    """Count the calls of *function* (still made): its module's name and every ``from … import`` of it.

    The list returned grows by the arguments of each call while the test runs.
    """
    calls: list[tuple[Any, ...]] = []

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        return function(*args, **kwargs)

    for module in list(sys.modules.values()):
        if module is not None and vars(module).get(function.__name__) is function:
            monkeypatch.setattr(module, function.__name__, counted)
    return calls
