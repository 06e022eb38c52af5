"""The đảng bộ summary as an XLSX workbook (openpyxl), cells never formulas.

Every text cell is written by ``service.spreadsheets.text`` (a chi bộ named ``=cmd|…`` stays
text); counts are numbers and shares percentages, so the office can sort and sum them.
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from service.meetings.schemas import LEVELS
from service.meetings.summary import SHORT, Summary, organisation_rows, quota_line
from service.spreadsheets.text import write_row

MEMBER_HEAD = ["STT", "Tên chi bộ", "Tổng số ĐV", "Số ĐV không đánh giá", "Số ĐV được đánh giá"]
for _level in LEVELS:
    MEMBER_HEAD += [f"{SHORT[_level]} SL", f"{SHORT[_level]} %"]
ORG_HEAD = ["STT", "Tên chi bộ", "Tổng số ĐV", "Chi bộ tự xếp loại", "Đảng ủy quyết định xếp loại",
            "Ghi chú"]


def _numeric_member_rows(summary: Summary) -> list[list[object]]:
    rows: list[list[object]] = []
    lines = [(str(i), line.name, line.members, line.not_rated, line.rated, line.counts)
             for i, line in enumerate(summary.lines, start=1)]
    lines.append(("", "Tổng cộng", summary.members, summary.members - summary.rated, summary.rated,
                  summary.totals))
    for index, name, members, not_rated, rated, counts in lines:
        row: list[object] = [int(index) if index else "", name, members, not_rated, rated]
        for level in LEVELS:
            row += [counts[level], counts[level] / rated if rated else None]
        rows.append(row)
    return rows


def to_xlsx(summary: Summary) -> bytes:
    """Both tables as an XLSX workbook: counts as numbers, shares as percentages."""
    book = Workbook()
    org_rows: list[list[object]] = [[int(r[0]), r[1], summary.lines[i].members, *r[3:]]
                                    for i, r in enumerate(organisation_rows(summary))]
    # a new workbook's one sheet is worksheets[0] (``active``, typed as maybe None)
    sheets = ((book.worksheets[0], "Tổ chức đảng", ORG_HEAD, org_rows),
              (book.create_sheet(), "Đảng viên", MEMBER_HEAD, _numeric_member_rows(summary)))
    thin = Side(style="thin")
    title = (f"BIỂU TỔNG HỢP KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG TỔ CHỨC ĐẢNG VÀ ĐẢNG VIÊN "
             f"NĂM {summary.review.dang_bo.review_year}")
    for sheet, name, head, rows in sheets:
        sheet.title = name
        write_row(sheet, [title])
        write_row(sheet, [summary.review.dang_bo.name])
        write_row(sheet, head)
        for row in rows:
            write_row(sheet, row)
        sheet["A1"].font = Font(bold=True)
        for cell in sheet[3]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
        for cells in sheet.iter_rows(min_row=3, max_row=sheet.max_row):
            for cell in cells:
                cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
                if isinstance(cell.value, float):
                    cell.number_format = "0.0%"
        for index in range(1, len(head) + 1):
            sheet.column_dimensions[get_column_letter(index)].width = 30 if index == 2 else 12
    organisations = book["Tổ chức đảng"]
    organisations.append([])
    count = len(summary.lines)
    for level in LEVELS:
        write_row(organisations, ["", level.label, summary.organisations[level],
                                  summary.organisations[level] / count if count else None])
        organisations.cell(organisations.max_row, 4).number_format = "0.0%"
    book["Đảng viên"].append([])
    write_row(book["Đảng viên"], [quota_line(summary)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
