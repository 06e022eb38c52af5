"""The use cases as the pages call them: as the request's caller, with the contract's signatures."""

from __future__ import annotations

import pytest

from service.errors import ConflictError, InvalidMeetingError
from service.http.actions import jobs as actions
from service.meetings.validation import parse_meeting
from tests.support import people
from tests.support.factories import dang_bo_payload, meeting_payload


@pytest.fixture(autouse=True)
def _no_dispatch(monkeypatch):
    """Nothing reaches Celery."""
    from service.jobs import queue

    monkeypatch.setattr(queue, "dispatch", lambda documents, size, **_: 0)


def _as(app, token):
    """A request context signed in with *token* (the pages' caller, as auth finds her)."""
    context = app.test_request_context("/api/v1/jobs", headers={"Authorization": f"Bearer {token}"})
    context.push()
    app.preprocess_request()
    return context


def test_the_confirmation_step_suggests_but_never_assigns(app):
    """batch_assignments shows the chi bộ a name reads like; without a choice the batch is the đảng bộ's."""
    review = parse_meeting(dang_bo_payload())
    name = review.chi_bo[0].organisation.name
    token = people.token(app)
    chosen = people.organisation(app, name.upper(), "chi_bo", people.DANG_BO)
    context = _as(app, token)
    try:
        rows = actions.batch_assignments(review)
        assert rows[0]["suggestion"] == {"id": chosen, "name": name.upper()}
        assert rows[1]["suggestion"] is None and rows[0]["organisation_id"] is None
        assert [c["id"] for c in rows[0]["choices"]] == [chosen]
        body, created = actions.submit_batch(review, None)
        assert created and all(job["organisation_id"] == body["organisation_id"] for job in body["chi_bo"])
    finally:
        context.pop()


def test_a_choice_confirmed_at_upload_gives_that_chi_bo_its_job(app):
    """submit_batch(organisations={0: id}) hands chi bộ 0 to that organisation, the rest stay."""
    review = parse_meeting(dang_bo_payload())
    token = people.token(app)
    chosen = people.organisation(app, "Chi bộ đã chọn", "chi_bo", people.DANG_BO)
    context = _as(app, token)
    try:
        body, _ = actions.submit_batch(review, None, organisations={0: chosen})
        assert [job["organisation_id"] for job in body["chi_bo"]][:2] == [chosen, body["organisation_id"]]
        with pytest.raises(InvalidMeetingError):
            actions.submit_batch(review, None, organisations={1: "0" * 32})
    finally:
        context.pop()


def test_the_contract_functions_answer_as_the_caller(app):
    """list_jobs, job_input, save_draft, generate, correct_job and delete_job, as the pages call them."""
    context = _as(app, people.token(app))
    try:
        draft = actions.save_draft({"location": "Nhà văn hóa"})
        assert draft["status"] == "draft" and draft["batch_id"] is None
        assert actions.job_input(draft["id"]) == {"location": "Nhà văn hóa"}
        actions.save_draft(meeting_payload(), draft["id"])
        made = actions.generate(draft["id"])
        items, cursor = actions.list_jobs(status="queued", limit=10)
        assert [item["id"] for item in items] == [made["id"]] and cursor is None
        with pytest.raises(ConflictError):
            actions.correct_job(made["id"], meeting_payload())  # still being built
        actions.delete_job(made["id"])
        assert actions.list_jobs()[0] == [] and actions.list_batches() == ([], None)
    finally:
        context.pop()
