"""Signed copies: taken back (API, or the short-lived link a signing tool posts to), scans
attached, and any PDF checked against what the service made (``verify``).

The signed copy is stored beside the document's files (``<base>.signed.pdf``; a scan
``<base>.scan.<ext>``) and described on the row (``signed_json``, ``scan_json``); the PDF the
service made stays as it was. A second signed copy is taken only when it extends the first
(a co-signature appended to it): a signed file is never replaced by another.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from flask import current_app, url_for
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.orm import Session

from service import database, signing
from service.errors import BadRequestError, ConflictError, NotFoundError, SignatureError, UnsignedFileError
from service.extensions import get_storage, session_scope
from service.http import auth, presenters
from service.http.actions.access import load_job
from service.http.presenters import STATE
from service.jobs import models

_SALT = "chibo-signing-link"
SCAN_TYPES = {b"%PDF-": ("pdf", "application/pdf"), b"\xff\xd8\xff": ("jpg", "image/jpeg"),
              b"\x89PNG\r\n\x1a\n": ("png", "image/png")}


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def _roots() -> list[Any]:
    paths = [p for p in str(current_app.config["SIGNING_TRUST_ROOTS"]).split(":") if p.strip()]
    return signing.load_roots([Path(p.strip()).read_bytes() for p in paths])


def _document(job: models.Job, name: str) -> models.Document:
    document = next((d for d in job.documents if d.name == name), None)
    if document is None:
        raise NotFoundError(f"Công việc này không có tài liệu {name}.")
    if document.status != models.DONE:
        raise ConflictError(f"Tài liệu {name} {STATE[document.status]}: chưa có bản PDF để ký.")
    return document


def _take(session: Session, job: models.Job, document: models.Document, data: bytes, via: str) -> None:
    if not data.startswith(b"%PDF-"):
        raise SignatureError("Bản đã ký phải là tệp PDF.")
    storage = get_storage()
    base = job.key_base(document)
    signature = signing.check(data, storage.get(f"{base}.pdf"), _roots())
    earlier = document.signed
    if earlier is not None and not data.startswith(storage.get(earlier["key"])):
        raise ConflictError("Tài liệu đã có bản ký số; chỉ nhận bản ký thêm vào bản đó (ký nối tiếp).")
    key = f"{base}.signed.pdf"
    storage.put(key, data)
    document.signed_json = json.dumps({**signature.as_json(), "key": key,
                                       "sha256": hashlib.sha256(data).hexdigest(),
                                       "received_at": database.now().isoformat() + "Z", "via": via},
                                      ensure_ascii=False)
    auth.audit(session, "signed-copy", "document", document.id, job.organisation_id,
               f"{document.name}: ký bởi {signature.signer} ({signature.note}, qua {via})")


def take_signed(job_id: str, name: str, data: bytes) -> dict[str, Any]:
    """Check and keep the signed copy *data* of document *name*; the job's JSON."""
    with session_scope() as session:
        job = load_job(session, job_id)
        _take(session, job, _document(job, name), data, "tải lên")
        return presenters.job_json(job)


def take_scan(job_id: str, name: str, data: bytes) -> dict[str, Any]:
    """Keep *data*, a scanned hand-signed copy (PDF, JPEG, PNG) of document *name*; the job's JSON."""
    limit = int(current_app.config["SCAN_MAX_BYTES"])
    with session_scope() as session:
        job = load_job(session, job_id)
        document = _document(job, name)
        if len(data) > limit:
            raise SignatureError(f"Bản quét quá lớn ({len(data) // 1024} KB; tối đa {limit // 1024} KB).")
        kind = next((v for magic, v in SCAN_TYPES.items() if data.startswith(magic)), None)
        if kind is None:
            raise SignatureError("Bản ký tay phải là tệp PDF, JPEG hoặc PNG.")
        key = f"{job.key_base(document)}.scan.{kind[0]}"
        get_storage().put(key, data)
        document.scan_json = json.dumps({"key": key, "content_type": kind[1], "size": len(data),
                                         "sha256": hashlib.sha256(data).hexdigest(),
                                         "received_at": database.now().isoformat() + "Z"})
        auth.audit(session, "hand-signed-copy", "document", document.id, job.organisation_id,
                   f"{name}: bản ký tay ({kind[0]})")
        return presenters.job_json(job)


def stored_copy(job_id: str, name: str, which: str) -> tuple[str, str]:
    """The storage key and content type of the signed copy (``signed``) or the scan (``scan``)."""
    with session_scope() as session:
        job = load_job(session, job_id)
        document = _document(job, name)
        copy = document.signed if which == "signed" else document.scan
        if copy is None:
            what = "bản ký số" if which == "signed" else "bản ký tay"
            raise NotFoundError(f"Tài liệu {name} chưa có {what}.")
        auth.audit(session, "download", "document", document.id, job.organisation_id, f"{name}: {which}")
        return str(copy["key"]), str(copy.get("content_type", "application/pdf"))


def signing_link(job_id: str, name: str) -> dict[str, Any]:
    """A short-lived link for one document: its PDF to fetch and the address to post it signed to."""
    with session_scope() as session:
        job = load_job(session, job_id)
        document = _document(job, name)
        token = _serializer().dumps({"d": document.id, "h": (document.pdf_sha256 or "")[:16]})
        auth.audit(session, "signing-link", "document", document.id, job.organisation_id, name)
    minutes = int(current_app.config["SIGNING_LINK_MINUTES"])
    return {"pdf": url_for("signing.link_pdf", token=token, _external=True),
            "upload": url_for("signing.link_upload", token=token, _external=True),
            "expires_in": minutes * 60}


def _by_token(session: Session, token: str) -> tuple[models.Job, models.Document]:
    try:
        claim = _serializer().loads(token, max_age=int(current_app.config["SIGNING_LINK_MINUTES"]) * 60)
    except SignatureExpired as exc:
        raise NotFoundError("Liên kết ký số đã hết hạn; hãy mở lại trang của tài liệu để lấy liên kết mới.") \
            from exc
    except BadSignature as exc:
        raise NotFoundError("Liên kết ký số không đúng.") from exc
    document = session.get(models.Document, str(claim.get("d", ""))) if isinstance(claim, dict) else None
    if document is None or document.status != models.DONE or \
            (document.pdf_sha256 or "")[:16] != claim.get("h"):
        raise NotFoundError("Liên kết ký số không còn dùng được (tài liệu đã được tạo lại hoặc đã xoá).")
    return document.job, document


def link_pdf(token: str) -> bytes:
    """The PDF the link is for (what the signing tool fetches)."""
    with session_scope() as session:
        job, document = _by_token(session, token)
        key = f"{job.key_base(document)}.pdf"
        auth.audit(session, "download", "document", document.id, job.organisation_id,
                   f"{document.name}.pdf qua liên kết ký số")
    return get_storage().get(key)


def link_upload(token: str, data: bytes) -> dict[str, Any]:
    """Take the signed copy posted to the link; what was taken (no job data: the link is no login)."""
    if not data:
        raise BadRequestError("Không có tệp đã ký trong yêu cầu.", errors=[{"field": "file",
                                                                            "detail": "Thiếu tệp."}])
    with session_scope() as session:
        job, document = _by_token(session, token)
        _take(session, job, document, data, "liên kết ký số")
        signed = document.signed or {}
        return {"document": document.name, "signed": {k: signed.get(k) for k in ("signer", "signed_at",
                                                                                    "trusted", "note")}}


def verify(data: bytes) -> dict[str, Any]:
    """Which job and document *data* is, whether it was altered, whether it is signed.

    Found by the SHA-256 of the file, or, for a signed file, of the PDF its first signature
    was made on. Only a job the caller may see is named; any other answers ``found: false``.
    """
    if not data.startswith(b"%PDF-"):
        raise SignatureError("Hãy gửi một tệp PDF.")
    digests = [hashlib.sha256(data).hexdigest()]
    signature: dict[str, Any] | None = None
    problem: str | None = None
    try:
        found, end = signing.verify(data, _roots())
        signature = found.as_json()
        digests += [hashlib.sha256(b).hexdigest() for b in signing.bases(data[:end] or data)]
    except UnsignedFileError:
        pass
    except SignatureError as exc:
        problem = exc.detail
        digests += [hashlib.sha256(b).hexdigest() for b in signing.bases(data)]
    with session_scope() as session:
        rows = session.scalars(select(models.Document).where(models.Document.pdf_sha256.in_(digests))).all()
        document = next((d for d in rows if auth.caller().sees(d.job.organisation_id)), None)
        answer: dict[str, Any] = {"found": document is not None, "signed": signature is not None,
                                  "signature": signature, "altered": problem is not None}
        if problem:
            answer["problem"] = problem
        if document is not None:
            exact = document.pdf_sha256 == digests[0]
            answer.update(job={"id": document.job.id, "title": document.job.title,
                               "links": {"self": url_for("api.get_job", job_id=document.job.id)}},
                          document={"name": document.name, "title": document.title},
                          identical=exact)
            auth.audit(session, "verify", "document", document.id, document.job.organisation_id,
                       document.name)
        answer["detail"] = _verdict(answer)
        return answer


def _verdict(answer: dict[str, Any]) -> str:
    if answer["altered"]:
        return f"Tệp có chữ ký nhưng đã bị sửa sau khi ký: {answer['problem']}"
    if not answer["found"]:
        return ("Không tìm thấy tài liệu này trong các việc bạn được xem: tệp không do dịch vụ tạo, "
                "đã bị sửa, hoặc thuộc tổ chức khác.")
    what = f"«{answer['document']['title']}» của «{answer['job']['title']}»"
    if answer["signed"]:
        sig = answer["signature"]
        return f"Đúng tài liệu {what}, ký số bởi {sig['signer']} ({sig['note']})."
    return f"Đúng tài liệu {what}, không thay đổi, chưa ký số."
