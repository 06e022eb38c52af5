"""Finding the workbook's columns by their headers, not their position.

A header is compared in plain form (``plain``: no diacritics, đ as d, any case, punctuation
and extra spaces aside), against the template's header, the same without its note in
brackets, and a few synonyms a secretary may type (``SYNONYMS``). Columns may come in any
order; a header that matches no column, a column given twice, and a required column missing
are refused naming the sheet and the column, before any row is read.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from openpyxl.utils import get_column_letter

from service.errors import FieldProblem
from service.meetings.vnformat import fold_words
from service.spreadsheets.workbook import (
    BASIS_SHEET,
    CHI_BO_SHEET,
    DANG_BO_HEADERS,
    DANG_BO_ROWS,
    DANG_BO_SHEET,
    MEMBER_SHEET,
    VOTE_SHEET,
    Column,
)

# other names a column goes by, per sheet and field (compared in plain form)
SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    CHI_BO_SHEET: {
        "code": ("Mã CB", "Mã"), "name": ("Chi bộ", "Tên"), "has_committee": ("Chi ủy",),
        "unit_kind": ("Loại", "Loại đơn vị", "Loại tổ chức đảng"),
        "document_number": ("Số BB", "Số biên bản hội nghị"),
        "date": ("Ngày", "Ngày hội nghị", "Ngày họp chi bộ", "Ngày tổ chức"),
        "start": ("Bắt đầu", "Thời gian bắt đầu", "Từ giờ"),
        "end": ("Kết thúc", "Thời gian kết thúc", "Đến giờ"),
        "location": ("Nơi họp", "Địa điểm họp"), "chair": ("Chủ tọa", "Người chủ trì", "Chủ trì hội nghị"),
        "secretary": ("Thư ký hội nghị", "Người ghi biên bản"),
        "self_rating": ("Tự xếp loại", "Chi bộ tự đánh giá, xếp loại", "Tự đánh giá"),
        "self_score": ("Điểm tự chấm", "Điểm"), "issued": ("Phiếu phát ra",), "returned": ("Phiếu thu vào",),
        "invalid": ("Phiếu không hợp lệ",), "committee": ("Ban kiểm phiếu",),
        "decision": ("Quyết định của đảng ủy", "Đảng ủy xếp loại", "Đảng ủy quyết định"),
        "agenda": ("Nội dung", "Chương trình hội nghị"), "discussion": ("Ý kiến phát biểu", "Thảo luận"),
        "conclusion": ("Kết luận",), "organisation_id": ("Mã tổ chức",),
    },
    MEMBER_SHEET: {
        "chi_bo": ("Chi bộ",), "id": ("Mã ĐV", "Mã số đảng viên"),
        "name": ("Họ tên", "Họ và tên đảng viên", "Tên đảng viên"),
        "birth_date": ("Sinh ngày", "Ngày tháng năm sinh", "Ngày, tháng, năm sinh"),
        "position": ("Chức vụ đảng, chính quyền", "Chức vụ, đơn vị công tác"),
        "membership": ("Chính thức hay dự bị", "Đảng viên chính thức/dự bị", "Loại đảng viên"),
        "attendance": ("Tham dự hội nghị", "Có mặt/vắng"), "absence_reason": ("Lý do vắng mặt",),
        "leadership_post": ("Chức vụ lãnh đạo, quản lý", "Lãnh đạo, quản lý"),
        "outside_political_system": ("Ngoài hệ thống chính trị",),
        "self_rating": ("Tự đánh giá", "Tự xếp loại chất lượng", "Đảng viên tự xếp loại"),
        "general": ("Điểm chung", "Điểm tiêu chí chung"),
        "tasks": ("Điểm nhiệm vụ", "Điểm thực hiện nhiệm vụ"),
        "self_score": ("Tổng điểm", "Điểm tự chấm"),
        "not_rated_reason": ("Lý do không đánh giá", "Lý do không xếp loại"),
    },
    VOTE_SHEET: {
        "chi_bo": ("Chi bộ",), "subject": ("Đối tượng", "Họ tên", "Họ và tên", "Đảng viên"),
        "xuat_sac": ("HTXS", "Xuất sắc", "Phiếu HTXS"), "tot": ("HTT", "Hoàn thành tốt", "Phiếu HTT"),
        "hoan_thanh": ("HT", "Hoàn thành", "Phiếu HT"),
        "khong_hoan_thanh": ("KHT", "Không hoàn thành", "Phiếu KHT"),
    },
    BASIS_SHEET: {
        "chi_bo": ("Chi bộ",), "kind": ("Loại", "Thể loại"), "number": ("Số", "Số hiệu", "Ký hiệu"),
        "date": ("Ngày", "Ngày văn bản"), "issuer": ("Nơi ban hành", "Cấp ban hành"),
        "subject": ("Trích yếu nội dung", "Nội dung"),
    },
    DANG_BO_SHEET: {"label": ("Nội dung", "Thông tin"), "value": ("Giá trị nhập", "Ghi vào đây")},
}
IGNORED = ("STT", "TT", "Số TT", "Số thứ tự", "Ghi chú")  # columns a sheet may have, never read
DANG_BO_LABELS: dict[str, tuple[str, ...]] = {  # other names of the rows of "Đảng bộ"
    "name": ("Đảng bộ",), "committee": ("Tên đảng ủy", "Đảng ủy"), "place": ("Địa danh",),
    "review_year": ("Năm",), "report_number": ("Số báo cáo",),
    "report_date": ("Ngày lập biểu", "Ngày báo cáo"),
    "secretary": ("Bí thư đảng ủy", "Bí thư", "Người ký"),
    "rules.rounding": ("Làm tròn tỷ lệ", "Làm tròn"), "rules.decimals": ("Số chữ số thập phân",),
}


def plain(text: object) -> str:
    """*text* compared loosely: no diacritics, đ as d, lower case, only letters and digits."""
    return fold_words(str(text))


def _names(column: Column, extra: Sequence[str]) -> set[str]:
    short = re.sub(r"\s*\([^)]*\)\s*", " ", column.header)
    return {plain(name) for name in (column.header, short, *extra)} - {""}


def matcher(sheet: str, columns: Sequence[Column]) -> dict[str, str]:
    """Each plain name a column of *sheet* goes by → that column's field."""
    synonyms = SYNONYMS.get(sheet, {})
    found: dict[str, str] = {}
    for column in columns:  # the template's own names win over another column's synonym
        for name in _names(column, ()):
            found.setdefault(name, column.field)
    for column in columns:
        for name in _names(column, synonyms.get(column.field, ())):
            found.setdefault(name, column.field)
    return found


def dang_bo_row(label: object) -> Column | None:
    """The row of sheet "Đảng bộ" a label in column A names, however it is typed."""
    names = matcher("", [Column(c.field, c.header, None) for c in DANG_BO_ROWS])
    for column in DANG_BO_ROWS:
        for name in DANG_BO_LABELS.get(column.field, ()):
            names.setdefault(plain(name), column.field)
    field = names.get(plain(label))
    return next((c for c in DANG_BO_ROWS if c.field == field), None)


def _header_cell(sheet: str, index: int, text: str) -> str:
    return f"Sheet \"{sheet}\", ô {get_column_letter(index + 1)}1 (tiêu đề \"{text}\")"


def layout(sheet: str, columns: Sequence[Column], headers: Sequence[object],
           ) -> tuple[dict[str, int], list[FieldProblem]]:
    """Where each column of *sheet* is (field → index from 0), and every header problem.

    A header matching no column, a column named twice, and a required column missing are
    problems; an optional column missing is not (workbooks made before it was added are read),
    and a column of ``IGNORED`` (the row number "STT", "Ghi chú") is left unread.
    """
    names = matcher(sheet, columns)
    listed = ", ".join(f"\"{c.header}\"" for c in columns)
    where: dict[str, int] = {}
    problems: list[FieldProblem] = []
    for index, header in enumerate(headers):
        if header is None or not str(header).strip():
            continue
        text = " ".join(str(header).split())
        field = names.get(plain(text))
        if field is None and plain(text) in {plain(name) for name in IGNORED}:
            continue
        if field is None:
            problems.append(FieldProblem(
                _header_cell(sheet, index, text),
                f"Tiêu đề cột \"{text}\" không phải cột nào của mẫu: sửa lại cho đúng tên cột hoặc xoá "
                f"cột này. Các cột của sheet \"{sheet}\": {listed}.", sheet, 1, text))
        elif field in where:
            first = get_column_letter(where[field] + 1)
            problems.append(FieldProblem(
                _header_cell(sheet, index, text),
                f"Cột \"{text}\" trùng với cột {first} (cùng là \"{_header(columns, field)}\"): xoá một "
                "trong hai cột.", sheet, 1, text))
        else:
            where[field] = index
    for column in columns:
        if column.required and column.field not in where:
            problems.append(FieldProblem(
                f"Sheet \"{sheet}\", dòng 1", f"Thiếu cột \"{column.header}\" (bắt buộc): thêm cột có tiêu "
                "đề này ở dòng 1 (thứ tự các cột không quan trọng).", sheet, 1, column.header))
    return where, problems


def _header(columns: Sequence[Column], field: str) -> str:
    return next(c.header for c in columns if c.field == field)


DANG_BO_COLUMNS = tuple(Column(field, header, None, required=field != "example")
                        for field, header in zip(("label", "value", "example"), DANG_BO_HEADERS, strict=True))
