"""Corrections as revisions: what changed, in words, and a job's next revision with its documents."""

from __future__ import annotations

from datetime import datetime

from service.jobs import models, revisions
from service.jobs.pipeline import accept
from service.meetings.validation import parse_meeting
from tests.support.factories import meeting_payload
from tests.support.fakes import MemoryStorage


def test_changed_fields_name_each_path_and_a_resized_list_once():
    """Dicts by key, equal-length lists by index, a list whose length changed as one path."""
    old = {"location": "A", "members": [{"name": "X"}, {"name": "Y"}], "votes": {"tot": 1}}
    new = {"location": "B", "members": [{"name": "X"}, {"name": "Z"}], "votes": {"tot": 1}, "extra": 1}
    assert revisions.changed_fields(old, new) == ["location", "members[1].name", "extra"]
    assert revisions.changed_fields([1], [1, 2]) == ["(gốc)"]
    assert revisions.describe_changes([]) == "không đổi trường nào"
    many = [f"f{i}" for i in range(revisions.MAX_LISTED + 3)]
    assert revisions.describe_changes(many).endswith(" và 3 trường khác")


def test_a_revision_keeps_the_old_one_and_rebuilds_every_document():
    """The input moves to r2, the first revision is kept with its files listed, the rows are new."""
    storage = MemoryStorage()
    data = meeting_payload()
    job = accept(parse_meeting(data), session=_NoSession(), storage=storage)
    job.revision, job.created_at = 1, datetime(2025, 12, 5)  # what the database gives it when added
    first = list(job.documents)
    corrected = {**data, "location": "Hội trường mới"}
    changes = revisions.revise(job, parse_meeting(corrected), storage=storage, changed_by="u")
    assert changes == ["location"]
    assert job.revision == 2 and job.input_key == f"jobs/{job.id}/r2/input.json"
    assert [r.number for r in job.revisions] == [1]
    assert len(job.documents) == len(first) and all(d not in first for d in job.documents)
    assert revisions.pending(job) == [d for d in job.documents if d.status == models.QUEUED]


class _NoSession:
    """``accept`` adds the job to a session; here the job stays in memory."""

    def add(self, _job: object) -> None:
        return None
