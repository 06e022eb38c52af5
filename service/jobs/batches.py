"""A whole đảng bộ in one submission: the plain functions behind ``/api/v1/batches``.

``submit_batch`` validates the review (from a workbook or JSON) fully, then creates one job
per chi bộ and one for the đảng bộ summary, each with its documents; nothing is queued
before every record exists. The same content (or the same ``Idempotency-Key``) finds the
batch already made instead of doing the work twice. A document still queued or running when
Redis holds no message at all for any document is *lost* (its message went with a Redis
that restarted empty): the batch then reports ``incomplete``, never done, and ``retry``
queues the lost documents again along with the failed ones.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service import database
from service.errors import NotFoundError
from service.jobs import models, pipeline, recovery, revisions
from service.jobs.facts import search_text
from service.meetings.figures import compute
from service.meetings.schemas import AnnualReview, AnyMeeting, DangBoReview
from service.meetings.summary import summarize
from service.storage import Storage


def content_hash(review: DangBoReview) -> str:
    """The SHA-256 of the validated review: equal for equal content, however it was typed."""
    return hashlib.sha256(review.model_dump_json().encode()).hexdigest()


def find_existing(session: Session, digest: str, key: str | None,
                  organisation_id: str | None = None) -> models.Batch | None:
    """The batch this organisation already made for this content or this idempotency key."""
    mine = select(models.Batch).where(models.Batch.organisation_id.is_(None) if organisation_id is None
                                  else models.Batch.organisation_id == organisation_id)
    if key:
        found = session.scalars(mine.where(models.Batch.idempotency_key == key)).first()
        if found is not None:
            return found
    return session.scalars(mine.where(models.Batch.content_hash == digest)
                           .order_by(models.Batch.created_at)).first()


def own_reviews(session: Session, review: DangBoReview) -> dict[int, models.Job]:
    """The chi bộ of *review* (by index) whose organisation already made its own review of the year.

    Its own: made by the chi bộ (or for it) outside any batch, not a draft; the newest one.
    """
    found: dict[int, models.Job] = {}
    for index, chi_bo in enumerate(review.chi_bo):
        if chi_bo.organisation_id is None:
            continue
        job = session.scalars(select(models.Job).where(
            models.Job.kind == "annual_review", models.Job.organisation_id == chi_bo.organisation_id,
            models.Job.year == chi_bo.review_year, models.Job.is_draft.is_(False),
            models.Job.batch_id.is_(None)).order_by(models.Job.created_at.desc())).first()
        if job is not None:
            found[index] = job
    return found


def differences(job: models.Job, chi_bo: AnnualReview, storage: Storage) -> str:
    """What the workbook's chi bộ changes in the chi bộ's own review, in words."""
    return revisions.describe_changes(revisions.changed_fields(json.loads(storage.get(job.input_key)),
                                                               revisions.as_json(chi_bo)))


def submit_batch(review: DangBoReview, *, session: Session, storage: Storage,
                 idempotency_key: str | None = None, owner: Any = None,
                 created_by: str | None = None,
                 replaces: dict[int, models.Job] | None = None) -> tuple[models.Batch, bool]:
    """Create the batch for *review*, or return the existing one; the flag says which.

    *owner* (see ``pipeline.submit``) places the batch and the summary under the caller's
    organisation, and each chi bộ's job under the chi bộ its ``organisation_id`` names (else
    the caller's too): never by the name typed for the đảng bộ or the chi bộ.
    """
    digest = content_hash(review)
    organisation_id = owner(None) if owner else None
    existing = find_existing(session, digest, idempotency_key, organisation_id)
    if existing is not None:
        return existing, False
    if idempotency_key and session.scalars(select(models.Batch.id).where(
            models.Batch.idempotency_key == idempotency_key)).first():
        idempotency_key = None  # another organisation's key: never tell, never share
    batch = models.Batch(id=database.new_id(), title=pipeline.job_title(review), content_hash=digest,
                         idempotency_key=idempotency_key, organisation_id=organisation_id,
                         claim=f"{organisation_id or '-'}:{digest}",
                         created_by=created_by, year=review.dang_bo.review_year)
    batch.search = search_text(batch.title)
    session.add(batch)
    # the claim and the key are taken now, before any file is written: the same batch sent at
    # once by another caller fails here (IntegrityError) and answers this one (``after_race``)
    session.flush()
    # *review* is validated already, each chi bộ with it; each chi bộ's figures are computed once,
    # for its own job and for the summary
    figures = [compute(chi_bo) for chi_bo in review.chi_bo]
    meetings: list[tuple[AnyMeeting, Any]] = [(review, summarize(review, figures)),
                                             *zip(review.chi_bo, figures, strict=True)]
    for position, (meeting, computed) in enumerate(meetings):
        if position and replaces and position - 1 in replaces:
            # the chi bộ's own review takes the workbook as its next revision: one record, never two
            revisions.revise(replaces[position - 1], review.chi_bo[position - 1], computed,
                             storage=storage, changed_by=created_by)
            continue
        job = pipeline.accept(meeting, computed, session=session, storage=storage, owner=owner,
                              created_by=created_by)
        job.batch_id, job.position = batch.id, position
    session.flush()
    return batch, True


def after_race(session: Session, review: DangBoReview, key: str | None,
               owner: Any = None) -> models.Batch | None:
    """The batch a concurrent submission of the same content (or key) made first, if any."""
    return find_existing(session, content_hash(review), key, owner(None) if owner else None)


def documents(batch: models.Batch) -> list[models.Document]:
    """The batch's documents in order."""
    return [d for job in batch.jobs for d in job.documents]


def lost(docs: list[models.Document], quiet: float | None, after_seconds: float) -> list[models.Document]:
    """Documents no message will ever reach (``recovery.lost``)."""
    return recovery.lost(docs, quiet, after_seconds)


def retry_failed(session: Session, batch_id: str, *, quiet: float | None = None,
                 lost_after: float = 60) -> list[models.Document]:
    """Put the failed and the lost documents of a batch back to ``queued``; return them."""
    return recovery.retry(documents(load(session, batch_id)), quiet, lost_after)


def load(session: Session, batch_id: str) -> models.Batch:
    """The batch *batch_id*, or NotFoundError."""
    # every id is hex: anything else (a NUL a database would choke on, say) is no batch at all
    batch = session.get(models.Batch, batch_id) if re.fullmatch(r"[0-9a-f]{1,64}", batch_id) else None
    if batch is None:
        raise NotFoundError(f"Không có lô tài liệu mã {batch_id}.")
    return batch


INCOMPLETE = "incomplete"
LOST_DETAIL = recovery.LOST_DETAIL


def progress(batch: models.Batch, missing: list[models.Document] | None = None) -> dict[str, Any]:
    """Done/total, the count per state, every failure with its reason, and lost documents.

    The status is ``incomplete`` when every document still pending is in *missing*.
    """
    docs = documents(batch)
    missing = missing or []
    states = Counter(d.status for d in docs)
    failures = [{"job": d.job_id, "document": d.name, "title": d.title, "error": d.error_detail}
                for d in docs if d.status == models.FAILED]
    failures += [{"job": d.job_id, "document": d.name, "title": d.title, "error": LOST_DETAIL}
                 for d in missing]
    status = models.derived_status(set(states))
    if missing and len(missing) == states[models.QUEUED] + states[models.RUNNING]:
        status = INCOMPLETE
    return {"status": status, "done": states[models.DONE], "total": len(docs),
            "failed": states[models.FAILED], "running": states[models.RUNNING],
            "queued": states[models.QUEUED], "lost": len(missing), "failures": failures}


def input_json(storage: Storage, job: models.Job) -> dict[str, Any]:
    """The validated input stored for a job."""
    return dict(json.loads(storage.get(job.input_key)))
