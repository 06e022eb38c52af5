"""Drafts: meeting data saved unfinished, checked for shape only, and generated when asked.

A draft is a job with ``is_draft`` set, its data at ``jobs/<id>/draft.json`` and no
documents. Saving checks only what storing needs — a JSON object of a known ``kind``, within
``DRAFT_MAX_BYTES`` and ``MAX_DEPTH`` levels — so half a meeting can be kept; ``generate``
validates it as fully as a new meeting and queues its documents.
"""

from __future__ import annotations

import json
from typing import Any

from service import database
from service.documents import meeting_figures
from service.errors import FieldProblem, InvalidMeetingError
from service.jobs import models
from service.jobs.facts import add_documents, describe, search_text
from service.meetings.schemas import AnyMeeting
from service.meetings.validation import parse_meeting
from service.storage import Storage

KINDS = ("annual_review", "monthly", "dang_bo")
MAX_DEPTH = 12  # the deepest meeting data is 5 levels (chi_bo[].ratings[].review.strengths[])


def _depth(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + max((_depth(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((_depth(v) for v in value), default=0)
    return 0


def check_shape(data: Any, max_bytes: int) -> tuple[str, bytes]:
    """The draft's kind and its stored bytes; InvalidMeetingError if it cannot be kept."""
    if not isinstance(data, dict):
        raise InvalidMeetingError([FieldProblem("(gốc)", "Dữ liệu phải là một đối tượng JSON.")])
    kind = data.get("kind", "annual_review")
    if kind not in KINDS:
        raise InvalidMeetingError([FieldProblem("kind", "Loại hội nghị không hợp lệ; chọn một trong: "
                                                f"{', '.join(KINDS)}.")])
    if _depth(data) > MAX_DEPTH:
        raise InvalidMeetingError([FieldProblem("(gốc)", f"Dữ liệu lồng nhau quá sâu (tối đa {MAX_DEPTH} "
                                                "cấp).")])
    stored = json.dumps(data, indent=1).encode()  # \\u escapes: any string, even a lone surrogate
    if len(stored) > max_bytes:
        raise InvalidMeetingError([FieldProblem("(gốc)", f"Bản nháp quá lớn (tối đa {max_bytes // 1024} "
                                                "KB).")])
    return str(kind), stored


def _text(value: Any, limit: int) -> str | None:
    if not isinstance(value, str):
        return None
    # a draft is not validated: a title never carries what a database or a page cannot hold
    printable = "".join(c if c.isprintable() else " " for c in value)
    return " ".join(printable.split())[:limit] or None


def draft_title(data: dict[str, Any]) -> tuple[str, str | None, int | None]:
    """A draft's title, unit name and year, from what is there yet."""
    organisation = data.get("dang_bo") if data.get("kind") == "dang_bo" else data.get("organisation")
    unit = _text(organisation.get("name"), 200) if isinstance(organisation, dict) else None
    candidates = [data.get("review_year"), data.get("year")]
    if isinstance(organisation, dict):
        candidates.append(organisation.get("review_year"))
    year = next((v for v in candidates
                 if isinstance(v, int) and not isinstance(v, bool) and 1900 <= v <= 2100), None)
    title = f"Bản nháp – {unit or 'chưa ghi tên chi bộ'}" + (f" – năm {year}" if year else "")
    return title, unit, year


def draft_key(job_id: str) -> str:
    """Where a draft's data is kept."""
    return f"jobs/{job_id}/draft.json"


def save(job: models.Job | None, data: Any, *, storage: Storage, max_bytes: int,
         organisation_id: str | None, created_by: str | None) -> models.Job:
    """Store *data* as a new draft (*job* None) or over the draft *job*; the job, not yet added."""
    kind, stored = check_shape(data, max_bytes)
    if job is None:
        job = models.Job(id=database.new_id(), is_draft=True, created_by=created_by,
                         organisation_id=organisation_id, warnings_json="[]")
    else:
        job.changed_at, job.changed_by = database.now(), created_by
        job.organisation_id = organisation_id
    job.kind = kind
    job.title, job.unit_name, job.year = draft_title(data)
    job.search = search_text(job.title)
    job.input_key = draft_key(job.id)
    storage.put(job.input_key, stored)
    return job


def load(job: models.Job, storage: Storage) -> Any:
    """The data of the draft *job*, as saved."""
    return json.loads(storage.get(job.input_key))


def generate(job: models.Job, *, storage: Storage) -> AnyMeeting:
    """Validate the draft fully and make it a job with its documents queued; the meeting."""
    meeting = parse_meeting(load(job, storage))
    figures = meeting_figures(meeting)  # once, for the warnings and the documents
    describe(job, meeting, figures)
    job.is_draft = False
    job.input_key = f"jobs/{job.id}/input.json"
    storage.put(job.input_key, meeting.model_dump_json(indent=2).encode())
    add_documents(job, meeting, None, figures)  # the draft's file stays until the job goes (retention)
    return meeting
