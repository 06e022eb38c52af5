"""``/api/v1/assignments``: the ledger of a chi bộ, computed from its monthly minutes, scoped."""

from __future__ import annotations

import pytest

from tests.support import people
from tests.support.factories import monthly_payload

CHI_BO = "Chi bộ thôn Đông"
RESOLUTION = monthly_payload()["resolution"]


@pytest.fixture(autouse=True)
def _no_dispatch(monkeypatch):
    """Nothing reaches Celery."""
    from service.jobs import queue

    monkeypatch.setattr(queue, "dispatch", lambda documents, size, **_: 0)


def _month(month: int, assignments=(), follow_ups=()):
    resolution = {**RESOLUTION, "assignments": list(assignments)}
    return monthly_payload(month=month, start=f"2025-{month:02d}-07T08:00:00",
                           end=f"2025-{month:02d}-07T10:30:00", preparation=None,
                           resolution=resolution, follow_ups=list(follow_ups))


OCTOBER = _month(10, [{"who": "Đồng chí An", "task": "Sửa đường thôn", "due": "2025-10-30"},
                      {"who": "Đồng chí Bình", "task": "Thu đảng phí"}])
NOVEMBER = _month(11, [{"who": "Đồng chí Bình", "task": "Lập danh sách hộ nghèo", "due_month": "2025-12"}],
                  [{"ref": "2025-10-1", "who": "Đồng chí An", "task": "Sửa đường thôn", "status": "done"},
                   {"ref": "2025-10-2", "who": "Đồng chí Bình", "task": "Thu đảng phí", "status": "late",
                    "note": "còn 2 đảng viên"}])


@pytest.fixture(name="secretary")
def _secretary(app):
    client = people.as_user(app.test_client(), people.token(app, "chi_bo", CHI_BO))
    for payload in (OCTOBER, NOVEMBER):
        assert client.post("/api/v1/jobs", json=payload).status_code == 202
    return client


def test_the_ledger_follows_the_months_and_keeps_late_ones_open(secretary):
    """October's two tasks, November's follow-ups and new task: states, history, open ones."""
    body = secretary.get("/api/v1/assignments").get_json()
    assert body["organisation"]["name"] == CHI_BO and body["count"] == 3
    states = {item["ref"]: item["state"] for item in body["items"]}
    assert states == {"2025-10-1": "done", "2025-10-2": "late", "2025-11-1": "open"}
    late = next(item for item in body["items"] if item["ref"] == "2025-10-2")
    assert late["history"][0]["note"] == "còn 2 đảng viên" and late["assigned_in"]["month"] == 10
    opened = secretary.get("/api/v1/assignments?open=1").get_json()["items"]
    assert [item["ref"] for item in opened] == ["2025-10-2", "2025-11-1"]
    assert secretary.get("/api/v1/assignments?state=done").get_json()["count"] == 1


def test_the_year_at_a_glance_and_the_starting_texts(secretary):
    """Two meetings held in 2025; Mẫu 01's count; the member's own tasks and outcomes."""
    body = secretary.get("/api/v1/assignments/year?year=2025").get_json()
    assert body["meetings_held"] == 2
    assert [m["month"] for m in body["months"] if m["held"]] == [10, 11]
    assert body["report_text"][0].startswith("Trong năm 2025, các nghị quyết tháng của chi bộ phân công "
                                             "03 nhiệm vụ: 01 đã hoàn thành")
    assert body["people"]["Đồng chí Bình"] == {"made": 2, "done": 0, "late": 1, "dropped": 0, "open": 1}


def test_another_chi_bo_sees_nothing_of_it_and_the_dang_uy_sees_it(app, client, secretary):
    """Another secretary has an empty ledger, and naming this chi bộ answers 404; its đảng ủy sees it."""
    other = people.as_user(app.test_client(), people.token(app, "chi_bo", "Chi bộ thôn Tây"))
    assert other.get("/api/v1/assignments").get_json()["count"] == 0
    mine = secretary.get("/api/v1/assignments").get_json()["organisation"]["id"]
    assert other.get(f"/api/v1/assignments?organisation={mine}").status_code == 404
    assert client.get(f"/api/v1/assignments?organisation={mine}").get_json()["count"] == 3


def test_a_bad_state_or_year_is_a_problem_naming_the_field(secretary):
    """400 with the field: ``state`` not a known state, ``year`` out of range."""
    bad = secretary.get("/api/v1/assignments?state=finished")
    assert bad.status_code == 400 and bad.get_json()["errors"][0]["field"] == "state"
    assert secretary.get("/api/v1/assignments/year?year=1900").status_code == 400
