"""``/api/v1/roster``: who sees which roster, PUT whole with field errors, the import and its preview."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from service import accounts, extensions
from tests.support import people

CHI_BO = "Chi bộ thôn Đông"
LIST = "Họ và tên;Ngày sinh;Số CCCD;Chức vụ Đảng\nNguyễn Văn An;15/05/1976;001076000123;Bí thư\n"


@pytest.fixture(name="secretary")
def _secretary(app):
    """A client signed in as the secretary of CHI_BO."""
    return people.as_user(app.test_client(), people.token(app, "chi_bo", CHI_BO))


def _upload(client, data: bytes, name: str = "ds.csv", query: str = "?dry_run=1"):
    return client.post(f"/api/v1/roster/import{query}", data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def _audit(app) -> list[accounts.AuditEvent]:
    with app.app_context(), extensions.session_scope() as session:
        query = select(accounts.AuditEvent).where(accounts.AuditEvent.object_type == "roster")
        found = list(session.scalars(query))
        session.expunge_all()
        return found


def test_a_secretary_reads_and_replaces_her_roster(secretary):
    """PUT the whole list, GET it back with ids; CCCD keeps its leading zeros."""
    member = {"name": "Nguyễn Văn An", "cccd": "001076000123"}
    put = secretary.put("/api/v1/roster", json={"members": [member]})
    assert put.status_code == 200 and put.get_json()["changes"]["added"] == 1
    body = secretary.get("/api/v1/roster").get_json()
    assert body["organisation"]["name"] == CHI_BO and body["members"][0]["cccd"] == "001076000123"
    assert len(body["members"][0]["id"]) == 32


def test_a_bad_roster_is_a_problem_naming_each_field(secretary):
    """422 problem+json of type invalid-roster, each failing field by its path."""
    answer = secretary.put("/api/v1/roster", json={"members": [{"name": "A"}, {"name": "B", "sex": "x",
                                                                               "birth_date": "15/05/1976"}]})
    assert answer.status_code == 422 and answer.mimetype == "application/problem+json"
    body = answer.get_json()
    assert body["type"] == "/problems/invalid-roster"
    assert {e["field"] for e in body["errors"]} == {"members[1].sex", "members[1].birth_date"}


def test_a_change_is_audited_with_who_changed_what(app, secretary):
    """One audit line per saving that changed something, naming the member and the field."""
    secretary.put("/api/v1/roster", json={"members": [{"name": "Nguyễn Văn An"}]})
    member = secretary.get("/api/v1/roster").get_json()["members"][0]
    secretary.put("/api/v1/roster", json={"members": [{**member, "party_post": "Bí thư chi bộ"}]})
    secretary.put("/api/v1/roster", json={"members": [{**member, "party_post": "Bí thư chi bộ"}]})
    lines = _audit(app)
    assert [e.action for e in lines] == ["roster-update", "roster-update"]
    assert "Nguyễn Văn An (party_post)" in lines[1].detail


def test_the_dang_uy_reads_a_chi_bo_roster_by_its_id(app, client, secretary):
    """The office names the chi bộ with ?organisation=; without it, a 422 on that field."""
    secretary.put("/api/v1/roster", json={"members": [{"name": "Nguyễn Văn An"}]})
    chi_bo = people.organisation(app, CHI_BO, "chi_bo", people.DANG_BO)
    assert client.get(f"/api/v1/roster?organisation={chi_bo}").get_json()["count"] == 1
    missing = client.get("/api/v1/roster")
    assert missing.status_code == 422 and missing.get_json()["errors"][0]["field"] == "organisation"


def test_another_organisations_roster_is_not_found(app, secretary):
    """A secretary naming another chi bộ, or an office of another đảng bộ, gets 404."""
    other = people.organisation(app, "Chi bộ thôn Tây", "chi_bo", people.DANG_BO)
    assert secretary.get(f"/api/v1/roster?organisation={other}").status_code == 404
    stranger = people.as_user(app.test_client(), people.token(app, "dang_uy", "Đảng bộ xã Khác"))
    assert stranger.get(f"/api/v1/roster?organisation={other}").status_code == 404
    assert secretary.get("/api/v1/roster?organisation=not-an-id").status_code == 404


def test_an_import_preview_saves_nothing(secretary):
    """dry_run=1: every row with its member, the columns read; the roster stays empty."""
    body = _upload(secretary, LIST.encode()).get_json()
    assert body["saved"] is False and body["rows"][0]["member"]["cccd"] == "001076000123"
    assert [c["role"] for c in body["columns"]] == ["name", "birth_date", "cccd", "party_post"]
    assert secretary.get("/api/v1/roster").get_json()["count"] == 0


def test_an_import_saves_and_keeps_what_the_file_has_no_column_for(app, secretary):
    """A member already on the roster keeps its id and its job post; the import is audited."""
    secretary.put("/api/v1/roster", json={"members": [{"name": "Nguyễn Văn An", "birth_date": "1976-05-15",
                                                       "job_post": "Hiệu trưởng"}]})
    before = secretary.get("/api/v1/roster").get_json()["members"][0]
    body = _upload(secretary, LIST.encode(), query="").get_json()
    after = secretary.get("/api/v1/roster").get_json()["members"][0]
    assert body["saved"] is True and after["id"] == before["id"]
    assert after["job_post"] == "Hiệu trưởng" and after["party_post"] == "Bí thư"
    assert _audit(app)[-1].action == "roster-import"


def test_an_import_with_problems_is_refused_with_their_cells(secretary):
    """Without dry_run a row with a problem refuses the whole file: 422, sheet, row and column named."""
    answer = _upload(secretary, "Họ và tên,Ngày sinh\nA,32/13/1976\n".encode(), query="")
    error, = answer.get_json()["errors"]
    assert answer.status_code == 422 and (error["row"], error["column"]) == (2, "B")
    assert secretary.get("/api/v1/roster").get_json()["count"] == 0


@pytest.mark.parametrize(("kwargs", "status"), [
    (lambda: {"data": b"x", "content_type": "text/plain"}, 415),
    (lambda: {"data": {}, "content_type": "multipart/form-data"}, 400),
    (lambda: {"data": {"file": (io.BytesIO(b"%PDF-1.4"), "ds.pdf")},
              "content_type": "multipart/form-data"}, 400),
])
def test_an_import_without_a_usable_file_is_a_problem(secretary, kwargs, status):
    """Not multipart, no file, a PDF: a problem, never a 500."""
    assert secretary.post("/api/v1/roster/import", **kwargs()).status_code == status


def test_a_larger_file_than_roster_max_bytes_is_refused(app, secretary):
    """ROSTER_MAX_BYTES bounds the file read."""
    app.config["ROSTER_MAX_BYTES"] = 100
    assert _upload(secretary, LIST.encode() * 10).status_code == 400
