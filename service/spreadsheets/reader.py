"""Reading the đảng bộ workbook back into a ``DangBoReview``, or every reason it is refused.

``service.workbook_cells`` opens the file safely and types the cells; this module assembles
the payload (chi bộ, members, votes), remembering the cell of each value, so every problem —
a bad cell or a figure that does not add up — comes back naming the sheet, the row and the
column, all at once. Example rows (chi bộ code ``VÍ DỤ``) are skipped while they are the
example, and refused once edited; they never count as a chi bộ.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Any

from openpyxl.utils import get_column_letter

from service.errors import FieldProblem, InvalidMeetingError
from service.meetings.dates import Calendar
from service.meetings.schemas import AnyMeeting, DangBoReview
from service.meetings.validation import parse_meeting
from service.spreadsheets.cells import CellReader, Limits, header_of, open_workbook, read_rows, rows_of
from service.spreadsheets.headers import DANG_BO_COLUMNS, dang_bo_row, layout
from service.spreadsheets.workbook import (
    ATTENDANCE,
    BASIS_COLUMNS,
    BASIS_SHEET,
    CHI_BO_COLUMNS,
    CHI_BO_SHEET,
    CHI_BO_SUBJECT,
    DANG_BO_ROWS,
    DANG_BO_SHEET,
    EXAMPLE_CODE,
    EXAMPLES,
    KIND_LABELS,
    LEVEL_LABELS,
    MEMBER_COLUMNS,
    MEMBER_SHEET,
    MEMBERSHIP,
    ROUNDING,
    SHEETS,
    VOTE_COLUMNS,
    VOTE_SHEET,
    YES,
    Column,
    is_example_code,
)

EXAMPLE_EDITED = (f"Dòng ví dụ (Mã chi bộ \"{EXAMPLE_CODE}\") đã bị sửa nên không biết là của chi bộ nào: "
                  "đổi Mã chi bộ thành mã của chi bộ (ví dụ CB01) để dòng được tính, hoặc xoá dòng này.")
NO_CHI_BO = (f"Chưa có chi bộ nào: các dòng Mã chi bộ \"{EXAMPLE_CODE}\" chỉ là ví dụ, không được tính. "
             "Hãy ghi mỗi chi bộ một dòng, với mã do đơn vị đặt (ví dụ CB01).")
STILL_BLANK = (f"Tệp vẫn là mẫu trống: chưa ghi thông tin đảng bộ (sheet \"{DANG_BO_SHEET}\", cột \"Giá "
               f"trị\") và chưa có chi bộ nào (các dòng Mã chi bộ \"{EXAMPLE_CODE}\" chỉ là ví dụ).")


def _plain(value: Any) -> Any:
    return None if value == "" else value


Layouts = dict[str, dict[str, int]]


def _examples(name: str, columns: tuple[Column, ...], reader: CellReader, limits: Limits,
              book: Any, layouts: Layouts) -> list[tuple[int, dict[str, Any]]]:
    """The rows of a sheet that are data: an example row is left out, or refused once edited."""
    kept = []
    for number, row in read_rows(book, name, columns, reader, layouts[name], limits):
        code = row[columns[0].field]
        if not is_example_code(code):
            kept.append((number, row))
            continue
        values = tuple(_plain(row[c.field]) for c in columns[1:])
        if not any(values == tuple(_plain(v) for v in example[1:]) for example in EXAMPLES[name]):
            reader.fail((name, number, columns[0].header), EXAMPLE_EDITED)
    return kept


def layouts(book: Any) -> tuple[Layouts, list[FieldProblem]]:
    """Where each sheet's columns are (read by header), and every sheet or header problem."""
    found: Layouts = {}
    problems: list[FieldProblem] = []
    for name, columns in ((DANG_BO_SHEET, DANG_BO_COLUMNS), *SHEETS.items()):
        if name not in book.sheetnames:
            if name != BASIS_SHEET:  # optional: workbooks made before it are still read
                problems.append(FieldProblem(f"Sheet \"{name}\"", "Thiếu sheet này.", name, None, None))
            continue
        found[name], wrong = layout(name, columns, header_of(book, name))
        problems += wrong
    return found, problems


def _dang_bo(book: Any, reader: CellReader, limits: Limits, where: dict[str, int]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    label_at, value_at = where["label"], where["value"]
    value_header = DANG_BO_COLUMNS[1].header
    reader.letters[(DANG_BO_SHEET, value_header)] = get_column_letter(value_at + 1)
    seen = set()
    for number, values in rows_of(book, DANG_BO_SHEET, limits, max_col=max(where.values()) + 1):
        cells = list(values) + [None] * (max(label_at, value_at) + 1)
        label, value = cells[label_at], cells[value_at]
        column = dang_bo_row(label) if label is not None else None
        cell = (DANG_BO_SHEET, number, value_header)
        if column is None:
            if value is not None and str(value).strip():
                reader.fail(cell, f"Mục \"{' '.join(str(label or '').split())}\" không có trong mẫu: sửa lại "
                            f"tên mục ở cột {get_column_letter(label_at + 1)} cho đúng, hoặc xoá dòng này.")
            continue
        if column.field in seen:
            reader.fail(cell, f"Mục \"{column.header}\" đã có ở dòng trên: xoá một trong hai dòng.")
            continue
        seen.add(column.field)
        reader.cells[f"dang_bo.{column.field}"] = cell
        converted = reader.convert(column, value, cell)
        if converted is not None:
            found[column.field] = converted
    for column in DANG_BO_ROWS:
        if column.required and column.field not in seen:
            reader.problems.append(FieldProblem(f"Sheet \"{DANG_BO_SHEET}\", dòng 1", f"Thiếu dòng "
                                   f"\"{column.header}\".", DANG_BO_SHEET, None, column.header))
    rules = {"rounding": ROUNDING.get(found.pop("rules.rounding", "")),
             "decimals": found.pop("rules.decimals", None)}
    given = {key: value for key, value in rules.items() if value is not None}
    if given:  # an untouched blank stays empty, so it is told apart in one message
        found["rules"] = given
    return found


def _chi_bo(number: int, row: dict[str, Any], dang_bo: dict[str, Any], index: int,
            reader: CellReader) -> dict[str, Any]:
    where = f"chi_bo[{index}]"
    for c in CHI_BO_COLUMNS:
        reader.cells[f"{where}.{_CHI_BO_PATHS.get(c.field, c.field)}"] = (CHI_BO_SHEET, number, c.header)
    reader.cells[where] = (CHI_BO_SHEET, number, None)
    day = row["date"] or date(dang_bo.get("review_year", 2000), 1, 1)
    chi_bo: dict[str, Any] = {
        "kind": "annual_review",
        "organisation": {"parent": dang_bo.get("name", "?"), "name": row["name"] or "?",
                         "place": dang_bo.get("place", "?"), "has_committee": row["has_committee"] == YES,
                         "kind": KIND_LABELS.get(str(row.get("unit_kind") or ""), row.get("unit_kind")
                                                 or "chi_bo_truc_thuoc")},
        "document_number": row["document_number"], "review_year": dang_bo.get("review_year"),
        "start": datetime.combine(day, row["start"] or time(0)),
        "end": datetime.combine(day, row["end"] or time(0)),
        "location": row["location"],
        "chair": {"name": row["chair"], "position": row["chair_position"]},
        "secretary": {"name": row["secretary"], "position": row["secretary_position"]},
        "members": [], "ratings": [],
        "chi_bo_rating": {"self_rating": LEVEL_LABELS.get(row["self_rating"] or ""), "votes": {}},
        "conclusion": _lines(row["conclusion"]),
        "agenda": _lines(row["agenda"]),
        "discussion": [_speech(line) for line in _lines(row["discussion"])],
        "rules": dict(dang_bo.get("rules", {})),  # the đảng bộ's rounding, for every chi bộ's shares
    }
    if row["organisation_id"]:
        chi_bo["organisation_id"] = row["organisation_id"]
    if row["self_score"] is not None:
        chi_bo["chi_bo_rating"]["self_score"] = row["self_score"]
    if row["issued"] is not None:
        names = [n.strip() for n in str(row["committee"] or "").split(",") if n.strip()]
        returned = row["returned"] if row["returned"] is not None else row["issued"]
        chi_bo["ballot_count"] = {"committee": [{"name": n} for n in names], "issued": row["issued"],
                                  "returned": returned, "invalid": row["invalid"] or 0}
    return chi_bo


def _lines(text: Any) -> list[str]:
    return [line.strip() for line in str(text or "").splitlines() if line.strip()]


def _speech(line: str) -> dict[str, str]:
    speaker, _, content = line.partition(":")
    if not content.strip():
        return {"speaker": "?", "content": line}
    return {"speaker": speaker.removeprefix("Đồng chí").removeprefix("đồng chí").strip(),
            "content": content.strip()}


_CHI_BO_PATHS = {"name": "organisation.name", "has_committee": "organisation.has_committee",
                 "unit_kind": "organisation.kind",
                 "date": "start", "chair": "chair.name", "chair_position": "chair.position",
                 "secretary": "secretary.name", "secretary_position": "secretary.position",
                 "self_rating": "chi_bo_rating.self_rating", "self_score": "chi_bo_rating.self_score",
                 "issued": "ballot_count.issued", "returned": "ballot_count.returned",
                 "invalid": "ballot_count.invalid", "committee": "ballot_count.committee"}
_SELF_RATING = next(c for c in MEMBER_COLUMNS if c.field == "self_rating")
_RATING_PATHS = {"self_rating": "self_rating", "general": "scores.general", "tasks": "scores.tasks",
                 "self_score": "self_score", "name": "member"}


def read_workbook(data: bytes, limits: Limits | None = None) -> tuple[dict[str, Any], CellReader]:
    """The payload a workbook describes, and the reader holding cell problems and provenance.

    The sheets' headers are read first: a missing sheet, a header that is no column of the
    template, or a required column missing is an ``InvalidMeetingError`` before any row is read.
    """
    limits = limits or Limits()
    book = open_workbook(data, limits)
    try:
        where, problems = layouts(book)
        if problems:
            raise InvalidMeetingError(sorted(problems, key=lambda p: _ORDER.get(p.sheet or "", 9)))
        return _payload(book, limits, where)
    finally:
        book.close()


def _payload(book: Any, limits: Limits, where: Layouts) -> tuple[dict[str, Any], CellReader]:
    reader = CellReader()
    dang_bo = _dang_bo(book, reader, limits, where[DANG_BO_SHEET])
    payload: dict[str, Any] = {"kind": "dang_bo", "dang_bo": dang_bo, "chi_bo": [], "decisions": []}
    by_code: dict[str, dict[str, Any]] = {}
    for number, row in _examples(CHI_BO_SHEET, CHI_BO_COLUMNS, reader, limits, book, where):
        code = row["code"]
        if code in by_code:
            reader.fail((CHI_BO_SHEET, number, "Mã chi bộ"), f"Mã chi bộ \"{code}\" bị trùng.")
            continue
        index = len(payload["chi_bo"])
        chi_bo = _chi_bo(number, row, dang_bo, index, reader)
        by_code[str(code)] = {"data": chi_bo, "index": index, "ratings": {}, "excused": {}}
        payload["chi_bo"].append(chi_bo)
        if row["decision"]:
            payload["decisions"].append({"chi_bo": row["name"], "level": LEVEL_LABELS[row["decision"]]})
    for number, row in _examples(MEMBER_SHEET, MEMBER_COLUMNS, reader, limits, book, where):
        _member(number, row, by_code, reader)
    for number, row in _examples(VOTE_SHEET, VOTE_COLUMNS, reader, limits, book, where):
        _votes(number, row, by_code, reader)
    if BASIS_SHEET in where:  # optional: workbooks made before it are still read
        for number, row in _examples(BASIS_SHEET, BASIS_COLUMNS, reader, limits, book, where):
            _basis(number, row, by_code, reader)
    return payload, reader


def _basis(number: int, row: dict[str, Any], by_code: dict[str, Any], reader: CellReader) -> None:
    """A local document cited by one chi bộ, or by every chi bộ when the code is blank."""
    code = row["chi_bo"]
    if code is not None and str(code) not in by_code:
        reader.fail((BASIS_SHEET, number, BASIS_COLUMNS[0].header),
                    f"Không có chi bộ mã \"{code}\" trong sheet \"Chi bộ\".")
        return
    entries = [by_code[str(code)]] if code is not None else list(by_code.values())
    basis = {k: row[k] for k in ("kind", "number", "date", "issuer", "subject") if row[k] is not None}
    for entry in entries:
        cited = entry["data"].setdefault("local_basis", [])
        where = f"chi_bo[{entry['index']}].local_basis[{len(cited)}]"
        cited.append(dict(basis))
        reader.cells[where] = (BASIS_SHEET, number, None)
        for column in BASIS_COLUMNS[1:]:
            reader.cells[f"{where}.{column.field}"] = (BASIS_SHEET, number, column.header)


def _member(number: int, row: dict[str, Any], by_code: dict[str, Any], reader: CellReader) -> None:
    entry = by_code.get(str(row["chi_bo"]))
    if entry is None:
        if row["chi_bo"] is not None:
            reader.fail((MEMBER_SHEET, number, "Mã chi bộ"), f"Không có chi bộ mã \"{row['chi_bo']}\" "
                                                             "trong sheet \"Chi bộ\".")
        return
    chi_bo, index = entry["data"], entry["index"]
    position = len(chi_bo["members"])
    member = {k: row[k] for k in ("id", "name", "position", "absence_reason", "not_rated_reason")
              if row[k]}
    member.update(membership=MEMBERSHIP.get(row["membership"] or "Chính thức"),
                  attendance=ATTENDANCE.get(row["attendance"] or "Có mặt"),
                  leadership_post=row["leadership_post"] == YES,
                  outside_political_system=row["outside_political_system"] == YES)
    if row["birth_date"]:
        member["birth_date"] = row["birth_date"]
    chi_bo["members"].append(member)
    key = " ".join(str(row["id"] or row["name"]).split())
    base = f"chi_bo[{index}]"
    for column in MEMBER_COLUMNS:
        reader.cells[f"{base}.members[{position}].{column.field}"] = (MEMBER_SHEET, number, column.header)
    reader.cells[f"{base}.members[{position}]"] = (MEMBER_SHEET, number, None)
    if row["not_rated_reason"]:  # not rated this year: no rating, and no votes may name them
        if row["self_rating"]:
            reader.fail((MEMBER_SHEET, number, _SELF_RATING.header), "Đã ghi lý do không đánh giá, "
                        "xếp loại nhưng lại có mức tự xếp loại: bỏ một trong hai.")
        entry["excused"][key] = number
        if row["name"] and row["id"]:
            entry["excused"].setdefault(" ".join(str(row["name"]).split()), number)
        return
    if not row["self_rating"]:
        reader.fail((MEMBER_SHEET, number, _SELF_RATING.header),
                    "Không được để trống (hoặc ghi lý do ở cột \"Lý do không đánh giá, xếp loại\").")
    rating: dict[str, Any] = {"member": key, "self_rating": LEVEL_LABELS.get(row["self_rating"] or ""),
                              "votes": {}}
    if row["general"] is not None and row["tasks"] is not None:
        rating["scores"] = {"general": row["general"], "tasks": row["tasks"]}
    if row["self_score"] is not None:
        rating["self_score"] = row["self_score"]
    entry["ratings"][key] = (len(chi_bo["ratings"]), number)
    if row["name"] and row["id"]:
        entry["ratings"].setdefault(" ".join(str(row["name"]).split()), (len(chi_bo["ratings"]), number))
    chi_bo["ratings"].append(rating)
    reader.cells[f"{base}.ratings[{len(chi_bo['ratings']) - 1}]"] = (MEMBER_SHEET, number, None)
    for column in MEMBER_COLUMNS:
        if column.field in _RATING_PATHS:
            path = f"{base}.ratings[{len(chi_bo['ratings']) - 1}].{_RATING_PATHS[column.field]}"
            reader.cells[path] = (MEMBER_SHEET, number, column.header)


def _votes(number: int, row: dict[str, Any], by_code: dict[str, Any], reader: CellReader) -> None:
    entry = by_code.get(str(row["chi_bo"]))
    subject = " ".join(str(row["subject"] or "").split())
    if entry is None:
        if row["chi_bo"] is not None:
            reader.fail((VOTE_SHEET, number, "Mã chi bộ"), f"Không có chi bộ mã \"{row['chi_bo']}\".")
        return
    votes = {level: int(row[level] or 0) for level in LEVEL_LABELS.values()}
    base = f"chi_bo[{entry['index']}]"
    if subject == CHI_BO_SUBJECT:
        entry["data"]["chi_bo_rating"]["votes"] = votes
        reader.cells[f"{base}.chi_bo_rating.votes"] = (VOTE_SHEET, number, None)
        return
    found = entry["ratings"].get(subject)
    if found is None and subject in entry["excused"]:
        reader.fail((VOTE_SHEET, number, VOTE_COLUMNS[1].header),
                    f"Đảng viên \"{subject}\" có lý do không đánh giá, xếp loại (sheet \"Đảng viên\", "
                    f"dòng {entry['excused'][subject]}): bỏ dòng phiếu này, hoặc xóa lý do.")
        return
    if found is None:
        reader.fail((VOTE_SHEET, number, VOTE_COLUMNS[1].header),
                    f"Không có đảng viên \"{subject}\" của chi bộ {row['chi_bo']} trong sheet \"Đảng viên\".")
        return
    position, _ = found
    entry["data"]["ratings"][position]["votes"] = votes
    reader.cells[f"{base}.ratings[{position}].votes"] = (VOTE_SHEET, number, None)


def _locate(problem: FieldProblem, reader: CellReader) -> FieldProblem:
    path, cells = problem.field, reader.cells
    while path:
        if path in cells:
            cell = cells[path]
            return FieldProblem(reader.name(cell), problem.detail, *cell)
        path = re.sub(r"(\.[^.\[]+|\[\d+\])$", "", path) if re.search(r"(\.[^.\[]+|\[\d+\])$", path) else ""
    return problem


def _checked(payload: Any, prefix: str, reader: CellReader,
             calendar: Calendar | None) -> tuple[AnyMeeting | None, list[FieldProblem]]:
    """*payload* validated (None when it is not), and its problems by cell."""
    try:
        return parse_meeting(payload, calendar), []
    except InvalidMeetingError as exc:
        return None, [_locate(FieldProblem(prefix + p.field, p.detail), reader) for p in exc.problems]


def _problems_of(payload: Any, prefix: str, reader: CellReader,
                 calendar: Calendar | None) -> list[FieldProblem]:
    return _checked(payload, prefix, reader, calendar)[1]


_ORDER = {name: index for index, name in enumerate((DANG_BO_SHEET, CHI_BO_SHEET, MEMBER_SHEET,
                                                    VOTE_SHEET))}


def parse_workbook(data: bytes, limits: Limits | None = None,
                   calendar: Calendar | None = None) -> DangBoReview:
    """The review a workbook describes; ``InvalidMeetingError`` lists every problem by cell.

    Cell problems, schema problems and figures that do not add up come back together: when
    one chi bộ has a bad cell, the others are still checked through. A file that cannot be
    read, or is larger than *limits*, is a ``BadRequestError``.
    """
    payload, reader = read_workbook(data, limits)
    if not payload["chi_bo"] and not payload["dang_bo"]:
        # the untouched blank: one plain message rather than a "cannot be empty" per cell
        raise InvalidMeetingError([FieldProblem(f"Sheet \"{CHI_BO_SHEET}\"", STILL_BLANK, CHI_BO_SHEET,
                                                None, None)])
    found = list(reader.problems)
    review, whole = _checked(payload, "", reader, calendar)  # validated once, kept when valid
    if not payload["chi_bo"]:  # said once, plainly, instead of "at least 1 item"
        found.append(FieldProblem(f"Sheet \"{CHI_BO_SHEET}\"", NO_CHI_BO, CHI_BO_SHEET, None, None))
        whole = [p for p in whole if not (p.field == "chi_bo" and p.sheet is None)]
    if not found and not whole:
        assert isinstance(review, DangBoReview)
        return review
    found += whole
    for index, chi_bo in enumerate(payload["chi_bo"]):
        found += _problems_of(chi_bo, f"chi_bo[{index}].", reader, calendar)
    bad_cells = {(p.sheet, p.row, p.column) for p in reader.problems}
    unique: dict[tuple[Any, ...], FieldProblem] = {}
    for problem in found:
        key = (problem.sheet, problem.row, problem.column, problem.detail)
        # a cell already reported as unreadable is not reported again as missing
        if problem not in reader.problems and (problem.sheet, problem.row, problem.column) in bad_cells:
            continue
        unique.setdefault(key, problem)
    ordered = sorted(unique.values(), key=lambda p: (_ORDER.get(p.sheet or "", 9), p.row or 0))
    raise InvalidMeetingError(ordered)
