"""The lists: what the caller may see, newest first, filters, pages by cursor."""

from __future__ import annotations

import json

import pytest

from service import extensions
from service.errors import BadRequestError
from service.jobs import listing, models
from tests.support import people
from tests.support.building import build_all
from tests.support.factories import SAMPLES, dang_bo_payload, meeting_payload, monthly_payload


@pytest.fixture(autouse=True)
def _no_dispatch(monkeypatch):
    """Nothing reaches Celery."""
    from service.jobs import queue

    monkeypatch.setattr(queue, "dispatch", lambda documents, size, **_: 0)


def _secretary(app, name):
    return people.as_user(app.test_client(), people.token(app, role="chi_bo", org=name))


def _meeting(name, **overrides):
    data = meeting_payload(**overrides)
    data["organisation"]["name"] = name
    return data


def _titles(client, query=""):
    return [item["title"] for item in client.get(f"/api/v1/jobs{query}").get_json()["items"]]


def test_a_secretary_lists_her_chi_bo_s_jobs_only_newest_first(app, client):
    """Her annual and monthly jobs, newest first; another chi bộ's and the đảng bộ's are not there."""
    mine, theirs = _secretary(app, "Chi bộ thôn 1"), _secretary(app, "Chi bộ thôn 2")
    mine.post("/api/v1/jobs", json=_meeting("Chi bộ thôn 1"))
    mine.post("/api/v1/jobs", json=monthly_payload())
    theirs.post("/api/v1/jobs", json=_meeting("Chi bộ thôn 2"))
    client.post("/api/v1/jobs", json=_meeting("Chi bộ của đảng bộ"))
    body = mine.get("/api/v1/jobs").get_json()
    assert [item["title"] for item in body["items"]] == ["Chi bộ Văn phòng – tháng 11/2025",
                                                         "Chi bộ thôn 1 – năm 2025"]
    assert body["next"] is None
    item = body["items"][1]
    assert item["status"] == "queued" and item["year"] == 2025 and item["meeting_date"] == "2025-12-05"
    assert item["revision"] == 1 and item["batch_id"] is None and "documents" not in item
    assert len(_titles(client)) == 4  # the đảng ủy sees its chi bộ's too


def test_filters_by_kind_year_and_title_without_diacritics(app, client):
    """kind, year and q (case and diacritics aside) narrow the list."""
    client.post("/api/v1/jobs", json=_meeting("Chi bộ Thạch Linh"))
    older = json.loads((SAMPLES / "annual_review_2024.json").read_text(encoding="utf-8"))
    older["organisation"]["name"] = "Chi bộ Đông Hà"
    assert client.post("/api/v1/jobs", json=older).status_code == 202
    client.post("/api/v1/jobs", json=monthly_payload())
    assert _titles(client, "?kind=monthly") == ["Chi bộ Văn phòng – tháng 11/2025"]
    assert _titles(client, "?q=THACH%20linh") == ["Chi bộ Thạch Linh – năm 2025"]
    assert _titles(client, "?q=th%E1%BA%A1ch") == ["Chi bộ Thạch Linh – năm 2025"]  # "thạch"
    assert len(_titles(client, "?year=2024")) == 1
    assert set(_titles(client, "?year=2025")) == {"Chi bộ Thạch Linh – năm 2025",
                                                   "Chi bộ Văn phòng – tháng 11/2025"}
    assert _titles(client, "?q=100%25") == []


@pytest.mark.parametrize("state", ["done", "failed", "running", "queued", "draft"])
def test_filters_by_status_as_the_job_derives_it(app, client, state):
    """status= finds exactly the jobs whose derived status it is."""
    jobs = {s: client.post("/api/v1/jobs?documents=bien_ban_kiem_diem,bien_ban_kiem_phieu",
                           json=_meeting(f"Chi bộ {s}")).get_json()["id"] for s in
            ("done", "failed", "running", "queued")}
    client.post("/api/v1/jobs?draft=1", json={"organisation": {"name": "Chi bộ draft"}})
    with app.app_context(), extensions.session_scope() as session:
        for wanted, first, second in (("done", models.DONE, models.DONE),
                                      ("failed", models.DONE, models.FAILED),
                                      ("running", models.DONE, models.QUEUED)):
            documents = session.get(models.Job, jobs[wanted]).documents
            documents[0].status, documents[1].status = first, second
    items = client.get(f"/api/v1/jobs?status={state}").get_json()["items"]
    assert [item["status"] for item in items] == [state]
    assert items[0]["title"].startswith(f"Chi bộ {state}") or state == "draft"


def test_pages_follow_a_keyset_cursor(app, client):
    """limit=2 over five jobs: three pages by `next`, each job once, newest first."""
    for index in range(5):
        client.post("/api/v1/jobs?documents=bien_ban_kiem_diem", json=_meeting(f"Chi bộ số {index}"))
    seen, url = [], "/api/v1/jobs?limit=2"
    while url:
        body = client.get(url).get_json()
        seen += [item["title"] for item in body["items"]]
        url = body["next"]
        assert url is None or "limit=2" in url
    assert seen == [f"Chi bộ số {index} – năm 2025" for index in reversed(range(5))]


def test_a_new_job_never_shifts_the_next_page(app, client):
    """A job made between two pages is not on the second page, and none repeats."""
    for index in range(3):
        client.post("/api/v1/jobs?documents=bien_ban_kiem_diem", json=_meeting(f"Chi bộ số {index}"))
    first = client.get("/api/v1/jobs?limit=2").get_json()
    client.post("/api/v1/jobs?documents=bien_ban_kiem_diem", json=_meeting("Chi bộ mới"))
    second = client.get(first["next"]).get_json()
    assert [item["title"] for item in second["items"]] == ["Chi bộ số 0 – năm 2025"]


def test_bad_parameters_are_400_problems(client):
    """An unknown status or kind, a year out of range, a forged cursor: 400 naming the parameter."""
    for query, field in (("status=xong", "status"), ("kind=x", "kind"), ("year=3000", "year"),
                         ("after=bm90LWEtY3Vyc29y", "after"), ("limit=0", "limit")):
        response = client.get(f"/api/v1/jobs?{query}")
        assert response.status_code == 400, query
        assert response.get_json()["errors"][0]["field"] == field


def test_batches_list_with_each_chi_bo_s_state(app, client):
    """GET /batches: the đảng ủy's batches, progress and each chi bộ's job state; year and q filter."""
    batch = client.post("/api/v1/batches", json=dang_bo_payload()).get_json()
    build_all(app, batch["chi_bo"][0]["id"])
    body = client.get("/api/v1/batches").get_json()
    (item,) = body["items"]
    assert item["id"] == batch["id"] and item["total"] == batch["total"] and item["revision"] == 1
    assert [c["status"] for c in item["chi_bo"]] == ["done", "queued", "queued"]
    assert item["status"] == "running" and item["done"] == len(batch["chi_bo"][0]["documents"])
    assert client.get("/api/v1/batches?year=2024").get_json()["items"] == []
    assert len(client.get("/api/v1/batches?q=thanh%20sen").get_json()["items"]) == 1
    assert _secretary(app, "Chi bộ thôn 1").get("/api/v1/batches").get_json()["items"] == []


def test_the_cursor_reads_back_and_refuses_forgeries(app, client):
    """A cursor is created_at|id; text that is not one is a BadRequestError."""
    client.post("/api/v1/jobs?documents=bien_ban_kiem_diem", json=meeting_payload())
    with app.app_context(), extensions.session_scope() as session:
        job = session.query(models.Job).one()
        when, job_id = listing.decode_cursor(listing.encode_cursor(job))
        assert (when, job_id) == (job.created_at, job.id)
    for forged in ("", "!!", "eA", "MjAyNXxub3QtaGV4"):
        with pytest.raises(BadRequestError):
            listing.decode_cursor(forged)
