"""The web workspace without a browser: her home, Sửa, Lưu nháp, Tạo lại, Xoá, error pages.

Each test signs in through the login form (a session cookie and its CSRF token), as a person
does; jobs made "beforehand" go through the API with a token of the same chi bộ.
"""

from __future__ import annotations

import io
import json
import re

import pytest
from sqlalchemy import select

from service import accounts, extensions
from service.jobs import models, queue
from tests.support import people
from tests.support.factories import dang_bo_payload, meeting_payload, monthly_payload

PASSWORD = "mật-khẩu-thử-123"
CHI_BO = "Chi bộ Trường Tiểu học Thạch Linh"


@pytest.fixture(autouse=True)
def _no_queue(monkeypatch):
    """Nothing is sent to Celery, and Redis holds nothing."""
    monkeypatch.setattr(queue, "dispatch", lambda documents, size, **_: 0)
    monkeypatch.setattr(queue, "quiet_for", lambda url: 0.0)


def csrf(client, path: str) -> str:
    """The CSRF token of the form on *path*."""
    page = client.get(path)
    assert page.status_code == 200, path
    return re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True)).group(1)


def sign_in(app, client, username="bithu", role="chi_bo", org=CHI_BO):
    """A user of *org* signed in through the login form; an API token of the same chi bộ."""
    token = people.token(app, role=role, org=org, password=PASSWORD, username=username)
    response = client.post("/dang-nhap", data={"username": username, "password": PASSWORD, "next": "/",
                                               "csrf_token": csrf(client, "/dang-nhap")})
    assert response.status_code == 303
    return people.as_user(app.test_client(), token)


def finish(app, job_id: str) -> None:
    """Mark every document of the job built (no worker runs here)."""
    with app.app_context(), extensions.session_scope() as session:
        for document in session.get(models.Job, job_id).documents:
            document.status = models.DONE


def text(response) -> str:
    return response.get_data(as_text=True)


def test_her_home_lists_her_meetings_with_open_edit_and_delete(app, anonymous):
    """A meeting sent through the API is on her home page, with its date and the three links."""
    api = sign_in(app, anonymous)
    job = api.post("/api/v1/jobs", json=meeting_payload()).get_json()
    monthly = api.post("/api/v1/jobs", json=monthly_payload(organisation={
        **monthly_payload()["organisation"], "name": CHI_BO})).get_json()
    finish(app, job["id"])
    page = text(anonymous.get("/"))
    assert "Nhập hội nghị" in page and job["title"] in page and monthly["title"] in page
    assert "05/12/2025" in page  # the meeting's day, not the upload's
    row = re.search(rf'<tr data-job="{job["id"]}">.*?</tr>', page, re.S).group(0)
    for link in (f'/viec/{job["id"]}"', f'/viec/{job["id"]}/sua"', f'/viec/{job["id"]}/xoa"'):
        assert link in row, link


def test_nothing_on_her_home_leads_to_a_page_she_may_not_use(app, anonymous):
    """Every link of a secretary's home opens (no 403/404), and none is the đảng bộ workbook."""
    api = sign_in(app, anonymous)
    api.post("/api/v1/jobs", json=meeting_payload())
    page = text(anonymous.get("/"))
    links = set(re.findall(r'href="(/[^"]*)"', page))
    assert links and "/api/v1/workbook" not in links and not any("dang_bo" in link for link in links)
    for link in links:
        assert anonymous.get(link.replace("&amp;", "&")).status_code == 200, link
    assert 'accept=".json"' in page  # her upload takes one meeting's JSON, not the workbook


def test_edit_opens_the_form_filled_from_a_json_meeting(app, anonymous):
    """"Sửa" of a meeting sent as JSON shows its members, votes, speeches and Mẫu 02A."""
    api = sign_in(app, anonymous)
    job = api.post("/api/v1/jobs", json=meeting_payload()).get_json()
    finish(app, job["id"])
    page = text(anonymous.get(f"/viec/{job['id']}/sua"))
    assert 'name="m-0-name" type="text" value="Trần Văn Bình"' in page
    assert 'name="m-0-xs" inputmode="numeric" aria-label="Phiếu HTXS 1" value="7"' in page
    assert 'value="02A" selected' in page and 'value="12/04/1978"' in page
    assert "Ghi nhận tinh thần tự phê bình" in page  # a speech
    assert "Lưu sửa và tạo lại văn bản" in page and "Lưu nháp" not in page


def _edit_form(client, job_id: str) -> dict[str, str]:
    """The fields the edit page posts, as a browser would."""
    return form_fields(client, f"/viec/{job_id}/sua")


def form_fields(client, path: str) -> dict[str, str]:
    """The fields the form on *path* posts untouched, as a browser sends them."""
    page = text(client.get(path))
    fields = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page))
    for name, options in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected', options) or re.search(
            r'<option value="([^"]*)"', options)  # nothing selected: the browser sends the first
        fields[name] = chosen.group(1)
    fields.update(dict(re.findall(r'<textarea name="([^"]+)"[^>]*>([^<]*)</textarea>', page)))
    for box in re.findall(r'<input type="checkbox" name="([^"]+)"[^>]*>', page):
        if f'name="{box}" value="1" checked' not in page:
            fields.pop(box, None)  # an unticked box is not sent
    return {k: v.replace("&#34;", '"').replace("&amp;", "&") for k, v in fields.items()}


def test_a_corrected_vote_is_a_new_revision_and_the_old_one_stays(app, anonymous):
    """Moving one vote from the form: same job, revision 2, the first revision listed for download."""
    api = sign_in(app, anonymous)
    job = api.post("/api/v1/jobs", json=meeting_payload()).get_json()
    finish(app, job["id"])
    form = _edit_form(anonymous, job["id"])
    form.update({"m-2-tot": "8", "m-2-ht": "1", "action": "generate"})
    response = anonymous.post(f"/viec/{job['id']}/sua", data=form)
    assert response.status_code == 303 and response.headers["Location"] == f"/viec/{job['id']}"
    after = api.get(f"/api/v1/jobs/{job['id']}").get_json()
    assert after["revision"] == 2 and [r["revision"] for r in after["revisions"]] == [1]
    stored = api.get(f"/api/v1/jobs/{job['id']}/input").get_json()
    votes = next(r["votes"] for r in stored["ratings"] if r["member"] == "Nguyễn Thị Hồng Nhung")
    assert (votes["tot"], votes["hoan_thanh"]) == (8, 1)
    review = meeting_payload()["ratings"][0]["review"]
    assert stored["ratings"][0]["review"]["strengths"] == review["strengths"]  # not on the form: kept
    page = text(anonymous.get(f"/viec/{job['id']}"))
    assert "bản 2" in page and 'data-revision="1"' in page


def test_a_wrong_correction_comes_back_with_the_error_beside_the_cell(app, anonymous):
    """Too many votes for one member: the form again (422), the figure kept, nothing saved."""
    api = sign_in(app, anonymous)
    job = api.post("/api/v1/jobs", json=meeting_payload()).get_json()
    finish(app, job["id"])
    form = {**_edit_form(anonymous, job["id"]), "m-2-tot": "30", "action": "generate"}
    response = anonymous.post(f"/viec/{job['id']}/sua", data=form)
    assert response.status_code == 422
    assert 'value="30" class="invalid"' in text(response) and "nhiều hơn" in text(response)
    assert api.get(f"/api/v1/jobs/{job['id']}").get_json()["revision"] == 1


def test_a_draft_is_kept_unfinished_and_generated_when_she_asks(app, anonymous):
    """"Lưu nháp" with half a form: a draft without documents; resumed and finished, it is built."""
    sign_in(app, anonymous)
    half = {**form_fields(anonymous, "/hoi-nghi"), "action": "draft", "org_name": CHI_BO,
            "m-0-name": "Trần Văn Bình"}
    response = anonymous.post("/hoi-nghi", data=half)
    assert response.status_code == 303
    edit = response.headers["Location"]
    page = text(anonymous.get(edit))
    assert 'value="Trần Văn Bình"' in page and "Tạo văn bản" in page and "Bản nháp" in page
    job_id = edit.split("/")[2]
    assert "bản nháp" in text(anonymous.get("/"))
    form = {**_edit_form(anonymous, job_id), **{
        "org_parent": "Đảng bộ xã Thạch Linh", "org_place": "Hà Tĩnh", "date": "2025-12-05",
        "location": "Hội trường", "chair_name": "Trần Văn Bình", "secretary_name": "Trần Văn Bình",
        "document_number": "1", "review_year": "2025", "m-0-rating": "tot", "m-0-tot": "1",
        "cb-rating": "tot", "cb-tot": "1", "action": "generate"}}
    response = anonymous.post(edit, data=form)
    assert response.status_code == 303, re.findall(r'(?:class="error">|<li>)([^<]+)', text(response))
    job = text(anonymous.get(f"/viec/{job_id}"))
    assert "Biên bản" in job and "bản nháp" not in job.split("<main")[1].split("</h1>")[1][:200]


def test_tao_lai_rebuilds_one_document(app, anonymous):
    """"Tạo lại" queues that one document again and comes back to the job page."""
    api = sign_in(app, anonymous)
    job = api.post("/api/v1/jobs", json=meeting_payload()).get_json()
    finish(app, job["id"])
    token = csrf(anonymous, f"/viec/{job['id']}")
    response = anonymous.post(f"/viec/{job['id']}/tao-lai/bien_ban_kiem_diem", data={"csrf_token": token})
    assert response.status_code == 303
    states = {d["name"]: d["status"] for d in api.get(f"/api/v1/jobs/{job['id']}").get_json()["documents"]}
    assert states.pop("bien_ban_kiem_diem") == "queued" and set(states.values()) == {"done"}


def test_the_job_page_retries_its_failed_documents(app, anonymous):
    """A job with one failed document shows the retry button; pressing it queues only that one."""
    api = sign_in(app, anonymous)
    job = api.post("/api/v1/jobs", json=meeting_payload()).get_json()
    assert 'id="retry"' not in text(anonymous.get(f"/viec/{job['id']}"))  # nothing failed yet
    finish(app, job["id"])
    with app.app_context(), extensions.session_scope() as session:
        failed = session.get(models.Job, job["id"]).documents[0]
        failed.status, failed.error_type, failed.error_detail = models.FAILED, "poison-document", "chết"
    page = text(anonymous.get(f"/viec/{job['id']}"))
    assert 'id="retry"' in page and "Tạo lại các văn bản bị lỗi" in page
    token = csrf(anonymous, f"/viec/{job['id']}")
    response = anonymous.post(f"/viec/{job['id']}/thu-lai", data={"csrf_token": token})
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/viec/{job['id']}")
    states = [d["status"] for d in api.get(f"/api/v1/jobs/{job['id']}").get_json()["documents"]]
    assert states[0] == "queued" and set(states[1:]) == {"done"}


def test_delete_asks_first_needs_the_csrf_token_and_then_deletes(app, anonymous):
    """The confirmation page; a POST without the token is a 403 page; with it the job is gone."""
    api = sign_in(app, anonymous)
    job = api.post("/api/v1/jobs", json=meeting_payload()).get_json()
    finish(app, job["id"])
    confirm = anonymous.get(f"/viec/{job['id']}/xoa")
    assert confirm.status_code == 200 and "Không khôi phục được" in text(confirm)
    refused = anonymous.post(f"/viec/{job['id']}/xoa")
    assert refused.status_code == 403 and refused.mimetype == "text/html"
    token = csrf(anonymous, f"/viec/{job['id']}/xoa")
    response = anonymous.post(f"/viec/{job['id']}/xoa", data={"csrf_token": token})
    assert response.status_code == 303 and response.headers["Location"] == "/"
    assert "Đã xoá" in text(anonymous.get("/"))
    gone = anonymous.get(f"/viec/{job['id']}")
    assert gone.status_code == 404 and gone.mimetype == "text/html" and "Về trang chủ" in text(gone)


def test_her_job_in_a_dang_uy_batch_shows_no_delete_and_a_forced_one_is_a_409_page(app, anonymous):
    """A chi bộ's job of a batch: Sửa but no Xoá; posting the delete anyway is a Vietnamese 409 page."""
    office = people.as_user(app.test_client(), people.token(app))
    chi_bo = people.organisation(app, CHI_BO, "chi_bo", people.DANG_BO)
    payload = dang_bo_payload()
    payload["chi_bo"][0]["organisation_id"] = chi_bo
    batch = office.post("/api/v1/batches", json=payload).get_json()
    assert batch.get("id"), batch
    sign_in(app, anonymous)
    hers = next(j for j in batch["chi_bo"] if j["organisation_id"] == chi_bo)
    finish(app, hers["id"])
    page = text(anonymous.get(f"/viec/{hers['id']}"))
    assert 'id="edit"' in page and 'id="delete"' not in page
    assert f'/viec/{hers["id"]}/xoa' not in text(anonymous.get("/"))
    token = csrf(anonymous, f"/viec/{hers['id']}")
    forced = anonymous.post(f"/viec/{hers['id']}/xoa", data={"csrf_token": token})
    assert forced.status_code == 409 and forced.mimetype == "text/html"
    assert "lô tài liệu của đảng ủy" in text(forced) and "Về trang chủ" in text(forced)


def test_her_correction_of_a_batch_job_shows_on_the_batch(app, anonymous):
    """She corrects her chi bộ's meeting of a đảng ủy batch; the office's batch page says it changed."""
    office = people.as_user(app.test_client(), people.token(app))
    chi_bo = people.organisation(app, CHI_BO, "chi_bo", people.DANG_BO)
    payload = dang_bo_payload()
    payload["chi_bo"][0]["organisation_id"] = chi_bo
    batch = office.post("/api/v1/batches", json=payload).get_json()
    for job in [batch["summary"], *batch["chi_bo"]]:
        finish(app, job["id"])
    sign_in(app, anonymous)
    hers = next(j for j in batch["chi_bo"] if j["organisation_id"] == chi_bo)
    form = _edit_form(anonymous, hers["id"])
    assert "organisation_id" not in form  # hers is hers: no choice of organisation
    form["action"] = "generate"
    response = anonymous.post(f"/viec/{hers['id']}/sua", data=form)
    assert response.status_code == 303, re.findall(r'(?:class="error">|<li>)([^<]+)', text(response))
    page = text(office.get(f"/lo/{batch['id']}", headers={"Accept": "text/html"}))
    assert 'id="batch-changed"' in page and "đã sửa 1 lần" in page


def test_web_errors_are_pages_and_the_api_keeps_problem_json(app, anonymous):
    """A missing job: a Vietnamese page to the browser, problem+json to a script with a token."""
    api = sign_in(app, anonymous)
    page = anonymous.get("/viec/" + "0" * 32, headers={"Accept": "text/html"})
    assert page.status_code == 404 and page.mimetype == "text/html" and "Không có công việc" in text(page)
    assert anonymous.get("/khong-co-trang-nay", headers={"Accept": "text/html"}).mimetype == "text/html"
    assert api.get("/api/v1/jobs/" + "0" * 32).mimetype == "application/problem+json"
    assert anonymous.get("/api/v1/jobs/" + "0" * 32).mimetype == "application/problem+json"  # no Accept


def test_a_form_sent_after_the_session_expired_is_restored_after_login(app, anonymous):
    """Signed out while typing: the login page keeps the form; after login it is filled again."""
    people.token(app, role="chi_bo", org=CHI_BO, password=PASSWORD, username="bithu")
    typed = {"org_name": CHI_BO, "m-0-name": "Trần Văn Bình", "m-0-tot": "7", "csrf_token": "old"}
    login = anonymous.post("/hoi-nghi", data=typed)
    assert login.status_code == 401 and "hết hạn" in text(login)
    pending = re.search(r'name="pending" value="([^"]*)"', text(login)).group(1)
    pending = pending.replace("&#34;", '"').replace("&amp;", "&")
    assert json.loads(pending) == {k: v for k, v in typed.items() if k != "csrf_token"}
    resume = anonymous.post("/dang-nhap", data={
        "username": "bithu", "password": PASSWORD, "next": "/hoi-nghi", "pending": pending,
        "csrf_token": csrf(anonymous, "/dang-nhap")})
    assert resume.status_code == 200 and 'action="/hoi-nghi"' in text(resume)
    fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', text(resume)))
    restored = anonymous.post("/hoi-nghi", data=fields)
    assert restored.status_code == 200 and "khôi phục" in text(restored)
    assert 'name="m-0-name" type="text" value="Trần Văn Bình"' in text(restored)
    with app.app_context(), extensions.session_scope() as session:
        assert session.scalars(select(models.Job)).first() is None  # nothing was made


def test_the_login_page_shows_no_command_line(anonymous):
    """No `chibo …`, no <code>: a secretary cannot run commands."""
    page = text(anonymous.get("/dang-nhap"))
    assert "<code>" not in page and "chibo " not in page and "liên hệ" in page


def test_she_changes_her_password_with_the_old_one(app, anonymous):
    """A wrong old password is refused; the right one changes it (audited); the new one signs in."""
    sign_in(app, anonymous)
    token = csrf(anonymous, "/doi-mat-khau")
    wrong = anonymous.post("/doi-mat-khau", data={"csrf_token": token, "old_password": "sai-mat-khau",
                                                 "new_password": "mật-khẩu-mới-99",
                                                 "new_password_again": "mật-khẩu-mới-99"})
    assert wrong.status_code == 401 and "không đúng" in text(wrong)
    short = anonymous.post("/doi-mat-khau", data={"csrf_token": token, "old_password": PASSWORD,
                                                 "new_password": "ngắn", "new_password_again": "ngắn"})
    assert short.status_code == 400
    done = anonymous.post("/doi-mat-khau", data={"csrf_token": token, "old_password": PASSWORD,
                                                "new_password": "mật-khẩu-mới-99",
                                                "new_password_again": "mật-khẩu-mới-99"})
    assert done.status_code == 200 and "Đã đổi mật khẩu" in text(done)
    with app.app_context(), extensions.session_scope() as session:
        actions = {e.action for e in session.scalars(select(accounts.AuditEvent))}
        assert {"password-change", "password-change-failed"} <= actions
        assert accounts.check_password(session, "bithu", "mật-khẩu-mới-99") is not None


def test_an_uploaded_dang_bo_asks_whose_each_chi_bo_is(app, anonymous, tmp_path):
    """The office's upload: each chi bộ's account suggested by name, confirmed, then owned by it."""
    sign_in(app, anonymous, username="vanphong", role="dang_uy", org=people.DANG_BO)
    payload = dang_bo_payload()
    first = payload["chi_bo"][0]["organisation"]["name"]
    chi_bo = people.organisation(app, first.upper(), "chi_bo", people.DANG_BO)  # written otherwise
    token = csrf(anonymous, "/")
    page = anonymous.post("/tai-len", data={"csrf_token": token, "file": (
        io.BytesIO(json.dumps(payload).encode()), "dang-bo.json")})
    assert page.status_code == 200 and "Hội nghị của chi bộ nào?" in text(page)
    assert f'<option value="{chi_bo}" selected' in text(page)  # suggested, to be confirmed
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', text(page)))
    fields = {k: v.replace("&#34;", '"').replace("&#39;", "'").replace("&amp;", "&")
              for k, v in fields.items()}
    sent = anonymous.post("/tai-len/xac-nhan", data={**fields, "org-0": chi_bo, "org-1": "", "org-2": ""})
    assert sent.status_code == 303 and sent.headers["Location"].startswith("/lo/")
    batch = text(anonymous.get(sent.headers["Location"]))
    assert first in batch
    with app.app_context(), extensions.session_scope() as session:
        owners = {job.title: job.organisation_id for job in session.scalars(select(models.Job))}
    assert [title for title, owner in owners.items() if owner == chi_bo] == [
        next(t for t in owners if t.startswith(first))]
