"""The roster of a chi bộ: one row per member on record (left members stay, with their date)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from service.database import Base, new_id, now


class RosterMember(Base):
    """One đảng viên on a chi bộ's roster, as the secretary keeps it."""

    __tablename__ = "roster_members"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)  # the order of the list
    name: Mapped[str] = mapped_column(String(120))
    birth_date: Mapped[date | None] = mapped_column(Date, default=None)
    birth_year: Mapped[int | None] = mapped_column(default=None)  # only the year is known
    sex: Mapped[str | None] = mapped_column(String(3), default=None)  # "nam" | "nu"
    admitted_on: Mapped[date | None] = mapped_column(Date, default=None)
    official_on: Mapped[date | None] = mapped_column(Date, default=None)
    membership: Mapped[str] = mapped_column(String(10), default="chinh_thuc")
    exempt: Mapped[bool] = mapped_column(default=False)
    party_post: Mapped[str | None] = mapped_column(String(300), default=None)
    job_post: Mapped[str | None] = mapped_column(String(300), default=None)
    leadership_post: Mapped[bool] = mapped_column(default=False)
    outside_political_system: Mapped[bool] = mapped_column(default=False)
    card_number: Mapped[str | None] = mapped_column(String(40), default=None)
    cccd: Mapped[str | None] = mapped_column(String(12), default=None)
    left_on: Mapped[date | None] = mapped_column(Date, default=None)
    left_reason: Mapped[str | None] = mapped_column(String(12), default=None)
    updated_at: Mapped[datetime] = mapped_column(default=now, onupdate=now)
