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
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.accounts import models as accounts_models  # noqa: F401  # the organisations jobs refer to
from service.database import Base, new_id, now

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"



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
    organisation_id: Mapped[str | None] = mapped_column(
        ForeignKey("organisations.id", name="fk_batches_organisation_id"), index=True, default=None)
    created_by: Mapped[str | None] = mapped_column(String(32), default=None)
    created_at: Mapped[datetime] = mapped_column(default=now)
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
    created_at: Mapped[datetime] = mapped_column(default=now)
    documents: Mapped[list[Document]] = relationship(
        back_populates="job", order_by="Document.position", cascade="all, delete-orphan"
    )
    batch: Mapped[Batch | None] = relationship(back_populates="jobs")

    @property
    def warnings(self) -> list[str]:
        """Warnings found while computing the figures (shown to the secretary, never silent)."""
        return list(json.loads(self.warnings_json))

    @property
    def status(self) -> str:
        """Derived from the documents' states."""
        return derived_status({d.status for d in self.documents})


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
    error_type: Mapped[str | None] = mapped_column(String(60), default=None)
    error_detail: Mapped[str | None] = mapped_column(Text, default=None)
    docx_key: Mapped[str | None] = mapped_column(String(300), default=None)
    pdf_key: Mapped[str | None] = mapped_column(String(300), default=None)
    pages: Mapped[int | None] = mapped_column(default=None)
    updated_at: Mapped[datetime] = mapped_column(default=now, onupdate=now)
    job: Mapped[Job] = relationship(back_populates="documents")

