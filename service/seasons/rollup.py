"""The đảng bộ summary of a season, built from each unit's own review (never retyped).

Each unit counts by the newest revision of its own review of the season's year; a unit
without one is listed as such; the đảng ủy's decisions (on the unit, on members) are carried
in. The summary is one job of the đảng bộ, revised (never duplicated) whenever a source
changes: ``sources`` names the revision of each unit it counted, and ``stale`` tells when a
unit's review has moved on since.
"""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.accounts import Organisation
from service.errors import ConflictError
from service.jobs import models as jobs
from service.jobs import pipeline, revisions
from service.meetings.schemas import (
    AnnualReview,
    ChiBoDecision,
    DangBo,
    DangBoReview,
    Level,
    MemberDecision,
    UnitWithout,
)
from service.seasons import board
from service.seasons.models import MemberDecision as DecisionRow
from service.seasons.models import Season
from service.storage import Storage


def stale(session: Session, season: Season) -> bool:
    """Whether a unit's review changed since the summary was built (or it was never built)."""
    return season.summary_job_id is None or json.loads(season.summary_sources or "{}") != {
        org: [job.id, job.revision] for org, job in _made(session, season).items()
    }


def _made(session: Session, season: Season) -> dict[str, jobs.Job]:
    latest = board.latest_jobs(session, season, [u.organisation_id for u in season.units])
    return {org: job for org, job in latest.items() if not job.is_draft}


def review_of(
    session: Session, storage: Storage, season: Season
) -> tuple[DangBoReview, dict[str, list[object]]]:
    """The season's đảng bộ review from the units' own jobs; and the sources it counted."""
    office = session.get(Organisation, season.organisation_id)
    assert office is not None
    made = _made(session, season)
    names = {
        o.id: o.name
        for o in session.scalars(
            select(Organisation).where(Organisation.id.in_([u.organisation_id for u in season.units]))
        )
    }
    reviews: list[tuple[str, jobs.Job, AnnualReview]] = []
    without = []
    for unit in season.units:
        job = made.get(unit.organisation_id)
        meeting = board.meeting_of(job, storage) if job is not None else None
        if job is None or meeting is None:
            drafted = job is not None
            without.append(
                UnitWithout(
                    name=names[unit.organisation_id],
                    reason="mới có bản nháp" if drafted else "chưa có báo cáo",
                )
            )
        else:
            reviews.append((unit.organisation_id, job, meeting))
    if not reviews:
        raise ConflictError("Chưa đơn vị nào của đợt có báo cáo kiểm điểm: chưa lập được biểu tổng hợp.")
    first = reviews[0][2].organisation
    superior = season.superior or (first.parents[0] if len(first.parents) > 1 else "")
    if not superior:
        raise ConflictError("Ghi “Đảng bộ cấp trên trực tiếp” của đợt trước khi lập biểu tổng hợp.")
    units = {u.organisation_id: u for u in season.units}
    by_name = {org: meeting.organisation.name for org, _, meeting in reviews}
    decisions = [
        ChiBoDecision(chi_bo=by_name[org], level=Level(str(units[org].decided_level)))
        for org, _, _ in reviews
        if units[org].decided_level
    ]
    member_decisions = [
        MemberDecision(
            chi_bo=by_name[row.organisation_id],
            member=row.member,
            level=Level(row.level),
            note=row.note or None,
        )
        for row in session.scalars(
            select(DecisionRow).where(DecisionRow.season_id == season.id).order_by(DecisionRow.id)
        )
        if row.organisation_id in by_name
    ]
    sources = [
        f"{meeting.organisation.name}: biên bản hội nghị ngày {meeting.end:%d/%m/%Y}, "
        f"bản {'gốc' if job.revision == 1 else f'sửa lần {job.revision - 1}'} (lần {job.revision})."
        for _, job, meeting in reviews
    ]
    review = DangBoReview(
        dang_bo=DangBo(
            name=office.name, parent=superior, place=season.place or first.place, review_year=season.year
        ),
        chi_bo=[meeting for _, _, meeting in reviews],
        decisions=decisions,
        member_decisions=member_decisions,
        without=without,
        sources=sources,
    )
    counted: dict[str, list[object]] = {org: [job.id, job.revision] for org, job, _ in reviews}
    return review, counted


def build(session: Session, storage: Storage, season: Season, actor_id: str | None) -> list[jobs.Document]:
    """Make the summary, or its next revision; the documents to queue (after the commit)."""
    review, counted = review_of(session, storage, season)
    job = session.get(jobs.Job, season.summary_job_id) if season.summary_job_id else None
    if job is None:
        job = pipeline.submit(
            review.model_dump(mode="json"),
            session=session,
            storage=storage,
            owner=lambda _: season.organisation_id,
            created_by=actor_id,
        )
        session.flush()
        season.summary_job_id = job.id
    else:
        if revisions.pending(job):
            raise ConflictError("Biểu tổng hợp đang được tạo; hãy chờ xong rồi lập lại.")
        revisions.revise(job, review, storage=storage, changed_by=actor_id)
    season.summary_sources = json.dumps(counted)
    return list(job.documents)


def rebuild_for(
    session: Session, storage: Storage, organisation_id: str | None, year: int | None, actor_id: str | None
) -> list[jobs.Document]:
    """After a unit's review changed: rebuild every summary of a season it belongs to that was
    built already and is not being built; the documents to queue."""
    if organisation_id is None or year is None:
        return []
    found: list[jobs.Document] = []
    seasons = session.scalars(select(Season).where(Season.year == year, Season.summary_job_id.is_not(None)))
    for season in seasons:
        if any(u.organisation_id == organisation_id for u in season.units) and stale(session, season):
            summary = session.get(jobs.Job, season.summary_job_id)
            if summary is not None and not revisions.pending(summary):
                found += build(session, storage, season, actor_id)
    return found
