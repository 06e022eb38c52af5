"""A spreadsheet or CSV file a user uploads as rows of cells: python-calamine for .xlsx/.xls/.ods, csv.

The roster's member lists are read here (python-calamine stays behind this package; the đảng
bộ workbook is opened by ``cells``). CSV text is read as UTF-8 (with or without BOM), else
Windows-1258, the old Vietnamese code page; every text cell is put in NFC (Windows-1258 writes
tone marks as combining characters).
"""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass

from python_calamine import CalamineError, CalamineWorkbook

from service.errors import BadRequestError

SPREADSHEETS = (".xlsx", ".xlsm", ".xls", ".ods")
ACCEPTED = (*SPREADSHEETS, ".csv")


@dataclass(frozen=True)
class Table:
    """One sheet: its name and its rows (cells as the file typed them: text, numbers, dates)."""

    sheet: str
    rows: list[list[object]]


def _clean(value: object) -> object:
    return unicodedata.normalize("NFC", value).strip() if isinstance(value, str) else value


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1258"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise BadRequestError("Tệp CSV không đọc được: hãy lưu dưới dạng CSV UTF-8.")


def _csv(data: bytes, max_rows: int) -> list[Table]:
    text = _decode(data)
    if "\x00" in text:
        raise BadRequestError("Tệp CSV không đọc được (có ký tự rỗng): có thể đây không phải tệp CSV.")
    sample = text[:8192]
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    rows: list[list[object]] = []
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            rows.append([_clean(cell) for cell in row])
            if len(rows) > max_rows:
                break
    except csv.Error as exc:
        raise BadRequestError(f"Tệp CSV không đọc được: {exc}.") from exc
    return [Table("CSV", rows)]


def _spreadsheet(data: bytes, max_rows: int) -> list[Table]:
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        tables = []
        for name in book.sheet_names[:20]:
            sheet = book.get_sheet_by_name(name)
            rows = sheet.to_python(skip_empty_area=False, nrows=max_rows + 1)
            tables.append(Table(name, [[_clean(c) for c in row] for row in rows]))
    except (CalamineError, ValueError, OSError, IndexError, TypeError) as exc:
        raise BadRequestError("Không đọc được tệp bảng tính (.xlsx, .xls): tệp hỏng hoặc không "
                              "phải bảng tính.") from exc
    return tables


def read_tables(data: bytes, filename: str, max_rows: int) -> list[Table]:
    """The sheets of an uploaded file (at most *max_rows* + 1 rows each, so a longer one is seen)."""
    name = filename.lower()
    if name.endswith(".csv"):
        return _csv(data, max_rows)
    if name.endswith(SPREADSHEETS):
        return _spreadsheet(data, max_rows)
    raise BadRequestError("Chỉ nhận tệp .xlsx, .xls hoặc .csv của danh sách đảng viên.")
