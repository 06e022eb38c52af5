"""A season ("đợt") of the đảng ủy, its units, the đảng ủy's decisions, and the notices it sends.

Nothing here is a state typed by anyone: where a unit stands is computed from its documents
(``board``); what is stored is what only a person decides (the deadline, the đảng ủy's
decision and its note, that the đảng ủy reviewed) and what was sent (reminders, notices).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.accounts import models as accounts_models  # noqa: F401  # the organisations seasons refer to
from service.database import Base, new_id, now


class Season(Base):
    """One season of a đảng bộ: the annual review of a year (or a month's meetings) by a deadline."""

    __tablename__ = "seasons"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    organisation_id: Mapped[str] = mapped_column(
        ForeignKey("organisations.id", name="fk_seasons_organisation_id"), index=True
    )
    title: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20), default="annual_review")
    year: Mapped[int] = mapped_column()
    month: Mapped[int | None] = mapped_column(default=None)  # a season of monthly meetings: its month
    deadline: Mapped[date] = mapped_column()
    # for the summary's header: the đảng bộ directly above, and the place on its date line
    superior: Mapped[str] = mapped_column(String(200), default="")
    place: Mapped[str] = mapped_column(String(200), default="")
    created_by: Mapped[str | None] = mapped_column(String(32), default=None)
    created_at: Mapped[datetime] = mapped_column(default=now)
    # the đảng bộ summary built from the units' own jobs, and which revision of each it counted
    summary_job_id: Mapped[str | None] = mapped_column(String(32), default=None)
    summary_sources: Mapped[str] = mapped_column(Text, default="{}")
    units: Mapped[list[SeasonUnit]] = relationship(
        back_populates="season", cascade="all, delete-orphan", order_by="SeasonUnit.id"
    )


class SeasonUnit(Base):
    """A unit taking part in a season, and what the đảng ủy decided on it."""

    __tablename__ = "season_units"
    __table_args__ = (UniqueConstraint("season_id", "organisation_id", name="uq_season_units_season_org"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    season_id: Mapped[str] = mapped_column(ForeignKey("seasons.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[str] = mapped_column(
        ForeignKey("organisations.id", name="fk_season_units_organisation_id"), index=True
    )
    decided_level: Mapped[str | None] = mapped_column(String(20), default=None)
    decision_note: Mapped[str] = mapped_column(Text, default="")
    reviewed_at: Mapped[datetime | None] = mapped_column(default=None)
    reviewed_by: Mapped[str | None] = mapped_column(String(32), default=None)
    reminded_on: Mapped[date | None] = mapped_column(default=None)
    season: Mapped[Season] = relationship(back_populates="units")


class MemberDecision(Base):
    """The đảng ủy's own level for one member of a unit, after review."""

    __tablename__ = "member_decisions"
    __table_args__ = (
        UniqueConstraint("season_id", "organisation_id", "member", name="uq_member_decisions_member"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    season_id: Mapped[str] = mapped_column(ForeignKey("seasons.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[str] = mapped_column(String(32), index=True)
    member: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    decided_by: Mapped[str | None] = mapped_column(String(32), default=None)
    decided_at: Mapped[datetime] = mapped_column(default=now)


class Notice(Base):
    """A notice on a unit's home page (a reminder of the office)."""

    __tablename__ = "notices"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    organisation_id: Mapped[str] = mapped_column(
        ForeignKey("organisations.id", name="fk_notices_organisation_id"), index=True
    )
    season_id: Mapped[str | None] = mapped_column(String(32), default=None)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=now)
    read_at: Mapped[datetime | None] = mapped_column(default=None)
