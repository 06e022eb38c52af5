"""Personal links: made, found by their token, revoked; the member's and the secretary's steps.

A link is a capability: 32 random bytes (``secrets.token_urlsafe``), of which only the SHA-256
is kept; it opens one member's self-review of one annual review and nothing else, until the day
the secretary set (``expires_on``, inclusive) or until she revokes it. A revoked or expired link
raises ``LinkGoneError`` (410); a token that never existed ``NotFoundError`` (404). Callers record
every use in the audit log.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.database import now
from service.errors import ConflictError, LinkGoneError, NotFoundError
from service.selfreviews.models import ACCEPTED, LINKED, OPENED, RETURNED, SAVED, SENT, SelfReview

_GONE = "Liên kết này không còn dùng được"


def digest(token: str) -> str:
    """The SHA-256 of a link's token, as stored."""
    return hashlib.sha256(token.encode()).hexdigest()


def issue(session: Session, *, job_id: str, organisation_id: str | None, member_key: str,
          member_name: str, roster_member_id: str | None, expires_on: date,
          created_by: str | None) -> tuple[SelfReview, str]:
    """A new link for one member: her self-review row (kept when she had one) and the token.

    The token is returned once and never kept; an earlier link of hers stops working.
    """
    token = secrets.token_urlsafe(32)
    review = session.scalar(select(SelfReview).where(SelfReview.job_id == job_id,
                                                     SelfReview.member_key == member_key))
    if review is None:
        review = SelfReview(job_id=job_id, member_key=member_key, state=LINKED)
        session.add(review)
    review.organisation_id = organisation_id
    review.member_name = member_name
    review.roster_member_id = roster_member_id
    review.token_hash = digest(token)
    review.expires_on = expires_on
    review.revoked_at = None
    review.created_by = created_by
    review.created_at = now()
    return review, token


def by_token(session: Session, token: str, today: date) -> SelfReview:
    """The self-review *token* opens; LinkGoneError when revoked or expired, else NotFoundError."""
    review = session.scalar(select(SelfReview).where(SelfReview.token_hash == digest(token))) \
        if 20 <= len(token) <= 100 else None
    if review is None:
        raise NotFoundError(f"{_GONE}: không có liên kết này. Hãy hỏi bí thư chi bộ liên kết mới.")
    if review.revoked_at is not None:
        raise LinkGoneError(f"{_GONE}: chi bộ đã thu hồi liên kết. Hãy hỏi bí thư chi bộ.")
    if review.expires_on < today:
        raise LinkGoneError(f"{_GONE}: liên kết đã hết hạn. Hãy hỏi bí thư chi bộ liên kết mới.")
    return review


def revoke(review: SelfReview) -> None:
    """The link stops working at once (its hash stays, to answer that it was revoked); her text stays."""
    review.revoked_at = now()


def opened(review: SelfReview) -> None:
    """She opened her page (the first time moves ``linked`` to ``opened``)."""
    if review.opened_at is None:
        review.opened_at = now()
    if review.state == LINKED:
        review.state = OPENED


def editable(review: SelfReview) -> bool:
    """Whether she may still change her text: not while the chi bộ has it, nor once accepted."""
    return review.state not in (SENT, ACCEPTED)


def save(review: SelfReview, content: dict[str, str], *, sending: bool) -> None:
    """Keep what she typed; ``sending``: and hand it to the chi bộ ("Gửi chi bộ")."""
    if not editable(review):
        raise ConflictError("Bản kiểm điểm đã gửi chi bộ; chỉ sửa được khi chi bộ trả lại.")
    review.content_json = json.dumps(content, ensure_ascii=False)
    review.saved_at = now()
    if sending:
        review.state, review.sent_at = SENT, now()
    elif review.state != RETURNED:
        review.state = SAVED


def decide(review: SelfReview, *, accept: bool, note: str) -> None:
    """The secretary accepts a sent self-review, or returns it with a note she will read."""
    if review.state != SENT:
        raise ConflictError("Chỉ nhận hoặc trả lại được bản kiểm điểm đồng chí đó đã gửi chi bộ.")
    review.state = ACCEPTED if accept else RETURNED
    review.note = None if accept else note
    review.decided_at = now()


def for_job(session: Session, job_id: str) -> list[SelfReview]:
    """The job's self-reviews, in the order their links were made."""
    return list(session.scalars(select(SelfReview).where(SelfReview.job_id == job_id)
                                .order_by(SelfReview.created_at, SelfReview.member_name)))


def find(session: Session, job_id: str, member: str) -> SelfReview:
    """One member's self-review of the job, by its id, her key or her name."""
    for review in for_job(session, job_id):
        if member in (review.id, review.member_key, review.member_name):
            return review
    raise NotFoundError(f"Không có bản tự kiểm điểm của \"{member}\" trong hội nghị này.")


def missing(reviews: Iterable[SelfReview]) -> list[SelfReview]:
    """Those not accepted: their member keeps the dotted-line form."""
    return [r for r in reviews if r.state != ACCEPTED]


def missing_counts(session: Session, job_ids: Iterable[str]) -> dict[str, int]:
    """For a board of many chi bộ: per job, how many members with a link have no accepted text.

    Jobs that gave no links are absent (nothing was asked of their members this way).
    """
    ids = list(job_ids)
    if not ids:
        return {}
    rows = session.execute(select(SelfReview.job_id, SelfReview.state, func.count())
                           .where(SelfReview.job_id.in_(ids))
                           .group_by(SelfReview.job_id, SelfReview.state)).all()
    counts: dict[str, int] = {}
    for job_id, state, count in rows:
        counts[job_id] = counts.get(job_id, 0) + (0 if state == ACCEPTED else int(count))
    return counts


def summary(review: SelfReview) -> dict[str, Any]:
    """Her state for the secretary's list and the API (never the token: it is not kept)."""
    return {"id": review.id, "member": review.member_name, "member_key": review.member_key,
            "state": review.state, "state_label": review.state_label,
            "expires_on": review.expires_on.isoformat(), "revoked": review.revoked_at is not None,
            "opened_at": _iso(review.opened_at), "saved_at": _iso(review.saved_at),
            "sent_at": _iso(review.sent_at), "decided_at": _iso(review.decided_at), "note": review.note}


def _iso(value: Any) -> str | None:
    return value.isoformat(timespec="seconds") + "Z" if value is not None else None

