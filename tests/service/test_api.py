"""The JSON API: validation problems, 202 + Location, job status, downloads."""

from __future__ import annotations

import pytest

from service import db
from tests.factories import meeting_payload


@pytest.fixture(name="queued")
def _queued(monkeypatch):
    """Record the ids handed to the queue instead of sending them to Redis."""
    sent: list[str] = []
    from workers import tasks

    monkeypatch.setattr(tasks.build_document, "delay", sent.append)
    return sent


def test_post_answers_202_with_location(client, queued):
    """A valid meeting is accepted and one task per document is queued with its id only."""
    response = client.post("/api/v1/jobs", json=meeting_payload())
    assert response.status_code == 202
    job = response.get_json()
    assert response.headers["Location"] == f"/api/v1/jobs/{job['id']}"
    assert job["status"] == "queued"
    assert [d["type"] for d in job["documents"]] == ["bien_ban_kiem_diem"]
    assert len(queued) == 1 and len(queued[0]) == 32


def test_invalid_meeting_is_a_422_problem_naming_the_field(client, queued):
    """More votes than voters is refused before anything is queued."""
    data = meeting_payload()
    data["ratings"][1]["votes"] = {"tot": 20}
    response = client.post("/api/v1/jobs", json=data)
    assert response.status_code == 422
    assert response.content_type == "application/problem+json"
    problem = response.get_json()
    assert problem["errors"][0]["field"] == "ratings[1].votes"
    assert "nhiều hơn" in problem["detail"]
    assert queued == []


def test_unknown_job_is_a_404_problem(client):
    """An unknown id answers problem+json in Vietnamese."""
    response = client.get("/api/v1/jobs/0123456789abcdef0123456789abcdef")
    assert response.status_code == 404
    assert response.content_type == "application/problem+json"
    assert "Không có công việc" in response.get_json()["detail"]


def test_not_json_is_a_415_problem(client):
    """A form post is refused with a problem, not an HTML page."""
    response = client.post("/api/v1/jobs", data="a=b")
    assert response.status_code == 415
    assert response.content_type == "application/problem+json"


def test_broken_json_is_a_400_problem(client):
    """Malformed JSON is refused with a Vietnamese detail."""
    response = client.post("/api/v1/jobs", data="{", content_type="application/json")
    assert response.status_code == 400
    assert "JSON" in response.get_json()["detail"]


def test_too_large_body_is_a_413_problem(app, client):
    """Bodies above MAX_CONTENT_LENGTH are refused."""
    app.config["MAX_CONTENT_LENGTH"] = 100
    response = client.post("/api/v1/jobs", json=meeting_payload())
    assert response.status_code == 413
    assert response.content_type == "application/problem+json"


def test_document_not_ready_is_a_409_problem(client, queued):
    """Asking for a queued document's PDF answers 409."""
    job = client.post("/api/v1/jobs", json=meeting_payload()).get_json()
    response = client.get(f"/api/v1/jobs/{job['id']}/documents/bien_ban_kiem_diem.pdf")
    assert response.status_code == 409
    assert response.content_type == "application/problem+json"


def test_unknown_route_is_a_problem(client):
    """Even a mistyped URL answers problem+json."""
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.content_type == "application/problem+json"


def test_job_status_follows_documents(app, client, queued):
    """A job whose documents are all done reports done, with download links."""
    job = client.post("/api/v1/jobs", json=meeting_payload()).get_json()
    with app.app_context(), db.session_scope() as session:
        for document in session.get(db.Job, job["id"]).documents:
            document.status = db.DONE
    body = client.get(f"/api/v1/jobs/{job['id']}").get_json()
    assert body["status"] == "done"
    assert body["documents"][0]["links"]["pdf"].endswith("bien_ban_kiem_diem.pdf")


def test_schema_is_served(client):
    """The JSON Schema of the meeting data is published."""
    schema = client.get("/api/v1/schema").get_json()
    assert "members" in schema["$defs"]["AnnualReview"]["properties"]
