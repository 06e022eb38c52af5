"""What a job records about its meeting, besides the stored input: title, year, date, unit.

Lists filter on these columns (``year``, ``search``), download names are made of them
(``unit_name``, ``meeting_date``), and every revision of a job sets them again from its data.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from service import database
from service.documents import instances, meeting_figures
from service.jobs import models
from service.meetings.dates import ahead
from service.meetings.schemas import AnyMeeting, DangBoReview, MonthlyMeeting
from service.meetings.vnformat import fold_words


def job_title(meeting: AnyMeeting) -> str:
    """``Chi bộ … – năm 2025``: how a job is named in lists and file names."""
    if isinstance(meeting, DangBoReview):
        return f"{meeting.dang_bo.name} – tổng hợp năm {meeting.dang_bo.review_year}"
    if isinstance(meeting, MonthlyMeeting):
        return f"{meeting.organisation.name} – tháng {meeting.month:02d}/{meeting.year}"
    return f"{meeting.organisation.name} – năm {meeting.review_year}"


def unit_name(meeting: AnyMeeting) -> str:
    """The name of the chi bộ (or đảng bộ) the meeting is about."""
    return meeting.dang_bo.name if isinstance(meeting, DangBoReview) else meeting.organisation.name


def meeting_year(meeting: AnyMeeting) -> int:
    """The review year of a review, the year of a monthly meeting."""
    if isinstance(meeting, DangBoReview):
        return meeting.dang_bo.review_year
    return meeting.year if isinstance(meeting, MonthlyMeeting) else meeting.review_year


def meeting_date(meeting: AnyMeeting) -> date | None:
    """The day of the meeting (of the summary's report for a đảng bộ, when it has one)."""
    if isinstance(meeting, DangBoReview):
        return meeting.dang_bo.report_date
    return meeting.start.date()


def search_text(title: str) -> str:
    """The title as lists search it: no case, no diacritics (``chi bo thon dong nam 2025``)."""
    return fold_words(title)[:400]


def describe(job: models.Job, meeting: AnyMeeting, figures: Any = None) -> None:
    """Set the job's kind, title, warnings and the facts lists and file names use.

    *figures*: the meeting's figures (``meeting_figures``) when the caller has them already.
    """
    job.kind = meeting.kind
    job.title = job_title(meeting)
    if figures is None:
        figures = meeting_figures(meeting)
    warnings = ahead(meeting, date.today()) + figures.warnings
    job.warnings_json = json.dumps(warnings, ensure_ascii=False)
    job.year, job.meeting_date = meeting_year(meeting), meeting_date(meeting)
    job.unit_name = unit_name(meeting)
    job.search = search_text(job.title)


def add_documents(job: models.Job, meeting: AnyMeeting, only: list[str] | None,
                  figures: Any = None) -> None:
    """One queued document row per document of *meeting* (all of its kind, or the types *only*)."""
    for position, instance in enumerate(instances(meeting, only, figures)):
        job.documents.append(models.Document(id=database.new_id(), position=position,
                                             doc_type=instance.doc_type.id, subject=instance.subject,
                                             name=instance.name, title=instance.title))
