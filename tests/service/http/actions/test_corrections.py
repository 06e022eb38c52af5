"""Correcting a job (PUT), building one document again, drafts: the API as a token holder uses it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from service import accounts, extensions
from service.extensions import get_storage
from service.jobs import models
from tests.support import people
from tests.support.building import build_all, docx_text
from tests.support.factories import dang_bo_payload, meeting_payload, monthly_payload

ONE = "/api/v1/jobs?documents=bien_ban_kiem_diem"


@pytest.fixture(name="queued")
def _queued(monkeypatch):
    """The ids handed to the queue, instead of Redis."""
    sent: list[str] = []
    from service.jobs import queue

    monkeypatch.setattr(queue, "dispatch", lambda documents, size, **_: sent.extend(d.id for d in documents))
    return sent


def _corrected(votes=None, **changes):
    data = meeting_payload(**changes)
    data["ratings"][0]["votes"] = votes or {"xuat_sac": 6, "tot": 3}
    return data


def _built(app, client, path=ONE, payload=None):
    job = client.post(path, json=payload or meeting_payload()).get_json()
    build_all(app, job["id"])
    return client.get(job["links"]["self"]).get_json()


def _docx(client, link):
    return docx_text(client.get(link).data)


def test_put_corrects_the_job_under_the_same_id_and_address(app, client, queued):
    """PUT answers 202 at the same address, revision 2, its documents queued again."""
    job = _built(app, client)
    queued.clear()
    response = client.put(job["links"]["self"], json=_corrected())
    assert response.status_code == 202, response.get_json()
    body = response.get_json()
    assert response.headers["Location"] == job["links"]["self"] and body["id"] == job["id"]
    assert body["revision"] == 2 and body["status"] == "queued"
    assert len(queued) == len(body["documents"]) == 1


def test_the_corrected_document_has_the_new_figure_and_the_old_one_stays(app, client, queued):
    """After the rebuild the current DOCX says 06 (66,7%); revision 1's still says 07 (77,8%)."""
    job = _built(app, client)
    old_link = job["documents"][0]["links"]["docx"]
    assert "07 (77,8%)" in _docx(client, old_link)
    client.put(job["links"]["self"], json=_corrected())
    build_all(app, job["id"])
    body = client.get(job["links"]["self"]).get_json()
    assert body["status"] == "done"
    assert "06 (66,7%)" in _docx(client, body["documents"][0]["links"]["docx"])
    (earlier,) = body["revisions"]
    assert earlier["revision"] == 1
    revision_link = earlier["documents"][0]["links"]["docx"]
    assert revision_link == f"/api/v1/jobs/{job['id']}/revisions/1/documents/bien_ban_kiem_diem.docx"
    assert "07 (77,8%)" in _docx(client, revision_link)
    assert old_link == body["documents"][0]["links"]["docx"]  # the same address, the new file


def test_a_correction_is_validated_like_a_new_meeting(app, client, queued):
    """Too many votes: 422 naming the field; the job stays at revision 1, nothing queued."""
    job = _built(app, client)
    queued.clear()
    response = client.put(job["links"]["self"], json=_corrected(votes={"tot": 20}))
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["field"] == "ratings[0].votes"
    body = client.get(job["links"]["self"]).get_json()
    assert body["revision"] == 1 and body["revisions"] == [] and queued == []


def test_the_audit_log_names_who_changed_which_fields(app, client, queued):
    """The correct event carries the user and the changed paths (ratings[0].votes.…, location)."""
    job = _built(app, client)
    client.put(job["links"]["self"], json=_corrected(location="Hội trường thôn"))
    with app.app_context(), extensions.session_scope() as session:
        event = session.scalars(select(accounts.AuditEvent).where(
            accounts.AuditEvent.action == "correct", accounts.AuditEvent.object_id == job["id"])).one()
        assert event.username.startswith("u-")
        assert "location" in event.detail and "ratings[0].votes.xuat_sac" in event.detail
        assert "ratings[0].votes.tot" in event.detail and "members" not in event.detail


def test_a_job_still_being_built_cannot_be_corrected_yet(client, queued):
    """While documents are queued (and not lost) a PUT is a 409 conflict."""
    job = client.post(ONE, json=meeting_payload()).get_json()
    response = client.put(job["links"]["self"], json=_corrected())
    assert response.status_code == 409 and "đang được tạo" in response.get_json()["detail"]


def test_a_correction_keeps_the_kind_of_the_job(app, client, queued):
    """A monthly job corrected with an annual review is refused on kind."""
    job = _built(app, client, path="/api/v1/jobs", payload=monthly_payload())
    response = client.put(job["links"]["self"], json=meeting_payload(kind="annual_review"))
    assert response.status_code == 422 and response.get_json()["errors"][0]["field"] == "kind"
    without_kind = {k: v for k, v in monthly_payload(location="Nhà văn hóa").items() if k != "kind"}
    assert client.put(job["links"]["self"], json=without_kind).status_code == 202


def test_rebuild_queues_one_document_again_from_the_current_data(app, client, queued):
    """POST …/rebuild: 202, that document queued (same revision), the others untouched."""
    job = _built(app, client, path="/api/v1/jobs?documents=bien_ban_kiem_diem,bien_ban_kiem_phieu")
    queued.clear()
    response = client.post(job["documents"][1]["rebuild"])
    assert response.status_code == 202
    body = response.get_json()
    assert [d["status"] for d in body["documents"]] == ["done", "queued"] and body["revision"] == 1
    assert len(queued) == 1
    assert client.post(job["documents"][1]["rebuild"]).status_code == 409  # already queued
    assert client.post(f"{job['links']['self']}/documents/khong-co/rebuild").status_code == 404


def test_job_input_is_the_data_as_last_corrected(app, client, queued):
    """GET …/input gives the validated data of the current revision, to prefill the form."""
    job = _built(app, client)
    client.put(job["links"]["self"], json=_corrected(location="Hội trường thôn"))
    data = client.get(job["links"]["input"]).get_json()
    assert data["location"] == "Hội trường thôn" and data["ratings"][0]["votes"]["xuat_sac"] == 6


def _batch_with_secretary(app, client):
    payload = dang_bo_payload()
    name = payload["chi_bo"][0]["organisation"]["name"]
    payload["chi_bo"][0]["organisation_id"] = people.organisation(app, name, "chi_bo", people.DANG_BO)
    secretary = people.as_user(app.test_client(), people.token(app, role="chi_bo", org=name))
    batch = client.post("/api/v1/batches", json=payload).get_json()
    for job in [batch["summary"], *batch["chi_bo"]]:
        build_all(app, job["id"])
    return payload, secretary, client.get(batch["links"]["self"]).get_json()


def test_a_secretary_s_correction_rebuilds_the_batch_summary(app, client, queued):
    """Her chi bộ job of a đảng ủy batch corrected: the summary is rebuilt and the batch says it changed."""
    payload, secretary, batch = _batch_with_secretary(app, client)
    hers = batch["chi_bo"][0]
    corrected = {**payload["chi_bo"][0], "location": "Hội trường mới của trường"}
    response = secretary.put(hers["links"]["self"], json=corrected)
    assert response.status_code == 202, response.get_json()
    after = client.get(batch["links"]["self"]).get_json()
    assert batch["revision"] == 1 and after["revision"] == 2 and after["changed_at"]
    assert after["summary"]["revision"] == 2 and after["summary"]["status"] == "queued"
    assert after["chi_bo"][0]["revision"] == 2 and after["chi_bo"][1]["revision"] == 1
    with app.app_context():
        stored = get_storage().get(f"jobs/{after['summary']['id']}/r2/input.json")
    assert "Hội trường mới của trường".encode() in stored
    with app.app_context(), extensions.session_scope() as session:
        actions = {e.action for e in session.scalars(select(accounts.AuditEvent).where(
            accounts.AuditEvent.object_id == batch["id"]))}
        assert "correct" in actions


def test_the_summary_of_a_batch_is_not_corrected_directly(app, client, queued):
    """PUT on the batch's summary job: 409, it is rebuilt from the chi bộ."""
    payload, _, batch = _batch_with_secretary(app, client)
    response = client.put(batch["summary"]["links"]["self"], json=payload)
    assert response.status_code == 409


def test_a_correction_the_summary_cannot_take_is_refused_on_its_field(app, client, queued):
    """Another review year for one chi bộ of the batch: 422 on review_year, nothing changed."""
    payload, secretary, batch = _batch_with_secretary(app, client)
    corrected = {**payload["chi_bo"][0], "review_year": 2026}
    response = secretary.put(batch["chi_bo"][0]["links"]["self"], json=corrected)
    assert response.status_code == 422
    assert "review_year" in [e["field"] for e in response.get_json()["errors"]]
    assert client.get(batch["links"]["self"]).get_json()["revision"] == 1


def test_a_draft_is_kept_unfinished_and_generates_nothing(client, queued):
    """POST ?draft=1 with half a meeting: 201, status draft, no documents, nothing queued."""
    response = client.post("/api/v1/jobs?draft=1", json={"organisation": {"name": "Chi bộ thôn Đông"},
                                                          "review_year": 2025, "members": [{"name": ""}]})
    assert response.status_code == 201
    body = response.get_json()
    assert body["status"] == "draft" and body["documents"] == [] and queued == []
    assert body["title"] == "Bản nháp – Chi bộ thôn Đông – năm 2025"
    assert response.headers["Location"] == body["links"]["self"] and body["links"]["generate"]
    assert client.get(body["links"]["package"]).status_code == 409


def test_a_draft_is_checked_for_shape_only(app, client, queued):
    """Not an object, an unknown kind, too big: 422; a secretary's đảng bộ draft: 403."""
    assert client.post("/api/v1/jobs?draft=1", json=[1, 2]).status_code == 422
    unknown = client.post("/api/v1/jobs?draft=1", json={"kind": "khac"})
    assert unknown.status_code == 422 and unknown.get_json()["errors"][0]["field"] == "kind"
    app.config["DRAFT_MAX_BYTES"] = 1000
    assert client.post("/api/v1/jobs?draft=1", json={"x": "y" * 2000}).status_code == 422
    secretary = people.as_user(app.test_client(), people.token(app, role="chi_bo", org="Chi bộ thôn 1"))
    assert secretary.post("/api/v1/jobs?draft=1", json={"kind": "dang_bo"}).status_code == 403


def test_a_draft_is_saved_again_by_put_and_resumed(client, queued):
    """PUT on a draft stores the new data (200, still a draft); GET …/input gives it back as saved."""
    draft = client.post("/api/v1/jobs?draft=1", json={"location": "Nhà văn hóa"}).get_json()
    response = client.put(draft["links"]["self"], json={"location": "Hội trường", "members": []})
    assert response.status_code == 200 and response.get_json()["status"] == "draft"
    assert client.get(draft["links"]["input"]).get_json() == {"location": "Hội trường", "members": []}
    assert queued == []


def test_generate_validates_the_draft_fully_then_builds_it(client, queued):
    """generate on an unfinished draft: 422 naming fields; completed, 202 and every document queued."""
    draft = client.post("/api/v1/jobs?draft=1", json={"location": "Nhà văn hóa"}).get_json()
    refused = client.post(draft["links"]["generate"])
    assert refused.status_code == 422 and refused.get_json()["errors"]
    client.put(draft["links"]["self"], json=meeting_payload())
    response = client.post(draft["links"]["generate"])
    assert response.status_code == 202
    body = response.get_json()
    assert body["id"] == draft["id"] and body["status"] == "queued"
    assert len(queued) == len(body["documents"]) > 10
    assert client.post(draft["links"]["generate"]).status_code == 409  # no draft any more
    assert client.put(f"{draft['links']['self']}?draft=1", json={}).status_code == 409


def test_a_draft_is_deleted_with_its_data(app, client, queued):
    """DELETE on a draft removes it and its stored data."""
    draft = client.post("/api/v1/jobs?draft=1", json={"location": "Nhà văn hóa"}).get_json()
    assert client.delete(draft["links"]["self"]).status_code == 204
    with app.app_context():
        assert not get_storage().exists(f"jobs/{draft['id']}/draft.json")
    with app.app_context(), extensions.session_scope() as session:
        assert session.get(models.Job, draft["id"]) is None


def test_a_draft_naming_a_malformed_organisation_is_refused_on_that_field(client, queued):
    """organisation_id that is no id (a NUL in it, say) is a 422 on the field, never a database error."""
    response = client.post("/api/v1/jobs?draft=1", json={"organisation_id": "ab\x00cd"})
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["field"] == "organisation_id"
    assert client.get("/api/v1/jobs/ab%00cd").status_code == 404


def test_a_dang_uy_correction_may_hand_a_batch_job_to_a_chi_bo_not_taken(app, client, queued):
    """organisation_id in a đảng ủy's correction moves the job to that chi bộ, unless another has it."""
    payload, _secretary, batch = _batch_with_secretary(app, client)
    second = batch["chi_bo"][1]
    other = people.organisation(app, "Chi bộ thứ hai", "chi_bo", people.DANG_BO)
    taken = batch["chi_bo"][0]["organisation_id"]
    refused = client.put(second["links"]["self"], json={**payload["chi_bo"][1], "organisation_id": taken})
    assert refused.status_code == 422 and refused.get_json()["errors"][0]["field"] == "organisation_id"
    moved = client.put(second["links"]["self"], json={**payload["chi_bo"][1], "organisation_id": other})
    assert moved.status_code == 202 and moved.get_json()["organisation_id"] == other
