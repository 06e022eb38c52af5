"""A member list read from a file into a preview: every mapped row with its problems, nothing saved.

The header row is the row, among the first 30 of a sheet, with the most known headers (the
name among them): merged title rows above it (``ĐẢNG BỘ …``, ``SỔ DANH SÁCH ĐẢNG VIÊN``) and a
row of column numbers below it are passed over. Cells are read by their column's role
(``headers.ROLES``); a name in capitals is written in title case; ``ĐVDB`` in a Party post
makes the member dự bị. Each row is then checked as a ``RosterEntry`` would be, its problems
naming the sheet, row and column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic import ValidationError

from service.errors import FieldProblem, InvalidRosterError
from service.meetings.vnformat import fold_words
from service.roster.dates import read_date, split_dates
from service.roster.headers import column_letter, role_of
from service.roster.schemas import RosterEntry, detail_of
from service.roster.values import CHINH_THUC, DU_BI, NO, YES, name_of, party_post, text_of
from service.spreadsheets.tables import Table, read_tables

_HEADER_ROWS = 30
_FOOTER = ("t m ", "tm ", "t/m ", "tong cong", "nguoi lap", "xac nhan", "bi thu", "pho bi thu",
           "danh sach nay", "noi nhan")
_DATE_LINE = re.compile(r"ngay\s*\S*\s*thang\s*\S*\s*nam")  # "Kỳ Anh, ngày 05 tháng 12 năm 2026"
# role of a column → the entry fields it fills
FILLS = {"name": ("name",), "birth_date": ("birth_date", "birth_year"), "sex": ("sex",),
         "sex_etc": ("sex",), "admitted_on": ("admitted_on",), "official_on": ("official_on",),
         "admitted_official": ("admitted_on", "official_on"), "card_number": ("card_number",),
         "card_etc": ("card_number",), "cccd": ("cccd",), "party_post": ("party_post", "membership"),
         "job_post": ("job_post",), "membership": ("membership",), "exempt": ("exempt",),
         "form": ("leadership_post", "outside_political_system"),
         "moved_on": ("left_on", "left_reason"), "died_on": ("left_on", "left_reason"),
         "struck_off": ("left_on", "left_reason")}


@dataclass
class Column:
    """A column of the file: its letter, header as written, and role (None: unknown, "": not kept)."""

    letter: str
    header: str
    role: str | None

    def as_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {"column": self.letter, "header": self.header, "role": self.role or None}


@dataclass
class Row:
    """One member read from the file, with what could not be read (and notes on what was changed)."""

    row: int
    sheet: str
    member: dict[str, Any]
    problems: list[FieldProblem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    raw: dict[str, str] = field(default_factory=dict)  # cells that could not be read, as written


@dataclass
class Preview:
    """What an import would save, before it is saved."""

    filename: str
    sheet: str
    header_row: int
    columns: list[Column]
    rows: list[Row]

    @property
    def fields(self) -> set[str]:
        """The entry fields the file has columns for (the others are kept from the roster)."""
        return {f for c in self.columns if c.role for f in FILLS[c.role]}

    @property
    def problems(self) -> list[FieldProblem]:
        """Every problem of every row."""
        return [p for r in self.rows for p in r.problems]


def _find_header(table: Table) -> tuple[int, list[Column]] | None:
    best: tuple[int, int, list[Column]] | None = None
    for index, cells in enumerate(table.rows[:_HEADER_ROWS]):
        columns = [Column(column_letter(i), text_of(c), role_of(text_of(c)) if text_of(c) else None)
                   for i, c in enumerate(cells)]
        known = [c for c in columns if c.role is not None]
        if any(c.role == "name" for c in columns) and len(known) >= 2 and \
                (best is None or len(known) > best[0]):
            best = (len(known), index, columns)
    if best is None:
        return None
    _, index, columns = best
    seen: set[str] = set()
    for column in columns:  # a second column of one role is not guessed at: not kept
        if column.role and column.role in seen:
            column.role = ""
        elif column.role:
            seen.add(column.role)
    return index, [c for c in columns if c.header]


def _numbering(cells: list[object]) -> bool:
    """A row of column numbers under the header: (1) (2) (3) … or 1 2 3 …"""
    texts = [text_of(c) for c in cells if text_of(c)]
    return len(texts) >= 2 and all(re.fullmatch(r"\(?\d{1,2}\)?", t) for t in texts)


def _date_into(member: dict[str, Any], key: str, value: object, today: date, row: Row,
               column: Column, field_path: str) -> None:
    reading = read_date(value, today)
    if reading.day is not None:
        member[key] = reading.day.isoformat()
    elif reading.year is not None and key == "birth_date":
        member["birth_year"] = reading.year
        row.notes.append(f"Chỉ có năm sinh {reading.year} (ghi như vậy).")
    elif reading.year is not None:
        row.problems.append(_problem(field_path + key, f"Chỉ có năm {reading.year}: cần ngày/tháng/năm.",
                                     row, column))
        row.raw[key] = text_of(value)
    elif reading.problem:
        row.problems.append(_problem(field_path + key, reading.problem, row, column))
        row.raw[key] = text_of(value)


def _problem(path: str, detail: str, row: Row, column: Column | None) -> FieldProblem:
    return FieldProblem(path, detail, row.sheet, row.row, column.letter if column else None)


def _cell(member: dict[str, Any], column: Column, value: object, today: date, row: Row,
          path: str) -> None:
    text = text_of(value)
    role = column.role or ""
    if not text and not isinstance(value, date):
        return
    key = fold_words(text)
    if role == "name":
        member["name"] = name_of(text)
    elif role in ("birth_date", "admitted_on", "official_on"):
        _date_into(member, role, value, today, row, column, path)
    elif role == "admitted_official":
        parts = split_dates(value)
        for target, part in zip(("admitted_on", "official_on"), parts, strict=False):
            _date_into(member, target, part, today, row, column, path)
    elif role in ("sex", "sex_etc"):
        first = fold_words(re.split(r"[,;/]", text)[0])
        if first in ("nam", "nu"):
            member["sex"] = first
        else:
            row.problems.append(_problem(path + "sex", f"Giới tính ghi Nam hoặc Nữ, không phải '{text}'.",
                                         row, column))
    elif role in ("card_number", "card_etc"):
        member["card_number"] = re.split(r"[,;\s]+", text)[0]
    elif role == "cccd":
        digits = text.replace(" ", "").replace(".", "")
        if isinstance(value, int | float) and digits.isdigit() and 9 < len(digits) < 12:
            digits = digits.zfill(12)
            row.notes.append("Số CCCD được lưu dạng số trong tệp: đã thêm số 0 ở đầu.")
        member["cccd"] = digits
    elif role == "party_post":
        party_post(text, member)
    elif role == "job_post":
        member["job_post"] = text
    elif role == "membership":
        if key in DU_BI:
            member["membership"] = "du_bi"
        elif key in CHINH_THUC:
            member["membership"] = "chinh_thuc"
        else:
            row.problems.append(_problem(path + "membership", f"Ghi 'Chính thức' hoặc 'Dự bị', không "
                                         f"phải '{text}'.", row, column))
    elif role == "exempt":
        if key in YES or key.startswith("mien"):
            member["exempt"] = True
        elif key not in NO:
            row.problems.append(_problem(path + "exempt", f"Ghi 'x' nếu được miễn, không phải '{text}'.",
                                         row, column))
    elif role == "form":
        variant = key.replace(" ", "").upper().lstrip("0")
        if variant in ("2A", "A", "2B", "B", "2C", "C"):
            member["leadership_post"] = variant.endswith("A")
            member["outside_political_system"] = variant.endswith("C")
        else:
            row.problems.append(_problem(path + "leadership_post", f"Mẫu kiểm điểm là 02A, 02B hoặc "
                                         f"02C, không phải '{text}'.", row, column))
    elif role in ("moved_on", "died_on", "struck_off"):
        reason = {"moved_on": "moved", "died_on": "died", "struck_off": "struck_off"}[role]
        when = re.split(r"[,;(]", text)[0] if isinstance(value, str) else value
        before = dict(member)
        _date_into(member, "left_on", when, today, row, column, path)
        if member.get("left_on") != before.get("left_on"):
            member["left_reason"] = reason


def _rows(table: Table, start: int, columns: list[Column], today: date) -> list[Row]:
    positions = [(_index(c.letter), c) for c in columns if c.role]
    found: list[Row] = []
    for number, cells in enumerate(table.rows[start:], start=start + 1):
        texts = [text_of(c) for c in cells]
        if not any(texts) or _numbering(cells):
            continue
        if _footer(texts, positions):
            break
        row = Row(number, table.sheet, {})
        path = f"members[{len(found)}]."
        for index, column in positions:
            if index < len(cells):
                _cell(row.member, column, cells[index], today, row, path)
        _probation(row, today)
        if "name" not in row.member:
            if all(not texts[i] for i, c in positions if i < len(texts) and c.role not in ("",)):
                continue  # a row of unkept columns only (STT, a note)
            name_column = next((c for _, c in positions if c.role == "name"), None)
            row.problems.append(_problem(path + "name", "Thiếu họ và tên.", row, name_column))
        found.append(row)
    return found


def _footer(texts: list[str], positions: list[tuple[int, Column]]) -> bool:
    """Whether a row begins the foot of the list: the signature block (T/M CHI BỘ, BÍ THƯ, Người
    lập…), a date line, a total; reading stops there.

    Its first text is one of those words, written outside the name column (the block usually
    stands on the right, under the posts or the notes), or alone on its row.
    """
    first_index = next(i for i, t in enumerate(texts) if t)
    first = fold_words(texts[first_index])
    if not (first.startswith(_FOOTER) or _DATE_LINE.search(first)):
        return False
    names = {i for i, c in positions if c.role == "name"}
    return first_index not in names or not any(texts[i] for i, c in positions if c.role != "name")


def _probation(row: Row, today: date) -> None:
    """Admitted less than 12 months ago, no official date, no membership written: dự bị (Điều lệ)."""
    member = row.member
    admitted = member.get("admitted_on")
    if admitted and "official_on" not in member and "membership" not in member and \
            date.fromisoformat(admitted) > today.replace(year=today.year - 1, day=min(today.day, 28)):
        member["membership"] = "du_bi"
        row.notes.append("Vào Đảng chưa đủ 12 tháng, chưa có ngày chính thức: ghi là dự bị.")


def _index(letter: str) -> int:
    value = 0
    for char in letter:
        value = value * 26 + ord(char) - 64
    return value - 1


def _check(rows: list[Row], columns: list[Column]) -> None:
    """Each row as a RosterEntry: what pydantic refuses lands on its row and column."""
    column_of = {f: c for c in columns if c.role for f in FILLS[c.role]}
    for index, row in enumerate(rows):
        if any(p.field.endswith(".name") for p in row.problems):
            continue
        try:
            RosterEntry.model_validate(row.member)
        except ValidationError as exc:
            for error in exc.errors(include_url=False):
                name = str(error["loc"][0]) if error["loc"] else "name"
                already = {p.field for p in row.problems}
                path = f"members[{index}].{name}" if error["loc"] else f"members[{index}]"
                if path not in already:
                    row.problems.append(_problem(path, detail_of(error), row, column_of.get(name)))


def preview(data: bytes, filename: str, today: date, max_members: int) -> Preview:
    """The members a file holds, each with its problems (``InvalidRosterError`` if no list is found)."""
    tables = read_tables(data, filename, max_members + _HEADER_ROWS)
    for table in tables:
        header = _find_header(table)
        if header is None:
            continue
        start, columns = header
        rows = _rows(table, start + 1, columns, today)
        if len(rows) > max_members:
            raise InvalidRosterError([FieldProblem("file", f"Danh sách có hơn {max_members} đảng viên: "
                                                   "quá giới hạn của một chi bộ.", table.sheet)])
        _check(rows, columns)
        return Preview(filename, table.sheet, start + 1, columns, rows)
    raise InvalidRosterError([FieldProblem(
        "file", "Không tìm thấy dòng tiêu đề của danh sách: cần ít nhất cột 'Họ và tên' và một cột "
        "khác có tên quen thuộc (Ngày sinh, Ngày vào Đảng, Số thẻ đảng viên…).")])
