"""Jobs, their documents, and batches (SQLAlchemy models).

A job is one submission; it owns one document row per document type it asked for. Each
document moves ``queued → running → done | failed`` on its own, so a failed document never
hides the others; the job's status is derived from its documents, never stored twice.

The tables are made by the migrations in ``service/migrations`` (Alembic), not from these
classes: a change here needs a new revision (``chibo db revision -m "…"``), and a test fails
until it has one.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.accounts import models as accounts_models  # noqa: F401  # the organisations jobs refer to
from service.database import Base, new_id, now

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
DRAFT = "draft"  # a job's status only: unfinished data saved, nothing generated
KEY_SUFFIXES = (".docx", ".pdf", ".xlsx", ".thumb.png", ".poison.docx", ".signed.pdf", ".scan.pdf",
                ".scan.jpg", ".scan.png", ".edited.docx")  # .edited.docx: her Word file, as uploaded


def derived_status(states: set[str]) -> str:
    """``done`` when every document is done, ``failed`` when none is pending and one failed."""
    if not states or states == {QUEUED}:
        return QUEUED
    if states == {DONE}:
        return DONE
    if states <= {DONE, FAILED}:
        return FAILED
    return RUNNING


class Batch(Base):
    """One upload for a whole đảng bộ: a job per chi bộ and one for the summary."""

    __tablename__ = "batches"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    title: Mapped[str] = mapped_column(String(300))
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    idempotency_key: Mapped[str | None] = mapped_column(String(200), unique=True, default=None)
    # "<organisation id or ->:<content hash>", unique: two submissions of the same content at
    # once make one batch (the second's insert fails and it answers the first's batch)
    claim: Mapped[str | None] = mapped_column(String(120), unique=True, default=None)
    organisation_id: Mapped[str | None] = mapped_column(
        ForeignKey("organisations.id", name="fk_batches_organisation_id"), index=True, default=None)
    created_by: Mapped[str | None] = mapped_column(String(32), default=None)
    created_at: Mapped[datetime] = mapped_column(default=now, index=True)
    revision: Mapped[int] = mapped_column(default=1, server_default="1")
    changed_at: Mapped[datetime | None] = mapped_column(default=None)
    year: Mapped[int | None] = mapped_column(default=None, index=True)
    search: Mapped[str] = mapped_column(String(400), default="", server_default="")
    jobs: Mapped[list[Job]] = relationship(back_populates="batch", order_by="Job.position",
                                           cascade="all, delete-orphan")


class Job(Base):
    """One submission of meeting data."""

    __tablename__ = "jobs"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    batch_id: Mapped[str | None] = mapped_column(ForeignKey("batches.id", ondelete="CASCADE"),
                                                 index=True, default=None)
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(300))
    input_key: Mapped[str] = mapped_column(String(300))
    warnings_json: Mapped[str] = mapped_column(Text, default="[]")
    organisation_id: Mapped[str | None] = mapped_column(
        ForeignKey("organisations.id", name="fk_jobs_organisation_id"), index=True, default=None)
    created_by: Mapped[str | None] = mapped_column(String(32), default=None)
    created_at: Mapped[datetime] = mapped_column(default=now, index=True)
    # corrections: the revision of the documents shown, the earlier ones in ``revisions``
    revision: Mapped[int] = mapped_column(default=1, server_default="1")
    changed_at: Mapped[datetime | None] = mapped_column(default=None)
    changed_by: Mapped[str | None] = mapped_column(String(32), default=None)
    is_draft: Mapped[bool] = mapped_column(default=False, server_default=false())
    # for lists, filters and file names (from the meeting data, kept with each revision)
    year: Mapped[int | None] = mapped_column(default=None, index=True)
    meeting_date: Mapped[date | None] = mapped_column(default=None)
    unit_name: Mapped[str | None] = mapped_column(String(200), default=None)
    search: Mapped[str] = mapped_column(String(400), default="", server_default="")
    only_types: Mapped[str | None] = mapped_column(Text, default=None)  # ?documents=, comma-separated
    documents: Mapped[list[Document]] = relationship(
        back_populates="job", order_by="Document.position", cascade="all, delete-orphan"
    )
    revisions: Mapped[list[JobRevision]] = relationship(
        back_populates="job", order_by="JobRevision.number", cascade="all, delete-orphan"
    )
    batch: Mapped[Batch | None] = relationship(back_populates="jobs")

    @property
    def warnings(self) -> list[str]:
        """Warnings found while computing the figures (shown to the secretary, never silent)."""
        return list(json.loads(self.warnings_json))

    @property
    def status(self) -> str:
        """``draft``, or derived from the documents' states."""
        return DRAFT if self.is_draft else derived_status({d.status for d in self.documents})

    def key_base(self, document: Document) -> str:
        """The storage key of *document* without its suffix (``.pdf``, ``.docx``, …).

        ``jobs/<id>/r<n>/<document id>``: ids and numbers only — never a name, which is made
        of members' names — so no revision ever overwrites another's files. A document that has
        its keys already (written, or made before keys were ids: ``jobs/<id>/<name>``, frozen by
        migration 0005) keeps them.
        """
        if document.pdf_key:
            return document.pdf_key.removesuffix(".pdf")
        return f"jobs/{self.id}/r{self.revision}/{document.id}"


class Document(Base):
    """One document of a job, built by one task."""

    __tablename__ = "documents"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    job_id: Mapped[str] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    doc_type: Mapped[str] = mapped_column(String(60))
    subject: Mapped[str | None] = mapped_column(String(200), default=None)
    name: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(400))
    status: Mapped[str] = mapped_column(String(10), default=QUEUED, index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    # set when a worker starts on the document, cleared when that attempt ends in any way it
    # can record: still set when the next attempt claims it means its process died mid-task
    started_at: Mapped[datetime | None] = mapped_column(default=None)
    crashes: Mapped[int] = mapped_column(default=0, server_default="0")  # worker processes it took down
    # the worker (Celery node) that started the current attempt; an attempt found unfinished by
    # another node died with its whole worker: an interruption, nobody's fault (not a crash)
    started_by: Mapped[str | None] = mapped_column(String(200), default=None)
    interruptions: Mapped[int] = mapped_column(default=0, server_default="0")
    error_type: Mapped[str | None] = mapped_column(String(60), default=None)
    error_detail: Mapped[str | None] = mapped_column(Text, default=None)
    docx_key: Mapped[str | None] = mapped_column(String(300), default=None)
    pdf_key: Mapped[str | None] = mapped_column(String(300), default=None)
    pages: Mapped[int | None] = mapped_column(default=None)
    updated_at: Mapped[datetime] = mapped_column(default=now, onupdate=now)
    # the uploaded template version that made the files (``template_versions.id``); None: built-in
    template_version_id: Mapped[str | None] = mapped_column(String(32), default=None)
    # what made it (SHA-256 of input, template, fonts; the LibreOffice) and of its own PDF
    pdf_sha256: Mapped[str | None] = mapped_column(String(64), index=True, default=None)
    provenance_json: Mapped[str | None] = mapped_column(Text, default=None)
    # the digitally signed copy sent back, and a scanned hand-signed copy ("bản ký tay")
    signed_json: Mapped[str | None] = mapped_column(Text, default=None)
    scan_json: Mapped[str | None] = mapped_column(Text, default=None)
    job: Mapped[Job] = relationship(back_populates="documents")

    @property
    def provenance(self) -> dict[str, Any] | None:
        """The SHA-256 of what made the document and of its PDF (``provenance_json``)."""
        return dict(json.loads(self.provenance_json)) if self.provenance_json else None

    @property
    def signed(self) -> dict[str, Any] | None:
        """The signed copy: signer, signed_at, trusted, note, its storage key and SHA-256."""
        return dict(json.loads(self.signed_json)) if self.signed_json else None

    def package_pdf_key(self, base: str) -> str:
        """The PDF that goes into the ZIP and the print PDF: the signed copy when there is one whose
        certificate chains to a root the operator trusts (``SIGNING_TRUST_ROOTS``), else ours."""
        return signed_package_key(self.signed, base)

    @property
    def scan(self) -> dict[str, Any] | None:
        """The scanned hand-signed copy: its storage key, type, size and when it came."""
        return dict(json.loads(self.scan_json)) if self.scan_json else None


def signed_package_key(signed: dict[str, Any] | None, base: str) -> str:
    """The key packages take for a document whose files are at *base* and whose signed copy is
    *signed*: the copy only when trusted; an untrusted one is kept and shown, never packed."""
    if signed and signed.get("key") and signed.get("trusted") is True:
        return str(signed["key"])
    return f"{base}.pdf"


class JobRevision(Base):
    """An earlier revision of a corrected job: its input and the files its documents had."""

    __tablename__ = "job_revisions"
    __table_args__ = (UniqueConstraint("job_id", "number", name="uq_job_revisions_job_id_number"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    job_id: Mapped[str] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column()
    made_at: Mapped[datetime] = mapped_column()
    replaced_at: Mapped[datetime] = mapped_column(default=now)
    replaced_by: Mapped[str | None] = mapped_column(String(32), default=None)
    input_key: Mapped[str] = mapped_column(String(300))
    title: Mapped[str] = mapped_column(String(300))
    unit_name: Mapped[str | None] = mapped_column(String(200), default=None)
    meeting_date: Mapped[date | None] = mapped_column(default=None)
    # [{"name", "type", "title", "pages", "status", "base"}]: its documents, and where their files are
    documents_json: Mapped[str] = mapped_column(Text, default="[]")
    job: Mapped[Job] = relationship(back_populates="revisions")

    @property
    def documents(self) -> list[dict[str, Any]]:
        """The documents this revision had, each with its state and its storage key ``base``."""
        return list(json.loads(self.documents_json))


class PackageState(Base):
    """A package asked for and not built yet: ``queued`` (since when) or ``failed`` (why).

    A package is a job's ZIP and print PDF (*kind* ``job``), a batch's ZIP (``batch``) or an
    earlier revision's (``revision``, *ident* ``<job id>:<number>``). The row goes once it is
    built; a failed one stays (the page says so, ``/healthz`` is red) until someone retries.
    """

    __tablename__ = "package_states"

    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    ident: Mapped[str] = mapped_column(String(80), primary_key=True)
    status: Mapped[str] = mapped_column(String(16))
    detail: Mapped[str | None] = mapped_column(Text, default=None)
    since: Mapped[datetime] = mapped_column(default=now, index=True)
