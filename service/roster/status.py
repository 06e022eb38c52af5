"""The members on record at a meeting's date, with their standing then: what a new meeting starts from.

A member admitted after the day, or who left on or before it, is not there. A dự bị whose
official date is on or before the day is chính thức then; one recorded chính thức whose
official date is after it was still dự bị. The form of the self-review follows the flags the
meeting schema uses: 02C outside the political system, else 02A with a leadership post, else
02B. ``as_member`` is a ``members[]`` item of a meeting (annual or monthly) as JSON.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from service.roster.models import RosterMember
from service.roster.store import members


@dataclass(frozen=True)
class MemberOnDate:
    """One member as a meeting of that day sees them."""

    id: str
    name: str
    birth_date: date | None
    membership: str  # "chinh_thuc" | "du_bi" on that day
    exempt: bool
    party_post: str | None
    job_post: str | None
    leadership_post: bool
    outside_political_system: bool

    @property
    def position(self) -> str | None:
        """A meeting member's post: the Party post, then the job (``Bí thư chi bộ, Hiệu trưởng``)."""
        posts = [p for p in (self.party_post, self.job_post) if p]
        return ", ".join(posts) or None

    @property
    def form(self) -> str:
        """The self-review form: 02A, 02B or 02C."""
        return "02C" if self.outside_political_system else "02A" if self.leadership_post else "02B"

    def as_member(self) -> dict[str, Any]:
        """The meeting's ``members[]`` item (JSON), present unless exempt."""
        member: dict[str, Any] = {"name": self.name, "membership": self.membership,
                                  "attendance": "exempt" if self.exempt else "present",
                                  "leadership_post": self.leadership_post,
                                  "outside_political_system": self.outside_political_system}
        if self.position:
            member["position"] = self.position
        if self.birth_date:
            member["birth_date"] = self.birth_date.isoformat()
        return member


def standing(row: RosterMember, on: date) -> str:
    """chinh_thuc or du_bi on *on*, by the official date when there is one."""
    if row.official_on is not None:
        return "chinh_thuc" if row.official_on <= on else "du_bi"
    return row.membership


def on_record(row: RosterMember, on: date) -> bool:
    """Whether *row* was a member of the chi bộ on *on*."""
    if row.left_on is not None and row.left_on <= on:
        return False
    return row.admitted_on is None or row.admitted_on <= on


def members_at(session: Session, organisation_id: str, on: date) -> list[MemberOnDate]:
    """The members of *organisation_id*'s roster on *on*, in the roster's order (empty: no roster)."""
    return [MemberOnDate(row.id, row.name, row.birth_date, standing(row, on), row.exempt, row.party_post,
                         row.job_post, row.leadership_post, row.outside_political_system)
            for row in members(session, organisation_id) if on_record(row, on)]
