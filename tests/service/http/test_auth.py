"""Access: tokens, roles, organisation scoping (404, never 403), web login with CSRF, audit."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from service import accounts, extensions
from service.extensions import get_storage
from service.http import auth
from service.jobs import models, retention
from tests.support import people
from tests.support.factories import dang_bo_payload, meeting_payload

pytestmark = pytest.mark.usefixtures("no_dispatch")


@pytest.fixture(name="no_dispatch")
def _no_dispatch(monkeypatch):
    """Nothing is sent to Celery."""
    from service.jobs import queue

    monkeypatch.setattr(queue, "dispatch", lambda documents, size, **_: 0)


def _secretary(app, chi_bo: str):
    return people.as_user(app.test_client(), people.token(app, role="chi_bo", org=chi_bo))


def _meeting_of(name: str) -> dict:
    payload = meeting_payload()
    payload["organisation"]["name"] = name
    return payload


def test_no_token_is_401_problem_in_vietnamese(anonymous):
    """Without a token the API answers 401 problem+json naming the header to send."""
    response = anonymous.post("/api/v1/jobs", json=meeting_payload())
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    assert "Authorization: Bearer" in response.get_json()["detail"]
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_wrong_or_revoked_token_is_refused(app, anonymous):
    """A made-up token and a revoked one both get 401."""
    good = people.token(app)
    assert people.as_user(anonymous, "chibo_0000000000000000_x").get("/api/v1/jobs/x").status_code == 401
    with app.app_context(), extensions.session_scope() as session:
        session.get(accounts.ApiToken, good.split("_")[1]).revoked = True
    assert people.as_user(anonymous, good).get("/api/v1/jobs/x").status_code == 401


def test_tokens_and_passwords_are_stored_as_argon2_hashes(app):
    """The database holds argon2id hashes, never the token's secret or the password."""
    token = people.token(app, password="mật-khẩu-dài-đủ")
    with app.app_context(), extensions.session_scope() as session:
        row = session.get(accounts.ApiToken, token.split("_")[1])
        user = session.get(accounts.User, row.user_id)
        assert row.secret_hash.startswith("$argon2id$") and token.split("_", 2)[2] not in row.secret_hash
        assert user.password_hash.startswith("$argon2id$") and "mật-khẩu" not in user.password_hash


def test_public_endpoints_need_no_token(anonymous):
    """Health, the schema and the document types answer without a token."""
    for path in ("/api/v1/schema", "/api/v1/document-types", "/api/v1/workbook"):
        assert anonymous.get(path).status_code == 200, path


def test_another_chi_bo_gets_404_for_every_way_in(app):
    """A secretary asking for another chi bộ's job: 404 for status, files, package and delete."""
    mine = _secretary(app, "Chi bộ thôn 1")
    theirs = _secretary(app, "Chi bộ thôn 2")
    job = mine.post("/api/v1/jobs", json=_meeting_of("Chi bộ thôn 1")).get_json()
    assert mine.get(job["links"]["self"]).status_code == 200
    for path in (job["links"]["self"], job["links"]["package"], job["links"]["print"],
                 f"{job['links']['self']}/documents/bien_ban_kiem_diem.pdf"):
        response = theirs.get(path)
        assert response.status_code == 404, path
        assert response.get_json()["detail"] == f"Không có công việc mã {job['id']}.", path
    assert theirs.delete(job["links"]["self"]).status_code == 404
    missing = theirs.get("/api/v1/jobs/" + "0" * 32).get_json()
    hidden = theirs.get(job["links"]["self"]).get_json()
    assert {**missing, "detail": ""} == {**hidden, "detail": ""}  # indistinguishable from no job


def test_dang_uy_sees_its_chi_bo_and_a_secretary_sees_her_chi_bo_in_a_batch(app, client):
    """A chi bộ's job goes to the organisation its organisation_id names; that secretary sees it."""
    payload = dang_bo_payload()
    name = payload["chi_bo"][0]["organisation"]["name"]
    secretary = _secretary(app, name)
    payload["chi_bo"][0]["organisation_id"] = people.organisation(app, name, "chi_bo", people.DANG_BO)
    batch = client.post("/api/v1/batches", json=payload).get_json()
    visible = [job for job in batch["chi_bo"] if secretary.get(job["links"]["self"]).status_code == 200]
    assert [job["id"] for job in visible] == [batch["chi_bo"][0]["id"]]
    assert secretary.get(batch["links"]["self"]).status_code == 404  # the batch is the đảng bộ's
    own = secretary.post("/api/v1/jobs", json=_meeting_of(name)).get_json()
    assert client.get(own["links"]["self"]).status_code == 200  # the đảng ủy sees its chi bộ


def test_a_typed_chi_bo_name_never_hands_the_job_to_that_chi_bo(app, client):
    """Without organisation_id, a chi bộ named exactly like an organisation stays the đảng bộ's."""
    payload = dang_bo_payload()
    secretary = _secretary(app, payload["chi_bo"][0]["organisation"]["name"])
    batch = client.post("/api/v1/batches", json=payload).get_json()
    assert all(secretary.get(job["links"]["self"]).status_code == 404 for job in batch["chi_bo"])
    assert secretary.get("/api/v1/jobs").get_json()["items"] == []


def test_a_dang_bo_named_like_its_chi_bo_never_goes_to_that_secretary(app, client):
    """The đảng bộ's name typed as one of its chi bộ's: the batch and every job stay the đảng ủy's."""
    people.organisation(app, people.DANG_BO, "dang_bo")
    twin = "Chi bộ thôn Song Sinh"
    secretary = _secretary(app, twin)
    payload = dang_bo_payload()
    payload["dang_bo"]["name"] = twin
    for chi_bo in payload["chi_bo"]:
        chi_bo["organisation"]["parent"] = twin
    batch = client.post("/api/v1/batches", json=payload)
    assert batch.status_code == 202, batch.get_json()
    body = batch.get_json()
    assert secretary.get(body["links"]["self"]).status_code == 404
    assert secretary.get(body["summary"]["links"]["self"]).status_code == 404
    assert secretary.get("/api/v1/jobs").get_json()["items"] == []
    assert secretary.get("/api/v1/batches").get_json()["items"] == []
    assert len(client.get("/api/v1/jobs").get_json()["items"]) == 4


def test_an_organisation_outside_the_dang_bo_is_refused_naming_the_chi_bo(app, client):
    """A chi bộ id of another đảng bộ (or unknown) is a 422 on chi_bo[i].organisation_id; nothing made."""
    stranger = people.organisation(app, "Đảng bộ khác", "dang_bo")
    elsewhere = people.organisation(app, "Chi bộ của đảng bộ khác", "chi_bo", "Đảng bộ khác")
    payload = dang_bo_payload()
    payload["chi_bo"][0]["organisation_id"] = elsewhere
    payload["chi_bo"][2]["organisation_id"] = stranger
    response = client.post("/api/v1/batches", json=payload)
    assert response.status_code == 422
    assert [e["field"] for e in response.get_json()["errors"]] == ["chi_bo[0].organisation_id",
                                                                   "chi_bo[2].organisation_id"]
    assert client.get("/api/v1/batches").get_json()["items"] == []


def test_two_chi_bo_for_one_organisation_are_refused(app, client):
    """Each chi bộ of a batch goes to an organisation of its own."""
    chosen = people.organisation(app, "Chi bộ thôn 1", "chi_bo", people.DANG_BO)
    payload = dang_bo_payload()
    payload["chi_bo"][0]["organisation_id"] = payload["chi_bo"][1]["organisation_id"] = chosen
    response = client.post("/api/v1/batches", json=payload)
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["field"] == "chi_bo[1].organisation_id"


def test_a_secretary_may_not_give_her_meeting_to_another_chi_bo(app):
    """A secretary naming another chi bộ's id gets 422; her meeting is hers whatever it says."""
    secretary = _secretary(app, "Chi bộ thôn 1")
    other = people.organisation(app, "Chi bộ thôn 2", "chi_bo", people.DANG_BO)
    response = secretary.post("/api/v1/jobs", json={**_meeting_of("Chi bộ thôn 2"), "organisation_id": other})
    assert response.status_code == 422 and response.get_json()["errors"][0]["field"] == "organisation_id"
    made = secretary.post("/api/v1/jobs", json=_meeting_of("Chi bộ thôn 2")).get_json()
    assert secretary.get(made["links"]["self"]).status_code == 200
    assert _secretary(app, "Chi bộ thôn 2").get(made["links"]["self"]).status_code == 404


def test_a_dang_uy_job_names_its_chi_bo_by_id(app, client):
    """A đảng ủy's single meeting goes to the chi bộ its organisation_id names, else to the đảng bộ."""
    secretary = _secretary(app, "Chi bộ thôn 1")
    chi_bo = people.organisation(app, "Chi bộ thôn 1", "chi_bo", people.DANG_BO)
    by_name = client.post("/api/v1/jobs", json=_meeting_of("Chi bộ thôn 1")).get_json()
    by_id = client.post("/api/v1/jobs", json={**_meeting_of("Chi bộ thôn 1"), "organisation_id": chi_bo})
    assert secretary.get(by_name["links"]["self"]).status_code == 404
    assert by_id.get_json()["organisation_id"] == chi_bo
    assert secretary.get(by_id.get_json()["links"]["self"]).status_code == 200


def test_a_secretary_may_not_submit_a_whole_dang_bo(app):
    """The đảng bộ batch is the đảng ủy office's: a chi bộ secretary gets 403."""
    response = _secretary(app, "Chi bộ thôn 1").post("/api/v1/batches", json=dang_bo_payload())
    assert response.status_code == 403 and response.mimetype == "application/problem+json"


def test_same_content_from_another_dang_bo_is_a_batch_of_its_own(app, client):
    """Idempotency never hands one organisation the batch of another."""
    first = client.post("/api/v1/batches", json=dang_bo_payload()).get_json()
    other = people.as_user(app.test_client(), people.token(app, org="Đảng bộ phường khác"))
    again = other.post("/api/v1/batches", json=dang_bo_payload())
    assert again.status_code == 202 and again.get_json()["id"] != first["id"]


def test_generate_download_and_delete_are_in_the_audit_log(app, client):
    """Who generated, downloaded and deleted what is recorded, with the username."""
    job = client.post("/api/v1/jobs", json=meeting_payload()).get_json()
    client.get(job["links"]["package"])  # not ready yet: still a download attempt of the job
    assert client.delete(job["links"]["self"]).status_code == 204
    assert client.get(job["links"]["self"]).status_code == 404
    with app.app_context(), extensions.session_scope() as session:
        events = session.scalars(select(accounts.AuditEvent).where(
            accounts.AuditEvent.object_id == job["id"])).all()
        assert {e.action for e in events} >= {"generate", "delete"}
        assert all(e.username.startswith("u-") for e in events)


def test_deleting_a_job_removes_its_files(app, client):
    """DELETE removes the stored input (and any document files) with the rows."""
    job = client.post("/api/v1/jobs", json=meeting_payload()).get_json()
    with app.app_context():
        assert get_storage().exists(f"jobs/{job['id']}/input.json")
        client.delete(job["links"]["self"])
        assert not get_storage().exists(f"jobs/{job['id']}/input.json")


def test_purge_deletes_what_is_older_than_the_retention_period(app, client):
    """Jobs past RETENTION_DAYS go with their files; newer ones stay."""
    old = client.post("/api/v1/jobs", json=meeting_payload()).get_json()
    new = client.post("/api/v1/jobs", json=_meeting_of("Chi bộ mới")).get_json()
    with app.app_context():
        with extensions.session_scope() as session:
            session.get(models.Job, old["id"]).created_at -= timedelta(days=91)
        with extensions.session_scope() as session:
            assert retention.purge(session, get_storage(), 90) == 1
        assert not get_storage().exists(f"jobs/{old['id']}/input.json")
    assert client.get(old["links"]["self"]).status_code == 404
    assert client.get(new["links"]["self"]).status_code == 200


def _csrf(client, path: str) -> str:
    page = client.get(path)
    assert page.status_code == 200
    return re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True)).group(1)


def _login(app, anonymous, password="mật-khẩu-thử-123", next_="/"):
    people.token(app, role="chi_bo", org="Chi bộ thôn 1", password=password, username="bithu")
    return anonymous.post("/dang-nhap", data={"username": "bithu", "password": password, "next": next_,
                                              "csrf_token": _csrf(anonymous, "/dang-nhap")})


def test_web_pages_send_a_stranger_to_the_login_page(anonymous):
    """Without a session every page redirects to the login form, keeping where it was going."""
    response = anonymous.get("/hoi-nghi")
    assert response.status_code == 302 and response.headers["Location"].startswith("/dang-nhap?next=")


def test_a_wrong_password_is_refused(app, anonymous):
    """A wrong password shows the form again with a Vietnamese message and no session."""
    people.token(app, role="chi_bo", org="Chi bộ thôn 1", password="đúng-mật-khẩu", username="bithu")
    response = anonymous.post("/dang-nhap", data={"username": "bithu", "password": "sai",
                                                  "csrf_token": _csrf(anonymous, "/dang-nhap")})
    assert response.status_code == 401 and "không đúng" in response.get_data(as_text=True)
    assert anonymous.get("/hoi-nghi").status_code == 302


def test_login_sets_an_httponly_samesite_cookie(app, anonymous):
    """The session cookie is HttpOnly and SameSite=Lax; the pages open after login."""
    response = _login(app, anonymous)
    assert response.status_code == 303
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert anonymous.get("/hoi-nghi").status_code == 200


def test_a_form_post_without_the_csrf_token_is_refused(app, anonymous):
    """A signed-in POST without the form's CSRF token gets 403; with it, it goes through."""
    _login(app, anonymous)
    assert anonymous.post("/hoi-nghi", data={"org-name": "x"}).status_code == 403
    token = _csrf(anonymous, "/hoi-nghi")
    response = anonymous.post("/hoi-nghi", data={"org-name": "x", "csrf_token": token})
    assert response.status_code == 422  # the form itself is checked: the CSRF check let it through


def test_login_never_redirects_off_site(app, anonymous):
    """A `next` pointing at another site is replaced by the start page."""
    assert _login(app, anonymous, next_="//evil.example/").headers["Location"] == "/"


def test_a_login_post_without_the_page_s_csrf_token_is_refused(app, anonymous):
    """Login CSRF: a POST that did not come from our login page signs no one in."""
    people.token(app, role="chi_bo", org="Chi bộ thôn 1", password="mật-khẩu-thử-123", username="bithu")
    response = anonymous.post("/dang-nhap", data={"username": "bithu", "password": "mật-khẩu-thử-123"})
    assert response.status_code == 403 and "hết hạn" in response.get_data(as_text=True)
    assert anonymous.get("/hoi-nghi").status_code == 302


def test_a_secretary_may_not_post_a_dang_bo_summary_as_a_job(app):
    """The đảng bộ summary through /jobs is refused to a chi bộ secretary too (403)."""
    payload = {**dang_bo_payload(), "kind": "dang_bo"}
    response = _secretary(app, "Chi bộ thôn 1").post("/api/v1/jobs", json=payload)
    assert response.status_code == 403


def test_a_secretary_may_not_delete_her_job_out_of_a_dang_uy_batch(app, client):
    """409 in Vietnamese saying she may correct it; the batch keeps every chi bộ; the đảng ủy deletes it."""
    payload = dang_bo_payload()
    name = payload["chi_bo"][0]["organisation"]["name"]
    secretary = _secretary(app, name)
    payload["chi_bo"][0]["organisation_id"] = people.organisation(app, name, "chi_bo", people.DANG_BO)
    batch = client.post("/api/v1/batches", json=payload).get_json()
    hers = batch["chi_bo"][0]
    refused = secretary.delete(hers["links"]["self"])
    assert refused.status_code == 409 and refused.mimetype == "application/problem+json"
    assert refused.get_json()["type"] == "/problems/conflict" and "hãy sửa" in refused.get_json()["detail"]
    assert client.delete(hers["links"]["self"]).status_code == 409
    assert client.delete(batch["summary"]["links"]["self"]).status_code == 409
    assert len(client.get(batch["links"]["self"]).get_json()["chi_bo"]) == len(batch["chi_bo"])
    assert client.delete(batch["links"]["self"]).status_code == 204
    assert secretary.get(hers["links"]["self"]).status_code == 404


def test_public_endpoints_are_the_views_marked_public(app):
    """Only views marked ``@auth.public`` where they are defined (and the pages' static files) answer
    anyone: a new endpoint asks who is calling unless its author marks it."""
    with app.test_request_context():
        found = {endpoint for endpoint in app.view_functions if auth.is_public(endpoint)}
    assert found == {"health.healthz", "health.metrics", "api.schema", "api.document_types",
                     "openapi.openapi_json", "batches.workbook", "templates.variables",
                     "templates.builtin_template", "auth.login", "auth.login_submit", "web.static",
                     "signing.link_pdf", "signing.link_upload", "guide.guide_page",
                     "selfreview_pages.member_page", "selfreview_pages.member_submit",
                     "selfreview_pages.member_print", "selfreview_pages.member_pdf",
                     "season_pages.link_form", "season_pages.link_submit"}  # a one-time sign-in link
