"""The cells of the đảng bộ workbook: opening the file safely, reading rows, typing values.

The ZIP container is checked (size unpacked, entry count, sheet count) before openpyxl reads
it, read-only and with cached values only, so a formula is never evaluated; each sheet's
declared size is checked before its rows are read, and the rows are counted as they are read
(a declared size can lie). openpyxl parses through defusedxml, so a DTD or an entity is refused.
Every value is converted by its column's kind (date, time, number, one of a list) and a cell
that cannot be read becomes a problem that names its sheet, row, column and address.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel

from service.config import DEFAULTS
from service.errors import BadRequestError, FieldProblem, ServiceError
from service.spreadsheets.workbook import SHEETS, Column

Cell = tuple[str, int, str | None]
UNREADABLE = "Không đọc được tệp Excel; hãy dùng mẫu tải về từ hệ thống."


@dataclass(frozen=True)
class Limits:
    """How big a workbook may be; ``rows`` and ``sheets`` are settings (``WORKBOOK_MAX_*``)."""

    rows: int = DEFAULTS["WORKBOOK_MAX_ROWS"]
    sheets: int = DEFAULTS["WORKBOOK_MAX_SHEETS"]
    unpacked: int = 50 * 1024 * 1024
    entries: int = 500

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Limits:
        """The limits an app is configured with."""
        return cls(rows=int(config["WORKBOOK_MAX_ROWS"]), sheets=int(config["WORKBOOK_MAX_SHEETS"]))


def open_workbook(data: bytes, limits: Limits = Limits()) -> Any:
    """The workbook in *data*, after the container and each sheet's declared size are checked."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, EOFError) as exc:
        raise BadRequestError("Tệp tải lên không phải tệp Excel (.xlsx) hợp lệ.") from exc
    entries = archive.infolist()
    if len(entries) > limits.entries or sum(e.file_size for e in entries) > limits.unpacked:
        raise BadRequestError("Tệp Excel quá lớn khi giải nén; hãy chia nhỏ hoặc kiểm tra lại tệp.")
    sheets = [e for e in entries if re.fullmatch(r"xl/(worksheets|chartsheets)/[^/]+\.xml", e.filename)]
    if len(sheets) > limits.sheets:
        raise _too_many_sheets(len(sheets), limits)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise BadRequestError(UNREADABLE) from exc
    if len(book.sheetnames) > limits.sheets:
        raise _too_many_sheets(len(book.sheetnames), limits)
    for sheet in book.worksheets:
        declared = getattr(sheet, "max_row", None)
        if isinstance(declared, int) and declared > limits.rows + 1:
            raise _too_many_rows(sheet.title, declared - 1, limits)
    return book


def _too_many_sheets(count: int, limits: Limits) -> BadRequestError:
    return BadRequestError(f"Tệp Excel có {count} sheet, nhiều hơn mức cho phép ({limits.sheets}); "
                           "hãy dùng mẫu tải về từ hệ thống.")


def _too_many_rows(sheet: str, count: int, limits: Limits) -> BadRequestError:
    return BadRequestError(f"Sheet \"{sheet}\" có {count} dòng, nhiều hơn mức cho phép ({limits.rows}); "
                           "hãy xóa các dòng trống thừa ở cuối sheet hoặc chia thành nhiều tệp.")


def rows_of(book: Any, name: str, limits: Limits, **options: Any) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """``(row number, values)`` of a sheet from row 2, at most ``limits.rows`` of them.

    A file that breaks while its rows are read (a bad checksum, a size that lied, an entity
    defusedxml refuses) is a bad request, like one that cannot be opened.
    """
    try:
        for number, values in enumerate(book[name].iter_rows(min_row=2, values_only=True, **options),
                                        start=2):
            if number > limits.rows + 1:
                raise _too_many_rows(name, number - 1, limits)
            yield number, values
    except ServiceError:
        raise
    except Exception as exc:  # openpyxl, zipfile and the XML parser raise many kinds
        raise BadRequestError(UNREADABLE) from exc


class CellReader:
    """Collects cell problems and remembers which cell each payload value came from.

    ``letters`` holds, per sheet and column header, the letter the column was found at (the
    workbook is read by header, so a column's letter is the file's, not the template's).
    """

    def __init__(self) -> None:
        self.problems: list[FieldProblem] = []
        self.cells: dict[str, Cell] = {}
        self.letters: dict[tuple[str, str], str] = {}

    def fail(self, cell: Cell, detail: str) -> None:
        sheet, row, column = cell
        self.problems.append(FieldProblem(self.name(cell), detail, sheet, row, column))

    def name(self, cell: Cell) -> str:
        """The cell as a person finds it: ``Sheet "Phiếu", ô C4 (cột "…")``."""
        return cell_name(cell, self.letters)

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


def cell_name(cell: Cell, letters: Mapping[tuple[str, str], str] | None = None) -> str:
    """``Sheet "Phiếu", ô C4 (cột "…")`` or ``Sheet "Phiếu", dòng 4``."""
    sheet, row, column = cell
    if column is None:
        return f"Sheet \"{sheet}\", dòng {row}"
    letter = (letters or {}).get((sheet, column))
    if letter is None:
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


_DATE_TEXT = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{2}|\d{4})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_TIME_TEXT = re.compile(r"(\d{1,2})\s*[:hg.]\s*(\d{2})?(?::\d{2})?(?:\s*(?:phút|p))?")
_SERIALS = (1, 2958465)  # Excel's day numbers: 1900-01-01 to 9999-12-31


def _date(value: Any) -> date:
    """A date as Excel stored it: a date, a day number (serial), or text typed in a cell.

    Text is ``15/05/2026``, ``15.05.26``, ``15-05-2026`` (day first, as written in Vietnam) or
    ``2026-05-15``; a two-digit year is 20yy below 50 and 19yy from 50 (``15.05.76`` is 1976).
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if _SERIALS[0] <= value <= _SERIALS[1] and float(value).is_integer():
            serial: date = from_excel(value).date()
            return serial
        raise ValueError(f"\"{value}\" không phải ngày (dạng 05/12/2025).")
    text = str(value).strip()
    if match := _ISO_DATE.fullmatch(text):
        year, month, day = map(int, match.groups())
    elif match := _DATE_TEXT.fullmatch(text):
        day, month, year = map(int, match.groups())
        if len(match.group(3)) == 2:
            year += 2000 if year < 50 else 1900
    else:
        raise ValueError(f"\"{value}\" không phải ngày (dạng 05/12/2025).")
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise ValueError(f"Ngày \"{value}\" không tồn tại.") from exc


def _time(value: Any) -> time:
    """A time as Excel stored it: a time, a fraction of a day (0.5 is 12:00), or text (``14h30``)."""
    if isinstance(value, datetime):
        return value.time()
    if isinstance(value, time):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value < 1:
        minutes = round(value * 24 * 60)
        return time(minutes // 60 % 24, minutes % 60)
    match = _TIME_TEXT.fullmatch(str(value).strip().lower())
    if not match or int(match.group(1)) > 23 or int(match.group(2) or 0) > 59:
        raise ValueError(f"\"{value}\" không phải giờ (dạng 14:00).")
    return time(int(match.group(1)), int(match.group(2) or 0))


def header_of(book: Any, name: str) -> tuple[Any, ...]:
    """Row 1 of a sheet: its headers, at most ``MAX_COLUMNS`` of them."""
    try:
        for values in book[name].iter_rows(min_row=1, max_row=1, max_col=MAX_COLUMNS, values_only=True):
            return tuple(values)
    except Exception as exc:  # openpyxl, zipfile and the XML parser raise many kinds
        raise BadRequestError(UNREADABLE) from exc
    return ()


MAX_COLUMNS = 100  # columns a sheet's header is read across


def read_rows(book: Any, name: str, columns: tuple[Column, ...], reader: CellReader,
              where: Mapping[str, int], limits: Limits = Limits()) -> list[tuple[int, dict[str, Any]]]:
    """The non-empty rows of a sheet below its header, each value converted.

    *where* says at which index each column's field was found (``headers.layout``); a column
    the sheet does not have reads as empty.
    """
    for column in columns:
        if column.field in where:
            reader.letters[(name, column.header)] = get_column_letter(where[column.field] + 1)
    width = max(where.values(), default=0) + 1
    rows = []
    for number, values in rows_of(book, name, limits, max_col=width):
        if all(v is None or str(v).strip() == "" for v in values):
            continue
        padded = list(values) + [None] * width
        row = {c.field: reader.convert(c, padded[where[c.field]] if c.field in where else None,
                                       (name, number, c.header))
               for c in columns}
        rows.append((number, row))
    return rows
