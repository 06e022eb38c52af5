"""A PDF to verify, bounded before it is parsed, and examined whole in a bounded child process.

``check_bounds`` counts with byte scans only (no parser): the size, the revisions (``%%EOF``
markers: each incremental update adds one), the objects (``n g obj``) and the pages
(``/Type /Page``) against ``PdfLimits``; a file over any of them is refused before pyHanko or
pypdf reads it. ``examine`` is what ``service.isolation.run`` calls in its child: the first
signature checked and the digests that find the document the file was made from.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from service.errors import BoundsExceededError, SignatureError, UnsignedFileError
from service.signing import Signature, base_digests, check, load_roots, only_signature_added, verify

_EOF = re.compile(rb"%%EOF")
_OBJECT = re.compile(rb"\d+\s+\d+\s+obj\b")
_PAGE = re.compile(rb"/Type\s*/Page(?![A-Za-z])")


@dataclass(frozen=True)
class PdfLimits:
    """How much of a PDF is read at all (``VERIFY_MAX_*``)."""

    max_bytes: int
    max_revisions: int
    max_objects: int
    max_pages: int


@dataclass(frozen=True)
class Examination:
    """What a PDF says of itself: its signature (or why it fails) and the digests of its bases."""

    signature: Signature | None
    problem: str | None
    digests: list[str] = field(default_factory=list)


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def check_bounds(data: bytes, limits: PdfLimits) -> None:
    """BoundsExceededError when *data* is bigger than *limits* allow, counted without parsing."""
    counted = (("byte", len(data), limits.max_bytes),
               ("lần lưu (phiên bản %%EOF)", len(_EOF.findall(data)), limits.max_revisions),
               ("đối tượng PDF", len(_OBJECT.findall(data)), limits.max_objects),
               ("trang", len(_PAGE.findall(data)), limits.max_pages))
    for what, found, most in counted:
        if found > most:
            raise BoundsExceededError(f"Tệp PDF có {_number(found)} {what}, quá mức kiểm tra được "
                                      f"({_number(most)}): không kiểm tra.")


def examine(data: bytes, root_files: Sequence[bytes]) -> Examination:
    """The first signature of *data* checked, and the SHA-256 of the file and of its earlier states."""
    digests = [hashlib.sha256(data).hexdigest()]
    try:
        signature, end = verify(data, load_roots(root_files))
    except UnsignedFileError:
        return Examination(None, None, digests)
    except SignatureError as exc:
        return Examination(None, exc.detail, digests + base_digests(data))
    problem = None if only_signature_added(data) else (
        "phần được ký không chỉ thêm chữ ký vào bản PDF gốc (nội dung hoặc trang đã bị thay đổi).")
    return Examination(signature, problem, digests + base_digests(data[:end] or data))


def check_copy(data: bytes, ours: bytes, root_files: Sequence[bytes]) -> Signature:
    """``signing.check`` with the roots given as files (what ``isolation.run`` can carry)."""
    return check(data, ours, load_roots(root_files))
