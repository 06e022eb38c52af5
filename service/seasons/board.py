"""The board of a season: where each unit stands, computed from its own documents, never typed.

States, in the order a unit passes them: ``not_started`` (no review of the season's year),
``draft`` (saved, nothing made), ``documents_made``, ``votes_complete`` (every member to rate
and the chi bộ itself have their votes), ``signed`` (a signed or hand-signed copy came back),
``reviewed`` (the đảng ủy recorded its review). Beside the state, what the documents show is
wrong or missing: meeting after the deadline, attendance below the quorum, members without a
rating (and why), the "xuất sắc" cap exceeded, self-reviews missing (``SELF_REVIEW_CHECKS``: a
hook for the self-review feature). A season of monthly meetings reads each unit's minutes of
its month instead: the meeting's day against the deadline, attendance below the quorum, the
HD 42 duration and preparation warnings and the shows of hands that fall short. Rows come
sorted so that the office sees first whom to call.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.accounts import Organisation, User
from service.errors import ServiceError
from service.jobs import models as jobs
from service.meetings import vnformat as vn
from service.meetings.figures import (
    Presence,
    Standing,
    compute,
    hands_short,
    monthly_warnings,
    presence,
    resolution_votes,
)
from service.meetings.schemas import AnnualReview, MonthlyMeeting
from service.meetings.validation import parse_meeting
from service.meetings.vnformat import fold_words
from service.seasons.models import Season, SeasonUnit
from service.selfreviews import links
from service.storage import Storage

STATES = ("not_started", "draft", "documents_made", "votes_complete", "signed", "reviewed")
STATE_LABELS = {
    "not_started": "Chưa bắt đầu",
    "draft": "Bản nháp",
    "documents_made": "Đã tạo tài liệu",
    "votes_complete": "Đủ số phiếu",
    "signed": "Đã nhận bản ký",
    "reviewed": "Đảng ủy đã xem xét",
}
QUORUM = (2, 3)  # at least two thirds of the members called (Điều lệ Đảng, Điều 11; domain §2.6)

# the self-review hook: each check answers what is missing for a unit's review (another
# feature builds the members' own self-reviews and registers its check here)
SelfReviewCheck = Callable[[Session, jobs.Job, AnnualReview], list[str]]
SELF_REVIEW_CHECKS: list[SelfReviewCheck] = []


@dataclass
class Row:
    """One unit on the board."""

    organisation_id: str
    name: str
    state: str
    job_id: str | None = None
    revision: int | None = None
    meeting_date: date | None = None
    secretaries: list[dict[str, Any]] = field(default_factory=list)
    signed: dict[str, Any] | None = None
    problems: list[str] = field(default_factory=list)
    not_rated: list[str] = field(default_factory=list)
    decided_level: str | None = None
    decision_note: str = ""
    reminded_on: date | None = None
    members: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """The row as the API shows it."""
        return {
            "organisation_id": self.organisation_id,
            "name": self.name,
            "state": self.state,
            "state_label": STATE_LABELS[self.state],
            "job_id": self.job_id,
            "revision": self.revision,
            "meeting_date": self.meeting_date.isoformat() if self.meeting_date else None,
            "secretaries": self.secretaries,
            "signed": self.signed,
            "problems": self.problems,
            "not_rated": self.not_rated,
            "decided_level": self.decided_level,
            "decision_note": self.decision_note,
            "reminded_on": self.reminded_on.isoformat() if self.reminded_on else None,
            "members": self.members,
        }


def latest_jobs(session: Session, season: Season, unit_ids: Collection[str]) -> dict[str, jobs.Job]:
    """Each unit's review of the season's year (a monthly season: its minutes of the season's
    month, by the meeting's day): its newest job (a draft only when nothing else)."""
    found: dict[str, jobs.Job] = {}
    query = (
        select(jobs.Job)
        .where(
            jobs.Job.kind == ("monthly" if season.kind == "monthly" else "annual_review"),
            jobs.Job.year == season.year,
            jobs.Job.organisation_id.in_(list(unit_ids)),
        )
        .order_by(jobs.Job.is_draft.desc(), jobs.Job.created_at)
    )
    for job in session.scalars(query):
        if season.kind == "monthly" and (job.meeting_date is None or job.meeting_date.month != season.month):
            continue
        if job.organisation_id is not None:
            found[job.organisation_id] = job  # made ones after drafts, newest last: it wins
    return found


def meeting_of(job: jobs.Job, storage: Storage) -> AnnualReview | None:
    """The review a made job holds (None: a draft, or data that no longer reads)."""
    if job.is_draft:
        return None
    try:
        meeting = parse_meeting(json.loads(storage.get(job.input_key)))
    except (ServiceError, ValueError):
        return None
    return meeting if isinstance(meeting, AnnualReview) else None


def monthly_of(job: jobs.Job, storage: Storage) -> MonthlyMeeting | None:
    """The monthly minutes a made job holds (None: a draft, or data that no longer reads)."""
    if job.is_draft:
        return None
    try:
        meeting = parse_meeting(json.loads(storage.get(job.input_key)))
    except (ServiceError, ValueError):
        return None
    return meeting if isinstance(meeting, MonthlyMeeting) else None


def _late_or_short(row: Row, season: Season, meeting_day: date, figures: Presence) -> None:
    """The meeting after the deadline; fewer present than the quorum of those called."""
    if meeting_day > season.deadline:
        row.problems.append(f"Họp ngày {meeting_day:%d/%m/%Y}, sau hạn {season.deadline:%d/%m/%Y}.")
    need = -(-figures.summoned * QUORUM[0] // QUORUM[1])
    if len(figures.present) < need:
        row.problems.append(
            f"Dự họp {vn.ratio(len(figures.present), figures.summoned)} đảng viên phải "
            f"triệu tập, dưới 2/3 (cần {vn.count(need)})."
        )


def _monthly_problems(row: Row, meeting: MonthlyMeeting, season: Season) -> str:
    """A monthly season's row: what the minutes show wrong; the state their votes give."""
    figures = presence(meeting.members)
    _late_or_short(row, season, meeting.start.date(), figures)
    row.problems.extend(monthly_warnings(meeting))  # HD 42: too short, materials posted too late
    hands = [f"{name}: {hands_short(cast, figures.voters_present)}"
             for name, cast in resolution_votes(meeting) if cast < figures.voters_present]
    row.problems.extend(hands)
    voted = meeting.resolution is not None or bool(meeting.resolutions)
    return "votes_complete" if voted and not hands else "documents_made"


def _signed(job: jobs.Job) -> dict[str, Any] | None:
    for document in job.documents:
        signed, scan = document.signed, document.scan
        if signed:
            return {
                "document": document.title,
                "signer": signed.get("signer"),
                "trusted": bool(signed.get("trusted")),
                "note": signed.get("note"),
                "hand_signed": False,
            }
        if scan:
            return {
                "document": document.title,
                "signer": None,
                "trusted": False,
                "note": f"bản ký tay (bản quét), nhận lúc {str(scan.get('received_at', ''))[:16]}",
                "hand_signed": True,
            }
    return None


def _problems(row: Row, review: AnnualReview, season: Season, job: jobs.Job, session: Session) -> str:
    """Fill the row's problems from the review; answer the state the votes give."""
    figures = compute(review)
    _late_or_short(row, season, review.end.date(), figures)
    missing = [item.member.name for item in figures.standing(Standing.MISSING)]
    if missing:
        row.problems.append("Chưa xếp loại, không ghi lý do: " + ", ".join(missing) + ".")
    no_votes = [item.member.name for item in figures.standing(Standing.NO_VOTES)]
    if no_votes:
        row.problems.append("Chưa nhập số phiếu: " + ", ".join(no_votes) + ".")
    row.not_rated = [f"{item.member.name}: {item.reason}" for item in figures.standing(Standing.NOT_RATED)]
    if figures.quota_warning:
        row.problems.append(figures.quota_warning)
    for check in SELF_REVIEW_CHECKS:
        row.problems.extend(check(session, job, review))
    row.members = [
        {
            "name": item.member.name,
            "proposed": item.result.value if item.result else None,
            "standing": item.standing.value,
        }
        for item in figures.member_results
    ]
    complete = figures.chi_bo_votes > 0 and not missing and not no_votes
    return "votes_complete" if complete else "documents_made"


def unit_row(
    session: Session,
    storage: Storage,
    season: Season,
    unit: SeasonUnit,
    org: Organisation,
    job: jobs.Job | None,
    today: date,
) -> Row:
    """One unit's row, computed from its newest review."""
    users = session.scalars(select(User).where(User.organisation_id == org.id, User.active.is_(True)))
    row = Row(
        org.id,
        org.name,
        "not_started",
        decided_level=unit.decided_level,
        decision_note=unit.decision_note,
        reminded_on=unit.reminded_on,
        secretaries=[{"id": u.id, "username": u.username, "email": bool(u.email)} for u in users],
    )
    if job is None:
        if today > season.deadline:
            what = "biên bản sinh hoạt tháng" if season.kind == "monthly" else "báo cáo"
            row.problems.append(f"Quá hạn {season.deadline:%d/%m/%Y}, chưa có {what}.")
        return row
    row.job_id, row.revision, row.meeting_date = job.id, job.revision, job.meeting_date
    waiting = [r.member_name for r in links.missing(links.for_job(session, job.id))]
    if waiting:  # members given a personal self-review link whose text is not accepted yet
        row.problems.append("Bản tự kiểm điểm chưa nhận: " + ", ".join(waiting) + ".")
    if season.kind == "monthly":
        minutes = monthly_of(job, storage)
        if minutes is None:
            row.state = "draft"
            return row
        state = _monthly_problems(row, minutes, season)
    else:
        review = meeting_of(job, storage)
        if review is None:
            row.state = "draft"
            return row
        state = _problems(row, review, season, job, session)
    row.signed = _signed(job)
    if row.signed is not None and state == "votes_complete":
        state = "signed"
    if unit.reviewed_at is not None:
        state = "reviewed"
    row.state = state
    return row


def board(
    session: Session, storage: Storage, season: Season, visible: Collection[str] | None, today: date
) -> list[Row]:
    """The rows the caller may see (a secretary: her unit's only), whom to call first on top."""
    units = [
        u
        for u in season.units
        if visible is None or season.organisation_id in visible or u.organisation_id in visible
    ]
    orgs = {
        o.id: o
        for o in session.scalars(
            select(Organisation).where(Organisation.id.in_([u.organisation_id for u in units]))
        )
    }
    latest = latest_jobs(session, season, orgs)
    rows = [
        unit_row(session, storage, season, u, orgs[u.organisation_id], latest.get(u.organisation_id), today)
        for u in units
    ]
    return sorted(rows, key=lambda r: (STATES.index(r.state), -len(r.problems), fold_words(r.name)))


def counts(rows: list[Row]) -> dict[str, int]:
    """How many units are in each state (every state named, zero or not)."""
    found = Counter(r.state for r in rows)
    return {state: found[state] for state in STATES}
