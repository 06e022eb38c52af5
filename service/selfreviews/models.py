"""One member's self-review of one annual review: her personal link and what she wrote.

The link's token is never stored: only its SHA-256 (``token_hash``). The token is 32 random
bytes, so a hash suffices (nothing to guess, no password to stretch); a new link for the same
member replaces the hash, and the old link stops working at once. The row refers to its job by
the table's name only (``jobs`` is a package of the same row, never imported here).
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from service.database import Base, new_id, now

# her state, in the order a review goes through them
LINKED, OPENED, SAVED, SENT, RETURNED, ACCEPTED = "linked", "opened", "saved", "sent", "returned", "accepted"
STATES = (LINKED, OPENED, SAVED, SENT, RETURNED, ACCEPTED)
STATE_LABELS = {LINKED: "Đã tạo liên kết", OPENED: "Đã mở", SAVED: "Đang viết (đã lưu nháp)",
                SENT: "Đã gửi chi bộ", RETURNED: "Chi bộ trả lại để sửa", ACCEPTED: "Chi bộ đã nhận"}


class SelfReview(Base):
    """A member's self-review (Mẫu 02A/B/C) written from her personal link."""

    __tablename__ = "self_reviews"
    __table_args__ = (UniqueConstraint("job_id", "member_key", name="uq_self_reviews_job_id_member_key"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    job_id: Mapped[str] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[str | None] = mapped_column(String(32), default=None, index=True)
    member_key: Mapped[str] = mapped_column(String(120))  # the meeting's key: its id, else its name
    member_name: Mapped[str] = mapped_column(String(120))
    roster_member_id: Mapped[str | None] = mapped_column(String(32), default=None)
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True, default=None)
    expires_on: Mapped[date] = mapped_column(Date)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)
    state: Mapped[str] = mapped_column(String(10), default=LINKED)
    created_at: Mapped[datetime] = mapped_column(default=now)
    created_by: Mapped[str | None] = mapped_column(String(32), default=None)
    opened_at: Mapped[datetime | None] = mapped_column(default=None)
    saved_at: Mapped[datetime | None] = mapped_column(default=None)
    sent_at: Mapped[datetime | None] = mapped_column(default=None)
    decided_at: Mapped[datetime | None] = mapped_column(default=None)
    note: Mapped[str | None] = mapped_column(Text, default=None)  # the secretary's note when returned
    content_json: Mapped[str] = mapped_column(Text, default="{}")

    @property
    def content(self) -> dict[str, Any]:
        """What she wrote: ``review`` (six sections), ``self_rating``, ``scores``."""
        return dict(json.loads(self.content_json or "{}"))

    @property
    def state_label(self) -> str:
        """Her state in Vietnamese."""
        return STATE_LABELS.get(self.state, self.state)
