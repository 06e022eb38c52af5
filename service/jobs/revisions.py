"""Corrections: the next revision of a job from corrected data, one document built again.

``revise`` keeps the current revision (its input and the files its documents had, in a
``JobRevision`` row: the files stay where they are), replaces the documents by new queued
ones and stores the corrected input under ``jobs/<id>/r<n>/``; the job keeps its id and
address. A chi bộ job of a đảng ủy batch corrected this way changes the batch's summary too
(``revise_summary``), and the batch counts a revision of its own.
"""

from __future__ import annotations

import json
from typing import Any

from service import database
from service.documents import meeting_figures
from service.errors import FieldProblem, InvalidMeetingError, NotReadyError
from service.jobs import models, recovery
from service.jobs.facts import add_documents, describe
from service.meetings.schemas import AnnualReview, AnyMeeting, DangBoReview
from service.meetings.schemas.annual import UpperDecision
from service.meetings.validation import parse_meeting
from service.storage import Storage

MAX_LISTED = 40  # field paths written in one audit line; the rest are counted


def as_json(meeting: AnyMeeting) -> Any:
    """The validated meeting as the JSON the job stores (numbers and dates as written there)."""
    return json.loads(meeting.model_dump_json())


def changed_fields(old: Any, new: Any, path: str = "") -> list[str]:
    """The paths (``location``, ``members[2].attendance``, ``ratings[1].votes.tot``) that differ.

    A list whose length changed is one path (``members``): which item moved is not guessed.
    """
    if isinstance(old, dict) and isinstance(new, dict):
        found: list[str] = []
        for key in [*old, *(k for k in new if k not in old)]:
            found += changed_fields(old.get(key), new.get(key), f"{path}.{key}" if path else str(key))
        return found
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        return [p for index, (a, b) in enumerate(zip(old, new, strict=True))
                for p in changed_fields(a, b, f"{path}[{index}]")]
    return [] if old == new else [path or "(gốc)"]


def describe_changes(paths: list[str]) -> str:
    """The audit line of a correction: the changed paths, at most ``MAX_LISTED`` of them named."""
    if not paths:
        return "không đổi trường nào"
    named = ", ".join(paths[:MAX_LISTED])
    return named + (f" và {len(paths) - MAX_LISTED} trường khác" if len(paths) > MAX_LISTED else "")


def pending(job: models.Job) -> list[models.Document]:
    """The job's documents still queued or running."""
    return [d for d in job.documents if d.status in (models.QUEUED, models.RUNNING)]


def snapshot(job: models.Job) -> models.JobRevision:
    """The job's current revision as a ``JobRevision``: its input and its documents' files."""
    # every document, so that retention finds even a failed one's quarantined DOCX
    built = [{"name": d.name, "type": d.doc_type, "title": d.title, "pages": d.pages,
              "status": d.status, "base": job.key_base(d), "pdf_sha256": d.pdf_sha256,
              "signed": d.signed, "scan": d.scan,  # the signed copies stay with their revision
              "edited": edited(d)}
             for d in job.documents]
    return models.JobRevision(job_id=job.id, number=job.revision, made_at=job.changed_at or job.created_at,
                              input_key=job.input_key, title=job.title, unit_name=job.unit_name,
                              meeting_date=job.meeting_date,
                              documents_json=json.dumps(built, ensure_ascii=False))


def revise(job: models.Job, meeting: AnyMeeting, figures: Any = None, *, storage: Storage,
           changed_by: str | None) -> list[str]:
    """Make *meeting* the job's next revision, its documents queued; the changed field paths.

    The caller checks first that nothing of the job is still being built (``pending``).
    *figures*: the meeting's figures when the caller computed them; else computed here, once.
    """
    if figures is None:
        figures = meeting_figures(meeting)
    old = json.loads(storage.get(job.input_key))
    if isinstance(meeting, AnnualReview):
        meeting = keep_decisions(old, meeting)
    new = as_json(meeting)
    changes = changed_fields(old, new)
    job.revisions.append(snapshot(job))
    job.documents.clear()  # the rows go; their files stay, listed in the revision kept
    job.revision += 1
    job.input_key = f"jobs/{job.id}/r{job.revision}/input.json"
    storage.put(job.input_key, meeting.model_dump_json(indent=2).encode())
    describe(job, meeting, figures)
    add_documents(job, meeting, job.only_types.split(",") if job.only_types else None, figures)
    job.changed_at, job.changed_by = database.now(), changed_by
    return changes


def keep_decisions(old: Any, meeting: AnnualReview) -> AnnualReview:
    """*meeting* with the đảng ủy's decisions on members (``ratings[].decision``) that *old* held
    and the correction left out: a secretary's correction never drops the đảng ủy's word."""
    before = {r.get("member"): r.get("decision") for r in (old.get("ratings") or []) if isinstance(r, dict)}
    if not any(before.values()):
        return meeting
    ratings = [r.model_copy(update={"decision": UpperDecision.model_validate(before[r.member])})
               if r.decision is None and before.get(r.member) else r for r in meeting.ratings]
    return meeting.model_copy(update={"ratings": ratings})


def summary_with(batch: models.Batch, job: models.Job, meeting: AnnualReview,
                 storage: Storage) -> DangBoReview:
    """The batch's đảng bộ review with *job*'s chi bộ replaced by *meeting*, validated.

    A chi bộ renamed takes the đảng ủy's decision on it along. A change the summary cannot
    take (another review year, a name another chi bộ has) is refused on the chi bộ's field.
    """
    data = json.loads(storage.get(batch.jobs[0].input_key))
    index = job.position - 1
    before = data["chi_bo"][index]["organisation"]["name"]
    data["chi_bo"][index] = as_json(meeting)
    for decision in data.get("decisions", []):
        if decision.get("chi_bo") == before:
            decision["chi_bo"] = meeting.organisation.name
    prefix = f"chi_bo[{index}]."
    try:
        review = parse_meeting(data)
    except InvalidMeetingError as exc:
        raise InvalidMeetingError([FieldProblem(p.field.removeprefix(prefix),
                                                f"Biểu tổng hợp của lô: {p.detail}")
                                   for p in exc.problems]) from exc
    assert isinstance(review, DangBoReview)
    return review


def revise_summary(batch: models.Batch, review: DangBoReview, *, storage: Storage,
                   changed_by: str | None) -> list[str]:
    """The summary's next revision from *review*; the batch counts one more revision."""
    changes = revise(batch.jobs[0], review, storage=storage, changed_by=changed_by)
    batch.revision += 1
    batch.changed_at = database.now()
    return changes


def edited(document: models.Document) -> dict[str, Any] | None:
    """The DOCX the secretary edited in Word and uploaded, when the document is made of it."""
    found = (document.provenance or {}).get("edited")
    return dict(found) if isinstance(found, dict) else None


def use_edited(job: models.Job, name: str, data: bytes, about: dict[str, Any], *, storage: Storage,
               changed_by: str | None) -> models.Document:
    """Make the DOCX *data* the secretary edited in Word the document *name*'s next revision; the
    new, queued document, which the worker converts as it is (not rendered from the template).

    *data* is kept as ``<base>.edited.docx`` and described (*about*: its SHA-256, file name…)
    in the document's provenance. The revision it replaces is kept whole (its files, its signed
    copy), as ``rebuild_as_revision`` keeps it.
    """
    fresh = rebuild_as_revision(job, name, changed_by=changed_by)
    key = f"{job.key_base(fresh)}.edited.docx"
    storage.put(key, data)
    fresh.provenance_json = json.dumps({"edited": {**about, "key": key}}, ensure_ascii=False)
    return fresh


def has_signed_copy(document: models.Document) -> bool:
    """The document has a digitally signed or a scanned hand-signed copy."""
    return bool(document.signed_json or document.scan_json)


def rebuild_as_revision(job: models.Job, name: str, *, changed_by: str | None) -> models.Document:
    """Build the document *name* again as the job's next revision; the new, queued document.

    For a document with a signed copy: the revision it had is kept (its files, its signed
    copy), the new document is unsigned under ``r<n+1>``; the job's other documents carry over
    as they are (their files and signed copies are the same in both revisions).
    """
    document = next((d for d in job.documents if d.name == name), None)
    if document is None:
        raise LookupError(name)
    if document.status in (models.QUEUED, models.RUNNING):
        raise NotReadyError(f"Tài liệu {name} đang được tạo; hãy chờ xong.", document_status=document.status)
    job.revisions.append(snapshot(job))
    job.revision += 1
    fresh = models.Document(id=database.new_id(), position=document.position, doc_type=document.doc_type,
                            subject=document.subject, name=document.name, title=document.title)
    job.documents[job.documents.index(document)] = fresh  # the old row goes; its files stay in the revision
    job.changed_at, job.changed_by = database.now(), changed_by
    return fresh


def revise_some(job: models.Job, meeting: AnyMeeting, names: list[str], *, storage: Storage,
                changed_by: str | None) -> list[models.Document]:
    """Make *meeting* the job's next revision, building again only the documents *names*; the
    new, queued documents. The others carry over as they are (their files, their signed
    copies): for data only those documents print (the đảng ủy's decision on a member).
    """
    chosen = [d for d in job.documents if d.name in names]
    if any(d.status in (models.QUEUED, models.RUNNING) for d in chosen):
        raise NotReadyError("Tài liệu đang được tạo; hãy chờ xong.")
    job.revisions.append(snapshot(job))
    job.revision += 1
    job.input_key = f"jobs/{job.id}/r{job.revision}/input.json"
    storage.put(job.input_key, meeting.model_dump_json(indent=2).encode())
    fresh = []
    for document in chosen:
        new = models.Document(id=database.new_id(), position=document.position, doc_type=document.doc_type,
                              subject=document.subject, name=document.name, title=document.title)
        job.documents[job.documents.index(document)] = new
        fresh.append(new)
    job.changed_at, job.changed_by = database.now(), changed_by
    return fresh


def rebuild(job: models.Job, name: str, storage: Storage) -> models.Document:
    """Queue the document *name* again from the job's current input (same revision, same files)."""
    document = next((d for d in job.documents if d.name == name), None)
    if document is None:
        raise LookupError(name)
    if document.status in (models.QUEUED, models.RUNNING):
        raise NotReadyError(f"Tài liệu {name} đang được tạo; hãy chờ xong.", document_status=document.status)
    storage.delete(f"{job.key_base(document)}.thumb.png")  # the picture of the old first page
    recovery.requeue([document], fresh=True)
    return document
