"""The monthly-meeting web form (biên bản sinh hoạt chi bộ): its fields, the payload, the errors.

Field names: the chi bộ and the meeting as on the annual form (``org_*``, ``date``,
``start_time``…), plus ``month``/``year``, ``combined_thematic``/``thematic_topic`` and the
preparation (``prep-*``); rows ``m-N-*`` (attendance: name, post, chính thức/dự bị, present or
not and why), ``s-N-*`` (speeches), ``a-N-*`` (part III of the resolution: who, what, by when),
``r-N-*`` (other resolutions with their votes), ``f-N-*`` (the follow-up of an earlier month's
assignment: its ref, who and task as the ledger gives them, the outcome and a note); text areas
one item a line (agenda, guests, parts I, II and IV). As on the annual form, values go to the
schema as typed, so validation explains a mistake and the form comes back as it was.
"""

from __future__ import annotations

import re
from typing import Any

from service.errors import FieldProblem
from service.http.pages.forms import basis_lines
from service.http.pages.forms.days import to_iso
from service.http.pages.forms.meeting_form import speech_rows

MEMBER_ROWS, ASSIGNMENT_ROWS, RESOLUTION_ROWS = 8, 3, 1  # rows of a new form
FOLLOW_UP = (("", "— chưa báo cáo —"), ("done", "Đã hoàn thành"), ("in_progress", "Đang thực hiện"),
             ("late", "Chậm tiến độ (chuyển tháng sau)"), ("dropped", "Không thực hiện nữa"))
QUALITY = (("", "— chưa đánh giá —"), ("tot", "Tốt"), ("kha", "Khá"), ("trung_binh", "Trung bình"),
           ("kem", "Kém"))
PREPARATION = ("drafted_by", "committee_met", "notified", "materials_posted")
_SIMPLE = {"organisation_id": "organisation_id", "organisation.parent": "org_parent",
           "organisation.parents": "org_parent_top", "local_basis": "local_basis",
           "organisation.name": "org_name",
           "organisation.place": "org_place", "organisation": "org_name",
           "document_number": "document_number", "month": "month", "year": "year", "location": "location",
           "start": "date", "end": "end_time", "chair.name": "chair_name", "chair.position": "chair_position",
           "secretary.name": "secretary_name", "secretary.position": "secretary_position",
           "guests": "guests", "agenda": "agenda", "conclusion": "conclusion",
           "combined_thematic": "combined_thematic", "thematic_topic": "thematic_topic",
           "quality": "quality", "resolution.results": "res-results", "resolution.tasks": "res-tasks",
           "resolution.assessment": "res-assessment", "resolution.vote": "res-agree",
           "resolution": "res-agree", "members": "m-0-name",
           "issue_resolution": "issue_resolution", "resolution_number": "resolution_number",
           **{f"preparation.{name}": f"prep-{name}" for name in PREPARATION}}
_MEMBER = {"name": "name", "position": "position", "membership": "membership", "attendance": "attendance",
           "absence_reason": "reason", "id": "name"}


def empty_monthly_form(month: int, year: int) -> dict[str, str]:
    """A new form's defaults: the month given, an evening meeting of two hours."""
    return {"month": str(month), "year": str(year), "start_time": "19:30", "end_time": "21:30"}


def _get(form: dict[str, str], key: str) -> str:
    return form.get(key, "").strip()


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _number(text: str) -> Any:
    return int(text) if text.isdigit() else text


def _people(text: str) -> list[dict[str, Any]]:
    """One person a line: "Họ tên" or "Họ tên, chức vụ"."""
    found = []
    for line in _lines(text):
        name, _, position = line.partition(",")
        found.append({"name": name.strip(), "position": position.strip() or None})
    return found


def rows_of(form: dict[str, str], prefix: str, fields: tuple[str, ...]) -> list[int]:
    """The numbers of the rows of *prefix* with one of *fields* typed, in order."""
    numbers = sorted({int(m.group(1)) for key in form if (m := re.fullmatch(rf"{prefix}-(\d+)-\w+", key))})
    return [n for n in numbers if any(_get(form, f"{prefix}-{n}-{f}") for f in fields)]


def member_rows(form: dict[str, str]) -> list[int]:
    """The attendance rows with a name."""
    return rows_of(form, "m", ("name",))


def assignment_rows(form: dict[str, str]) -> list[int]:
    """The rows of part III with a person or a task."""
    return rows_of(form, "a", ("who", "task", "due", "due_month"))


def follow_up_rows(form: dict[str, str]) -> list[int]:
    """The follow-up rows with an outcome chosen (the others are not reported this month)."""
    return rows_of(form, "f", ("status",))


def month_value(text: str) -> str:
    """``11/2025`` (as typed here) or ``2025-11`` as the schema's ``2025-11``; anything else as typed."""
    match = re.fullmatch(r"(\d{1,2})\s*/\s*(\d{4})", text)
    return f"{match.group(2)}-{int(match.group(1)):02d}" if match else text


def resolution_rows(form: dict[str, str]) -> list[int]:
    """The rows of other resolutions with a text or a vote."""
    return rows_of(form, "r", ("text", "agree", "disagree", "other"))


def rows_needed(form: dict[str, str], prefix: str, least: int) -> int:
    """How many rows of *prefix* to show: every used one and one empty, *least* at least."""
    used = [int(m.group(1)) for key, value in form.items()
            if (m := re.fullmatch(rf"{prefix}-(\d+)-\w+", key)) and value.strip()
            and not key.endswith(("-membership", "-attendance", "-key"))]
    return max(least, (max(used) + 2) if used else 0)


def _vote(form: dict[str, str], prefix: str) -> dict[str, Any]:
    vote: dict[str, Any] = {"agree": _number(_get(form, f"{prefix}agree"))}
    for name in ("disagree", "other"):
        if _get(form, f"{prefix}{name}"):
            vote[name] = _number(_get(form, f"{prefix}{name}"))
    return vote


def _resolution(form: dict[str, str]) -> dict[str, Any] | None:
    """The four-part resolution, or None when nothing of it was typed."""
    assignments = []
    for row in assignment_rows(form):
        item: dict[str, Any] = {"who": _get(form, f"a-{row}-who"), "task": _get(form, f"a-{row}-task")}
        if _get(form, f"a-{row}-due"):
            item["due"] = _get(form, f"a-{row}-due")
        if _get(form, f"a-{row}-due_month"):
            item["due_month"] = month_value(_get(form, f"a-{row}-due_month"))
        if _get(form, f"a-{row}-ref"):
            item["ref"] = _get(form, f"a-{row}-ref")
        assignments.append(item)
    parts = {"results": _lines(_get(form, "res-results")), "tasks": _lines(_get(form, "res-tasks")),
             "assignments": assignments, "assessment": _lines(_get(form, "res-assessment"))}
    typed = any(parts.values()) or any(_get(form, f"res-{n}") for n in ("agree", "disagree", "other"))
    return {**parts, "vote": _vote(form, "res-")} if typed else None


def monthly_form_to_payload(form: dict[str, str]) -> dict[str, Any]:
    """The monthly-meeting payload the form describes (only what the form shows)."""
    form = to_iso(form)

    def get(key: str) -> str:
        return _get(form, key)

    day = get("date")
    payload: dict[str, Any] = {
        "kind": "monthly",
        "organisation": {"parent": get("org_parent"), "name": get("org_name"), "place": get("org_place"),
                         "parents": [*([get("org_parent_top")] if get("org_parent_top") else []),
                                     get("org_parent")],
                         "has_committee": bool(get("has_committee"))},
        "local_basis": basis_lines.parse(get("local_basis")),
        "start": f"{day}T{get('start_time') or '00:00'}" if day else "",
        "end": f"{day}T{get('end_time') or '00:00'}" if day else "",
        "location": get("location"),
        "chair": {"name": get("chair_name"), "position": get("chair_position") or None},
        "secretary": {"name": get("secretary_name"), "position": get("secretary_position") or None},
        "guests": _people(get("guests")),
        "members": [_member(form, row) for row in member_rows(form)],
        "agenda": _lines(get("agenda")),
        "discussion": [{"speaker": get(f"s-{n}-speaker"), "content": get(f"s-{n}-content")}
                       for n in speech_rows(form)],
        "resolutions": [{"text": get(f"r-{n}-text"), **_vote(form, f"r-{n}-")}
                        for n in resolution_rows(form)],
        "conclusion": _lines(get("conclusion")),
        "combined_thematic": bool(get("combined_thematic")),
        "follow_ups": [follow_up(form, n) for n in follow_up_rows(form)],
        "issue_resolution": bool(get("issue_resolution")),
    }
    if "organisation_id" in form:  # the office's choice of whose meeting it is
        payload["organisation_id"] = get("organisation_id") or None
    # left empty: "missing", not "at least 1"
    for key in ("document_number", "resolution_number", "month", "year"):
        if get(key):
            payload[key] = _number(get(key))
    if get("thematic_topic"):
        payload["thematic_topic"] = get("thematic_topic")
    if get("quality"):
        payload["quality"] = get("quality")
    preparation = {name: get(f"prep-{name}") for name in PREPARATION if get(f"prep-{name}")}
    if preparation:
        payload["preparation"] = preparation
    resolution = _resolution(form)
    if resolution is not None:
        payload["resolution"] = resolution
    return payload


def follow_up(form: dict[str, str], row: int) -> dict[str, Any]:
    """One follow-up row as the schema's ``follow_ups`` item."""
    item = {name: _get(form, f"f-{row}-{name}") for name in ("ref", "who", "task", "status")}
    note = _get(form, f"f-{row}-note")
    return {**item, "note": note or None}


def _member(form: dict[str, str], row: int) -> dict[str, Any]:
    def cell(name: str) -> str:
        return _get(form, f"m-{row}-{name}")

    member: dict[str, Any] = {"name": cell("name"), "position": cell("position") or None,
                              "membership": cell("membership") or "chinh_thuc",
                              "attendance": cell("attendance") or "present"}
    if cell("reason"):
        member["absence_reason"] = cell("reason")
    return member


def problems_by_field(problems: list[FieldProblem], form: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """Errors keyed by form field (``m-3-reason``, ``res-agree``…), and those that fit no field."""
    lists = {"members": member_rows(form), "discussion": speech_rows(form),
             "resolution.assignments": assignment_rows(form), "resolutions": resolution_rows(form),
             "follow_ups": follow_up_rows(form)}
    errors: dict[str, str] = {}
    general: list[str] = []
    for problem in problems:
        key = _field_key(problem.field, lists)
        if key is None:
            general.append(problem.detail)
        else:
            errors[key] = f"{errors[key]} {problem.detail}" if key in errors else problem.detail
    return errors, general


# each list of the payload: its rows' prefix on the form, the fields a row has, the one an error
# of the whole row goes beside
_ROWS: dict[str, tuple[str, dict[str, str], str]] = {
    "members": ("m", _MEMBER, "name"),
    "discussion": ("s", {"speaker": "speaker", "content": "content"}, "content"),
    "resolution.assignments": ("a", {"who": "who", "task": "task", "due": "due", "due_month": "due_month"},
                               "task"),
    "follow_ups": ("f", {"status": "status", "note": "note"}, "status"),
    "resolutions": ("r", {name: name for name in ("text", "agree", "disagree", "other")}, "agree")}


def _field_key(path: str, lists: dict[str, list[int]]) -> str | None:
    match = re.fullmatch(r"(members|discussion|resolution\.assignments|resolutions|follow_ups)\[(\d+)\]"
                         r"(?:\.(\w+))?.*", path)
    if match and int(match.group(2)) < len(lists[match.group(1)]):
        prefix, fields, whole = _ROWS[match.group(1)]
        row = lists[match.group(1)][int(match.group(2))]
        return f"{prefix}-{row}-{fields.get(match.group(3) or '', whole)}"
    for prefix, key in sorted(_SIMPLE.items(), key=lambda item: -len(item[0])):
        if path == prefix or path.startswith((prefix + ".", prefix + "[")):
            return key
    return None
