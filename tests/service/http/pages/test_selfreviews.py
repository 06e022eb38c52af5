"""Members' personal self-review links: made by the secretary, used without an account, scoped."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

import pytest

from service import extensions
from service.http.actions import selfreviews
from service.jobs import models
from service.selfreviews import SelfReview, missing_counts
from tests.support import people
from tests.support.factories import meeting_payload


@pytest.fixture(autouse=True)
def _no_dispatch(monkeypatch):
    """Nothing reaches Celery."""
    from service.jobs import queue

    monkeypatch.setattr(queue, "dispatch", lambda documents, size, **_: 0)


@pytest.fixture(name="secretary")
def _secretary(app):
    """A chi bộ secretary's API client."""
    return people.as_user(app.test_client(), people.token(app, "chi_bo", "Chi bộ Trường Tiểu học (thử)"))


def _draft(secretary, ratings=None):
    data = meeting_payload(ratings=ratings if ratings is not None else [])
    response = secretary.post("/api/v1/jobs?draft=1", json=data)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def _links(secretary, job_id, names, **extra):
    response = secretary.post(f"/api/v1/jobs/{job_id}/self-reviews", json={"members": names, **extra})
    assert response.status_code == 201, response.get_json()
    return {r["member"]: r["link"] for r in response.get_json()["self_reviews"]}


def _path(link):
    return link.split("://", 1)[1].split("/", 1)[1].join(["/", ""])


def _csrf(page):
    return re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True)).group(1)


def _text(response):
    return " ".join(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)).split())


def test_a_link_opens_only_her_own_form_headed_with_who_she_is(app, secretary):
    """Her page: name, birth date, posts, year, Mẫu 02A; never indexed nor referred; the visit audited."""
    job_id = _draft(secretary)
    link = _links(secretary, job_id, ["Trần Văn Bình"])["Trần Văn Bình"]
    assert re.search(r"/tu-kiem-diem/[A-Za-z0-9_-]{43}$", link)
    page = app.test_client().get(_path(link))
    text = _text(page)
    assert page.status_code == 200 and "Trần Văn Bình" in text and "12/04/1978" in text
    assert "Bí thư chi bộ, Hiệu trưởng" in text and "năm 2025" in text and "Mẫu 02A" in text
    assert page.headers["X-Robots-Tag"].startswith("noindex")
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert '<meta name="robots" content="noindex' in page.get_data(as_text=True)
    assert "Nguyễn Thị Hồng Nhung" not in text
    with app.app_context(), extensions.session_scope() as session:
        row = session.query(SelfReview).one()
        assert row.state == "opened" and link.rsplit("/", 1)[1] not in (row.token_hash or "")
    listed = secretary.get(f"/api/v1/jobs/{job_id}/self-reviews").get_json()
    assert "tu-kiem-diem" not in json.dumps(listed)  # never listed again
    assert any(m["self_review"] and m["self_review"]["state"] == "opened" for m in listed["members"])


def test_saving_needs_the_pages_csrf_token_and_keeps_what_she_typed(app, secretary):
    """A POST without the form's token is refused (403, nothing kept); with it: saved as a draft."""
    job_id = _draft(secretary)
    path = _path(_links(secretary, job_id, ["Nguyễn Thị Hồng Nhung"])["Nguyễn Thị Hồng Nhung"])
    member = app.test_client()
    token = _csrf(member.get(path))
    refused = member.post(path, data={"strengths": "Chăm chỉ", "action": "save"})
    assert refused.status_code == 403 and "Chăm chỉ" in refused.get_data(as_text=True)
    saved = member.post(path, data={"csrf_token": token, "strengths": "Chăm chỉ", "general": "31",
                                    "action": "save"})
    assert saved.status_code == 422 and "từ 0 đến 30" in _text(saved)
    again = app.test_client().get(path)  # she comes back later, another browser
    assert "Chăm chỉ" in _text(again) and "Đang viết" in _text(again)


def test_one_members_link_cannot_reach_another_member_or_another_review(app, secretary):
    """Bình's token opens Bình's row only; the ids of the others answer the login, not their forms."""
    job_id = _draft(secretary)
    other_job = _draft(secretary)
    made = _links(secretary, job_id, ["Trần Văn Bình", "Lê Thị Cúc"])
    _links(secretary, other_job, ["Trần Văn Bình"])
    member = app.test_client()
    binh = _path(made["Trần Văn Bình"])
    token = _csrf(member.get(binh))
    member.post(binh, data={"csrf_token": token, "strengths": "Của Bình", "action": "save",
                            "member_key": "Lê Thị Cúc", "job_id": other_job})
    with app.app_context(), extensions.session_scope() as session:
        rows = {(r.job_id, r.member_name): r.content.get("strengths") for r in session.query(SelfReview)}
    assert rows == {(job_id, "Trần Văn Bình"): "Của Bình", (job_id, "Lê Thị Cúc"): None,
                    (other_job, "Trần Văn Bình"): None}
    assert "Của Bình" not in _text(member.get(_path(made["Lê Thị Cúc"])))
    for address in (f"/viec/{job_id}/tu-kiem-diem", f"/api/v1/jobs/{job_id}/self-reviews"):
        assert member.get(address).status_code in (302, 401)
    assert member.get(binh[:-3] + "abc").status_code == 404


def test_a_revoked_or_expired_link_answers_that_it_no_longer_works(app, secretary):
    """DELETE ends the link at once (410, a Vietnamese page); a day past its expiry likewise."""
    job_id = _draft(secretary)
    made = _links(secretary, job_id, ["Trần Văn Bình", "Lê Thị Cúc"],
                  expires_on=(date.today() + timedelta(days=3)).isoformat())
    assert secretary.delete(f"/api/v1/jobs/{job_id}/self-reviews/Trần Văn Bình").status_code == 200
    gone = app.test_client().get(_path(made["Trần Văn Bình"]))
    assert gone.status_code == 410 and "không còn dùng được" in _text(gone) and "thu hồi" in _text(gone)
    assert gone.headers["Referrer-Policy"] == "no-referrer"
    with app.app_context(), extensions.session_scope() as session:
        row = session.query(SelfReview).filter_by(member_name="Lê Thị Cúc").one()
        row.expires_on = date.today() - timedelta(days=1)
    expired = app.test_client().get(_path(made["Lê Thị Cúc"]))
    assert expired.status_code == 410 and "hết hạn" in _text(expired)
    late = secretary.post(f"/api/v1/jobs/{job_id}/self-reviews",
                          json={"members": ["Lê Thị Cúc"], "expires_on": "2000-01-01"})
    assert late.status_code == 422 and late.get_json()["errors"][0]["field"] == "expires_on"
    unknown = secretary.post(f"/api/v1/jobs/{job_id}/self-reviews", json={"members": ["Không Có Ai"]})
    assert unknown.status_code == 422 and "Không Có Ai" in unknown.get_json()["errors"][0]["detail"]


def test_sent_returned_fixed_accepted_fills_the_draft_and_the_missing_are_warned(app, secretary):
    """Sent → returned with a note she reads → sent again → accepted: her words in the draft's data;
    at generation the member who never sent is named in the warnings; the board counts her."""
    job_id = _draft(secretary)
    made = _links(secretary, job_id, ["Lê Thị Cúc", "Nguyễn Thị Hồng Nhung"])
    member = app.test_client()
    path = _path(made["Lê Thị Cúc"])
    token = _csrf(member.get(path))
    form = {"csrf_token": token, "strengths": "Hoàn thành tốt công việc.", "general": "27",
            "tasks": "59", "self_rating": "tot", "action": "send"}
    assert member.post(path, data=form).status_code == 200
    review_id = secretary.get(f"/api/v1/jobs/{job_id}/self-reviews").get_json()["self_reviews"][0]["id"]
    web = app.test_client()
    web.environ_base["HTTP_AUTHORIZATION"] = secretary.environ_base["HTTP_AUTHORIZATION"]
    web.post(f"/viec/{job_id}/tu-kiem-diem/{review_id}/quyet-dinh",
             data={"action": "return", "note": "Bổ sung mục II."})
    assert "Bổ sung mục II." in _text(member.get(path))
    assert member.post(path, data={**form, "shortcomings": "Còn chậm."}).status_code == 200
    web.post(f"/viec/{job_id}/tu-kiem-diem/{review_id}/quyet-dinh", data={"action": "accept"})
    data = secretary.get(f"/api/v1/jobs/{job_id}/input").get_json()
    cuc = next(r for r in data["ratings"] if r["member"] == "Lê Thị Cúc")
    assert cuc["review"]["shortcomings"] == ["Còn chậm."]
    assert cuc["scores"] == {"general": "27", "tasks": "59"}
    assert member.post(path, data={**form, "strengths": "Đổi"}).status_code == 409  # accepted: closed
    with app.app_context(), extensions.session_scope() as session:
        assert missing_counts(session, [job_id, "0" * 32]) == {job_id: 1}
        job = session.get(models.Job, job_id)
        assert "Nguyễn Thị Hồng Nhung" in selfreviews.missing_warnings(session, job)[0]


def test_a_new_annual_form_offers_last_years_report_as_a_start(app, secretary):
    """The chi bộ's last generated review's Mẫu 01 body fills the new form, with a notice."""
    last = meeting_payload()
    assert secretary.post("/api/v1/jobs", json=last).status_code == 202
    web = app.test_client()
    web.environ_base["HTTP_AUTHORIZATION"] = secretary.environ_base["HTTP_AUTHORIZATION"]
    page = web.get("/hoi-nghi")
    assert f"báo cáo năm {last['review_year']}" in _text(page)
    assert last["report"]["strengths"][0] in page.get_data(as_text=True).replace("&#34;", '"')


def test_her_print_copy_is_marked_as_a_draft_until_the_chi_bo_accepts_it(app, secretary):
    """The print view of her own form says "DỰ THẢO" while not accepted; private like her page."""
    job_id = _draft(secretary)
    path = _path(_links(secretary, job_id, ["Trần Văn Bình"])["Trần Văn Bình"])
    member = app.test_client()
    member.post(path, data={"csrf_token": _csrf(member.get(path)), "strengths": "Gương mẫu.",
                            "action": "save"})
    printed = member.get(path + "/ban-in")
    assert printed.status_code == 200 and "DỰ THẢO" in _text(printed) and "Gương mẫu." in _text(printed)
    assert printed.headers["Referrer-Policy"] == "no-referrer"
    assert "BẢN KIỂM ĐIỂM, TỰ ĐÁNH GIÁ, XẾP LOẠI CÁ NHÂN" in _text(printed)


def test_the_links_last_day_is_typed_day_first(app, secretary):
    """No browser date picker: the day the links expire is typed 31/12/…, read so; an impossible
    one comes back as typed with the reason."""
    job_id = _draft(secretary)
    page = secretary.get(f"/viec/{job_id}/tu-kiem-diem").get_data(as_text=True)
    assert 'type="date"' not in page and 'placeholder="ví dụ 31/12/2026"' in page
    assert "Ghi ngày/tháng/năm." in page
    day = date.today() + timedelta(days=5)
    made = secretary.post(f"/viec/{job_id}/tu-kiem-diem",
                          data={"member": "Lê Thị Cúc", "expires_on": day.strftime("%d/%m/%Y")})
    assert made.status_code == 200, _text(made)
    with app.app_context(), extensions.session_scope() as session:
        assert [r.expires_on for r in session.query(SelfReview)] == [day]
    wrong = secretary.post(f"/viec/{job_id}/tu-kiem-diem",
                           data={"member": "Lê Thị Cúc", "expires_on": "31/02/2026"})
    assert wrong.status_code == 422 and 'value="31/02/2026"' in wrong.get_data(as_text=True)
    assert "Hạn dùng liên kết" in _text(wrong)
