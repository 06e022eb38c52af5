"""The đảng bộ summary as an XLSX workbook (openpyxl), cells never formulas.

Every text cell is written by ``service.spreadsheets.text`` (a chi bộ named ``=cmd|…`` stays
text); counts are numbers and shares percentages, so the office can sort and sum them. A share
is stored already rounded by the summary's rule and shown with its number of decimals, so the
sheet shows what the PDF prints (Excel itself would round half up). The sheet "Tổ chức đảng"
says for each chi bộ which level was counted and why.
"""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from service.meetings import vnformat as vn
from service.meetings.schemas import LEVELS
from service.meetings.summary import (
    NO_RESULT,
    SHORT,
    Summary,
    member_totals,
    organisation_totals,
    quota_line,
)
from service.spreadsheets.text import write_row

MEMBER_HEAD = ["STT", "Tên chi bộ", "Tổng số ĐV", "Số ĐV không đánh giá", "Số ĐV chưa có kết quả",
               "Số ĐV được xếp loại"]
for _level in LEVELS:
    MEMBER_HEAD += [f"{SHORT[_level]} SL", f"{SHORT[_level]} %"]
ORG_HEAD = ["STT", "Tên chi bộ", "Tổng số ĐV", "Chi bộ tự xếp loại", "Chi bộ biểu quyết",
            "Đảng ủy quyết định xếp loại", "Mức tính vào tổng hợp", "Căn cứ"]
LEVEL_HEAD = ["", "Mức xếp loại", "Số chi bộ", "Tỷ lệ trên số chi bộ được xếp loại"]


def _share(part: int, whole: int, rule: vn.RoundingRule) -> float | None:
    value = vn.share(part, whole, rule)
    return None if value is None else float(value / 100)


def _percent_format(rule: vn.RoundingRule) -> str:
    return "0." + "0" * rule.decimals + "%" if rule.decimals else "0%"


def _member_rows(summary: Summary) -> list[list[Any]]:
    groups: list[tuple[Any, ...]] = [
        (index, line.name, line.members, line.not_rated, line.pending, line.rated, line.counts)
        for index, line in enumerate(summary.lines, start=1)]
    groups.append(("", "Tổng cộng", summary.members, summary.not_rated, summary.pending, summary.rated,
                   summary.totals))
    rows = []
    for *cells, counts in groups:
        rated = cells[-1]
        for level in LEVELS:
            cells += [counts[level], _share(counts[level], rated, summary.rule)]
        rows.append(cells)
    return rows


def _organisation_rows(summary: Summary) -> list[list[Any]]:
    return [[index, line.name, line.members, line.self_level.label, line.vote_text,
             line.decided_level.label if line.decided_level else "",
             line.counted_level.label if line.counted_level else NO_RESULT,
             line.basis[0].upper() + line.basis[1:]]
            for index, line in enumerate(summary.lines, start=1)]


def _table(sheet: Any, summary: Summary, head: list[str], rows: list[list[Any]], wide: set[int]) -> None:
    """Title, đảng bộ, the bordered table with a bold header; shares in the rule's format."""
    write_row(sheet, [f"BIỂU TỔNG HỢP KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG TỔ CHỨC ĐẢNG VÀ ĐẢNG VIÊN "
                      f"NĂM {summary.review.dang_bo.review_year}"])
    write_row(sheet, [summary.review.dang_bo.name])
    write_row(sheet, head)
    for row in rows:
        write_row(sheet, row)
    sheet["A1"].font = Font(bold=True)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
    thin = Side(style="thin")
    for line in sheet.iter_rows(min_row=3, max_row=sheet.max_row):
        for cell in line:
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
            if isinstance(cell.value, float):
                cell.number_format = _percent_format(summary.rule)
    for index in range(1, len(head) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 30 if index in wide else 12


def to_xlsx(summary: Summary) -> bytes:
    """Both tables as an XLSX workbook: counts as numbers, shares as percentages."""
    book = Workbook()
    organisations = book.worksheets[0]  # a new workbook's one sheet (``active`` is typed maybe None)
    organisations.title = "Tổ chức đảng"
    _table(organisations, summary, ORG_HEAD, _organisation_rows(summary), {2, 4, 5, 6, 7, 8})
    organisations.column_dimensions["H"].width = 60
    organisations.append([])
    write_row(organisations, LEVEL_HEAD)
    rated = summary.rated_chi_bo
    for level in LEVELS:
        count = summary.organisations[level]
        write_row(organisations, ["", level.label, count, _share(count, rated, summary.rule)])
        organisations.cell(organisations.max_row, 4).number_format = _percent_format(summary.rule)
    write_row(organisations, ["", NO_RESULT, len(summary.lines) - rated, None])
    organisations.append([])
    write_row(organisations, [organisation_totals(summary)[-1]])
    for warning in summary.warnings:
        write_row(organisations, [f"Lưu ý: {warning}"])
    members = book.create_sheet("Đảng viên")
    _table(members, summary, MEMBER_HEAD, _member_rows(summary), {2})
    members.append([])
    write_row(members, [member_totals(summary)])
    write_row(members, [quota_line(summary)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
