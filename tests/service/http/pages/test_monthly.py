"""The monthly minute on the web: started from last month, warned by HD 42, saved, corrected."""

from __future__ import annotations

import pytest

from service.jobs import queue
from tests.service.http.pages.test_web_pages import CHI_BO, finish, form_fields, sign_in, text
from tests.support.factories import monthly_payload


@pytest.fixture(autouse=True)
def _no_queue(monkeypatch):
    """Nothing is sent to Celery, and Redis holds nothing."""
    monkeypatch.setattr(queue, "dispatch", lambda documents, size, **_: 0)
    monkeypatch.setattr(queue, "in_flight", lambda url: set())


def _last_month(api, app):
    data = monthly_payload(organisation={**monthly_payload()["organisation"], "name": CHI_BO})
    data["members"][2].update(attendance="absent", absence_reason="đi công tác")
    data["check"] = {"member_count": 8}
    data["resolution"]["vote"] = {"agree": 6}
    job = api.post("/api/v1/jobs", json=data).get_json()
    finish(app, job["id"])
    return job


def _filled(client, path="/sinh-hoat/moi") -> dict[str, str]:
    """The new form as it opens, with the day and times of a December meeting typed in."""
    form = form_fields(client, path)
    form.update({"date": "2025-12-05", "start_time": "08:00", "end_time": "10:00", "month": "12",
                 "year": "2025", "res-tasks": "Hoàn thành kiểm điểm cuối năm.", "res-agree": "7"})
    return form


def test_a_new_form_starts_from_last_month_s_attendance(app, anonymous):
    """Names, posts and the dự bị of last month fill the rows; everyone present again."""
    _last_month(sign_in(app, anonymous), app)
    page = text(anonymous.get("/sinh-hoat/moi"))
    assert 'name="m-2-name" type="text" value="Trịnh Văn Lộc"' in page
    assert 'name="m-7-membership" aria-label="Chính thức hay dự bị"><option value="chinh_thuc" >' in page
    assert "đi công tác" not in page and 'value="Chi bộ Trường Tiểu học Thạch Linh"' in page
    assert "Thông tin thời sự" not in page  # the agenda only when copied


def test_copy_from_last_month_brings_agenda_guests_and_the_resolution_to_review(app, anonymous):
    """"Chép từ tháng trước" adds last month's agenda and guests and shows its tasks and assignments."""
    _last_month(sign_in(app, anonymous), app)
    page = text(anonymous.get("/sinh-hoat/moi?chep=1"))
    assert "Thông tin thời sự trong nước" in page and "Nguyễn Duy Bảo, Bí thư Đảng ủy" in page
    previous = page[page.index('id="previous"'):]
    assert "Ký số toàn bộ văn bản nội bộ từ ngày 15/11/2025." in previous.split("</div>")[0]
    assert ("Đồng chí Hoàng Thị Hạnh: Chuẩn bị dự thảo báo cáo kiểm điểm tập thể chi bộ năm 2025 "
            "(hạn 30/11/2025)") in previous


def test_a_short_meeting_shows_its_warning_before_anything_is_made(app, anonymous):
    """Two hours is fine, 60 minutes is warned and nothing is saved until "Vẫn tạo văn bản"."""
    api = sign_in(app, anonymous)
    _last_month(api, app)
    form = {**_filled(anonymous), "end_time": "09:00", "action": "generate"}
    warned = anonymous.post("/sinh-hoat/moi", data=form)
    assert warned.status_code == 200 and "kéo dài 60 phút, dưới mức tối thiểu 90" in text(warned)
    assert 'value="confirm"' in text(warned)
    assert len(api.get("/api/v1/jobs?kind=monthly").get_json()["items"]) == 1
    made = anonymous.post("/sinh-hoat/moi", data={**form, "action": "confirm"})
    assert made.status_code == 303
    job = api.get(made.headers["Location"].replace("/viec/", "/api/v1/jobs/")).get_json()
    assert job["kind"] == "monthly" and any("60 phút" in w for w in job["warnings"])


def test_a_meeting_without_warnings_is_made_at_once(app, anonymous):
    """A two-hour meeting goes straight to its job page, the minutes of December."""
    api = sign_in(app, anonymous)
    _last_month(api, app)
    made = anonymous.post("/sinh-hoat/moi", data={**_filled(anonymous), "action": "generate"})
    assert made.status_code == 303
    data = api.get(made.headers["Location"].replace("/viec/", "/api/v1/jobs/") + "/input").get_json()
    assert (data["month"], len(data["members"]), data["resolution"]["vote"]["agree"]) == (12, 8, 7)


def test_a_member_s_code_from_last_month_stays_with_the_row(app, anonymous):
    """A member code of last month's list is in the new minute's data, though the form hides it."""
    api = sign_in(app, anonymous)
    data = monthly_payload(organisation={**monthly_payload()["organisation"], "name": CHI_BO})
    data["members"] = [{**m, "id": f"DV{i:02}"} for i, m in enumerate(data["members"])]
    data.pop("check")
    finish(app, api.post("/api/v1/jobs", json=data).get_json()["id"])
    made = anonymous.post("/sinh-hoat/moi", data={**_filled(anonymous), "action": "generate"})
    stored = api.get(made.headers["Location"].replace("/viec/", "/api/v1/jobs/") + "/input").get_json()
    assert [m["id"] for m in stored["members"]][:2] == ["DV00", "DV01"]


def test_too_many_votes_come_back_beside_the_vote(app, anonymous):
    """More votes than official members present is refused at the vote, the form kept."""
    api = sign_in(app, anonymous)
    _last_month(api, app)
    refused = anonymous.post("/sinh-hoat/moi", data={**_filled(anonymous), "res-agree": "30",
                                                     "action": "generate"})
    page = text(refused)
    assert refused.status_code == 422 and "Số biểu quyết (30) nhiều hơn số đảng viên chính thức" in page
    assert 'name="res-agree" type="text" value="30"' in page


def test_a_monthly_minute_is_corrected_in_its_form(app, anonymous):
    """Sửa of a monthly job opens its form; an absence typed there is revision 2 of the same job."""
    api = sign_in(app, anonymous)
    job = _last_month(api, app)
    assert anonymous.get(f"/viec/{job['id']}/sua").headers["Location"].endswith(f"/sinh-hoat/{job['id']}/sua")
    form = form_fields(anonymous, f"/sinh-hoat/{job['id']}/sua")
    assert form["m-2-reason"] == "đi công tác"
    form.update({"m-4-attendance": "absent", "m-4-reason": "ốm", "res-agree": "5", "action": "generate"})
    saved = anonymous.post(f"/sinh-hoat/{job['id']}/sua", data=form)
    assert saved.status_code == 303, text(saved)
    body = api.get(f"/api/v1/jobs/{job['id']}").get_json()
    data = api.get(f"/api/v1/jobs/{job['id']}/input").get_json()
    assert body["revision"] == 2 and data["members"][4]["absence_reason"] == "ốm"
    assert data["check"] is None  # the counts typed for the old attendance went with them
    assert data["preparation"] == monthly_payload()["preparation"]
