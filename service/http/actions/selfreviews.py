"""The self-review use cases the API and the pages share: links, the member's steps, the secretary's.

The secretary (signed in) makes, lists and revokes the links of a draft annual review, reads what
each member sent and accepts it or returns it with a note; an accepted text is written into the
draft's data (``content.merge``), so the secretary's form shows her self-rating and scores and the
documents print her words. The member (no account) reaches only her own row, through her token.
Every use of a link is audited.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from flask import current_app, url_for
from sqlalchemy.orm import Session

from service import accounts, roster
from service.documents.ban_kiem_diem_ca_nhan import VARIANTS, variant
from service.documents.common import slug
from service.errors import ConflictError, FieldProblem, InvalidMeetingError, NotFoundError
from service.extensions import get_storage, session_scope
from service.http import auth
from service.http.actions.access import load_job
from service.jobs import drafts, models, queue
from service.meetings import vnformat as vn
from service.meetings.rules import regime_for
from service.meetings.schemas import Member
from service.selfreviews import content, links, printing
from service.selfreviews.models import ACCEPTED, SelfReview
from service.storage import Storage


def _annual_draft(session: Session, job_id: str) -> models.Job:
    job = load_job(session, job_id)
    if job.kind != "annual_review":
        raise NotFoundError("Chỉ hội nghị kiểm điểm cuối năm mới có bản tự kiểm điểm của đảng viên.")
    return job


def _payload(job: models.Job, storage: Storage) -> dict[str, Any]:
    data = json.loads(storage.get(job.input_key))
    return data if isinstance(data, dict) else {}


def scored(payload: dict[str, Any], job: models.Job) -> bool:
    """Whether the review's year scores members out of 100 (2025 on)."""
    year = payload.get("review_year") or job.year or date.today().year
    try:
        return regime_for(int(year)).scored
    except (TypeError, ValueError):
        return True


def _members(payload: dict[str, Any]) -> list[dict[str, Any]]:
    return [m for m in payload.get("members") or [] if isinstance(m, dict) and m.get("name")]


def _key(member: dict[str, Any]) -> str:
    return str(member.get("id") or member.get("name"))


def _expiry(text: Any) -> date:
    today = date.today()
    most = int(current_app.config["SELF_REVIEW_LINK_MAX_DAYS"])
    if text in (None, ""):
        return today + timedelta(days=int(current_app.config["SELF_REVIEW_LINK_DAYS"]))
    try:
        day = date.fromisoformat(str(text))
    except ValueError:
        day = None
    if day is None or day < today or day > today + timedelta(days=most):
        raise InvalidMeetingError([FieldProblem("expires_on", f"Hạn dùng liên kết: một ngày từ hôm nay đến "
                                                f"{vn.short_date(today + timedelta(days=most))}.")])
    return day


def _chosen(session: Session, job: models.Job, payload: dict[str, Any],
            wanted: list[Any]) -> list[tuple[dict[str, Any], str | None]]:
    """The meeting's members named by roster id or name, each with her roster id when known."""
    on_roster = {r.id: r for r in roster.members(session, job.organisation_id)} if job.organisation_id else {}
    by_name = {vn_fold(str(m["name"])): m for m in _members(payload)}
    found, problems = [], []
    for index, item in enumerate(wanted):
        text = str(item.get("roster_id") or item.get("name") or "") if isinstance(item, dict) else str(item)
        row = on_roster.get(text)
        name = row.name if row is not None else text
        member = by_name.get(vn_fold(name))
        if member is None:
            problems.append(FieldProblem(f"members[{index}]", f"\"{text[:120]}\" không có trong danh sách "
                                         "đảng viên của hội nghị này."))
            continue
        found.append((member, row.id if row is not None else None))
    if problems or not found:
        raise InvalidMeetingError(problems or [FieldProblem("members", "Hãy chọn ít nhất một đảng viên.")])
    return found


def vn_fold(text: str) -> str:
    """A name compared without case or extra spaces."""
    return " ".join(text.split()).casefold()


def member_link(token: str) -> str:
    """The address of a member's page (the token is its only permission)."""
    return url_for("selfreview_pages.member_page", token=token, _external=True)


def create_links(job_id: str, wanted: Any, expires_on: Any) -> list[dict[str, Any]]:
    """One new link per member named (an earlier link of hers stops working); each with its expiry."""
    if not isinstance(wanted, list) or len(wanted) > 2000:
        raise InvalidMeetingError([FieldProblem("members", "Hãy gửi danh sách đảng viên (mã hoặc họ tên).")])
    day = _expiry(expires_on)
    made = []
    with session_scope() as session:
        job = _annual_draft(session, job_id)
        if not job.is_draft:
            raise ConflictError("Hội nghị này đã được tạo văn bản: chỉ tạo liên kết tự kiểm điểm cho bản "
                                "nháp của hội nghị.")
        payload = _payload(job, get_storage())
        for member, roster_id in _chosen(session, job, payload, wanted):
            review, token = links.issue(session, job_id=job.id, organisation_id=job.organisation_id,
                                        member_key=_key(member), member_name=str(member["name"]),
                                        roster_member_id=roster_id, expires_on=day,
                                        created_by=auth.caller().id)
            session.flush()
            auth.audit(session, "self-review-link", "self_review", review.id, job.organisation_id,
                       f"{job.title}: {review.member_name}")
            made.append({**links.summary(review), "link": member_link(token)})
    return made


def states(job_id: str) -> dict[str, Any]:
    """The job's members and, for each who has a link, her state."""
    with session_scope() as session:
        job = _annual_draft(session, job_id)
        payload = _payload(job, get_storage())
        reviews = {r.member_key: links.summary(r) for r in links.for_job(session, job.id)}
        members = [{"name": m["name"], "key": _key(m), "variant": variant(_member(m)),
                    "self_review": reviews.get(_key(m))} for m in _members(payload)]
        return {"job": {"id": job.id, "title": job.title, "draft": job.is_draft},
                "members": members, "self_reviews": list(reviews.values())}


def revoke(job_id: str, member: str) -> dict[str, Any]:
    """Revoke one member's link (what she wrote stays)."""
    with session_scope() as session:
        job = _annual_draft(session, job_id)
        review = links.find(session, job.id, member)
        links.revoke(review)
        auth.audit(session, "self-review-revoke", "self_review", review.id, job.organisation_id,
                   f"{job.title}: {review.member_name}")
        return links.summary(review)


def read(job_id: str, review_id: str) -> dict[str, Any]:
    """One member's self-review as the secretary reads it."""
    with session_scope() as session:
        job = _annual_draft(session, job_id)
        review = links.find(session, job.id, review_id)
        payload = _payload(job, get_storage())
        auth.audit(session, "self-review-read", "self_review", review.id, job.organisation_id,
                   review.member_name)
        return _view(review, job, payload)


def decide(job_id: str, review_id: str, *, accept: bool, note: str) -> dict[str, Any]:
    """Accept a sent self-review (written into the draft's data) or return it with a note."""
    note = note.strip()[:2000]
    if not accept and not note:
        raise InvalidMeetingError([FieldProblem("note", "Hãy ghi vì sao trả lại, để đồng chí đó sửa.")])
    storage = get_storage()
    with session_scope() as session:
        job = _annual_draft(session, job_id)
        review = links.find(session, job.id, review_id)
        links.decide(review, accept=accept, note=note)
        if accept and job.is_draft:
            merge_accepted(session, job, storage)
        auth.audit(session, "self-review-accept" if accept else "self-review-return", "self_review",
                   review.id, job.organisation_id, f"{review.member_name}{'' if accept else ': ' + note}")
        return links.summary(review)


def merge_accepted(session: Session, job: models.Job, storage: Storage) -> None:
    """Write every accepted self-review of the draft *job* into its data."""
    payload = _payload(job, storage)
    accepted = {r.member_key: content.as_rating(r.content, scored=scored(payload, job))
                for r in links.for_job(session, job.id) if r.state == ACCEPTED}
    if accepted:
        drafts.save(job, content.merge(payload, accepted), storage=storage,
                    max_bytes=int(current_app.config["DRAFT_MAX_BYTES"]),
                    organisation_id=job.organisation_id, created_by=job.changed_by)


def missing_warnings(session: Session, job: models.Job) -> list[str]:
    """The review's warnings for members who were given a link and whose text was not accepted."""
    missing = links.missing(links.for_job(session, job.id))
    if not missing:
        return []
    names = ", ".join(r.member_name for r in missing)
    return [f"Chưa có bản tự kiểm điểm được chi bộ nhận của {len(missing)} đảng viên ({names}): bản kiểm "
            "điểm của họ được in để trống (dòng chấm) để viết tay."]


# the member's side: her token is her only permission


def _member(data: dict[str, Any]) -> Member:
    return Member(name=str(data.get("name")), leadership_post=bool(data.get("leadership_post")),
                  outside_political_system=bool(data.get("outside_political_system")))


def _view(review: SelfReview, job: models.Job, payload: dict[str, Any]) -> dict[str, Any]:
    member = next((m for m in _members(payload) if _key(m) == review.member_key),
                  {"name": review.member_name})
    form = variant(_member(member))
    birth = member.get("birth_date")
    org = payload.get("organisation") if isinstance(payload.get("organisation"), dict) else {}
    year = payload.get("review_year") or job.year
    written = review.content
    return {"id": review.id, "name": review.member_name, "form": form, "variant": VARIANTS[form],
            "birth": vn.short_date(date.fromisoformat(str(birth))) if birth else "",
            "posts": member.get("position") or "", "unit": member.get("unit") or "",
            "chi_bo": (org or {}).get("name") or job.unit_name or "", "year": year,
            "scored": scored(payload, job), "state": review.state, "state_label": review.state_label,
            "note": review.note, "editable": links.editable(review), "content": written,
            "band": content.band(written), "total": content.total(written),
            "expires_on": vn.short_date(review.expires_on)}


def _by_token(session: Session, token: str) -> tuple[SelfReview, models.Job]:
    review = links.by_token(session, token, date.today())
    job = session.get(models.Job, review.job_id)
    if job is None:  # pragma: no cover - the row goes with its job (ON DELETE CASCADE)
        raise NotFoundError("Liên kết này không còn dùng được.")
    return review, job


def member_page(token: str, *, printing: bool = False) -> dict[str, Any]:
    """Her page (or its print): who she is, her form as she left it, the chi bộ's note; audited."""
    with session_scope() as session:
        review, job = _by_token(session, token)
        links.opened(review)
        accounts.record(session, None, "self-review-print" if printing else "self-review-open", "self_review",
                        review.id, job.organisation_id, review.member_name)
        return _view(review, job, _payload(job, get_storage()))


def member_save(token: str, form: dict[str, str], *,
                sending: bool) -> tuple[dict[str, Any], list[FieldProblem]]:
    """Keep what she typed (always, limits permitting); ``sending``: hand it in if nothing is missing."""
    typed = content.raw(form)
    with session_scope() as session:
        review, job = _by_token(session, token)
        payload = _payload(job, get_storage())
        found = content.problems(typed, scored=scored(payload, job), sending=sending)
        if not links.editable(review):
            raise ConflictError("Bản kiểm điểm đã gửi chi bộ; chỉ sửa được khi chi bộ trả lại.")
        links.save(review, typed, sending=sending and not found)
        accounts.record(session, None, "self-review-send" if sending and not found else "self-review-save",
                        "self_review", review.id, job.organisation_id, review.member_name)
        return _view(review, job, payload), found


def member_pdf(token: str) -> tuple[str, bytes | None, str]:
    """Her own Mẫu 02 as a PDF, made by a worker from what she saved: ``("ready", pdf, file
    name)``, ``("pending", None, "")`` (queued now or already), or ``("failed", None, why)``."""
    storage = get_storage()
    with session_scope() as session:
        review, job = _by_token(session, token)
        raw = storage.get(job.input_key)
        where, made = printing.keys(review), printing.digest(raw, review)
        record = json.loads(storage.get(where.made)) if storage.exists(where.made) else {}
        ready = record.get("digest") == made
        if ready and not record.get("error"):
            accounts.record(session, None, "self-review-pdf", "self_review", review.id, job.organisation_id,
                            review.member_name)
        review_id, input_key, name = review.id, job.input_key, review.member_name
    if not ready:
        queue.self_review_pdf(review_id, input_key, made, redis_url=current_app.config["REDIS_URL"])
        return "pending", None, ""
    if record.get("error"):
        return "failed", None, str(record["error"])
    return "ready", storage.get(where.pdf), f"ban-tu-kiem-diem-{slug(name)}.pdf"
