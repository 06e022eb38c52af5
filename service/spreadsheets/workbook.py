"""The Excel workbook a đảng ủy office fills in: its sheets, columns, and the blank copy.

Five data sheets with Vietnamese headers — ``Đảng bộ`` (one value per row), ``Chi bộ`` (one
row per chi bộ), ``Đảng viên`` (one row per member, with the code of their chi bộ), ``Phiếu``
(the votes, per member or for the chi bộ) and ``Căn cứ`` (the local documents the review
follows, for every chi bộ or one; optional, an older workbook without it is read) — plus
``Hướng dẫn``. Cells with a fixed
set of values carry Excel data-validation lists; text is written as text (``service.xlsx_text``).
``service.workbook_reader`` reads it back.

The examples are marked as such and never read as data: the đảng bộ's in a column of their
own (``Ví dụ``), and each example row of the other sheets with the chi bộ code ``VÍ DỤ``
(grey, italic). The reader skips such a row while it is the example, and refuses it once
edited (it would otherwise be a chi bộ nobody meant).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, time

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from service.meetings.schemas import LEVELS
from service.meetings.vnformat import fold
from service.spreadsheets.text import write_row

YES, NO = "Có", "Không"
MEMBERSHIP = {"Chính thức": "chinh_thuc", "Dự bị": "du_bi"}
ATTENDANCE = {"Có mặt": "present", "Vắng mặt": "absent", "Miễn sinh hoạt": "exempt"}
ROUNDING = {"Làm tròn": "half_up", "Cắt bớt": "truncate"}  # 96,55% → 96,6% or 96,5%
LEVEL_LABELS = {level.label: level.value for level in LEVELS}
CHI_BO_SUBJECT = "Chi bộ"
EXAMPLE_CODE = "VÍ DỤ"  # the chi bộ code of every example row


@dataclass(frozen=True)
class Column:
    """One column: the payload field it fills, its header, an example, its allowed values."""

    field: str
    header: str
    example: object
    choices: tuple[str, ...] = ()
    required: bool = False


DANG_BO_SHEET, CHI_BO_SHEET, MEMBER_SHEET, VOTE_SHEET = "Đảng bộ", "Chi bộ", "Đảng viên", "Phiếu"
BASIS_SHEET = "Căn cứ"
GUIDE_SHEET = "Hướng dẫn"
DANG_BO_HEADERS = ("Mục", "Giá trị", "Ví dụ")
DATE_FORMAT, TIME_FORMAT = "DD/MM/YYYY", "HH:MM"

DANG_BO_ROWS = (
    Column("name", "Tên đảng bộ", "Đảng bộ phường Thành Sen", required=True),
    Column("committee", "Tên đảng ủy (ban hành biểu tổng hợp)", "Đảng ủy phường Thành Sen"),
    Column("parent", "Cấp ủy cấp trên", "Đảng bộ tỉnh Hà Tĩnh", required=True),
    Column("place", "Địa danh (dòng ngày tháng)", "Hà Tĩnh", required=True),
    Column("review_year", "Năm đánh giá", 2025, required=True),
    Column("report_number", "Số báo cáo tổng hợp", 15),
    Column("report_date", "Ngày lập biểu tổng hợp", date(2025, 12, 22)),
    Column("secretary", "Bí thư đảng ủy (người ký)", "Trần Quốc Khánh"),
    # one rule for every share: the summary's and every chi bộ's documents
    Column("rules.rounding", "Làm tròn tỷ lệ (mọi văn bản)", "Làm tròn", tuple(ROUNDING)),
    Column("rules.decimals", "Số chữ số thập phân của tỷ lệ", 1),
)
_LEVELS = tuple(LEVEL_LABELS)
# the kinds of unit as the workbook writes them (domain §11.3), to the schema's
KIND_LABELS = {"Chi bộ trực thuộc": "chi_bo_truc_thuoc", "Chi bộ cơ sở": "chi_bo_co_so",
               "Đảng bộ cơ sở": "dang_bo_co_so", "Đảng bộ bộ phận": "dang_bo_bo_phan"}
CHI_BO_COLUMNS = (
    Column("code", "Mã chi bộ", "CB01", required=True),
    Column("name", "Tên chi bộ", "Chi bộ Trường Tiểu học Thạch Linh", required=True),
    Column("has_committee", "Có chi ủy", NO, (YES, NO)),
    Column("document_number", "Số biên bản", 1, required=True),
    Column("date", "Ngày họp", date(2025, 12, 5), required=True),
    Column("start", "Giờ bắt đầu", time(14, 0), required=True),
    Column("end", "Giờ kết thúc", time(17, 30), required=True),
    Column("location", "Địa điểm", "Phòng họp Trường Tiểu học Thạch Linh", required=True),
    Column("chair", "Chủ trì", "Trần Văn Bình", required=True),
    Column("chair_position", "Chức vụ chủ trì", "Bí thư chi bộ"),
    Column("secretary", "Thư ký", "Lê Thị Cúc", required=True),
    Column("secretary_position", "Chức vụ thư ký", "Phó Bí thư chi bộ"),
    Column("self_rating", "Chi bộ tự xếp loại", _LEVELS[1], _LEVELS, required=True),
    Column("self_score", "Điểm chi bộ tự chấm", 86),
    Column("issued", "Số phiếu phát ra", 1),
    Column("returned", "Số phiếu thu vào", 1),
    Column("invalid", "Số phiếu không hợp lệ", 0),
    Column("committee", "Tổ kiểm phiếu (họ tên, cách nhau bởi dấu phẩy)", "Lê Thị Cúc"),
    Column("decision", "Đảng ủy quyết định xếp loại", "", _LEVELS),
    Column("agenda", "Chương trình (mỗi dòng một mục)",
           "Thông qua báo cáo kiểm điểm tập thể.\nKiểm điểm cá nhân.\nBỏ phiếu kín; công bố kết quả."),
    Column("discussion", "Diễn biến (mỗi dòng: Họ tên: ý kiến)",
           "Trần Văn Bình: Trình bày báo cáo kiểm điểm tập thể chi bộ năm 2025."),
    Column("conclusion", "Kết luận hội nghị", "Hội nghị nhất trí với kết quả biểu quyết."),
    Column("organisation_id", "Mã tổ chức trên hệ thống (không bắt buộc)", ""),
    Column("unit_kind", "Loại tổ chức", "Chi bộ trực thuộc", tuple(KIND_LABELS)),
)
MEMBER_COLUMNS = (
    Column("chi_bo", "Mã chi bộ", "CB01", required=True),
    Column("id", "Mã đảng viên", ""),
    Column("name", "Họ và tên", "Trần Văn Bình", required=True),
    Column("birth_date", "Ngày sinh", date(1978, 4, 12)),
    Column("position", "Chức vụ", "Bí thư chi bộ, Hiệu trưởng"),
    Column("membership", "Chính thức / Dự bị", "Chính thức", tuple(MEMBERSHIP)),
    Column("attendance", "Tham dự", "Có mặt", tuple(ATTENDANCE)),
    Column("absence_reason", "Lý do vắng", ""),
    Column("leadership_post", "Giữ chức vụ lãnh đạo, quản lý", YES, (YES, NO)),
    Column("outside_political_system", "Không làm việc trong hệ thống chính trị", NO, (YES, NO)),
    Column("self_rating", "Tự xếp loại", _LEVELS[1], _LEVELS),
    Column("general", "Điểm nhóm tiêu chí chung (tối đa 30)", 25),
    Column("tasks", "Điểm nhóm kết quả thực hiện nhiệm vụ (tối đa 70)", 57),
    Column("self_score", "Tổng điểm tự chấm", ""),
    # last, so that workbooks filled in before this column existed still read
    Column("not_rated_reason", "Lý do không đánh giá, xếp loại (nếu có)", ""),
)
VOTE_COLUMNS = (
    Column("chi_bo", "Mã chi bộ", "CB01", required=True),
    Column("subject", "Đối tượng (họ tên hoặc mã đảng viên; ghi Chi bộ cho tập thể)", "Trần Văn Bình",
           required=True),
    *(Column(level.value, level.label, 1 if i == 1 else 0) for i, level in enumerate(LEVELS)),
)
BASIS_COLUMNS = (
    Column("chi_bo", "Mã chi bộ (để trống: mọi chi bộ)", ""),
    Column("kind", "Loại văn bản", "Kế hoạch", required=True),
    Column("number", "Số và ký hiệu", "45-KH/ĐU", required=True),
    Column("date", "Ngày ban hành", date(2025, 11, 10), required=True),
    Column("issuer", "Cơ quan ban hành", "Đảng ủy phường Thành Sen", required=True),
    Column("subject", "Trích yếu", "về kiểm điểm, đánh giá, xếp loại chất lượng tổ chức đảng, "
                                   "đảng viên năm 2025"),
)
SHEETS = {CHI_BO_SHEET: CHI_BO_COLUMNS, MEMBER_SHEET: MEMBER_COLUMNS, VOTE_SHEET: VOTE_COLUMNS,
          BASIS_SHEET: BASIS_COLUMNS}


def _example(columns: tuple[Column, ...], *values: object) -> tuple[object, ...]:
    given = values or tuple(c.example for c in columns[1:])
    return (EXAMPLE_CODE, *given)


# the example rows of each sheet, as written (row 2, and row 3 of "Phiếu")
EXAMPLES: dict[str, tuple[tuple[object, ...], ...]] = {
    CHI_BO_SHEET: (_example(CHI_BO_COLUMNS),),
    MEMBER_SHEET: (_example(MEMBER_COLUMNS),),
    VOTE_SHEET: (_example(VOTE_COLUMNS), _example(VOTE_COLUMNS, CHI_BO_SUBJECT, 0, 1, 0, 0)),
    BASIS_SHEET: (_example(BASIS_COLUMNS),),
}


def is_example_code(value: object) -> bool:
    """Whether a chi bộ code marks an example row (``VÍ DỤ``, also typed ``vi du``)."""
    if not isinstance(value, str):
        return False
    return " ".join(fold(value).split()) == "vi du"

GUIDE = (
    "Mẫu nhập liệu đánh giá, xếp loại chất lượng tổ chức đảng và đảng viên (chibo-docs)",
    "",
    "1. Sheet \"Đảng bộ\": ghi thông tin của đảng bộ ở cột B, mỗi dòng một mục.",
    "2. Sheet \"Chi bộ\": mỗi chi bộ một dòng; \"Mã chi bộ\" do đơn vị tự đặt (ví dụ CB01), "
    "không trùng nhau. \"Mã tổ chức trên hệ thống\" (không bắt buộc) giao hội nghị của chi bộ cho tài "
    "khoản chi bộ đó; để trống thì hội nghị thuộc đảng bộ (có thể chọn chi bộ khi tải tệp lên).",
    "3. Sheet \"Đảng viên\": mỗi đảng viên một dòng, ghi \"Mã chi bộ\" của chi bộ mình sinh hoạt.",
    "4. Sheet \"Phiếu\": số phiếu từng mức cho từng đảng viên (ghi họ tên hoặc mã đảng viên) và cho "
    "chi bộ (ghi \"Chi bộ\" ở cột Đối tượng).",
    "5. Các ô có danh sách chọn (mức xếp loại, chính thức/dự bị, tham dự, Có/Không): chọn trong danh sách.",
    "6. Các dòng có Mã chi bộ \"VÍ DỤ\" (chữ nghiêng, màu xám) và cột \"Ví dụ\" của sheet \"Đảng bộ\" "
    "chỉ là ví dụ: hệ thống bỏ qua, không tính là chi bộ. Ghi dữ liệu của đơn vị ở các dòng khác (hoặc ghi "
    "đè lên dòng ví dụ và đổi Mã chi bộ thành mã của đơn vị, ví dụ CB01); dòng ví dụ đã sửa mà vẫn mang "
    "mã \"VÍ DỤ\" sẽ bị báo lỗi.",
    "7. Không cần ghi tổng số, tỷ lệ: hệ thống tự tính. Số liệu không khớp (ví dụ số phiếu nhiều hơn số "
    "đảng viên chính thức có mặt) sẽ được báo lỗi theo sheet, dòng, cột trước khi tạo văn bản.",
    "8. Điểm (thang 100) chỉ ghi từ năm đánh giá 2025.",
    "9. Đảng viên không đánh giá, xếp loại năm nay (mới kết nạp, ốm đau dài ngày…): ghi lý do ở cột "
    "\"Lý do không đánh giá, xếp loại\", để trống \"Tự xếp loại\" và không ghi phiếu cho đồng chí đó; "
    "đồng chí vẫn có tên trong biên bản và các bảng, kèm lý do.",
    "10. \"Làm tròn tỷ lệ\" và \"Số chữ số thập phân\" (sheet \"Đảng bộ\") áp dụng cho mọi tỷ lệ của mọi văn "
    "bản: biểu tổng hợp và văn bản của từng chi bộ (Làm tròn: 96,55% → 96,6%; Cắt bớt: 96,5%).",
    "11. Sheet \"Căn cứ\" (không bắt buộc): văn bản của cấp ủy cấp trên mà hội nghị thực hiện (kế hoạch, "
    "hướng dẫn…), in sau các văn bản của Trung ương ở biên bản và báo cáo; để trống \"Mã chi bộ\" "
    "nếu văn bản dùng cho mọi chi bộ.",
    "12. Tiêu đề cột (dòng 1) được đọc theo tên, không theo vị trí: có thể đổi thứ tự, thêm bớt dấu, viết "
    "hoa hay thường; không được đổi sang tên khác hay để cột lạ. Thiếu cột bắt buộc hoặc có cột không rõ "
    "sẽ được báo lỗi, nêu tên sheet và cột.",
    "13. Ngày ghi dạng 05/12/2025 (hoặc 05.12.25, 05-12-2025); ô ngày kiểu văn bản hay kiểu số của Excel "
    "đều đọc được. Giờ ghi dạng 14:00 (hoặc 14h, 14h30).",
)

_HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
_EXAMPLE_FONT = Font(italic=True, color="808080")


def _validation(sheet: Worksheet, choices: tuple[str, ...], column: int, cells: str | None = None) -> None:
    listed = ",".join(choices)
    rule = DataValidation(type="list", formula1=f'"{listed}"', allow_blank=True,
                          showErrorMessage=True, errorTitle="Giá trị không hợp lệ",
                          error="Hãy chọn một giá trị trong danh sách.")
    letter = get_column_letter(column)
    rule.add(cells or f"{letter}2:{letter}2000")
    sheet.add_data_validation(rule)


def _formatted(sheet: Worksheet, column: Column, index: int) -> None:
    """Date and time columns formatted down the sheet, not only in the example row."""
    kind = DATE_FORMAT if isinstance(column.example, date) else TIME_FORMAT if isinstance(
        column.example, time) else None
    if kind is not None:
        sheet.column_dimensions[get_column_letter(index)].number_format = kind
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            cell.number_format = kind


def blank_workbook() -> bytes:
    """The workbook to fill in: instructions, and examples marked as such (never read as data)."""
    book = Workbook()
    guide = book.worksheets[0]  # a new workbook's one sheet (``active``, typed as maybe None)
    guide.title = GUIDE_SHEET
    for line in GUIDE:
        write_row(guide, [line])
    guide["A1"].font = Font(bold=True, size=13)
    guide.column_dimensions["A"].width = 120
    dang_bo = book.create_sheet(DANG_BO_SHEET)
    write_row(dang_bo, list(DANG_BO_HEADERS))
    for row, column in enumerate(DANG_BO_ROWS, start=2):
        write_row(dang_bo, [column.header, None, column.example])
        dang_bo.cell(row=dang_bo.max_row, column=3).font = _EXAMPLE_FONT
        if isinstance(column.example, date):
            for letter in "BC":
                dang_bo[f"{letter}{row}"].number_format = DATE_FORMAT
        if column.choices:
            _validation(dang_bo, column.choices, 2, f"B{row}")
    for letter, width in (("A", 34), ("B", 40), ("C", 40)):
        dang_bo.column_dimensions[letter].width = width
    for name, columns in SHEETS.items():
        sheet = book.create_sheet(name)
        write_row(sheet, [c.header for c in columns])
        for example in EXAMPLES[name]:
            write_row(sheet, list(example))
            for cell in sheet[sheet.max_row]:
                cell.font = _EXAMPLE_FONT
        for index, column in enumerate(columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = max(14, min(36, len(column.header)))
            if column.choices:
                _validation(sheet, column.choices, index)
            _formatted(sheet, column, index)
        sheet.freeze_panes = "A2"
    for sheet in book.worksheets[1:]:
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.fill = _HEAD_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="center")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
