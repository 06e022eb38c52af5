"""Jobs, documents and batches as the API shows them (and the pages render them)."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from typing import Any

from flask import current_app, url_for
from sqlalchemy.orm import Session, object_session

from service.customtemplates import versions
from service.customtemplates.models import TemplateVersion
from service.documents import DOCUMENT_TYPES
from service.http.files import FORMATS
from service.jobs import batches, models, recovery, revisions
from service.meetings.figures import VOTES_PENDING

STATE = {models.QUEUED: "đang chờ tạo", models.RUNNING: "đang được tạo", models.FAILED: "bị lỗi",
         models.DONE: "đã xong", models.DRAFT: "là bản nháp"}


def _when(moment: datetime | None) -> str | None:
    return moment.isoformat() + "Z" if moment is not None else None


def _day(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _formats(doc_type: str) -> list[str]:
    known = DOCUMENT_TYPES.get(doc_type)
    return [f for f in FORMATS if f != "xlsx" or (known is not None and known.spreadsheet is not None)]


def document_json(job: models.Job, document: models.Document, lost: bool = False,
                  cache: dict[str, Any] | None = None) -> dict[str, Any]:
    """One document: its state, its download links and the template that made it once done.

    *lost*: its message is gone from the queue.
    """
    body: dict[str, Any] = {
        "name": document.name,
        "type": document.doc_type,
        "title": document.title,
        "status": document.status,
        "attempts": document.attempts,
    }
    edited = revisions.edited(document)
    if edited is not None:  # made of the DOCX the secretary edited in Word, not of the template
        body["edited"] = edited_json(edited)
    if document.status == models.DONE:
        body["pages"] = document.pages
        session = object_session(document)
        if session is not None:
            body["template"] = provenance(session, job.organisation_id, document.doc_type,
                                          document.template_version_id, {} if cache is None else cache)
        body["links"] = {fmt: url_for("api.download", job_id=job.id, name=document.name,
                                      fmt=fmt) for fmt in _formats(document.doc_type)}
        body["provenance"] = document.provenance
        signed, scan = document.signed, document.scan
        body["signed"] = None if signed is None else {
            k: signed.get(k) for k in ("signer", "subject", "signed_at", "trusted", "note")}
        body["hand_signed"] = None if scan is None else {  # a scan: never shown as a digital signature
            "label": "bản ký tay", "content_type": scan.get("content_type"),
            "received_at": scan.get("received_at")}
        def at(endpoint: str) -> str:
            return url_for(f"signing.{endpoint}", job_id=job.id, name=document.name)

        # where to POST: a signed copy, a scan, for a signing link (``links`` are downloads only)
        body["signing"] = {"signed": at("post_signed"), "scan": at("post_scan"),
                           "link": at("post_signing_link")}
        if signed is not None:
            body["links"]["signed_pdf"] = at("get_signed")
        if scan is not None:
            body["links"]["hand_signed"] = at("get_scan")
        body["revision"] = job.revision
        earlier = earlier_signed(job, document)
        if earlier is not None:  # signed in an earlier revision, this one not (yet)
            body["earlier_signed"] = earlier
    if document.status == models.FAILED:
        body["error"] = {"type": document.error_type, "detail": document.error_detail}
    if lost:  # still "queued" or "running" in the database, but no worker will ever get to it
        body["lost"] = True
        body["error"] = {"type": "lost", "detail": recovery.LOST_DETAIL}
    # beside `links` (which a document has once built): POST here builds it again ("Tạo lại")
    body["rebuild"] = url_for("api.rebuild_document", job_id=job.id, name=document.name)
    return body


_SIGNED_KEYS = ("signer", "subject", "signed_at", "trusted", "note")


def _current(job: models.Job, name: str) -> models.Document | None:
    return next((d for d in job.documents if d.name == name), None)


def signed_label(number: int, job: models.Job, current: models.Document | None) -> str:
    """How a signed copy of revision *number* reads beside the job's current revision."""
    if current is None or number == job.revision:
        return f"bản ký của lần {number}"
    state = "đã ký lại" if revisions.has_signed_copy(current) else "chưa ký"
    return f"bản ký của lần {number} — đã có bản sửa lần {job.revision}, {state}"


def _superseded(job: models.Job, kept: dict[str, Any], current: models.Document | None) -> bool:
    """The revision's document *kept* is not the current document (it was built again since)."""
    return current is None or str(kept.get("base")) != job.key_base(current)


def revision_signed(job: models.Job, revision: models.JobRevision, kept: dict[str, Any]) -> dict[str, Any]:
    """A signed copy kept with an earlier revision: who, and whether a newer revision replaced it."""
    signed = kept["signed"]
    current = _current(job, str(kept["name"]))
    superseded = _superseded(job, kept, current)
    number = revision.number if superseded else job.revision
    return {**{k: signed.get(k) for k in _SIGNED_KEYS}, "revision": revision.number,
            "superseded_by": job.revision if superseded else None,
            "label": signed_label(number, job, current if superseded else None)}


def earlier_signed(job: models.Job, document: models.Document) -> dict[str, Any] | None:
    """The newest signed copy of *document* in an earlier revision, when the current one is another
    build (unsigned, or signed again): "bản ký của lần 1 — đã có bản sửa lần 2, chưa ký"."""
    if document.signed_json:
        return None
    for revision in reversed(job.revisions):
        kept = next((d for d in revision.documents if d.get("name") == document.name), None)
        if kept and kept.get("signed") and _superseded(job, kept, document):
            return {**revision_signed(job, revision, kept),
                    "links": {"signed_pdf": url_for("signing.get_revision_signed", job_id=job.id,
                                                    number=revision.number, name=document.name)}}
    return None


def edited_json(edited: dict[str, Any]) -> dict[str, Any]:
    """A document made of a DOCX edited in Word: labelled so, with the file's name, size, SHA-256."""
    return {"label": "chỉnh sửa ngoài hệ thống", "filename": edited.get("filename"),
            "size": edited.get("size"), "sha256": edited.get("sha256"), "uploaded_at": edited.get("at")}


def revision_json(job: models.Job, revision: models.JobRevision) -> dict[str, Any]:
    """An earlier revision: when it was made and replaced, and its documents' files."""
    documents = []
    for document in revision.documents:
        body: dict[str, Any] = {key: document.get(key)
                                for key in ("name", "type", "title", "pages", "status")}
        links: dict[str, str] = {}
        if document.get("status", models.DONE) == models.DONE:
            links = body["links"] = {fmt: url_for("api.download_revision", job_id=job.id,
                                                  number=revision.number, name=document["name"], fmt=fmt)
                                     for fmt in _formats(str(document["type"]))}
        if document.get("signed"):
            body["signed"] = revision_signed(job, revision, document)
            body["links"] = links
            links["signed_pdf"] = url_for(
                "signing.get_revision_signed", job_id=job.id, number=revision.number, name=document["name"])
        if document.get("scan"):
            body["hand_signed"] = {"label": "bản ký tay"}
        if document.get("edited"):
            body["edited"] = edited_json(document["edited"])
        documents.append(body)
    return {"revision": revision.number, "title": revision.title, "made_at": _when(revision.made_at),
            "replaced_at": _when(revision.replaced_at), "documents": documents,
            "links": {"package": url_for("api.download_revision_package", job_id=job.id,
                                         number=revision.number)}}


def job_links(job: models.Job) -> dict[str, str]:
    """The job's own addresses (``generate`` only on a draft)."""
    links = {"self": url_for("api.get_job", job_id=job.id),
             "package": url_for("api.download_package", job_id=job.id),
             "print": url_for("api.print_file", job_id=job.id),
             "input": url_for("api.job_input", job_id=job.id)}
    if job.is_draft:
        links["generate"] = url_for("api.generate_job", job_id=job.id)
    else:
        links["retry"] = url_for("api.retry_job", job_id=job.id)
    return links


def votes_pending(job: models.Job) -> bool:
    """A review whose votes are not all entered: its documents may be made, it is not complete."""
    return job.kind == "annual_review" and any(VOTES_PENDING in w.casefold() for w in job.warnings)


def job_summary_json(job: models.Job) -> dict[str, Any]:
    """The job as lists show it: what, whose, when, its state and revision (no documents)."""
    return {
        "id": job.id,
        "kind": job.kind,
        "title": job.title,
        "status": job.status,
        "created_at": _when(job.created_at),
        "changed_at": _when(job.changed_at),
        "revision": job.revision,
        "batch_id": job.batch_id,
        "organisation_id": job.organisation_id,
        "year": job.year,
        "meeting_date": _day(job.meeting_date),
        "votes_pending": votes_pending(job),
        "links": job_links(job),
    }


def job_json(job: models.Job, lost: list[models.Document] | None = None) -> dict[str, Any]:
    """The job as the API shows it: the summary, warnings, documents and earlier revisions.

    With *lost* (its documents no message will reach, ``access.lost``) each is marked, and the
    job is ``incomplete`` when every document still pending is lost (``retry`` queues them).
    """
    missing = {d.id for d in lost or []}
    cache: dict[str, Any] = {}  # the template each type is made with now, asked once
    body = {**job_summary_json(job), "warnings": job.warnings,
            "documents": [document_json(job, d, d.id in missing, cache) for d in job.documents],
            "revisions": [revision_json(job, r) for r in reversed(job.revisions)],
            "lost": len(missing)}
    if missing and len(missing) == sum(d.status in recovery.PENDING for d in job.documents):
        body["status"] = batches.INCOMPLETE
    return body


def batch_links(batch_id: str) -> dict[str, str]:
    """The batch's own addresses."""
    return {"self": url_for("batches.get_batch", batch_id=batch_id),
            "package": url_for("batches.batch_package", batch_id=batch_id),
            "retry": url_for("batches.retry_batch", batch_id=batch_id)}


def batch_json(batch: models.Batch, lost: list[models.Document], *, links: bool = True) -> dict[str, Any]:
    """The batch with its progress, *lost* documents included, and every job."""
    summary, *chi_bo = batch.jobs
    return {"id": batch.id, "title": batch.title, "created_at": _when(batch.created_at),
            "revision": batch.revision, "changed_at": _when(batch.changed_at),
            "organisation_id": batch.organisation_id, "year": batch.year,
            **batches.progress(batch, lost), "summary": job_json(summary),
            "chi_bo": [job_json(job) for job in chi_bo],
            "links": batch_links(batch.id) if links else {}}


def batch_summary_json(batch: models.Batch, states: dict[str, Counter[str]]) -> dict[str, Any]:
    """The batch as lists show it: progress, and each chi bộ's job with its state.

    *states* counts each job's documents by state (``listing.job_states``); documents lost
    from the queue are told on the batch itself (``GET /api/v1/batches/<id>``).
    """
    total: Counter[str] = sum(states.values(), Counter())
    chi_bo = [{"id": job.id, "title": job.title, "organisation_id": job.organisation_id,
               "status": models.derived_status(set(states.get(job.id, Counter()))),
               "revision": job.revision, "votes_pending": votes_pending(job),
               "links": {"self": url_for("api.get_job", job_id=job.id)}}
              for job in batch.jobs[1:]]
    return {"id": batch.id, "title": batch.title, "created_at": _when(batch.created_at),
            "changed_at": _when(batch.changed_at), "revision": batch.revision, "year": batch.year,
            "organisation_id": batch.organisation_id, "status": models.derived_status(set(total)),
            "done": total[models.DONE], "total": sum(total.values()), "failed": total[models.FAILED],
            "chi_bo": chi_bo, "links": batch_links(batch.id)}


def provenance(session: Session, job_organisation: str | None, doc_type: str,
               version_id: str | None, cache: dict[str, Any]) -> dict[str, Any]:
    """Which template made a document, and whether the organisation uses another one now."""
    key = f"now:{doc_type}"
    if key not in cache:
        own = bool(current_app.config["CHI_BO_OWN_TEMPLATES"])
        cache[key] = versions.choose(session, job_organisation, doc_type, chi_bo_own=own)
    now: TemplateVersion | None = cache[key]
    made = session.get(TemplateVersion, version_id) if version_id else None
    current = (made.id if made else None) == (now.id if now else None)
    body: dict[str, Any] = {"builtin": made is None, "current": current}
    if made is not None:
        body.update(id=made.id, version=made.number, sha256=made.sha256)
    if not body["current"]:
        was = f"mẫu phiên bản {made.number}" if made else "mẫu có sẵn"
        is_ = f"mẫu phiên bản {now.number}" if now else "mẫu có sẵn"
        body["note"] = f"Làm bằng {was}; nay đơn vị dùng {is_}. Bấm “Tạo lại” để làm lại bằng mẫu mới."
    return body
