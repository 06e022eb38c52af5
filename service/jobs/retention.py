"""Deleting jobs and batches: on request, and when they pass ``RETENTION_DAYS``.

A job's files are the keys the pipeline writes (``input.json``, a draft's ``draft.json``, then
per document its DOCX, PDF, XLSX, thumbnail and quarantined DOCX, and its package: ZIP,
print PDF, manifest; a batch's ZIP and manifest), and the same for every
earlier revision it keeps (``jobs/<id>/r<n>/…``), and its members' own self-review PDFs
(``jobs/<id>/tu-kiem-diem/``); they are deleted before the rows, so a failure
half-way leaves rows that a second attempt deletes again. The audit log keeps a line for
each deletion; it is never purged with the documents.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from service import accounts, database
from service.conversion.cache import FOLDER
from service.jobs import models
from service.jobs.drafts import draft_key
from service.jobs.packages import batch_keys
from service.jobs.packages import job_keys as package_keys
from service.storage import Storage


def job_keys(job: models.Job) -> list[str]:
    """Every storage key the job may have written, its earlier revisions' included."""
    keys = [job.input_key] if job.input_key else []
    keys.append(draft_key(job.id))
    bases = [job.key_base(document) for document in job.documents]
    for revision in job.revisions:
        keys.append(revision.input_key)
        bases += [str(document["base"]) for document in revision.documents]
    keys += [f"{base}{suffix}" for base in bases for suffix in models.KEY_SUFFIXES]
    package = package_keys(job.id)
    keys += [package.zip, package.print, package.manifest]
    return list(dict.fromkeys(keys))


def delete_job(session: Session, storage: Storage, job: models.Job) -> int:
    """Delete the job's files and rows; return the number of documents it had."""
    for key in job_keys(job):
        storage.delete(key)
    # members' own PDFs of their self-reviews (``service.selfreviews.printing``), one per member
    for key, _ in list(storage.listing(f"jobs/{job.id}/tu-kiem-diem")):
        storage.delete(key)
    count = len(job.documents)
    _forget_packages(session, [job.id], None)
    session.delete(job)
    return count


def _forget_packages(session: Session, job_ids: list[str], batch_id: str | None) -> None:
    """The package states of deleted jobs (their revisions' too) and batch: nothing left to build."""
    table = models.PackageState
    session.execute(delete(table).where(or_(
        (table.kind == "job") & table.ident.in_(job_ids),
        (table.kind == "revision") & or_(*(table.ident.startswith(f"{i}:") for i in job_ids)),
        (table.kind == "batch") & (table.ident == (batch_id or "")))))


def delete_batch(session: Session, storage: Storage, batch: models.Batch) -> int:
    """Delete every job of the batch, then the batch; return the number of documents."""
    count = 0
    for job in batch.jobs:
        for key in job_keys(job):
            storage.delete(key)
        count += len(job.documents)
    for key in batch_keys(batch.id):
        storage.delete(key)
    _forget_packages(session, [job.id for job in batch.jobs], batch.id)
    # the rows go by the batch's cascade, in one flush: deleting each job first made the ORM
    # count documents the database had already cascaded away (a 500 on DELETE /batches/<id>)
    session.delete(batch)
    return count


def purge(session: Session, storage: Storage, days: int) -> int:
    """Delete the batches and jobs made more than *days* days ago; return how many jobs went."""
    if days <= 0:
        return 0
    cutoff = database.now() - timedelta(days=days)
    jobs = 0
    for batch in session.scalars(select(models.Batch).where(models.Batch.created_at < cutoff)).all():
        jobs += len(batch.jobs)
        count = delete_batch(session, storage, batch)
        accounts.record(session, None, "purge", "batch", batch.id, batch.organisation_id,
                        f"hết hạn lưu {days} ngày; {count} tài liệu")
    for job in session.scalars(select(models.Job).where(models.Job.created_at < cutoff,
                                                    models.Job.batch_id.is_(None))).all():
        jobs += 1
        count = delete_job(session, storage, job)
        accounts.record(session, None, "purge", "job", job.id, job.organisation_id,
                        f"hết hạn lưu {days} ngày; {count} tài liệu")
    return jobs


def purge_conversions(storage: Storage, hours: float) -> int:
    """Delete the remembered conversions (``conversions/``) older than *hours*; how many went.

    Every one goes when *hours* is 0 (the cache turned off keeps nothing of members' names).
    """
    cutoff = database.now() - timedelta(hours=hours)
    old = [key for key, when in storage.listing(FOLDER) if when < cutoff]
    for key in old:
        storage.delete(key)
    return len(old)


def purge_orphans(session: Session, storage: Storage, older_than_seconds: float = 3600) -> int:
    """Delete the ``jobs/<id>/…`` files of jobs that have no row (a submission killed between
    storing its input and committing it: members' names with no job), older than
    *older_than_seconds* so a submission in flight keeps its own; how many files went."""
    cutoff = database.now() - timedelta(seconds=older_than_seconds)
    by_job: dict[str, list[str]] = {}
    for key, when in storage.listing("jobs"):
        parts = key.split("/")
        if len(parts) >= 3 and when < cutoff:
            by_job.setdefault(parts[1], []).append(key)
    known = set(session.scalars(select(models.Job.id).where(models.Job.id.in_(sorted(by_job))))) \
        if by_job else set()
    removed = 0
    for job_id, keys in by_job.items():
        if job_id in known:
            continue
        for key in keys:
            storage.delete(key)
            removed += 1
        accounts.record(session, None, "purge", "job", job_id, None,
                        f"tệp không có công việc (gửi bị ngắt giữa chừng): {len(keys)} tệp")
    return removed
