"""Signed copies back in: a PDF signature checked with pyHanko against the PDF the service made.

``check`` takes the signed file and our PDF and answers a ``Signature`` or raises:

- ``UnsignedFileError`` when the file has no signature;
- ``SignatureAlteredError`` when a signature does not verify (the bytes it covers changed),
  covers only part of the file's revision, or something other than validation data was
  added after it (pyHanko's difference analysis);
- ``OtherDocumentError`` when what was signed is not our document: the signed revision must be
  an incremental update over our PDF, byte for byte (as pyHanko, Adobe and the VGCA Sign
  Service append their signature), that adds nothing but the signature (its field, widget and
  appearance: pyHanko's difference analysis of that revision against ours). A file rewritten
  by its signer, or a page painted over in the signed revision, is not ours: a scan of a
  hand-signed paper goes the hand-signed way (``bản ký tay``), never as a digital copy.

Trust is reported as it is: with no trusted roots (``SIGNING_TRUST_ROOTS``, the VGCA roots)
a sound signature is ``trusted=False`` and the note says "chưa xác minh được chứng thư".
pyHanko and pyhanko-certvalidator are imported here only.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from asn1crypto import pem, x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleTrustManager

from service.errors import OtherDocumentError, SignatureAlteredError, UnsignedFileError
from service.signing import changes

# pyHanko logs every untrusted chain with a traceback; the answer says it once, in Vietnamese
logging.getLogger("pyhanko").setLevel(logging.ERROR)
NOT_VERIFIED = "chưa xác minh được chứng thư"
TRUSTED = "chứng thư hợp lệ (chuỗi tới gốc tin cậy)"
# what may follow a signature: validation data, and more signatures (pyHanko counts filling a
# signature field as form filling; our PDFs have no other fields: ExportFormFields=false)
_ACCEPTED = (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES, ModificationLevel.FORM_FILLING)
_EOF = re.compile(rb"%%EOF[\r\n]*")


@dataclass(frozen=True)
class Signature:
    """What a checked signature says: who signed, when, and whether the chain is trusted."""

    signer: str  # the certificate's common name (or its whole subject)
    subject: str
    signed_at: datetime | None
    trusted: bool
    note: str  # in Vietnamese: trusted, or why not

    def as_json(self) -> dict[str, Any]:
        """The form the document's JSON shows (``signed``)."""
        return {"signer": self.signer, "subject": self.subject, "trusted": self.trusted,
                "signed_at": self.signed_at.astimezone(UTC).isoformat().replace("+00:00", "Z")
                if self.signed_at else None, "note": self.note}


def load_roots(pem_files: Sequence[bytes]) -> list[x509.Certificate]:
    """The certificates in *pem_files* (PEM or DER), for ``check``'s *roots*."""
    roots = []
    for data in pem_files:
        if pem.detect(data):
            roots += [x509.Certificate.load(der) for _, _, der in pem.unarmor(data, multiple=True)]
        else:
            roots.append(x509.Certificate.load(data))
    return roots


def _reader(data: bytes) -> PdfFileReader:
    try:
        return PdfFileReader(io.BytesIO(data), strict=False)
    except Exception as exc:  # pyHanko raises several kinds on a file that is no PDF
        raise UnsignedFileError("Tệp gửi lên không đọc được như một tệp PDF.") from exc


def _signer(status: Any) -> tuple[str, str]:
    subject = status.signing_cert.subject
    common = subject.native.get("common_name")
    name = common if isinstance(common, str) else ", ".join(common) if common else ""
    return name or subject.human_friendly, subject.human_friendly


def verify(data: bytes, roots: Sequence[x509.Certificate] = ()) -> tuple[Signature, int]:
    """The first signature of *data*, checked; and where its signed revision's base ends (0: the
    signature is in the file's first revision, nothing unsigned came before it).

    Raises ``UnsignedFileError`` or ``SignatureAlteredError``.
    """
    reader = _reader(data)
    try:
        signatures = reader.embedded_regular_signatures
    except Exception as exc:
        raise UnsignedFileError("Không đọc được chữ ký trong tệp PDF.") from exc
    if not signatures:
        raise UnsignedFileError("Tệp PDF này chưa có chữ ký số nào.")
    embedded = signatures[0]
    context = ValidationContext(trust_manager=SimpleTrustManager.build(trust_roots=list(roots)),
                                allow_fetching=False, revocation_mode="soft-fail")
    try:
        status = validate_pdf_signature(embedded, context)
    except (SignatureValidationError, ValueError, KeyError) as exc:
        raise SignatureAlteredError(f"Chữ ký số không kiểm tra được: {exc}") from exc
    if not status.intact or not status.valid:
        raise SignatureAlteredError("Chữ ký số không khớp với nội dung: tệp đã bị sửa sau khi ký.")
    if status.coverage not in (SignatureCoverageLevel.ENTIRE_FILE, SignatureCoverageLevel.ENTIRE_REVISION):
        raise SignatureAlteredError("Chữ ký số không bao trùm toàn bộ tài liệu.")
    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE and status.modification_level not in _ACCEPTED:
        raise SignatureAlteredError("Tệp đã được sửa thêm sau khi ký (ngoài thông tin kiểm tra chữ ký).")
    signer, subject = _signer(status)
    when = status.timestamp_validity.timestamp if status.timestamp_validity else status.signer_reported_dt
    when = when or embedded.self_reported_timestamp
    trusted = bool(roots) and status.trusted
    signature = Signature(signer, subject, when, trusted, TRUSTED if trusted else NOT_VERIFIED)
    return signature, _base_end(data, embedded.signed_revision)


def _base_end(data: bytes, signed_revision: int) -> int:
    """The length of the file before the signed revision (0 when it is the first revision)."""
    ends = [match.end() for match in _EOF.finditer(data)]
    return ends[signed_revision - 1] if 0 < signed_revision <= len(ends) else 0


def bases(data: bytes) -> list[bytes]:
    """Each earlier state of *data* an incremental update left intact: every prefix ending in %%EOF."""
    found = []
    for match in _EOF.finditer(data):
        found += [data[:match.start() + 5], data[:match.end()]]
    return list(dict.fromkeys(found))


def base_digests(data: bytes) -> list[str]:
    """The SHA-256 of each of ``bases(data)``, hashed in one pass (no prefix is copied)."""
    digests: list[str] = []
    running = hashlib.sha256()
    done = 0
    for match in _EOF.finditer(data):
        for end in (match.start() + 5, match.end()):
            running.update(data[done:end])
            done = end
            digests.append(running.copy().hexdigest())
    return list(dict.fromkeys(digests))


NOT_OURS = ("Tệp đã ký không phải bản PDF do dịch vụ tạo cho tài liệu này (chữ ký phải được thêm vào "
            "chính tệp đã tải về, không sửa gì khác). Bản giấy ký tay đã quét hãy gửi là bản ký tay.")


def check(data: bytes, ours: bytes, roots: Sequence[x509.Certificate] = ()) -> Signature:
    """The signature of *data*, a signed copy of *ours*; raises when it is not one (see above)."""
    signature, end = verify(data, roots)
    if not end or data[:end].rstrip(b"\r\n") != ours.rstrip(b"\r\n"):
        raise OtherDocumentError(NOT_OURS)
    if not only_signature_added(data):
        raise OtherDocumentError("Tệp đã ký có thay đổi nội dung so với bản PDF dịch vụ tạo (ngoài chữ ký). "
                                 + NOT_OURS)
    return signature


def only_signature_added(data: bytes) -> bool:
    """True when the revision holding the first signature adds the signature to the revision before
    it and changes nothing else (``changes.only_signature``)."""
    try:
        reader = _reader(data)
        return changes.only_signature(reader, reader.embedded_regular_signatures[0].signed_revision)
    except Exception:  # any failure to analyse is a refusal, never an acceptance
        return False
