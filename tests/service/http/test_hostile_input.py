"""Hostile input gets nowhere: each is a 4xx problem in Vietnamese, nothing queued, nothing touched."""

from __future__ import annotations

import json
from io import BytesIO

import pytest

from tests.support.factories import dang_bo_payload, meeting_payload, workbook_bytes
from tests.support.hostile import (
    Guard,
    docx_bomb,
    lie_about_size,
    padded_workbook,
    replace_in_entry,
    sheet_entry,
    xlsx_bomb,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture(name="guard")
def _guard(app, monkeypatch):
    """A job already stored; dispatching recorded; ``guard.refused`` checks nothing moved."""
    return Guard(app, monkeypatch)


def _upload(client, data, filename="dang-bo.xlsx", url="/api/v1/batches"):
    return client.post(url, data={"file": (BytesIO(data), filename)}, content_type="multipart/form-data")


def _members(count):
    def edit(book):
        for index in range(count):
            book["Đảng viên"].append(["CB01", "", f"Người Thứ {index}", None, None, None, None, None,
                                      None, None, "Hoàn thành tốt nhiệm vụ"])
    return edit


@pytest.mark.parametrize("way", ["jobs-json", "batches-json", "batches-multipart", "batches-xlsx"])
def test_bodies_above_the_limit_are_413_problems(app, client, guard, way):
    """MAX_CONTENT_LENGTH: JSON, multipart and raw workbook bodies alike answer a 413 problem."""
    app.config["MAX_CONTENT_LENGTH"] = 10_000
    big = workbook_bytes(_members(400))
    assert len(big) > 10_000
    response = {
        "jobs-json": lambda: client.post("/api/v1/jobs", json=meeting_payload(location="x" * 20_000)),
        "batches-json": lambda: client.post("/api/v1/batches", json=dang_bo_payload()),
        "batches-multipart": lambda: _upload(client, big),
        "batches-xlsx": lambda: client.post("/api/v1/batches", data=big, content_type=XLSX),
    }[way]()
    assert "quá lớn" in guard.refused(response, 413)["detail"]


def test_web_upload_above_the_limit_is_a_413_page(app, client, guard):
    """The upload form answers its own page with the limit, not Flask's HTML."""
    app.config["MAX_CONTENT_LENGTH"] = 10_000
    page = guard.page_refused(_upload(client, workbook_bytes(_members(400)), url="/tai-len"), 413)
    assert "Tệp quá lớn" in page


def test_too_many_rows_are_refused_from_the_declared_size(app, client, guard):
    """WORKBOOK_MAX_ROWS: a sheet declaring more rows is refused before its rows are read."""
    app.config["WORKBOOK_MAX_ROWS"] = 50
    problem = guard.refused(_upload(client, workbook_bytes(_members(60))), 400)
    assert "Đảng viên" in problem["detail"] and "61 dòng" in problem["detail"]


def test_one_cell_a_million_rows_down_is_refused_unread(client, guard):
    """A sparse sheet (one cell at row 1,000,000) is refused on its declared size, not iterated."""
    data = workbook_bytes(lambda book: book["Phiếu"].cell(row=1_000_000, column=1, value="CB01"))
    assert len(data) < 50_000
    assert "999999 dòng" in guard.refused(_upload(client, data), 400)["detail"]


def test_rows_are_counted_when_a_sheet_hides_its_size(app, client, guard):
    """Without a <dimension>, the rows are counted as they are read and refused past the limit."""
    app.config["WORKBOOK_MAX_ROWS"] = 50
    data = workbook_bytes(_members(60))
    data = replace_in_entry(data, sheet_entry(data, "Đảng viên"), rb"<dimension [^>]*/>", b"")
    assert "nhiều hơn mức cho phép (50)" in guard.refused(_upload(client, data), 400)["detail"]


def test_too_many_sheets_are_refused(client, guard):
    """WORKBOOK_MAX_SHEETS (20): a workbook of 26 sheets is refused before any is read."""
    def edit(book):
        for index in range(20):
            book.create_sheet(f"Thêm {index}")
    assert "26 sheet" in guard.refused(_upload(client, workbook_bytes(edit)), 400)["detail"]


@pytest.mark.parametrize(("make", "filename", "status"), [
    (xlsx_bomb, "dang-bo.xlsx", 400),
    (lambda: lie_about_size(xlsx_bomb(), "xl/worksheets/sheet1.xml", 1024), "dang-bo.xlsx", 400),
    (docx_bomb, "bien-ban.docx", 400),
    (docx_bomb, "bien-ban.xlsx", 400),
], ids=["xlsx-bomb", "xlsx-bomb-lying-sizes", "docx-bomb", "docx-bomb-renamed-xlsx"])
def test_zip_bombs_uploaded_are_refused(client, guard, make, filename, status):
    """A 60 MiB-unpacked ZIP of 60 KiB, however dressed, is a 400 problem, unread."""
    guard.refused(_upload(client, make(), filename), status)


@pytest.mark.parametrize(("make", "mimetype", "status"), [(xlsx_bomb, XLSX, 400), (docx_bomb, DOCX, 415)],
                         ids=["xlsx", "docx"])
def test_zip_bombs_sent_as_the_body_are_refused(client, guard, make, mimetype, status):
    """The raw body: an XLSX bomb is refused unread; a DOCX body is not a type the endpoint takes."""
    guard.refused(client.post("/api/v1/batches", data=make(), content_type=mimetype), status)


@pytest.mark.parametrize(("make", "filename"), [(xlsx_bomb, "dang-bo.xlsx"), (docx_bomb, "bien-ban.docx")])
def test_zip_bombs_on_the_web_upload_are_refused(client, guard, make, filename):
    """The web upload shows the page with the reason, 400."""
    guard.page_refused(_upload(client, make(), filename, url="/tai-len"), 400)


def test_a_bomb_inside_a_real_workbook_with_lying_sizes_is_refused(client, guard):
    """A real workbook whose member sheet unpacks to 60 MiB while its headers say 4 KiB: 400."""
    data = workbook_bytes()
    name = sheet_entry(data, "Đảng viên")
    guard.refused(_upload(client, lie_about_size(padded_workbook(data, name, 60), name, 4096)), 400)


def test_entity_declarations_are_refused(client, guard):
    """A DTD with entities (billion laughs) in a sheet is refused by defusedxml: 400."""
    data = workbook_bytes()
    laughs = b'<!DOCTYPE w [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><worksheet'
    guard.refused(_upload(client, replace_in_entry(data, sheet_entry(data, "Chi bộ"), rb"^<worksheet",
                                                   laughs)), 400)


def test_a_sheet_that_breaks_while_read_is_a_400(client, guard):
    """XML that turns bad after the sheet's header is found while reading rows: 400, not 500."""
    data = workbook_bytes()
    broken = replace_in_entry(data, sheet_entry(data, "Đảng viên"), rb"</sheetData>", b"<row><c></sheetData>")
    guard.refused(_upload(client, broken), 400)


@pytest.mark.parametrize("char", ["\x00", "\x08", "\x0b", "\x1b", "\x1f", "\x7f", "\ud800", "\udfff",
                                  "\ufffe"])
@pytest.mark.parametrize("field", ["location", "members[1].name", "discussion[0].content", "members[0].id"])
def test_characters_xml_cannot_hold_are_422_naming_the_field(client, guard, field, char):
    """Controls, DEL, unpaired surrogates ("\\ud800" in JSON), U+FFFE: 422 with the field named."""
    data = meeting_payload()
    target, _, key = field.rpartition(".")
    holder = data if not target else data[target.split("[")[0]][int(target.split("[")[1][:-1])]
    holder[key] = f"Trần{char}Bình"
    body = json.dumps(data)  # ensure_ascii: a lone surrogate travels as the escape \ud800
    response = client.post("/api/v1/jobs", data=body, content_type="application/json")
    problem = guard.refused(response, 422)
    assert problem["errors"][0]["field"] == field
    assert f"U+{ord(char):04X}" in problem["errors"][0]["detail"]


def test_a_surrogate_in_a_key_is_a_422_not_a_500(client, guard):
    """An unknown key that cannot be encoded is refused, and the answer is valid UTF-8."""
    response = client.post("/api/v1/jobs", data='{"\\ud800": 1}', content_type="application/json")
    guard.refused(response, 422)


def test_a_control_character_in_a_workbook_names_the_cell(client, guard):
    """DEL typed in a member's name is refused by sheet, row and column."""
    data = workbook_bytes(lambda book: book["Đảng viên"].__setitem__("C2", "Trần\x7fVăn Bình"))
    error = guard.refused(_upload(client, data), 422)["errors"][0]
    assert (error["sheet"], error["row"], error["column"]) == ("Đảng viên", 2, "Họ và tên")


@pytest.mark.parametrize(("url", "mimetype"), [
    ("/api/v1/jobs", "text/plain"), ("/api/v1/jobs", "application/xml"), ("/api/v1/jobs", XLSX),
    ("/api/v1/batches", "text/csv"), ("/api/v1/batches", "application/x-www-form-urlencoded"),
    ("/api/v1/batches", DOCX)])
def test_a_wrong_content_type_is_a_415_problem(client, guard, url, mimetype):
    """Only JSON (jobs), or JSON and the workbook (batches), are taken."""
    guard.refused(client.post(url, data=b'{"a": 1}', content_type=mimetype), 415)


@pytest.mark.parametrize(("path", "value", "message"), [
    ("location", "x" * 301, "tối đa 300 ký tự"),
    ("organisation", {"parent": "P", "name": "C" * 201, "place": "Q"}, "tối đa 200 ký tự"),
    ("discussion", [{"speaker": "A", "content": "y" * 5001}], "tối đa 5000 ký tự"),
    ("members", [{"name": f"N {i}"} for i in range(2001)], "Nhiều nhất 2000 mục"),
    ("agenda", ["mục"] * 51, "Nhiều nhất 50 mục"),
])
def test_text_and_lists_above_their_limits_are_422(client, guard, path, value, message):
    """Free text and lists have maximum lengths, with Vietnamese messages."""
    problem = guard.refused(client.post("/api/v1/jobs", json=meeting_payload(**{path: value})), 422)
    assert any(message in e["detail"] for e in problem["errors"]), problem["errors"]


def test_too_many_decisions_are_422(client, guard):
    """The đảng ủy's decisions are a list with a maximum too (500)."""
    data = dang_bo_payload(decisions=[{"chi_bo": "X", "level": "tot"}] * 501)
    problem = guard.refused(client.post("/api/v1/batches", json=data), 422)
    assert problem["errors"][0]["field"] == "decisions"


def test_an_overlong_idempotency_key_is_a_400(client, guard):
    """Idempotency-Key is at most 200 printable characters."""
    response = client.post("/api/v1/batches", json=dang_bo_payload(), headers={"Idempotency-Key": "k" * 201})
    assert guard.refused(response, 400)["errors"][0]["field"] == "Idempotency-Key"


def test_a_batch_of_another_kind_is_422_naming_kind(client, guard):
    """POST /batches takes a đảng bộ only: another `kind` is refused, not silently replaced."""
    problem = guard.refused(client.post("/api/v1/batches", json=dang_bo_payload(kind="annual_review")), 422)
    assert problem["errors"][0]["field"] == "kind"


@pytest.mark.parametrize("url", ["/viec/../anh/x.png", "/viec/%2E%2E/anh/bien_ban_kiem_diem.png"])
def test_a_thumbnail_address_that_climbs_is_a_404(client, guard, url):
    """A job id of ``..`` never reaches the storage: 404, not a 500."""
    assert client.get(url).status_code == 404
    guard.untouched()
