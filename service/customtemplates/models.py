"""Uploaded templates: one row per version of an organisation's form for one document type.

A version is its bytes (stored at ``templates/<id>.docx``, named by id only), identified by
their SHA-256: the same bytes uploaded again for the same organisation and type are the same
version. At most one version of an organisation and type is active; none active means the
built-in template. Versions are never deleted, so a document keeps naming what made it.
"""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from service.accounts import models as accounts_models  # noqa: F401  # the organisations it belongs to
from service.database import Base, new_id, now

PREVIEW_NONE, PREVIEW_QUEUED, PREVIEW_DONE, PREVIEW_FAILED = "none", "queued", "done", "failed"


class TemplateVersion(Base):
    """One uploaded DOCX of an organisation for one document type."""

    __tablename__ = "template_versions"
    __table_args__ = (UniqueConstraint("organisation_id", "doc_type", "sha256",
                                       name="uq_template_versions_org_type_sha256"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    organisation_id: Mapped[str] = mapped_column(
        ForeignKey("organisations.id", name="fk_template_versions_organisation_id"), index=True)
    doc_type: Mapped[str] = mapped_column(String(60))
    number: Mapped[int] = mapped_column()  # 1, 2, … per organisation and type
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column()
    filename: Mapped[str] = mapped_column(String(200), default="")
    storage_key: Mapped[str] = mapped_column(String(300))
    warnings_json: Mapped[str] = mapped_column(Text, default="[]")
    active: Mapped[bool] = mapped_column(default=False, server_default=false())
    uploaded_by: Mapped[str | None] = mapped_column(String(32), default=None)
    uploaded_by_name: Mapped[str] = mapped_column(String(100), default="")
    uploaded_at: Mapped[datetime] = mapped_column(default=now)
    activated_at: Mapped[datetime | None] = mapped_column(default=None)
    preview_status: Mapped[str] = mapped_column(String(10), default=PREVIEW_NONE,
                                                server_default=PREVIEW_NONE)
    preview_detail: Mapped[str | None] = mapped_column(Text, default=None)

    @property
    def warnings(self) -> list[str]:
        """What the check at upload found worth a look, but not refusing (in Vietnamese)."""
        return list(json.loads(self.warnings_json))

    @property
    def preview_pdf_key(self) -> str:
        """Where the preview PDF is stored."""
        return f"templates/{self.id}.preview.pdf"

    @property
    def preview_png_key(self) -> str:
        """Where the preview's first-page picture is stored."""
        return f"templates/{self.id}.preview.png"
