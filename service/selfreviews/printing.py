"""A member's own Mẫu 02 as a PDF: her saved text in the review's data, rendered and converted.

Made by a worker (``workers.tasks.build_self_review_pdf``) with the same template and the same
LibreOffice as the review's documents, "DỰ THẢO" on every page until the chi bộ accepts it.
The PDF and what it was made of (``Made``: a digest of the review's data, her text and her
state; or the Vietnamese reason it could not be made) are kept under the job's folder
(``keys``), so a page asking again finds it made, or made of older text, or failed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from service.conversion.converter import Converter
from service.conversion.repeat import convert_repeated
from service.documents import instances, meeting_figures, render_parts
from service.documents.rendering import DocxRenderer, TemplateSource
from service.errors import (
    ConverterUnavailableError,
    InvalidMeetingError,
    ServiceError,
    StorageUnavailableError,
)
from service.meetings.rules import regime_for
from service.meetings.schemas import AnnualReview
from service.meetings.validation import parse_meeting
from service.selfreviews import content
from service.selfreviews.models import ACCEPTED, SelfReview
from service.storage import Storage

DOC_TYPE = "ban_kiem_diem_ca_nhan"


@dataclass(frozen=True)
class Keys:
    """Where a member's PDF and its record are kept: ``jobs/<job>/tu-kiem-diem/<review>.…``."""

    pdf: str
    made: str


def keys(review: SelfReview) -> Keys:
    """The storage keys of *review*'s PDF and of what it was made of."""
    base = f"jobs/{review.job_id}/tu-kiem-diem/{review.id}"
    return Keys(f"{base}.pdf", f"{base}.json")


def folder(job_id: str) -> str:
    """The folder of every member's PDF of the job *job_id* (deleted with the job)."""
    return f"jobs/{job_id}/tu-kiem-diem"


def digest(payload: bytes, review: SelfReview) -> str:
    """What her PDF is made of, in one SHA-256: the review's data, her text, accepted or not."""
    made_of = b"\n".join([payload, review.content_json.encode(), str(review.state == ACCEPTED).encode()])
    return hashlib.sha256(made_of).hexdigest()


def her_meeting(payload: dict[str, Any], review: SelfReview, *, scored: bool) -> AnnualReview:
    """The review's meeting with her text as her rating (as if accepted); InvalidMeetingError
    when the chi bộ's data is not complete enough to make documents of yet."""
    part = content.as_rating(content.raw(review.content), scored=scored)
    meeting = parse_meeting(content.merge(payload, {review.member_key: part}))
    if not isinstance(meeting, AnnualReview):  # pragma: no cover - her link is an annual review's
        raise InvalidMeetingError([])
    return meeting


def build_pdf(payload: dict[str, Any], review: SelfReview, *, scored: bool, renderer: DocxRenderer,
              converter: Converter, source: TemplateSource | None = None) -> bytes:
    """Her Mẫu 02 as a PDF, with the template *source* (None: the built-in); "DỰ THẢO" on every
    page unless the chi bộ has accepted it."""
    meeting = her_meeting(payload, review, scored=scored)
    figures = meeting_figures(meeting)
    found = [i for i in instances(meeting, [DOC_TYPE]) if i.subject == review.member_key]
    if not found:
        raise InvalidMeetingError([])
    draft = review.state != ACCEPTED
    parts = [(renderer.render(found[0].doc_type.template, part.context, source, draft=draft), part.times)
             for part in render_parts(found[0], meeting, figures)]
    return convert_repeated(converter, [parts])[0]


def made_record(made_digest: str, error: str | None = None) -> bytes:
    """The record kept beside her PDF: its digest, or the reason none could be made."""
    return json.dumps({"digest": made_digest, "error": error}, ensure_ascii=False).encode()


# which uploaded template makes her form: (session, organisation id, document type) → its source
Chooser = Callable[[Any, str | None, str], TemplateSource | None]
NOT_READY = ("Chưa tạo được bản PDF: dữ liệu hội nghị của chi bộ chưa đủ để in (bí thư còn đang nhập). "
             "Đồng chí có thể dùng “Bản in” rồi chọn “Lưu thành PDF” trong trình duyệt.")


def scored_year(payload: dict[str, Any]) -> bool:
    """Whether the review's year scores members out of 100 (2025 on; unknown: yes)."""
    try:
        return regime_for(int(payload.get("review_year") or 0)).scored
    except (TypeError, ValueError):
        return True


def make(review_id: str, input_key: str, *, sessions: Callable[[], Any], storage: Storage,
         renderer: DocxRenderer, converter: Converter, templates: Chooser | None = None) -> None:
    """Make and keep the PDF of the self-review *review_id* from the review's data at *input_key*.

    A review whose data cannot make documents yet keeps the Vietnamese reason instead (the page
    says it); no LibreOffice, or the store down, propagates so the task retries.
    """
    with sessions() as session:
        review = session.get(SelfReview, review_id)
        if review is None:
            return
        session.expunge(review)
        source = templates(session, review.organisation_id, DOC_TYPE) if templates else None
    raw = storage.get(input_key)
    payload = json.loads(raw)
    where, made = keys(review), digest(raw, review)
    try:
        pdf = build_pdf(payload, review, scored=scored_year(payload), renderer=renderer,
                        converter=converter, source=source)
    except (ConverterUnavailableError, StorageUnavailableError):
        raise
    except InvalidMeetingError:
        storage.put(where.made, made_record(made, NOT_READY))
        return
    except ServiceError as exc:
        storage.put(where.made, made_record(made, f"Chưa tạo được bản PDF: {exc.detail}"))
        return
    storage.put(where.pdf, pdf)
    storage.put(where.made, made_record(made))
