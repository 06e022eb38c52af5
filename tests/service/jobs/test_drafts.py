"""Drafts: half a meeting kept (its shape checked only), then generated as fully as a new one."""

from __future__ import annotations

import pytest

from service.errors import InvalidMeetingError
from service.jobs import drafts
from tests.support.factories import meeting_payload
from tests.support.fakes import MemoryStorage


def test_a_draft_keeps_half_a_meeting_and_generates_when_complete():
    """Saved with only a name; titled from it; generated into a job with its documents."""
    storage = MemoryStorage()
    data = meeting_payload()
    job = drafts.save(None, {"organisation": data["organisation"]}, storage=storage, max_bytes=100_000,
                      organisation_id=None, created_by=None)
    assert job.is_draft and job.kind == "annual_review" and job.documents == []
    assert job.title == f"Bản nháp – {data['organisation']['name']}"
    assert storage.exists(drafts.draft_key(job.id))
    drafts.save(job, data, storage=storage, max_bytes=100_000, organisation_id=None, created_by="u")
    meeting = drafts.generate(job, storage=storage)
    assert not job.is_draft and job.input_key == f"jobs/{job.id}/input.json"
    assert job.title.endswith(f"năm {meeting.review_year}") and len(job.documents) > 3


@pytest.mark.parametrize(("data", "field", "words"), [
    (["not", "an", "object"], "(gốc)", "đối tượng JSON"),
    ({"kind": "weekly"}, "kind", "Loại hội nghị không hợp lệ"),
    ({"a": [[[[[[[[[[[[[1]]]]]]]]]]]]]}, "(gốc)", "lồng nhau quá sâu"),
    ({"notes": "x" * 5000}, "(gốc)", "Bản nháp quá lớn"),
])
def test_what_cannot_be_kept_is_refused_in_vietnamese(data, field, words):
    """Not an object, an unknown kind, too deep, too big: each refused on its field."""
    with pytest.raises(InvalidMeetingError) as refused:
        drafts.check_shape(data, max_bytes=4096)
    (problem,) = refused.value.problems
    assert problem.field == field and words in problem.detail


def test_a_title_never_carries_what_a_page_cannot_hold():
    """Control characters become spaces; a year outside 1900–2100 is no year."""
    title, unit, year = drafts.draft_title({"organisation": {"name": "Chi bộ\x00 A\n"}, "review_year": 3000})
    assert (title, unit, year) == ("Bản nháp – Chi bộ A", "Chi bộ A", None)
