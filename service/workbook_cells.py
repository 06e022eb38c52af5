"""The cells of the đảng bộ workbook: opening the file safely, reading rows, typing values.

The ZIP container is checked (size unpacked, entry count) before openpyxl reads it, read-only
and with cached values only, so a formula is never evaluated. Every value is converted by its
column's kind (date, time, number, one of a list) and a cell that cannot be read becomes a
problem that names its sheet, row, column and address.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime, time
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from service.errors import BadRequestError, FieldProblem
from service.workbook import SHEETS, Column

MAX_UNPACKED = 50 * 1024 * 1024
MAX_ENTRIES = 500
MAX_ROWS = 20_000
Cell = tuple[str, int, str | None]


def open_workbook(data: bytes) -> Any:
    """The workbook in *data*, after the container has been checked."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise BadRequestError("Tệp tải lên không phải tệp Excel (.xlsx) hợp lệ.") from exc
    entries = archive.infolist()
    if len(entries) > MAX_ENTRIES or sum(e.file_size for e in entries) > MAX_UNPACKED:
        raise BadRequestError("Tệp Excel quá lớn khi giải nén; hãy chia nhỏ hoặc kiểm tra lại tệp.")
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise BadRequestError("Không đọc được tệp Excel; hãy dùng mẫu tải về từ hệ thống.") from exc


class CellReader:
    """Collects cell problems and remembers which cell each payload value came from."""

    def __init__(self) -> None:
        self.problems: list[FieldProblem] = []
        self.cells: dict[str, Cell] = {}

    def fail(self, cell: Cell, detail: str) -> None:
        sheet, row, column = cell
        self.problems.append(FieldProblem(cell_name(cell), detail, sheet, row, column))

    def convert(self, column: Column, value: Any, cell: Cell) -> Any:
        if value is None or (isinstance(value, str) and not value.strip()):
            if column.required:
                self.fail(cell, "Không được để trống.")
            return None
        try:
            return _convert(column, value)
        except ValueError as exc:
            self.fail(cell, str(exc))
            return None


def cell_name(cell: Cell) -> str:
    """``Sheet "Phiếu", ô C4 (cột "…")`` or ``Sheet "Phiếu", dòng 4``."""
    sheet, row, column = cell
    if column is None:
        return f"Sheet \"{sheet}\", dòng {row}"
    headers = [c.header for c in SHEETS.get(sheet, ())]
    letter = get_column_letter(headers.index(column) + 1) if column in headers else "B"
    return f"Sheet \"{sheet}\", ô {letter}{row} (cột \"{column}\")"


def _convert(column: Column, value: Any) -> Any:
    if column.choices:
        text = str(value).strip()
        if text not in column.choices:
            raise ValueError(f"Giá trị \"{text}\" không có trong danh sách: {', '.join(column.choices)}.")
        return text
    if isinstance(column.example, date):
        return _date(value)
    if isinstance(column.example, time):
        return _time(value)
    if isinstance(column.example, int):
        if isinstance(value, int | float) and float(value).is_integer():
            return int(value)
        if isinstance(value, float):
            return value
        text = str(value).strip().replace(",", ".")
        if re.fullmatch(r"\d+(\.\d+)?", text):
            return float(text) if "." in text else int(text)
        raise ValueError(f"\"{value}\" không phải là số.")
    return str(value).strip()


def _date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", str(value).strip())
    if not match:
        raise ValueError(f"\"{value}\" không phải ngày (dạng 05/12/2025).")
    day, month, year = map(int, match.groups())
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise ValueError(f"Ngày \"{value}\" không tồn tại.") from exc


def _time(value: Any) -> time:
    if isinstance(value, datetime):
        return value.time()
    if isinstance(value, time):
        return value
    match = re.fullmatch(r"(\d{1,2})\s*[:hg]\s*(\d{2})?", str(value).strip().lower())
    if not match or int(match.group(1)) > 23 or int(match.group(2) or 0) > 59:
        raise ValueError(f"\"{value}\" không phải giờ (dạng 14:00).")
    return time(int(match.group(1)), int(match.group(2) or 0))


def read_rows(book: Any, name: str, columns: tuple[Column, ...],
              reader: CellReader) -> list[tuple[int, dict[str, Any]]]:
    """The non-empty rows of a sheet below its header, each value converted."""
    if name not in book.sheetnames:
        reader.problems.append(FieldProblem(f"Sheet \"{name}\"", "Thiếu sheet này.", name, None, None))
        return []
    sheet = book[name]
    rows = []
    for number, values in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
        if number > MAX_ROWS:
            raise BadRequestError(f"Sheet \"{name}\" có quá {MAX_ROWS} dòng.")
        if all(v is None or str(v).strip() == "" for v in values):
            continue
        padded = list(values) + [None] * len(columns)
        row = {c.field: reader.convert(c, padded[i], (name, number, c.header))
               for i, c in enumerate(columns)}
        rows.append((number, row))
    return rows


