"""Packages built once: a job's ZIP and print PDF, and a batch's ZIP, made by the worker.

When a job's last document is finished (done or failed), the worker builds its ZIP and its
print PDF and stores them under keys made of ids (``jobs/<id>/goi/…``); when a batch's last
job is packed, its ZIP of every job's (``batches/<id>/toan-bo.zip``). Each package has a
small manifest beside it holding the *fingerprint* of what it was built from: the job's
revision and each document's id, state and last change. A correction, a retried or rebuilt
document changes the fingerprint, so a package is served only while it is still the
package of what the records say; otherwise it is built again. Everything is written to
temporary files and stored from disk; nothing here holds a whole ZIP in memory.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from service.database import now
from service.documents.package import PackedDocument, write_batch_zip, write_print_pdf, write_zip_package
from service.errors import NotFoundError, RecordMissingError
from service.jobs import models
from service.storage import Storage

SessionFactory = Callable[[], Any]


@dataclass(frozen=True)
class JobPackage:
    """Where a job's package lives."""

    zip: str
    print: str
    manifest: str


def job_keys(job_id: str) -> JobPackage:
    """``jobs/<id>/goi/ho-so.zip``, ``…/ban-in.pdf`` and ``…/goi.json``."""
    folder = f"jobs/{job_id}/goi"
    return JobPackage(f"{folder}/ho-so.zip", f"{folder}/ban-in.pdf", f"{folder}/goi.json")


def revision_keys(job_id: str, number: int) -> JobPackage:
    """``jobs/<id>/goi/r<n>/ho-so.zip``, ``…/ban-in.pdf`` and ``…/goi.json``: an earlier revision's."""
    folder = f"jobs/{job_id}/goi/r{number}"
    return JobPackage(f"{folder}/ho-so.zip", f"{folder}/ban-in.pdf", f"{folder}/goi.json")


def revision_fingerprint(revision: models.JobRevision) -> str:
    """What an earlier revision's package is built from: its record (it never changes)."""
    made_of = f"{revision.number}\n{revision.title}\n{revision.documents_json}"
    return hashlib.sha256(made_of.encode()).hexdigest()


def batch_keys(batch_id: str) -> tuple[str, str]:
    """``batches/<id>/toan-bo.zip`` and its manifest ``batches/<id>/toan-bo.json``."""
    return f"batches/{batch_id}/toan-bo.zip", f"batches/{batch_id}/toan-bo.json"


def finished(job: models.Job) -> bool:
    """No document of the job is still queued or running (and it is no draft)."""
    return not job.is_draft and all(d.status in (models.DONE, models.FAILED) for d in job.documents)


def fingerprint(job: models.Job) -> str:
    """What the job's package is built from: its revision and each document's state and change."""
    parts = [str(job.revision), job.title] + [
        f"{d.id}:{d.status}:{d.updated_at.isoformat()}:{d.pdf_key}:{d.package_pdf_key(job.key_base(d))}"
        for d in job.documents]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def batch_fingerprint(batch: models.Batch) -> str:
    """What the batch's ZIP is built from: its jobs' fingerprints, in order."""
    return hashlib.sha256("\n".join([batch.title, *map(fingerprint, batch.jobs)]).encode()).hexdigest()


def manifest(storage: Storage, key: str) -> dict[str, Any] | None:
    """The manifest stored under *key*, or None."""
    try:
        return dict(json.loads(storage.get(key)))
    except (NotFoundError, ValueError):
        return None


def current(storage: Storage, key: str, expected: str) -> dict[str, Any] | None:
    """The manifest under *key* if it was written for the fingerprint *expected*."""
    found = manifest(storage, key)
    return found if found is not None and found.get("fingerprint") == expected else None


def document_pdf(storage: Storage, document: models.Document, base: str) -> bytes:
    """The PDF of a document as packages take it: the signed copy when there is one."""
    return storage.get(document.package_pdf_key(base))


def _optional(storage: Storage, key: str) -> bytes | None:
    return storage.get(key) if storage.exists(key) else None


def _contents(job: models.Job, storage: Storage) -> tuple[list[PackedDocument], list[str]]:
    done = [(d, job.key_base(d)) for d in job.documents if d.status == models.DONE]
    failed = [f"{d.title}: {d.error_detail}" for d in job.documents if d.status == models.FAILED]
    documents = [PackedDocument(d.name, d.title, document_pdf(storage, d, base), storage.get(f"{base}.docx"),
                                _optional(storage, f"{base}.xlsx")) for d, base in done]
    return documents, failed


def _revision_contents(revision: models.JobRevision,
                       storage: Storage) -> tuple[list[PackedDocument], list[str]]:
    """An earlier revision's documents as packed: each with the signed copies of that revision only."""
    done = [d for d in revision.documents if d.get("status", models.DONE) == models.DONE]
    failed = [f"{d['title']}: không tạo được" for d in revision.documents if d.get("status") == models.FAILED]
    documents = [PackedDocument(str(d["name"]), str(d["title"]),
                                storage.get(models.signed_package_key(d.get("signed"), str(d["base"]))),
                                storage.get(f"{d['base']}.docx"), _optional(storage, f"{d['base']}.xlsx"))
                 for d in done]
    return documents, failed


def build_revision_package(job_id: str, number: int, *, sessions: SessionFactory, storage: Storage,
                           duplex: bool = True) -> bool:
    """Build and store the ZIP and print PDF of the job's earlier revision *number* (once)."""
    keys = revision_keys(job_id, number)
    with sessions() as session:
        job = session.get(models.Job, job_id)
        revision = next((r for r in job.revisions if r.number == number), None) if job else None
        if revision is None:
            return False
        expected = revision_fingerprint(revision)
        if current(storage, keys.manifest, expected) is not None:
            return False
        title = f"{revision.title} (lần {number})"
        documents, failed = _revision_contents(revision, storage)
    _write(keys, documents, failed, title, expected, storage, duplex)
    return True


def build_job_package(job_id: str, *, sessions: SessionFactory, storage: Storage,
                      duplex: bool = True) -> bool:
    """Build and store the ZIP and print PDF of a finished job; False when nothing was to do.

    Nothing is built for a job still building (its last document builds it) or whose package
    is current already; a job deleted meanwhile has nothing to pack.
    """
    keys = job_keys(job_id)
    with sessions() as session:
        job = session.get(models.Job, job_id)
        if job is None or not finished(job):
            return False
        expected = fingerprint(job)
        if current(storage, keys.manifest, expected) is not None:
            return False
        title = job.title
        documents, failed = _contents(job, storage)
    _write(keys, documents, failed, title, expected, storage, duplex)
    return True


def _write(keys: JobPackage, documents: list[PackedDocument], failed: list[str], title: str,
           expected: str, storage: Storage, duplex: bool) -> None:
    """Write the ZIP and the print PDF to temporary files, store them, and the manifest last."""
    with tempfile.TemporaryDirectory(prefix="chibo-package-") as folder:
        printed = Path(folder) / "ban-in.pdf" if documents else None
        if printed is not None:
            write_print_pdf(documents, title, printed, duplex=duplex)
            storage.put_file(keys.print, printed)
        archive = Path(folder) / "ho-so.zip"
        write_zip_package(documents, title, failed, archive, printed)
        del documents
        storage.put_file(keys.zip, archive)
    # the manifest last: until it is written, the package is not served
    storage.put(keys.manifest, json.dumps({"fingerprint": expected,
                                           "print": printed is not None}).encode())


def batch_of(job_id: str, *, sessions: SessionFactory) -> str | None:
    """The batch of *job_id* when every job of it is finished (its ZIP can be built), else None."""
    with sessions() as session:
        job = session.get(models.Job, job_id)
        if job is None or job.batch is None or not all(finished(j) for j in job.batch.jobs):
            return None
        return str(job.batch.id)


def build_batch_package(batch_id: str, *, sessions: SessionFactory, storage: Storage) -> bool:
    """Build and store the ZIP of a finished batch from its jobs' ZIPs; False when nothing was to do.

    A job's ZIP that is missing or stale is built first, here. Each is copied to a temporary
    file and its entries into the batch's ZIP, one at a time.
    """
    zip_key, manifest_key = batch_keys(batch_id)
    with sessions() as session:
        batch = session.get(models.Batch, batch_id)
        if batch is None or not all(finished(j) for j in batch.jobs):
            return False
        expected = batch_fingerprint(batch)
        if current(storage, manifest_key, expected) is not None:
            return False
        job_ids = [job.id for job in batch.jobs]
    for job_id in job_ids:
        build_job_package(job_id, sessions=sessions, storage=storage)
    with tempfile.TemporaryDirectory(prefix="chibo-batch-") as folder:
        target = Path(folder) / "toan-bo.zip"
        write_batch_zip(_local_copies(storage, job_ids, Path(folder)), target)
        storage.put_file(zip_key, target)
    storage.put(manifest_key, json.dumps({"fingerprint": expected, "jobs": len(job_ids)}).encode())
    return True


def _local_copies(storage: Storage, job_ids: list[str], folder: Path) -> Iterable[Path]:
    """Each job's stored ZIP as a temporary file (one at a time: each is removed after use)."""
    for job_id in job_ids:
        path = folder / f"{job_id}.zip"
        try:
            with storage.open(job_keys(job_id).zip) as source, path.open("wb") as sink:
                shutil.copyfileobj(source, sink, 1 << 20)
        except NotFoundError as exc:  # deleted or rebuilt meanwhile: the task retries
            raise RecordMissingError(f"Chưa thấy gói hồ sơ của công việc {job_id}.") from exc
        yield path
        path.unlink()


def finished_jobs(document_ids: list[str], *, sessions: SessionFactory) -> list[str]:
    """The jobs of *document_ids* whose every document is now finished (their package is due)."""
    with sessions() as session:
        jobs = {}
        for document_id in document_ids:
            document = session.get(models.Document, document_id)
            if document is not None:
                jobs[document.job_id] = document.job
        return [job_id for job_id, job in jobs.items() if finished(job)]


# --- the state of a package asked for: queued since when, or failed and why -----------------


def asked(kind: str, ident: str, *, sessions: SessionFactory) -> None:
    """Record that the package *kind*/*ident* is queued, unless it is recorded already.

    Asking again never moves the time it was first asked (a client polling a download does not
    hide a package that never comes) nor clears a failure (only ``retry`` does).
    """
    try:
        with sessions() as session:
            if session.get(models.PackageState, (kind, ident)) is None:
                session.add(models.PackageState(kind=kind, ident=ident, status=models.QUEUED))
    except IntegrityError:  # asked at the same moment elsewhere: recorded there
        pass


def built(kind: str, ident: str, *, sessions: SessionFactory) -> None:
    """The package is built (or has nothing to build): its state goes."""
    with sessions() as session:
        session.execute(delete(models.PackageState).where(models.PackageState.kind == kind,
                                                          models.PackageState.ident == ident))


def failed(kind: str, ident: str, detail: str, *, sessions: SessionFactory) -> None:
    """The package could not be built (its task gave up): *detail* says why, in Vietnamese."""
    with sessions() as session:
        row = session.get(models.PackageState, (kind, ident))
        if row is None:
            row = models.PackageState(kind=kind, ident=ident)
            session.add(row)
        row.status, row.detail, row.since = models.FAILED, detail[:1000], now()


def state(session: Any, kind: str, ident: str) -> models.PackageState | None:
    """The recorded state of a package not built yet, or None."""
    found: models.PackageState | None = session.get(models.PackageState, (kind, ident))
    return found


def retry(kind: str, ident: str, *, sessions: SessionFactory) -> None:
    """A failed package is asked for again: queued from now."""
    with sessions() as session:
        row = session.get(models.PackageState, (kind, ident))
        if row is None:
            session.add(models.PackageState(kind=kind, ident=ident, status=models.QUEUED))
        else:
            row.status, row.detail, row.since = models.QUEUED, None, now()


def troubles(session: Any, stuck_seconds: int) -> tuple[int, int]:
    """How many packages failed, and how many have been queued longer than *stuck_seconds*."""
    table = models.PackageState
    failures = session.scalar(select(func.count()).select_from(table).where(table.status == models.FAILED))
    since = now() - timedelta(seconds=stuck_seconds)
    stuck = session.scalar(select(func.count()).select_from(table)
                           .where(table.status == models.QUEUED, table.since < since))
    return int(failures or 0), int(stuck or 0)
