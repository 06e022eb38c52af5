"""A season through the API with tokens: the office makes its units and secretaries, opens the
2026 season; one secretary makes and corrects her review, the other is reminded (a real local
SMTP server receives it); the board, a decision on one member, the summary from the units' own
reviews; and every list scoped by organisation."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator

import openpyxl
import pytest
from docx import Document
from flask import Flask
from sqlalchemy import select

from service import accounts, create_app, extensions
from service.extensions import get_storage
from service.jobs import models
from tests.support import people
from tests.support.building import build_all
from tests.support.factories import dang_bo_payload
from tests.support.seasons_data import MEMBERS, review_2026

ONE = "/api/v1/jobs?documents=bien_ban_kiem_diem"


@pytest.fixture(name="season_app")
def _season_app(tmp_path, database_url, smtp_server) -> Iterator[Flask]:
    """An app sending e-mail through the local SMTP server."""
    app = create_app(
        {
            "TESTING": True,
            "DATA_DIR": str(tmp_path / "var"),
            "DATABASE_URL": database_url,
            "REDIS_URL": "redis://127.0.0.1:1/0",
            "THROTTLE_STORAGE_URI": "memory://",
            **smtp_server.settings(),
        }
    )
    yield app
    extensions.dispose(app)


@pytest.fixture(name="queued")
def _queued(monkeypatch):
    """The ids handed to the queue, instead of Redis."""
    sent: list[str] = []
    from service.jobs import queue

    monkeypatch.setattr(queue, "dispatch", lambda documents, size, **_: sent.extend(d.id for d in documents))
    return sent


def _client(app, bearer):
    return people.as_user(app.test_client(), bearer)


def _secretary(app, office, unit_id, username, email=None):
    made = office.post(
        "/api/v1/users", json={"organisation_id": unit_id, "username": username, "email": email}
    )
    assert made.status_code == 201, made.get_json()
    assert len(made.get_json()["password"]) >= 12
    with app.app_context(), extensions.session_scope() as session:
        user = session.get(accounts.User, made.get_json()["id"])
        return _client(app, accounts.create_token(session, user, "test"))


def test_a_season_end_to_end_with_tokens(season_app, queued, smtp_server):
    """Units, accounts, season, a corrected review, a reminder, the board, a decision, the summary."""
    app = season_app
    office = people.client(app)
    dong = office.post("/api/v1/organisations", json={"name": "Chi bộ thôn Đông", "kind": "chi_bo"})
    tay = office.post("/api/v1/organisations", json={"name": "Chi bộ thôn Tây", "kind": "chi_bo"})
    assert dong.status_code == tay.status_code == 201
    dong_id, tay_id = dong.get_json()["id"], tay.get_json()["id"]
    listed = office.get("/api/v1/organisations").get_json()["items"]
    assert {dong_id, tay_id} <= {o["id"] for o in listed}
    first = _secretary(app, office, dong_id, "bt-dong")
    second = _secretary(app, office, tay_id, "bt-tay", "bithu.tay@example.vn")
    assert {u["username"] for u in office.get("/api/v1/users").get_json()["items"]} == {"bt-dong", "bt-tay"}

    opened = office.post(
        "/api/v1/seasons",
        json={
            "year": 2026,
            "deadline": "2026-12-20",
            "organisation_ids": [dong_id, tay_id],
            "superior": "Đảng bộ tỉnh Hà Tĩnh",
            "place": "Kỳ Anh",
        },
    )
    assert opened.status_code == 201, opened.get_json()
    season = opened.get_json()
    assert season["title"] == "Kiểm điểm, đánh giá, xếp loại năm 2026"
    assert season["counts"]["not_started"] == 2

    made = first.post(ONE, json=review_2026("Chi bộ thôn Đông", xuat_sac=1))
    assert made.status_code == 202, made.get_json()
    build_all(app, made.get_json()["id"])
    corrected = first.put(made.get_json()["links"]["self"], json=review_2026("Chi bộ thôn Đông", xuat_sac=2))
    assert corrected.status_code == 202, corrected.get_json()
    build_all(app, made.get_json()["id"])

    reminded = office.post(f"/api/v1/seasons/{season['id']}/reminders", json={"organisation_ids": [tay_id]})
    assert reminded.status_code == 200 and reminded.get_json()["reminded"][tay_id]["emails"] == 1
    mail = smtp_server.inbox.wait_for("bithu.tay@example.vn")
    assert "Kiểm điểm, đánh giá, xếp loại năm 2026" in mail["Subject"] and "20/12/2026" in mail["Subject"]
    assert "Chi bộ thôn Tây" in mail.get_content()
    assert "Kiểm điểm, đánh giá, xếp loại năm 2026" in second.get("/", headers={"Accept": "text/html"}).text

    board = office.get(f"/api/v1/seasons/{season['id']}").get_json()
    rows = {r["name"]: r for r in board["rows"]}
    assert rows["Chi bộ thôn Tây"]["state"] == "not_started" and board["rows"][0]["name"] == "Chi bộ thôn Tây"
    assert rows["Chi bộ thôn Đông"]["state"] == "votes_complete" and rows["Chi bộ thôn Đông"]["revision"] == 2
    assert any("vượt 20%" in p for p in rows["Chi bộ thôn Đông"]["problems"])
    assert board["counts"] == {
        "not_started": 1,
        "draft": 0,
        "documents_made": 0,
        "votes_complete": 1,
        "signed": 0,
        "reviewed": 0,
    }

    unchanged = office.post(
        f"/api/v1/seasons/{season['id']}/decisions",
        json={"organisation_id": dong_id, "members": [{"member": MEMBERS[1], "level": "tot"}]},
    )
    assert unchanged.status_code == 422 and unchanged.get_json()["errors"][0]["field"] == "members[0].note"
    decided = office.post(
        f"/api/v1/seasons/{season['id']}/decisions",
        json={
            "organisation_id": dong_id,
            "level": "tot",
            "reviewed": True,
            "members": [{"member": MEMBERS[1], "level": "tot", "note": "Vượt tỷ lệ 20%"}],
        },
    )
    assert decided.status_code == 200, decided.get_json()
    assert {r["name"]: r["state"] for r in decided.get_json()["rows"]}["Chi bộ thôn Đông"] == "reviewed"

    built = office.post(f"/api/v1/seasons/{season['id']}/summary")
    assert built.status_code == 202, built.get_json()
    summary_id = built.get_json()["job_id"]
    with app.app_context(), extensions.session_scope() as session:
        job = session.get(models.Job, summary_id)
        review = json.loads(get_storage().get(job.input_key))
        assert job.organisation_id == people.organisation(app, people.DANG_BO, "dang_bo")
    assert [c["organisation"]["name"] for c in review["chi_bo"]] == ["Chi bộ thôn Đông"]
    assert sum(1 for r in review["chi_bo"][0]["ratings"] if r["votes"].get("xuat_sac")) == 2  # revision 2
    assert review["without"] == [{"name": "Chi bộ thôn Tây", "reason": "chưa có báo cáo"}]
    assert review["member_decisions"] == [
        {"chi_bo": "Chi bộ thôn Đông", "member": MEMBERS[1], "level": "tot", "note": "Vượt tỷ lệ 20%"}
    ]
    assert review["decisions"] == [{"chi_bo": "Chi bộ thôn Đông", "level": "tot"}]
    assert "bản sửa lần 1 (lần 2)" in review["sources"][0]
    build_all(app, summary_id)
    again = first.put(made.get_json()["links"]["self"], json=review_2026("Chi bộ thôn Đông", xuat_sac=3))
    assert again.status_code == 202, again.get_json()
    assert office.get(f"/api/v1/jobs/{summary_id}").get_json()["revision"] == 2  # rebuilt from revision 3
    with app.app_context(), extensions.session_scope() as session:
        rebuilt = json.loads(get_storage().get(session.get(models.Job, summary_id).input_key))
    assert "bản sửa lần 2 (lần 3)" in rebuilt["sources"][0]
    xlsx = office.get(board["links"]["board_xlsx"])
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.data)).active
    cells = [[c for c in row if c is not None] for row in sheet.iter_rows(values_only=True)]
    assert cells[2][:3] == [1, "Chi bộ thôn Tây", "Chưa bắt đầu"]
    assert cells[3][:3] == [2, "Chi bộ thôn Đông", "Đảng ủy đã xem xét"] and "vượt 20%" in cells[3][-2]
    assert ["Chưa bắt đầu", 1] in cells


def test_a_secretary_sees_her_own_row_and_manages_nothing(season_app, queued):
    """The other chi bộ's row never reaches her; units, users and decisions are the office's."""
    app = season_app
    office = people.client(app)
    ids = [
        office.post("/api/v1/organisations", json={"name": n, "kind": "chi_bo"}).get_json()["id"]
        for n in ("Chi bộ A", "Chi bộ B")
    ]
    secretary = _secretary(app, office, ids[0], "bt-a")
    season = office.post(
        "/api/v1/seasons", json={"year": 2026, "deadline": "2026-12-20", "organisation_ids": ids}
    ).get_json()
    seen = secretary.get(f"/api/v1/seasons/{season['id']}").get_json()
    assert [r["name"] for r in seen["rows"]] == ["Chi bộ A"] and seen["summary_job_id"] is None
    assert secretary.get("/api/v1/users").status_code == 403
    assert (
        secretary.post("/api/v1/organisations", json={"name": "Chi bộ C", "kind": "chi_bo"}).status_code
        == 403
    )
    assert (
        secretary.post(
            f"/api/v1/seasons/{season['id']}/decisions", json={"organisation_id": ids[0], "level": "tot"}
        ).status_code
        == 403
    )
    other_office = _client(app, people.token(app, org="Đảng bộ khác"))
    assert other_office.get(f"/api/v1/seasons/{season['id']}").status_code == 404
    assert other_office.post(f"/api/v1/users/{'0' * 32}/password").status_code == 404
    assert other_office.patch(f"/api/v1/organisations/{ids[0]}", json={"name": "Lấy mất"}).status_code == 404


def test_the_office_renames_closes_resets_links_and_locks(season_app, queued):
    """Each change audited; a closed unit's account is locked; a one-time link signs in once."""
    app = season_app
    office = people.client(app)
    unit = office.post(
        "/api/v1/organisations", json={"name": "Chi bộ cũ", "kind": "dang_bo_bo_phan"}
    ).get_json()
    assert unit["kind_label"] == "Đảng bộ bộ phận"
    made = office.post("/api/v1/users", json={"organisation_id": unit["id"], "username": "bt-cu"}).get_json()
    renamed = office.patch(f"/api/v1/organisations/{unit['id']}", json={"name": "Chi bộ mới"})
    assert renamed.get_json()["name"] == "Chi bộ mới"
    reset = office.post(f"/api/v1/users/{made['id']}/password").get_json()
    assert reset["password"] != made["password"]
    link = office.post(f"/api/v1/users/{made['id']}/sign-in-link").get_json()["link"]
    browser = app.test_client()
    page = browser.get(link)
    csrf = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    assert browser.post(link, data={"csrf_token": csrf}).status_code == 303
    assert browser.get("/", headers={"Accept": "text/html"}).status_code == 200
    again = app.test_client()
    token = again.get(link).text.split('name="csrf_token" value="')[1].split('"')[0]
    assert again.post(link, data={"csrf_token": "x"}).status_code == 403
    assert again.post(link, data={"csrf_token": token}).status_code == 410  # used once already
    closed = office.patch(f"/api/v1/organisations/{unit['id']}", json={"closed": True}).get_json()
    assert closed["closed"] is True
    users = {u["username"]: u for u in office.get("/api/v1/users").get_json()["items"]}
    assert users["bt-cu"]["active"] is False
    with app.app_context(), extensions.session_scope() as session:
        done = {e.action for e in session.scalars(select(accounts.AuditEvent))}
    assert {
        "unit-create",
        "user-create",
        "unit-rename",
        "password-reset",
        "sign-in-link",
        "sign-in-link-used",
        "unit-close",
    } <= done


def test_the_workbook_fills_the_chi_bo_s_own_review_never_a_second_one(season_app, queued):
    """A chi bộ with its own review: the office's upload is refused with the difference, then, once
    confirmed, becomes that review's next revision; a chi bộ without an account gets its job."""
    app = season_app
    office = people.client(app)
    dong = office.post(
        "/api/v1/organisations", json={"name": "Chi bộ thôn Đông", "kind": "chi_bo"}
    ).get_json()
    tay = office.post("/api/v1/organisations", json={"name": "Chi bộ thôn Tây", "kind": "chi_bo"}).get_json()
    secretary = _secretary(app, office, dong["id"], "bt-dong-excel")
    own = secretary.post(ONE, json=review_2026("Chi bộ thôn Đông")).get_json()
    build_all(app, own["id"])
    batch = dang_bo_payload()
    batch["dang_bo"].update(review_year=2026, report_date="2026-12-10")
    batch["decisions"] = []
    batch["chi_bo"] = [
        review_2026("Chi bộ thôn Đông", dong["id"], xuat_sac=1),
        review_2026("Chi bộ thôn Tây", tay["id"]),
    ]
    refused = office.post("/api/v1/batches", json=batch)
    assert refused.status_code == 409, refused.get_json()
    assert "Chi bộ thôn Đông đã có báo cáo của chính chi bộ (bản 1)" in refused.get_json()["detail"]
    assert "ratings" in refused.get_json()["detail"] or "phiếu" in refused.get_json()["detail"]
    taken = office.post("/api/v1/batches?replace_reviews=1", json=batch)
    assert taken.status_code == 202, taken.get_json()
    assert secretary.get(own["links"]["self"]).get_json()["revision"] == 2
    with app.app_context(), extensions.session_scope() as session:
        annual = session.scalars(select(models.Job).where(models.Job.kind == "annual_review")).all()
        assert sorted(j.organisation_id for j in annual) == sorted([dong["id"], tay["id"]])


def test_the_office_opens_a_season_of_a_months_meetings(season_app, queued):
    """kind "monthly" with its month: its own title, kind and month on the season; a monthly season
    without a month, or a month on an annual one, is refused on the field, in Vietnamese."""
    office = people.client(season_app)
    unit = office.post("/api/v1/organisations", json={"name": "Chi bộ A", "kind": "chi_bo"}).get_json()["id"]
    body = {"year": 2026, "deadline": "2026-11-25", "organisation_ids": [unit]}
    season = office.post("/api/v1/seasons", json={**body, "kind": "monthly", "month": 11}).get_json()
    assert (season["kind"], season["month"]) == ("monthly", 11)
    assert season["title"] == "Sinh hoạt chi bộ định kỳ tháng 11/2026"
    rows = office.get(f"/api/v1/seasons/{season['id']}").get_json()["rows"]
    assert [r["state"] for r in rows] == ["not_started"]
    refused = office.post("/api/v1/seasons", json={**body, "kind": "monthly"})
    said = json.dumps(refused.get_json(), ensure_ascii=False)
    assert refused.status_code == 422 and "tháng, từ 1 đến 12" in said
    refused = office.post("/api/v1/seasons", json={**body, "month": 11})
    said = json.dumps(refused.get_json(), ensure_ascii=False)
    assert refused.status_code == 422 and "không có tháng" in said


def test_a_decision_on_a_member_reaches_her_own_self_review_and_stays(season_app, queued):
    """The đảng ủy decides one member: her review's next revision holds the decision, only her
    self-review is built again and shows the proposal and the decided level (with the reason);
    the minutes' record is not touched; the secretary's later correction keeps the decision."""
    app = season_app
    office = people.client(app)
    made_unit = office.post("/api/v1/organisations", json={"name": "Chi bộ thôn Đông", "kind": "chi_bo"})
    unit = made_unit.get_json()["id"]
    secretary = _secretary(app, office, unit, "bt-dong")
    season = office.post(
        "/api/v1/seasons", json={"year": 2026, "deadline": "2026-12-20", "organisation_ids": [unit]}
    ).get_json()
    made = secretary.post("/api/v1/jobs?documents=ban_kiem_diem_ca_nhan,bien_ban_kiem_diem",
                          json=review_2026("Chi bộ thôn Đông", xuat_sac=2))
    assert made.status_code == 202, made.get_json()
    job_id = made.get_json()["id"]
    build_all(app, job_id)
    queued.clear()
    decided = office.post(f"/api/v1/seasons/{season['id']}/decisions", json={
        "organisation_id": unit,
        "members": [{"member": MEMBERS[1], "level": "tot", "note": "Vượt tỷ lệ 20%"}]})
    assert decided.status_code == 200, decided.get_json()
    with app.app_context(), extensions.session_scope() as session:
        job = session.get(models.Job, job_id)
        data = json.loads(get_storage().get(job.input_key))
        rebuilt = [d for d in job.documents if d.id in queued]
        assert job.revision == 2 and [d.subject for d in rebuilt] == [MEMBERS[1]]
    decisions = {r["member"]: r.get("decision") for r in data["ratings"]}
    assert decisions[MEMBERS[1]] == {"level": "tot", "by": "Đảng ủy xã Tân Phong (thử)",
                                     "note": "Vượt tỷ lệ 20%"}
    assert [m for m, d in decisions.items() if d] == [MEMBERS[1]]
    build_all(app, job_id)
    with app.app_context(), extensions.session_scope() as session:
        document = next(d for d in session.get(models.Job, job_id).documents if d.subject == MEMBERS[1])
        docx = get_storage().get(session.get(models.Job, job_id).key_base(document) + ".docx")
    text = " ".join(p.text for p in Document(io.BytesIO(docx)).paragraphs)
    assert ('Chi bộ đề nghị xếp loại: "Hoàn thành xuất sắc nhiệm vụ". Đảng ủy xã Tân Phong (thử) '
            'quyết định xếp '
            'loại: "Hoàn thành tốt nhiệm vụ" (Vượt tỷ lệ 20%).') in text
    again = secretary.put(made.get_json()["links"]["self"], json=review_2026("Chi bộ thôn Đông", xuat_sac=2))
    assert again.status_code == 202, again.get_json()
    with app.app_context(), extensions.session_scope() as session:
        kept = json.loads(get_storage().get(session.get(models.Job, job_id).input_key))
    assert {r["member"]: r.get("decision") for r in kept["ratings"]}[MEMBERS[1]]["level"] == "tot"
