"""The "Đảng viên" page: the table saved, errors beside cells, a file previewed, a new meeting prefilled."""

from __future__ import annotations

import io
import re

import pytest

from tests.support import people

CHI_BO = "Chi bộ thôn Đông"


@pytest.fixture(name="secretary")
def _secretary(app):
    """A client of CHI_BO's secretary (a token: no CSRF token needed)."""
    return people.as_user(app.test_client(), people.token(app, "chi_bo", CHI_BO))


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def test_the_nav_leads_to_the_roster_page(secretary):
    """"Đảng viên" is in the navigation and the page names the chi bộ."""
    page = _text(secretary.get("/dang-vien"))
    assert 'href="/dang-vien">Đảng viên</a>' in page and f"Đảng viên – {CHI_BO}" in page


def test_the_table_is_saved_with_dates_as_typed(secretary):
    """Rows of the form with 15/05/1976 dates become the roster; an emptied or ticked row goes."""
    answer = secretary.post("/dang-vien", data={
        "r-0-name": "Nguyễn Văn An", "r-0-birth_date": "15/05/1976", "r-0-variant": "02A",
        "r-0-membership": "chinh_thuc", "r-0-party_post": "Bí thư chi bộ", "r-0-cccd": "001076000123",
        "r-1-name": "Trần Thị Bình", "r-1-birth_date": "1980", "r-1-membership": "du_bi", "r-1-exempt": "1",
        "r-2-name": "Lê Văn Xoá", "r-2-delete": "1", "r-3-name": ""})
    assert answer.status_code == 303
    members = secretary.get("/api/v1/roster").get_json()["members"]
    assert [(m["name"], m["birth_date"], m["birth_year"]) for m in members] == [
        ("Nguyễn Văn An", "1976-05-15", None), ("Trần Thị Bình", None, 1980)]
    assert members[0]["leadership_post"] and members[1]["exempt"] and members[0]["cccd"] == "001076000123"


def test_errors_are_shown_beside_their_cells_and_nothing_is_saved(secretary):
    """An impossible date and a short CCCD: 422, each message in its row, the typed values kept."""
    answer = secretary.post("/dang-vien", data={"r-0-name": "Nguyễn Văn An", "r-0-birth_date": "31/02/1976",
                                                "r-1-name": "Trần Thị Bình", "r-1-cccd": "123"})
    page = _text(answer)
    assert answer.status_code == 422 and "Ngày không có thật: 31/02/1976" in page and "12 chữ số" in page
    assert 'value="Trần Thị Bình"' in page
    assert secretary.get("/api/v1/roster").get_json()["count"] == 0


def test_an_imported_file_fills_the_table_without_saving(secretary):
    """The preview: members in the table, the unknown column named, "Chưa lưu gì"; the roster is empty."""
    data = "HỌ VÀ TÊN,NGÀY SINH,SỞ THÍCH\nNGUYỄN VĂN AN,15.05.76,cờ\n".encode()
    page = _text(secretary.post("/dang-vien/nhap", data={"file": (io.BytesIO(data), "ds.csv")},
                                content_type="multipart/form-data"))
    assert 'value="Nguyễn Văn An"' in page and 'value="15/05/1976"' in page
    assert 'C "SỞ THÍCH"' in page and "Chưa lưu gì" in page
    assert secretary.get("/api/v1/roster").get_json()["count"] == 0


def test_an_unreadable_cell_of_the_file_is_shown_as_written_with_its_problem(secretary):
    """32/13/1976 stays in its cell, marked, with the cell of the file named."""
    data = "Họ và tên,Ngày sinh\nNguyễn Văn An,32/13/1976\n".encode()
    page = _text(secretary.post("/dang-vien/nhap", data={"file": (io.BytesIO(data), "ds.csv")},
                                content_type="multipart/form-data"))
    assert 'name="r-0-birth_date" value="32/13/1976"' in page and "(ô B2)" in page


def test_a_file_that_cannot_be_read_is_said_on_the_page(secretary):
    """A PDF: 400 and the reason on the roster page."""
    answer = secretary.post("/dang-vien/nhap", data={"file": (io.BytesIO(b"%PDF"), "ds.pdf")},
                            content_type="multipart/form-data")
    assert answer.status_code == 400 and "Chỉ nhận tệp .xlsx, .xls hoặc .csv" in _text(answer)


def test_the_office_chooses_a_chi_bo_first(app, client):
    """A đảng ủy office sees the choice of its chi bộ, then that chi bộ's roster."""
    chi_bo = people.organisation(app, CHI_BO, "chi_bo", people.DANG_BO)
    assert "Chi bộ thôn Đông" in _text(client.get("/dang-vien"))
    assert f"Đảng viên – {CHI_BO}" in _text(client.get(f"/dang-vien?organisation={chi_bo}"))


def test_a_new_annual_form_starts_from_the_roster_at_the_meeting_day(secretary):
    """/hoi-nghi?ngay=: members on record that day, dự bị made official by their date, posts and forms."""
    secretary.put("/api/v1/roster", json={"members": [
        {"name": "Nguyễn Văn An", "party_post": "Bí thư chi bộ", "job_post": "Hiệu trưởng",
         "leadership_post": True},
        {"name": "Trần Thị Bình", "membership": "du_bi", "official_on": "2025-11-01"},
        {"name": "Phạm Văn Dũng", "left_on": "2025-10-01", "left_reason": "moved"}]})
    page = _text(secretary.get("/hoi-nghi?ngay=2025-12-05"))
    assert 'name="m-0-name" type="text" value="Nguyễn Văn An"' in page
    assert 'value="Bí thư chi bộ, Hiệu trưởng"' in page and "Phạm Văn Dũng" not in page
    assert re.search(r'name="m-1-membership".*?<option value="chinh_thuc" selected', page)
    assert re.search(r'name="m-0-variant".*?<option value="02A" selected', page)
    assert f'value="{CHI_BO}"' in page and "lấy từ trang Đảng viên" in page


def test_the_roster_page_starts_a_meeting_at_a_chosen_day(secretary):
    """With members on record, the page offers a new annual form for the day she picks."""
    secretary.put("/api/v1/roster", json={"members": [{"name": "Nguyễn Văn An"}]})
    page = _text(secretary.get("/dang-vien"))
    assert 'action="/hoi-nghi"' in page and 'name="ngay"' in page


def test_the_roster_dates_are_typed_day_first_and_come_back_so(secretary):
    """No browser date picker on the page (its order follows the browser's language): text boxes
    with a dd/mm/yyyy hint; the meeting day typed 05/12/2025 opens the form at that day, and the
    roster's days saved as typed come back as 15/05/1996."""
    secretary.post("/dang-vien", data={"r-0-name": "Nguyễn Văn An", "r-0-admitted_on": "15/05/1996",
                                       "r-0-official_on": "15.5.1997", "r-0-birth_date": "02/09/1975"})
    page = _text(secretary.get("/dang-vien"))
    assert 'type="date"' not in page
    assert re.search(r'<input type="text" name="ngay" required placeholder="ngày/tháng/năm[^"]*"', page)
    assert "Ghi ngày/tháng/năm (05/12/2026)" in page
    typed = (("admitted_on", "15/05/1996"), ("official_on", "15/05/1997"), ("birth_date", "02/09/1975"))
    for key, shown in typed:
        assert re.search(rf'name="r-0-{key}" value="{shown}" aria-label="[^"]*\(ngày/tháng/năm\)"', page)
    assert re.search(r'name="r-1-left_on" value="" [^>]*placeholder="dd/mm/yyyy"', page)
    form = _text(secretary.get("/hoi-nghi", query_string={"ngay": "05/12/2025"}))
    assert re.search(r'class="day" name="date" value="05/12/2025"', form)
    assert "theo tình trạng ngày 05/12/2025" in form
    assert 'value="Nguyễn Văn An"' in form


def test_a_new_form_without_a_roster_is_empty(secretary):
    """No roster yet: the form of before, no member rows filled."""
    page = _text(secretary.get("/hoi-nghi"))
    assert 'name="m-0-name" type="text" value=""' in page and "lấy từ trang Đảng viên" not in page


def test_a_new_monthly_form_starts_from_the_roster(secretary):
    """/sinh-hoat/moi: the members on record today, posts filled, a member who left not listed."""
    secretary.put("/api/v1/roster", json={"members": [
        {"name": "Nguyễn Văn An", "party_post": "Bí thư chi bộ", "job_post": "Hiệu trưởng"},
        {"name": "Trần Thị Bình", "exempt": True},
        {"name": "Phạm Văn Dũng", "left_on": "2025-10-01", "left_reason": "moved"}]})
    page = _text(secretary.get("/sinh-hoat/moi"))
    assert 'name="m-0-name" type="text" value="Nguyễn Văn An"' in page
    assert 'value="Bí thư chi bộ, Hiệu trưởng"' in page and "Phạm Văn Dũng" not in page
    assert re.search(r'name="m-1-attendance".*?<option value="exempt" selected', page)
