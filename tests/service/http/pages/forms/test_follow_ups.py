"""The monthly form follows up earlier months' assignments: opened with them, part I drafted."""

from __future__ import annotations

import json

import pytest

from service import extensions
from service.jobs import models, queue
from tests.service.http.pages.test_web_pages import CHI_BO, finish, form_fields, sign_in, text
from tests.support import people
from tests.support.factories import monthly_payload


@pytest.fixture(autouse=True)
def _no_queue(monkeypatch):
    """Nothing is sent to Celery, and Redis holds nothing."""
    monkeypatch.setattr(queue, "dispatch", lambda documents, size, **_: 0)
    monkeypatch.setattr(queue, "in_flight", lambda url: set())


def _october(api, app):
    data = monthly_payload(organisation={**monthly_payload()["organisation"], "name": CHI_BO},
                           month=10, start="2025-10-07T08:00:00", end="2025-10-07T10:30:00", preparation=None)
    data["resolution"]["assignments"] = [
        {"who": "Đồng chí Trịnh Văn Lộc", "task": "Sửa đường thôn", "due": "2025-10-30"},
        {"who": "Đồng chí Hoàng Thị Hạnh", "task": "Thu đảng phí quý IV"},
        {"who": "Chi ủy", "task": "Rà soát hồ sơ đảng viên", "due_month": "2025-11"}]
    job = api.post("/api/v1/jobs", json=data).get_json()
    finish(app, job["id"])
    return job


def _input(app, job_id):
    with app.app_context(), extensions.session_scope() as session:
        key = session.get(models.Job, job_id).input_key
        return json.loads(extensions.get_storage().get(key))


def test_november_opens_with_october_s_assignments_and_drafts_part_one(app, anonymous):
    """Three rows to answer; "Soạn phần I" writes the outcomes; the minute keeps the follow-ups."""
    _october(sign_in(app, anonymous), app)
    page = text(anonymous.get("/sinh-hoat/moi"))
    start = page.index('id="follow-up-table"')
    table = page[start:page.index("</table>", start)]
    assert table.count('class="follow-up-row"') == 3
    assert "Sửa đường thôn" in table and "tháng 10/2025, hạn 30/10/2025" in table
    assert "hạn trong tháng 11/2025" in table
    form = form_fields(anonymous, "/sinh-hoat/moi")
    rows = {form[k]: k.split("-")[1] for k in form if k.startswith("f-") and k.endswith("-ref")}
    form.update({f"f-{rows['2025-10-1']}-status": "done", f"f-{rows['2025-10-2']}-status": "late",
                 f"f-{rows['2025-10-2']}-note": "còn 2 đảng viên chưa nộp",
                 f"f-{rows['2025-10-3']}-status": "dropped",
                 "date": "2025-11-07", "start_time": "08:00", "end_time": "10:00", "month": "11",
                 "year": "2025", "res-tasks": "Chuẩn bị kiểm điểm cuối năm.", "res-agree": "7",
                 "a-0-who": "Đồng chí Trịnh Văn Lộc", "a-0-task": "Lập danh sách hộ nghèo", "a-0-ref": "",
                 "a-0-due_month": "12/2025", "issue_resolution": "1"})
    drafted = text(anonymous.post("/sinh-hoat/moi", data={**form, "action": "draft_results"}))
    assert ("- Thu đảng phí quý IV (Đồng chí Hoàng Thị Hạnh): chậm tiến độ, chuyển sang tháng sau; "
            "còn 2 đảng viên chưa nộp.") in drafted
    form["res-results"] = form_fields_from(drafted)["res-results"]
    made = anonymous.post("/sinh-hoat/moi", data={**form, "action": "confirm"})
    assert made.status_code == 303, text(made)[:3000]
    saved = _input(app, made.headers["Location"].rsplit("/", 1)[-1])
    assert [(f["ref"], f["status"]) for f in saved["follow_ups"]] == [
        ("2025-10-1", "done"), ("2025-10-2", "late"), ("2025-10-3", "dropped")]
    assert saved["resolution"]["assignments"][0] == {
        "ref": "2025-11-1", "who": "Đồng chí Trịnh Văn Lộc", "task": "Lập danh sách hộ nghèo",
        "due": None, "due_month": "2025-12"}
    assert saved["resolution"]["results"][0].startswith("Kết quả thực hiện các nhiệm vụ được phân công")
    assert saved["issue_resolution"] is True
    # December: the late one rolls forward with November's new one; done and dropped are closed
    finish(app, made.headers["Location"].rsplit("/", 1)[-1])
    december = form_fields(anonymous, "/sinh-hoat/moi")
    assert sorted(v for k, v in december.items() if k.startswith("f-") and k.endswith("-ref")) == [
        "2025-10-2", "2025-11-1"]


def form_fields_from(page: str) -> dict[str, str]:
    """The text areas of a page already fetched."""
    import re

    return dict(re.findall(r'<textarea name="([^"]+)"[^>]*>([^<]*)</textarea>', page))


def test_the_ledger_page_shows_open_work_the_year_and_the_starting_texts(app, anonymous):
    """October's three tasks (open), October held, the Mẫu 01 count and a member's own tasks."""
    _october(sign_in(app, anonymous), app)
    page = text(anonymous.get("/theo-doi-nghi-quyet?nam=2025"))
    start = page.index('id="assignment-list"')
    listed = page[start:page.index("</table>", start)]
    assert listed.count("<tr class=\"state-open\">") == 3 and "quá hạn" in listed  # 30/10/2025 is past
    assert "Năm 2025: 1 kỳ sinh hoạt định kỳ" in page
    assert ("Trong năm 2025, các nghị quyết tháng của chi bộ phân công 03 nhiệm vụ: 00 đã hoàn thành, "
            "03 đang thực hiện") in page
    assert anonymous.get("/theo-doi-nghi-quyet?nam=abc").status_code == 400


def test_the_ledger_page_is_the_chi_bo_s_own(app, anonymous):
    """Another secretary sees an empty ledger, and naming this chi bộ answers the 404 page."""
    _october(sign_in(app, anonymous), app)
    other = app.test_client()
    sign_in(app, other, username="khac", org="Chi bộ thôn Khác")
    page = other.get("/theo-doi-nghi-quyet")
    assert page.status_code == 200 and "Chưa có việc nào được phân công" in text(page)
    mine = people.organisation(app, CHI_BO, "chi_bo")
    refused = other.get(f"/theo-doi-nghi-quyet?organisation={mine}")
    assert refused.status_code == 404 and "Sửa đường thôn" not in text(refused)
