"""What a job records about its meeting: title, year, date, unit, warnings, its document rows."""

from __future__ import annotations

from datetime import date

from service.documents import instances, meeting_figures
from service.jobs import facts, models
from service.meetings.validation import parse_meeting
from tests.support.factories import meeting_payload, monthly_payload


def test_a_review_is_described_from_the_figures_it_is_given():
    """Kind, title, year, day, unit, search text and warnings; the rows are the meeting's documents."""
    meeting = parse_meeting(meeting_payload())
    figures = meeting_figures(meeting)
    job = models.Job(id="j1", input_key="")
    facts.describe(job, meeting, figures)
    facts.add_documents(job, meeting, None, figures)
    assert job.kind == "annual_review" and job.year == meeting.review_year
    assert job.title == f"{meeting.organisation.name} – năm {meeting.review_year}"
    assert job.unit_name == meeting.organisation.name and job.meeting_date == meeting.start.date()
    assert job.search == facts.search_text(job.title) and job.search.isascii()
    assert job.warnings == figures.warnings  # the sample is not dated ahead
    assert [d.name for d in job.documents] == [i.name for i in instances(meeting)]
    assert [d.position for d in job.documents] == list(range(len(job.documents)))


def test_a_monthly_meeting_is_named_by_its_month():
    """``Chi bộ … – tháng 11/2025``, its year the meeting's."""
    meeting = parse_meeting(monthly_payload())
    assert facts.job_title(meeting).endswith(f"– tháng {meeting.month:02d}/{meeting.year}")
    assert facts.meeting_year(meeting) == meeting.year
    assert isinstance(facts.meeting_date(meeting), date)


def test_search_text_is_folded_and_bounded():
    """No case, no diacritics, at most 400 characters."""
    assert facts.search_text("Chi bộ Thôn Đông – năm 2025") == "chi bo thon dong nam 2025"
    assert len(facts.search_text("Đảng " * 200)) == 400
