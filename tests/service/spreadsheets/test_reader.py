"""The đảng bộ workbook read by header: reordered columns, wrong headers, dates in any row."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from service.errors import InvalidMeetingError
from service.spreadsheets.reader import parse_workbook
from service.spreadsheets.workbook import DATE_FORMAT, blank_workbook
from tests.support.factories import workbook_bytes


def swap_columns(sheet, first: int, second: int) -> None:
    """Exchange two whole columns of *sheet* (1-based), headers and formats included, as Excel does."""
    for row in sheet.iter_rows():
        a, b = row[first - 1], row[second - 1]
        a.value, b.value = b.value, a.value
        a.number_format, b.number_format = b.number_format, a.number_format


def _refused(edit):
    with pytest.raises(InvalidMeetingError) as caught:
        parse_workbook(workbook_bytes(edit))
    return caught.value.problems


def test_two_member_columns_swapped_are_read_by_header():
    """"Họ và tên" and "Chức vụ" swapped: the member is still named, not "Bí thư chi bộ, Hiệu trưởng"."""
    review = parse_workbook(workbook_bytes(lambda book: swap_columns(book["Đảng viên"], 3, 5)))
    member = review.chi_bo[0].members[0]
    assert (member.name, member.position) == ("Trần Văn Bình", "Bí thư chi bộ, Hiệu trưởng")


def test_chi_bo_columns_in_reverse_order_are_read_right():
    """Every column of "Chi bộ" in reverse order gives the same review."""
    def reverse(book):
        sheet = book["Chi bộ"]
        rows = [[(c.value, c.number_format) for c in r] for r in sheet.iter_rows(max_col=sheet.max_column)]
        for r, cells in enumerate(rows, start=1):
            for c, (value, shown) in enumerate(reversed(cells), start=1):
                cell = sheet.cell(row=r, column=c)
                cell.value, cell.number_format = value, shown
    assert parse_workbook(workbook_bytes(reverse)) == parse_workbook(workbook_bytes())


def test_headers_typed_without_diacritics_in_capitals_are_read():
    """"HO VA TEN", "chuc vu" read as the columns they name."""
    def plain(book):
        book["Đảng viên"]["C1"].value, book["Đảng viên"]["E1"].value = "HO VA TEN", "chuc vu"
    assert parse_workbook(workbook_bytes(plain)).chi_bo[0].members[0].name == "Trần Văn Bình"


def test_a_wrong_header_is_refused_naming_sheet_and_column():
    """"Họ tên đệm" is no column: refused at its cell, and the name column it replaced is missing."""
    problems = _refused(lambda book: book["Đảng viên"].cell(row=1, column=3, value="Họ tên đệm"))
    assert [(p.sheet, p.row, p.column) for p in problems] == [("Đảng viên", 1, "Họ tên đệm"),
                                                             ("Đảng viên", 1, "Họ và tên")]
    assert problems[0].field == "Sheet \"Đảng viên\", ô C1 (tiêu đề \"Họ tên đệm\")"


def test_a_workbook_whose_headers_are_question_marks_is_refused():
    """Headers lost to "???" (a wrong encoding) refuse the workbook, sheet by sheet."""
    def lost(book):
        for sheet in book.worksheets[1:]:
            for cell in sheet[1]:
                cell.value = "???"
    problems = _refused(lost)
    assert {p.sheet for p in problems} == {"Đảng bộ", "Chi bộ", "Đảng viên", "Phiếu", "Căn cứ"}
    assert all(p.column == "???" or p.detail.startswith("Thiếu cột") for p in problems)


def test_an_unknown_dang_bo_row_with_a_value_is_refused():
    """A label of no row with a value beside it is named, not silently dropped."""
    def edit(book):
        book["Đảng bộ"].append(["Số điện thoại", "0912345678"])
    problems = _refused(edit)
    assert [(p.sheet, p.column) for p in problems] == [("Đảng bộ", "Giá trị")]
    assert "Số điện thoại" in problems[0].detail


def test_a_problem_cell_is_named_by_the_letter_it_is_at():
    """A bad birth date in a moved column is named by the column it now is in."""
    def edit(book):
        sheet = book["Đảng viên"]
        swap_columns(sheet, 4, 1)  # "Ngày sinh" is now column A
        sheet["A2"].value = "31/02/1978"
    problems = _refused(edit)
    assert problems[0].field == "Sheet \"Đảng viên\", ô A2 (cột \"Ngày sinh\")"


@pytest.mark.parametrize("typed", ["12/04/1978", "12.04.78", 28592, "1978-04-12"])
def test_a_date_typed_below_the_first_row_is_read(typed):
    """A second member's birth date as text or an Excel serial number is read as a date."""
    def edit(book):
        sheet = book["Đảng viên"]
        row = [cell.value for cell in sheet[2]]
        row[2], row[3] = "Lê Thị Cúc", typed
        sheet.append(row)
    review = parse_workbook(workbook_bytes(edit))
    assert review.chi_bo[0].members[1].birth_date == date(1978, 4, 12)


def test_the_blank_formats_date_columns_down_the_sheet():
    """"Ngày sinh" and "Ngày họp" are date columns as a whole, not only in the example row."""
    book = load_workbook(io.BytesIO(blank_workbook()))
    assert book["Đảng viên"].column_dimensions["D"].number_format == DATE_FORMAT
    assert book["Chi bộ"].column_dimensions["E"].number_format == DATE_FORMAT


def test_the_kind_of_each_unit_is_read_from_the_workbook():
    """"Loại tổ chức": a row written "Đảng bộ cơ sở" is a đảng bộ cơ sở; the example, a chi bộ trực thuộc."""
    assert parse_workbook(workbook_bytes()).chi_bo[0].organisation.kind == "chi_bo_truc_thuoc"

    def dang_bo(book):
        sheet = book["Chi bộ"]
        column = next(c.column for c in sheet[1] if c.value == "Loại tổ chức")
        sheet.cell(row=2, column=column).value = "Đảng bộ cơ sở"
    organisation = parse_workbook(workbook_bytes(dang_bo)).chi_bo[0].organisation
    assert organisation.kind == "dang_bo_co_so" and organisation.code == "ĐU"
