"""The "Đảng viên" page (``/dang-vien``): see, edit and import a chi bộ's roster.

The table is one form: each row ``r-N-<field>`` (its ``id`` hidden), a "Xoá" box per row, empty
rows to add (JavaScript adds more). "Lưu" replaces the roster (``rosters.save_roster``, audited);
errors land beside their cell. An imported file (``/dang-vien/nhap``) is only read: the table
comes back filled with what the file holds, each row's problems beside it and the columns not
read listed — nothing is saved until "Lưu".
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from werkzeug.exceptions import RequestEntityTooLarge

from service.errors import BadRequestError, FieldProblem, InvalidRosterError
from service.http.actions import jobs as actions
from service.http.actions import roster as rosters
from service.http.pages.forms import days
from service.roster import LEFT_REASONS, SEXES, parse_roster
from service.roster.dates import read_date

bp = Blueprint("roster_web", __name__)
EMPTY_ROWS = 3
_TEXT = ("name", "party_post", "job_post", "card_number", "cccd")
_DATES = ("birth_date", "admitted_on", "official_on", "left_on")
_FIELD_OF = {"birth_year": "birth_date", "leadership_post": "variant", "outside_political_system": "variant",
             "id": "name"}


def _short(value: Any) -> str:
    if not value:
        return ""
    day = date.fromisoformat(str(value))
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def _form_of(members: list[dict[str, Any]]) -> dict[str, str]:
    """The table's fields for *members* (JSON entries)."""
    form: dict[str, str] = {}
    for n, m in enumerate(members):
        row = {"id": m.get("id") or "", **{k: m.get(k) or "" for k in _TEXT},
               "birth_date": _short(m.get("birth_date")) or str(m.get("birth_year") or ""),
               "admitted_on": _short(m.get("admitted_on")), "official_on": _short(m.get("official_on")),
               "left_on": _short(m.get("left_on")), "left_reason": m.get("left_reason") or "",
               "sex": m.get("sex") or "", "membership": m.get("membership") or "chinh_thuc",
               "exempt": "1" if m.get("exempt") else "",
               "variant": "02C" if m.get("outside_political_system") else
                          "02A" if m.get("leadership_post") else "02B"}
        form.update({f"r-{n}-{k}": str(v) for k, v in row.items()})
    return form


def _rows(form: dict[str, str]) -> list[int]:
    numbers = sorted({int(k.split("-")[1]) for k in form if k.startswith("r-") and k.count("-") >= 2
                      and k.split("-")[1].isdigit()})
    return [n for n in numbers if not form.get(f"r-{n}-delete")
            and any(form.get(f"r-{n}-{k}", "").strip() for k in (*_TEXT, *_DATES))]


def _payload(form: dict[str, str]) -> tuple[dict[str, Any], list[FieldProblem]]:
    """The roster body the table describes, and the dates it could not read."""
    members, problems = [], []
    today = date.today()
    for index, n in enumerate(_rows(form)):
        def cell(name: str, row: int = n) -> str:
            return form.get(f"r-{row}-{name}", "").strip()
        member: dict[str, Any] = {k: cell(k) or None for k in _TEXT}
        member["name"] = cell("name")
        if cell("id"):
            member["id"] = cell("id")
        for key in _DATES:
            reading = read_date(cell(key), today)
            if reading.day:
                member[key] = reading.day.isoformat()
            elif reading.year and key == "birth_date":
                member["birth_year"] = reading.year
            elif cell(key):
                problems.append(FieldProblem(f"members[{index}].{key}", reading.problem or
                                             "Cần ngày/tháng/năm, ví dụ 15/05/1976."))
        member.update(sex=cell("sex") or None, membership=cell("membership") or "chinh_thuc",
                      exempt=bool(cell("exempt")), left_reason=cell("left_reason") or None,
                      leadership_post=cell("variant") == "02A",
                      outside_political_system=cell("variant") == "02C")
        members.append(member)
    return {"members": members}, problems


def _errors(problems: list[FieldProblem], rows: list[int]) -> tuple[dict[str, str], list[str]]:
    errors: dict[str, str] = {}
    general: list[str] = []
    for problem in problems:
        parts = problem.field.replace("]", "").split(".")
        head = parts[0].split("[")
        if head[0] == "members" and len(head) == 2 and head[1].isdigit() and int(head[1]) < len(rows):
            name = parts[1] if len(parts) > 1 else "name"
            key = f"r-{rows[int(head[1])]}-{_FIELD_OF.get(name, name)}"
            errors[key] = f"{errors[key]} {problem.detail}" if key in errors else problem.detail
        else:
            general.append(problem.detail)
    return errors, general


def _page(org_id: str | None, form: dict[str, str] | None = None, status: int = 200, **extra: Any) -> Any:
    try:
        body: dict[str, Any] | None = rosters.roster_body(org_id)
    except InvalidRosterError:  # an office without a chi bộ chosen yet: the choice only
        if org_id is not None:
            raise
        body = None
    if form is None:
        form = _form_of(body["members"]) if body else {}
    used = [int(k.split("-")[1]) for k in form if k.startswith("r-") and k.split("-")[1].isdigit()]
    count = (max(used) + 1 if used else 0) + EMPTY_ROWS
    organisations = [o for o in actions.list_organisations() if o["kind"] == "chi_bo"]
    html = render_template("roster.html", body=body, form=form, count=count, sexes=SEXES,
                           day_pattern=days.PATTERN, reasons=LEFT_REASONS, organisations=organisations,
                           errors=extra.pop("errors", {}), general=extra.pop("general", []), **extra)
    return (html, status) if status != 200 else html


def _typed() -> dict[str, str]:
    return {k: v for k, v in request.form.to_dict(flat=True).items() if k.startswith("r-")}


@bp.get("/dang-vien")
def roster_page() -> Any:
    """The roster of the caller's chi bộ (an office: ``?organisation=``), editable."""
    return _page(request.args.get("organisation") or None)


@bp.post("/dang-vien")
def roster_save() -> Any:
    """"Lưu": the table replaces the roster; errors beside their cells, nothing saved then."""
    org_id = request.form.get("organisation") or None
    form = _typed()
    payload, problems = _payload(form)
    rows = _rows(form)
    try:
        if problems:  # the dates it could not read, and whatever else the roster refuses
            try:
                parse_roster(payload)
            except InvalidRosterError as exc:
                problems += exc.problems
            raise InvalidRosterError(problems)
        body = rosters.save_roster(org_id, payload)
    except InvalidRosterError as exc:
        errors, general = _errors(exc.problems, rows)
        return _page(org_id, form, 422, errors=errors, general=general)
    changes = body["changes"]
    flash(f"Đã lưu danh sách {body['count']} đảng viên (thêm {changes['added']}, sửa {changes['changed']}, "
          f"xoá {changes['removed']}).")
    return redirect(url_for("roster_web.roster_page", organisation=org_id) if org_id
                    else url_for("roster_web.roster_page"), 303)


@bp.post("/dang-vien/nhap")
def roster_import() -> Any:
    """Read a member list into the table (a preview: nothing is saved until "Lưu")."""
    org_id = request.form.get("organisation") or None
    try:
        upload = request.files.get("file")
    except RequestEntityTooLarge:
        return _page(org_id, status=413, message="Tệp quá lớn.")
    try:
        if upload is None or not upload.filename:
            raise BadRequestError("Hãy chọn tệp danh sách đảng viên (.xlsx, .xls, .csv).")
        preview = rosters.import_roster(org_id, upload.read(), upload.filename, dry_run=True)
    except BadRequestError as exc:
        return _page(org_id, status=400, message=exc.detail)
    except InvalidRosterError as exc:
        return _page(org_id, status=422, message="; ".join(p.detail for p in exc.problems))
    members = [r["member"] for r in preview["rows"]]
    problems = [FieldProblem(p["field"], f"{p['detail']} (ô {p['column']}{p['row']})" if p.get("column")
                             else p["detail"]) for p in preview["problems"]]
    form = _form_of(members)
    for n, row in enumerate(preview["rows"]):  # an unreadable cell is shown as written, to correct
        form.update({f"r-{n}-{key}": text for key, text in row["raw"].items()})
    errors, general = _errors(problems, list(range(len(members))))
    notes = {f"r-{n}-name": " ".join(r["notes"]) for n, r in enumerate(preview["rows"]) if r["notes"]}
    return _page(org_id, form, errors=errors, general=general, preview=preview, notes=notes)
