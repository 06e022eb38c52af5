"""Who signed what: per job, the signed state of each document of its latest revision.

For the board of a đảng bộ ("Three levels, one record"): ``job_signoffs(job)`` lists each
document of the job's current revision with its digital signer and whether the certificate is
trusted (``SIGNING_TRUST_ROOTS``), whether a hand-signed scan is attached, and, when only an
earlier revision was signed, which one ("bản ký của lần 1 — đã có bản sửa lần 2, chưa ký").
Plain data, no HTTP: the board renders it as it likes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from service.jobs import models


@dataclass(frozen=True)
class Signoff:
    """One document of a job's latest revision and how it is signed."""

    name: str
    title: str
    revision: int  # the job's current revision
    status: str  # the document's state (only a done document can be signed)
    signer: str | None  # the certificate's name on the digital signature of this revision
    trusted: bool  # that certificate chains to a root the operator trusts
    hand_signed: bool  # a scanned hand-signed copy is attached ("bản ký tay")
    earlier_signed: int | None  # unsigned now, but revision n (the newest such) was signed

    @property
    def signed(self) -> bool:
        """Signed in this revision, digitally or by hand."""
        return self.signer is not None or self.hand_signed


def _earlier(job: models.Job, document: models.Document) -> int | None:
    base = job.key_base(document) if document.pdf_key else None
    for revision in reversed(job.revisions):
        kept = next((d for d in revision.documents if d.get("name") == document.name), None)
        if kept and (kept.get("signed") or kept.get("scan")) and kept.get("base") != base:
            return revision.number
    return None


def job_signoffs(job: models.Job) -> list[Signoff]:
    """Each document of *job*'s current revision, in order, with who signed it."""
    found = []
    for document in job.documents:
        signed = document.signed or {}
        fresh = not signed and not document.scan_json
        found.append(Signoff(document.name, document.title, job.revision, document.status,
                             str(signed["signer"]) if signed.get("signer") else None,
                             signed.get("trusted") is True, bool(document.scan_json),
                             _earlier(job, document) if fresh else None))
    return found


def signoffs(jobs: Iterable[models.Job]) -> dict[str, list[Signoff]]:
    """``job_signoffs`` of each of *jobs*, by job id (drafts have no documents: empty)."""
    return {job.id: job_signoffs(job) for job in jobs}
