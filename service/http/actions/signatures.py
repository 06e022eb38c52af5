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
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from service import database, isolation
from service.errors import BadRequestError, ConflictError, NotFoundError, SignatureError
from service.extensions import get_storage, session_scope
from service.http import auth, presenters
from service.http.actions.access import load_job
from service.http.presenters import STATE
from service.jobs import models
from service.signing import bounds

_SALT = "chibo-signing-link"
SCAN_TYPES = {b"%PDF-": ("pdf", "application/pdf"), b"\xff\xd8\xff": ("jpg", "image/jpeg"),
              b"\x89PNG\r\n\x1a\n": ("png", "image/png")}


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def _root_files() -> list[bytes]:
    paths = [p for p in str(current_app.config["SIGNING_TRUST_ROOTS"]).split(":") if p.strip()]
    return [Path(p.strip()).read_bytes() for p in paths]


def pdf_limits(config: Any) -> bounds.PdfLimits:
    """What of a PDF is read at all (``MAX_CONTENT_LENGTH``, ``VERIFY_MAX_*``)."""
    return bounds.PdfLimits(int(config["MAX_CONTENT_LENGTH"]), int(config["VERIFY_MAX_REVISIONS"]),
                            int(config["VERIFY_MAX_OBJECTS"]), int(config["VERIFY_MAX_PAGES"]))


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
    bounds.check_bounds(data, pdf_limits(current_app.config))  # unread when too big, as verify
    signature = isolation.run(bounds.check_copy, data, storage.get(f"{base}.pdf"), _root_files(),
                              bounds=isolation.bounds_of(current_app.config), what="tệp PDF")
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


def revision_copy(job_id: str, number: int, name: str) -> str:
    """The storage key of the signed copy kept with the job's earlier revision *number* (audited)."""
    with session_scope() as session:
        job = load_job(session, job_id)
        revision = next((r for r in job.revisions if r.number == number), None)
        kept = next((d for d in revision.documents if d.get("name") == name), None) if revision else None
        signed = kept.get("signed") if kept else None
        if not signed or not signed.get("key"):
            raise NotFoundError(f"Phiên bản {number} không có bản ký số của tài liệu {name}.")
        auth.audit(session, "download", "document", job.id, job.organisation_id,
                   f"phiên bản {number}: {name} (bản ký số)")
        return str(signed["key"])


def signing_link(job_id: str, name: str) -> dict[str, Any]:
    """A short-lived link for one document: its PDF to fetch and the address to post it signed to."""
    with session_scope() as session:
        job = load_job(session, job_id)
        document = _document(job, name)
        token = _serializer().dumps({"d": document.id, "h": (document.pdf_sha256 or "")[:16]})
        auth.audit(session, "signing-link", "document", document.id, job.organisation_id, name)
    minutes = int(current_app.config["SIGNING_LINK_MINUTES"])
    return {"pdf": _address("signing.link_pdf", token), "upload": _address("signing.link_upload", token),
            "expires_in": minutes * 60}


def _address(endpoint: str, token: str) -> str:
    """The link's full address: from ``SIGNING_BASE_URL`` when the operator set it, else from the
    request the page or API call came in by (no address for a secretary to type)."""
    base = str(current_app.config["SIGNING_BASE_URL"]).strip().rstrip("/")
    if base:
        return base + url_for(endpoint, token=token)
    return url_for(endpoint, token=token, _external=True)


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
    config = current_app.config
    bounds.check_bounds(data, pdf_limits(config))
    found = isolation.run(bounds.examine, data, _root_files(), bounds=isolation.bounds_of(config),
                          what="tệp PDF")
    digests, problem = found.digests, found.problem
    signature = found.signature.as_json() if found.signature else None
    with session_scope() as session:
        made = _made_by_us(session, digests)
        answer: dict[str, Any] = {"found": made is not None, "signed": signature is not None,
                                  "signature": signature, "altered": problem is not None}
        if problem:
            answer["problem"] = problem
        if made is not None:
            job, number, name, title, digest = made
            answer.update(job={"id": job.id, "title": job.title,
                               "links": {"self": url_for("api.get_job", job_id=job.id)}},
                          document={"name": name, "title": title}, identical=digest == digests[0],
                          revision=number, current_revision=job.revision,
                          superseded_by=job.revision if number != job.revision else None)
            auth.audit(session, "verify", "job", job.id, job.organisation_id, f"{name} (lần {number})")
        answer["detail"] = _verdict(answer)
        return answer


MAX_REVISION_DIGESTS = 16  # digests looked for in earlier revisions' records (a LIKE each)


def _made_by_us(session: Session, digests: list[str]) -> tuple[models.Job, int, str, str, str] | None:
    """The job, revision number, document name and title, and the digest of the PDF the service made
    that is among *digests*: a current document first, else one of an earlier revision. Only a job
    of an organisation the caller may see."""
    caller = auth.caller()
    rows = session.scalars(select(models.Document).where(models.Document.pdf_sha256.in_(digests))).all()
    document = next((d for d in rows if caller.sees(d.job.organisation_id)), None)
    if document is not None:
        return document.job, document.job.revision, document.name, document.title, str(document.pdf_sha256)
    wanted = digests[:MAX_REVISION_DIGESTS]
    earlier = session.scalars(select(models.JobRevision).where(
        or_(*[models.JobRevision.documents_json.contains(d) for d in wanted]))
        .order_by(models.JobRevision.number.desc())).all()
    for revision in earlier:
        if not caller.sees(revision.job.organisation_id):
            continue
        kept = next((d for d in revision.documents if d.get("pdf_sha256") in wanted), None)
        if kept is not None:
            return (revision.job, revision.number, str(kept["name"]), str(kept["title"]),
                    str(kept["pdf_sha256"]))
    return None


def _verdict(answer: dict[str, Any]) -> str:
    if answer["altered"]:
        return f"Tệp có chữ ký nhưng đã bị sửa sau khi ký: {answer['problem']}"
    if not answer["found"]:
        return ("Không tìm thấy tài liệu này trong các việc bạn được xem: tệp không do dịch vụ tạo, "
                "đã bị sửa, hoặc thuộc tổ chức khác.")
    what = f"«{answer['document']['title']}» của «{answer['job']['title']}», lần {answer['revision']}"
    if answer["superseded_by"]:
        what += f" (đã có bản sửa lần {answer['superseded_by']}: bản này không còn là bản hiện hành)"
    else:
        what += " (bản hiện hành)"
    if answer["signed"]:
        sig = answer["signature"]
        return f"Đúng tài liệu {what}, ký số bởi {sig['signer']} ({sig['note']})."
    return f"Đúng tài liệu {what}, không thay đổi, chưa ký số."
