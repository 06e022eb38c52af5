"""Member lists read into a preview: CSV in three encodings, ad-hoc lists in capitals, limits."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import Workbook

from service.errors import BadRequestError, InvalidRosterError
from service.roster import preview
from tests.support.roster_files import cp1258

TODAY = date(2026, 12, 1)
AD_HOC = ("STT;HỌ VÀ TÊN;NGÀY SINH;SỐ THẺ ĐẢNG;CHỨC VỤ;CHỨC VỤ ĐẢNG (ĐVDB = dự bị, CUV, Bí thư, Phó BTCB);"
          "TRÌNH ĐỘ;QUÊ QUÁN;NGÀY KẾT NẠP;SỞ THÍCH\n"
          "1;NGUYỄN VĂN AN;15.05.76;012345;Hiệu trưởng;Bí thư;ĐH;Hà Tĩnh;03/02/2000;cờ\n"
          "2;TRẦN THỊ BÌNH;1980;;Giáo viên;ĐVDB;CĐ;;10.10.25;\n"
          "3;LÊ VĂN CƯỜNG;01/01/1985;000777;;CUV, ĐVDB;;;;\n")


def _rows(data: bytes, name: str = "ds.csv"):
    return preview(data, name, TODAY, 2000)


@pytest.mark.parametrize("encode", [lambda t: t.encode("utf-8"), lambda t: t.encode("utf-8-sig"),
                                    cp1258],
                         ids=["utf-8", "utf-8-sig", "cp1258"])
def test_a_csv_is_read_in_each_encoding_a_secretary_has(encode):
    """UTF-8, UTF-8 with BOM and Windows-1258 give the same names, in NFC."""
    found = _rows(encode(AD_HOC))
    assert [r.member["name"] for r in found.rows] == ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"]


def test_an_ad_hoc_list_in_capitals_is_mapped_by_its_headers():
    """Dates, card numbers with their zeros, posts; ĐVDB in the Party post makes a dự bị."""
    first, second, third = _rows(AD_HOC.encode()).rows
    assert first.member == {"name": "Nguyễn Văn An", "birth_date": "1976-05-15", "card_number": "012345",
                            "job_post": "Hiệu trưởng", "party_post": "Bí thư", "admitted_on": "2000-02-03"}
    assert second.member["membership"] == "du_bi" and "party_post" not in second.member
    assert third.member["party_post"] == "Chi ủy viên" and third.member["membership"] == "du_bi"


def test_a_lone_year_of_birth_is_kept_as_a_year_with_a_note():
    """``1980`` is a birth year, said in the row's notes, not a problem."""
    row = _rows(AD_HOC.encode()).rows[1]
    assert row.member["birth_year"] == 1980 and "birth_date" not in row.member
    assert row.notes and not row.problems


def test_unknown_columns_are_listed_and_not_read():
    """SỞ THÍCH is unknown, TRÌNH ĐỘ and QUÊ QUÁN are known and not kept; neither lands in a member."""
    found = _rows(AD_HOC.encode())
    assert [c.header for c in found.columns if c.role is None] == ["SỞ THÍCH"]
    assert {c.header for c in found.columns if c.role == ""} == {"STT", "TRÌNH ĐỘ", "QUÊ QUÁN"}
    assert "cờ" not in str(found.rows[0].member)


def test_a_bad_cell_is_a_problem_on_its_row_and_column():
    """An impossible date names the sheet, the row of the file and the column letter."""
    data = "Họ và tên,Ngày sinh\nNguyễn Văn An,32/13/1976\n".encode()
    problem, = _rows(data).problems
    where = (problem.field, problem.sheet, problem.row, problem.column)
    assert where == ("members[0].birth_date", "CSV", 2, "B")


def test_a_lone_year_of_admission_is_a_problem():
    """Only a date of birth may be a year: the official date decides a member's standing."""
    data = "Họ và tên,Ngày vào Đảng\nNguyễn Văn An,1999\n".encode()
    problem, = _rows(data).problems
    assert problem.field == "members[0].admitted_on"


def test_a_cccd_stored_as_a_number_gets_its_leading_zero_back():
    """Excel keeps 001076000123 as the number 1076000123: the twelve digits come back, with a note."""
    book = Workbook()
    sheet = book.active
    sheet.append(["Họ và tên", "Số CCCD", "Ngày sinh"])
    sheet.append(["Nguyễn Văn An", 1076000123, date(1976, 5, 15)])
    buffer = io.BytesIO()
    book.save(buffer)
    row, = _rows(buffer.getvalue(), "ds.xlsx").rows
    assert row.member["cccd"] == "001076000123" and row.member["birth_date"] == "1976-05-15" and row.notes


def test_the_header_is_found_below_title_rows_and_a_numbering_row_is_passed_over():
    """Title rows above, "(1) (2) (3)" below the header: the members start after them."""
    data = ("ĐẢNG BỘ XÃ TÂN PHONG,,\nDANH SÁCH ĐẢNG VIÊN,,\n,,\nSTT,Họ và tên,Ngày sinh\n(1),(2),(3)\n"
            "1,Nguyễn Văn An,15/05/1976\n,,\nT/M CHI BỘ,,\n,Bí thư,\n").encode()
    found = _rows(data)
    assert found.header_row == 4 and [r.member["name"] for r in found.rows] == ["Nguyễn Văn An"]


def test_reading_stops_at_a_signature_block_on_the_right():
    """A date line, T/M CHI BỘ, BÍ THƯ and the name under the posts column: not three members."""
    data = ("STT,Họ và tên,Ngày sinh,Chức vụ\n1,Nguyễn Văn An,15/05/1976,Bí thư chi bộ\n"
            "2,Lê Thị Cúc,02/09/1983,Đảng viên\n,,,\n,,,\"Kỳ Anh, ngày 05 tháng 12 năm 2026\"\n"
            ",,,T/M CHI BỘ\n,,,BÍ THƯ\n,,,\n,,,Nguyễn Văn An\n").encode()
    found = _rows(data)
    assert [r.member["name"] for r in found.rows] == ["Nguyễn Văn An", "Lê Thị Cúc"]
    assert not [p for r in found.rows for p in r.problems]


def test_a_list_of_names_and_a_known_unkept_column_is_read():
    """``STT | Họ và tên``: the name and one column the roster knows are enough to find the header."""
    found = _rows("STT,Họ và tên\n1,Nguyễn Văn An\n".encode())
    assert [r.member for r in found.rows] == [{"name": "Nguyễn Văn An"}]


def test_a_recent_admission_without_an_official_date_is_du_bi():
    """Admitted less than 12 months ago and no official date: dự bị, with a note."""
    data = "Họ và tên,Ngày kết nạp\nNguyễn Văn An,10/10/2026\n".encode()
    row, = _rows(data).rows
    assert row.member["membership"] == "du_bi" and row.notes


def test_a_file_without_a_name_column_is_refused():
    """No header row with "Họ và tên": one problem saying what is needed."""
    with pytest.raises(InvalidRosterError) as caught:
        _rows(b"???,???\n1,2\n")
    assert "Họ và tên" in caught.value.problems[0].detail


def test_more_members_than_the_limit_are_refused():
    """A list longer than ROSTER_MAX_MEMBERS is refused whole."""
    data = ("Họ và tên,Ngày sinh\n" + "".join(f"Người {i},01/01/1980\n" for i in range(6))).encode()
    with pytest.raises(InvalidRosterError):
        preview(data, "ds.csv", TODAY, 5)


@pytest.mark.parametrize(("data", "name"), [(b"PK\x03\x04garbage", "ds.xlsx"),
                                            (b"\xd0\xcf\x11\xe0junk", "ds.xls"),
                                            (b"Ho ten\n", "ds.pdf")])
def test_a_file_that_is_no_list_is_a_bad_request(data, name):
    """A broken spreadsheet or another kind of file: 400 in Vietnamese, never a crash."""
    with pytest.raises(BadRequestError):
        _rows(data, name)
