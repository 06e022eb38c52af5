"""The đảng bộ workbook: the blank copy, reading it back, problems by sheet, row and column."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import load_workbook

from service.errors import BadRequestError, InvalidMeetingError
from service.spreadsheets.reader import parse_workbook
from service.spreadsheets.workbook import blank_workbook
from tests.support.factories import workbook_bytes


def _problems(edit):
    with pytest.raises(InvalidMeetingError) as caught:
        parse_workbook(workbook_bytes(edit))
    return [(p.sheet, p.row, p.column) for p in caught.value.problems], caught.value.problems


def test_blank_workbook_has_the_sheets_and_validation_lists():
    """Instructions, five data sheets, and a list of levels on the self-rating column."""
    book = load_workbook(io.BytesIO(blank_workbook()))
    assert book.sheetnames == ["Hướng dẫn", "Đảng bộ", "Chi bộ", "Đảng viên", "Phiếu", "Căn cứ"]
    lists = [v.formula1 for v in book["Đảng viên"].data_validations.dataValidation]
    assert any("Hoàn thành tốt nhiệm vụ" in f for f in lists)


def test_the_blank_workbook_is_refused_with_one_plain_message():
    """Untouched, the blank counts no chi bộ: one message saying it is still the blank."""
    with pytest.raises(InvalidMeetingError) as caught:
        parse_workbook(blank_workbook())
    assert [(p.sheet, p.detail.split(":")[0]) for p in caught.value.problems] == [
        ("Chi bộ", "Tệp vẫn là mẫu trống")]


def test_examples_are_marked_in_the_blank():
    """Example rows carry the code VÍ DỤ in grey italics; the đảng bộ's examples have a column apart."""
    book = load_workbook(io.BytesIO(blank_workbook()))
    for name in ("Chi bộ", "Đảng viên", "Phiếu"):
        assert book[name]["A2"].value == "VÍ DỤ" and book[name]["A2"].font.i, name
    assert book["Đảng bộ"]["C1"].value == "Ví dụ" and book["Đảng bộ"]["B2"].value is None
    assert book["Đảng bộ"]["C2"].value == "Đảng bộ phường Thành Sen"


def test_examples_typed_in_as_data_read_back_as_a_valid_review():
    """The examples with a code of the unit's own form a valid one-chi-bộ đảng bộ."""
    review = parse_workbook(workbook_bytes())
    assert review.dang_bo.name == "Đảng bộ phường Thành Sen"
    assert review.chi_bo[0].ratings[0].votes.tot == 1
    assert review.chi_bo[0].chi_bo_rating.votes.tot == 1


def _below_the_examples(book):
    """The đảng bộ filled in, and one chi bộ CB01 written below the untouched example rows."""
    blank = load_workbook(io.BytesIO(blank_workbook()))
    for row in book["Đảng bộ"].iter_rows(min_row=2):
        row[1].value = row[2].value
    for name in ("Chi bộ", "Đảng viên", "Phiếu"):
        for source in list(blank[name].iter_rows(min_row=2, values_only=True)):
            book[name].append(["CB01", *source[1:]])


def test_untouched_example_rows_are_ignored_never_a_chi_bo():
    """Example rows left in place next to the unit's own count for nothing: one chi bộ, CB01's."""
    blank = load_workbook(io.BytesIO(blank_workbook()))
    _below_the_examples(blank)
    out = io.BytesIO()
    blank.save(out)
    review = parse_workbook(out.getvalue())
    assert len(review.chi_bo) == 1 and len(review.chi_bo[0].members) == 1


def test_an_edited_example_row_is_refused_naming_its_code_cell():
    """A changed example row keeping the code VÍ DỤ is refused on that cell, with what to do."""
    blank = load_workbook(io.BytesIO(blank_workbook()))
    _below_the_examples(blank)
    blank["Đảng viên"]["C2"] = "Người Thật"
    out = io.BytesIO()
    blank.save(out)
    with pytest.raises(InvalidMeetingError) as caught:
        parse_workbook(out.getvalue())
    problem = caught.value.problems[0]
    assert (problem.sheet, problem.row, problem.column) == ("Đảng viên", 2, "Mã chi bộ")
    assert "đổi Mã chi bộ" in problem.detail


def test_only_example_chi_bo_rows_mean_no_chi_bo():
    """The đảng bộ filled in but every chi bộ row still the example: "Chưa có chi bộ nào"."""
    blank = load_workbook(io.BytesIO(blank_workbook()))
    for row in blank["Đảng bộ"].iter_rows(min_row=2):
        row[1].value = row[2].value
    out = io.BytesIO()
    blank.save(out)
    with pytest.raises(InvalidMeetingError) as caught:
        parse_workbook(out.getvalue())
    assert [p.detail.split(":")[0] for p in caught.value.problems] == ["Chưa có chi bộ nào"]


def test_the_organisation_column_names_the_chi_bo_s_organisation():
    """A "Mã tổ chức" cell becomes the chi bộ's organisation_id; a malformed one names its cell."""
    column = "W"  # the last column of "Chi bộ"
    review = parse_workbook(workbook_bytes(lambda book: book["Chi bộ"].__setitem__(f"{column}2", "a" * 32)))
    assert review.chi_bo[0].organisation_id == "a" * 32
    cells, _ = _problems(lambda book: book["Chi bộ"].__setitem__(f"{column}2", "Chi bộ thôn Đông"))
    assert cells == [("Chi bộ", 2, "Mã tổ chức trên hệ thống (không bắt buộc)")]


def test_every_problem_names_its_cell_all_at_once():
    """A bad level, a bad date and an unknown chi bộ come back together, each with its cell."""
    def edit(book):
        book["Đảng viên"]["K2"] = "Xuất sắc"
        book["Đảng viên"]["D2"] = "31/02/1990"
        book["Đảng viên"].append(["CB09", "", "Ai Đó", None, None, None, None, None, None, None,
                                  "Hoàn thành tốt nhiệm vụ"])
    cells, problems = _problems(edit)
    assert ("Đảng viên", 2, "Tự xếp loại") in cells
    assert ("Đảng viên", 2, "Ngày sinh") in cells
    assert ("Đảng viên", 3, "Mã chi bộ") in cells
    assert all(p.detail for p in problems)


def test_figures_that_do_not_add_up_point_at_the_vote_row():
    """Five votes with one voter is reported on the Phiếu row."""
    cells, problems = _problems(lambda book: book["Phiếu"].__setitem__("D2", 5))
    assert cells == [("Phiếu", 2, None)]
    assert "nhiều hơn" in problems[0].detail


def test_vote_for_an_unknown_member_names_the_subject_cell():
    """A vote row for someone not in the member sheet is refused."""
    cells, _ = _problems(lambda book: book["Phiếu"].append(["CB01", "Người Lạ", 1, 0, 0, 0]))
    assert cells[0][:2] == ("Phiếu", 4)


def test_formulas_are_never_evaluated():
    """A formula cell is read as its cached value (none here), never computed."""
    def edit(book):
        book["Đảng viên"]["C2"] = '=HYPERLINK("http://x","y")'
    cells, _ = _problems(edit)
    assert ("Đảng viên", 2, "Họ và tên") in cells


def test_not_a_workbook_is_a_bad_request():
    """Random bytes are refused before parsing."""
    with pytest.raises(BadRequestError):
        parse_workbook(b"not a zip")


def test_zip_bomb_is_refused(tmp_path):
    """A container that unpacks to more than the limit is refused unread."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/huge.xml", b"0" * (60 * 1024 * 1024))
    with pytest.raises(BadRequestError):
        parse_workbook(out.getvalue())


def test_cell_problems_and_arithmetic_come_back_together():
    """A bad date and too many votes are both reported, in sheet order, with cell addresses."""
    def edit(book):
        book["Đảng viên"]["D2"] = "31/02/1990"
        book["Phiếu"]["D2"] = 5
    cells, problems = _problems(edit)
    assert cells == [("Đảng viên", 2, "Ngày sinh"), ("Phiếu", 2, None)]
    assert problems[0].field == 'Sheet "Đảng viên", ô D2 (cột "Ngày sinh")'


def test_double_spaces_in_names_are_forgiven():
    """A vote row typed with two spaces finds the member."""
    def edit(book):
        book["Phiếu"]["B2"] = "Trần  Văn   Bình"
    assert parse_workbook(workbook_bytes(edit)).chi_bo[0].ratings[0].votes.tot == 1


def _excused_row(self_rating=None, reason="mới kết nạp ngày 20/10/2025"):
    """A second member of CB01 with a reason not to rate, as typed into the Đảng viên sheet."""
    return ["CB01", "", "Phan Văn Quý", None, "Đoàn viên", "Dự bị", "Có mặt", None, "Không", "Không",
            self_rating, None, None, None, reason]


def test_a_member_with_a_reason_not_to_rate_is_listed_without_a_rating():
    """The reason column gives a member of the list with no rating, the reason kept."""
    review = parse_workbook(workbook_bytes(lambda book: book["Đảng viên"].append(_excused_row())))
    chi_bo = review.chi_bo[0]
    assert chi_bo.members[1].not_rated_reason == "mới kết nạp ngày 20/10/2025"
    assert [r.member for r in chi_bo.ratings] == ["Trần Văn Bình"]


def test_a_member_with_neither_self_rating_nor_reason_names_the_cell():
    """An empty self-rating without a reason is refused at the self-rating cell."""
    cells, problems = _problems(lambda book: book["Đảng viên"].append(_excused_row(reason=None)))
    assert cells == [("Đảng viên", 3, "Tự xếp loại")]
    assert "Lý do không đánh giá" in problems[0].detail


def test_a_reason_and_a_self_rating_together_are_refused():
    """A member both excused and self-rated is refused at the self-rating cell."""
    cells, _ = _problems(lambda book: book["Đảng viên"].append(
        _excused_row(self_rating="Hoàn thành tốt nhiệm vụ")))
    assert cells == [("Đảng viên", 3, "Tự xếp loại")]


def test_votes_for_a_member_not_rated_name_the_vote_row():
    """Votes for an excused member are refused on the Phiếu row, pointing at the reason."""
    def edit(book):
        book["Đảng viên"].append(_excused_row())
        book["Phiếu"].append(["CB01", "Phan Văn Quý", 0, 1, 0, 0])
    cells, problems = _problems(edit)
    assert cells == [("Phiếu", 4, "Đối tượng (họ tên hoặc mã đảng viên; ghi Chi bộ cho tập thể)")]
    assert "dòng 3" in problems[0].detail


def test_the_dang_bo_sheet_names_the_committee_and_one_rounding_for_all():
    """The example names the đảng ủy; "Cắt bớt" with 0 decimals reaches the đảng bộ and every chi bộ."""
    def edit(book):
        rows = {row[0].value: row[1] for row in book["Đảng bộ"].iter_rows(min_row=2)}
        rows["Làm tròn tỷ lệ (mọi văn bản)"].value = "Cắt bớt"
        rows["Số chữ số thập phân của tỷ lệ"].value = 0
    assert parse_workbook(workbook_bytes()).dang_bo.committee == "Đảng ủy phường Thành Sen"
    review = parse_workbook(workbook_bytes(edit))
    assert (review.dang_bo.rules.rounding, review.dang_bo.rules.decimals) == ("truncate", 0)
    assert all((m.rules.rounding, m.rules.decimals) == ("truncate", 0) for m in review.chi_bo)


def _second_chi_bo(book):
    """Copy the example chi bộ as CB02 with its own member, for rows that apply to one or all."""
    row = [c.value for c in book["Chi bộ"][2]]
    book["Chi bộ"].append(["CB02", "Chi bộ thôn Tân Phong", *row[2:]])
    member = [c.value for c in book["Đảng viên"][2]]
    book["Đảng viên"].append(["CB02", *member[1:]])
    book["Phiếu"].append(["CB02", member[2], 0, 1, 0, 0])
    book["Phiếu"].append(["CB02", "Chi bộ", 0, 1, 0, 0])


def test_local_basis_with_no_chi_bo_code_is_cited_by_every_chi_bo():
    """The example row of "Căn cứ" (code left blank) reaches each chi bộ of the workbook."""
    review = parse_workbook(workbook_bytes(_second_chi_bo))
    assert [[b.number for b in c.local_basis] for c in review.chi_bo] == [["45-KH/ĐU"], ["45-KH/ĐU"]]


def test_local_basis_with_a_code_is_cited_by_that_chi_bo_only():
    """A row naming CB02 adds a document to CB02 alone, after the shared one."""
    def edit(book):
        _second_chi_bo(book)
        book["Căn cứ"].append(["CB02", "Hướng dẫn", "03-HD/CB", "12/11/2025", "Đảng ủy phường Thành Sen"])
    review = parse_workbook(workbook_bytes(edit))
    assert [[b.number for b in c.local_basis] for c in review.chi_bo] == [["45-KH/ĐU"],
                                                                         ["45-KH/ĐU", "03-HD/CB"]]


def test_local_basis_problems_name_their_cell():
    """An unknown chi bộ code, and a document issued after the meeting, point at the Căn cứ row."""
    def edit(book):
        book["Căn cứ"].append(["CB09", "Kế hoạch", "1-KH/ĐU", "01/11/2025", "Đảng ủy phường"])
        book["Căn cứ"]["D2"] = "20/12/2025"
    cells, _ = _problems(edit)
    assert cells == [("Căn cứ", 2, "Ngày ban hành"), ("Căn cứ", 3, "Mã chi bộ (để trống: mọi chi bộ)")]


def test_a_workbook_without_the_basis_sheet_is_still_read():
    """Workbooks filled in before the sheet existed are read: no local documents."""
    review = parse_workbook(workbook_bytes(lambda book: book.remove(book["Căn cứ"])))
    assert review.chi_bo[0].local_basis == []
