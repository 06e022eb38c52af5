"""A chi bộ's resolution ledger read from its monthly jobs on record (drafts and others' aside)."""

from __future__ import annotations

from datetime import date

import pytest

from service import extensions
from service.extensions import get_storage
from service.jobs import drafts, ledger, pipeline
from tests.support import people
from tests.support.factories import monthly_payload


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_ledger_is_its_own_monthly_meetings_assignments(app):
    """November's three assignments, each as the API shows it; a draft, a skip and another unit add none."""
    people.organisation(app, people.DANG_BO, "dang_bo")
    own = people.organisation(app, "Chi bộ Văn phòng", "chi_bo", people.DANG_BO)
    other = people.organisation(app, "Chi bộ khác", "chi_bo", people.DANG_BO)
    with app.app_context(), extensions.session_scope() as session:
        storage = get_storage()
        job = pipeline.submit(monthly_payload(), session=session, storage=storage, owner=lambda _: own)
        pipeline.submit(monthly_payload(), session=session, storage=storage, owner=lambda _: other)
        session.add(drafts.save(None, monthly_payload(), storage=storage, max_bytes=1_000_000,
                                organisation_id=own, created_by=None))
        session.flush()
        found = ledger.monthly_meetings(session, storage, own)
        assert [job_id for _, job_id in found] == [job.id]
        entries = ledger.entries(session, storage, own)
        assert ledger.entries(session, storage, own, skip=job.id) == []
        assert ledger.entries(session, storage, own, before=date(2025, 11, 7)) == []
        shown = [ledger.as_json(entry, date(2025, 12, 1)) for entry in entries]
    assert [item["who"] for item in shown] == ["Đồng chí Lê Sỹ Trường", "Đồng chí Hoàng Thị Hạnh",
                                               "Đồng chí Trịnh Văn Lộc"]
    assert all(item["assigned_in"] == {"year": 2025, "month": 11, "job_id": job.id} for item in shown)
    assert shown[0]["due"] == "2025-11-28" and shown[0]["overdue"] and shown[0]["open"]
    assert shown[2]["due"] is None and not shown[2]["overdue"]
