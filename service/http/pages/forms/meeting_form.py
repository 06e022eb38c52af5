"""The one-meeting web form: its fields, the payload it makes, and errors placed beside fields.

Values are passed to the schema as typed (a "7a" in a vote cell stays "7a"), so validation
explains the mistake and the form comes back with everything the user typed. The form holds
what the đảng bộ workbook holds (speeches, the vote count and its team, the report number,
dates of birth, each member's post and Mẫu 02A/02B/02C); a correction keeps, from the job's
data, everything the form does not show (review texts, guests' titles, member codes…), see
``service.http.pages.forms.prefill``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from service.errors import FieldProblem
from service.http.pages.forms import basis_lines
from service.http.pages.forms.days import to_iso

FORM_ROWS = 12  # member rows of a new form
GROUP_ROWS = 6  # rows of the chi bộ's score by criteria group (Mẫu 01 part B), more when saved with more
SPEECH_ROWS = 3  # speech rows of a new form
VOTE_FIELDS = (("xs", "xuat_sac"), ("tot", "tot"), ("ht", "hoan_thanh"), ("kht", "khong_hoan_thanh"))
VARIANTS = (("02B", "02B – không giữ chức vụ lãnh đạo, quản lý"),
            ("02A", "02A – giữ chức vụ lãnh đạo, quản lý"),
            ("02C", "02C – không làm việc trong hệ thống chính trị"))
# the body of the collective report (Mẫu 01, part A), one text a section, each with a hint
REPORT_SECTIONS = (
    ("strengths", "Ưu điểm, kết quả đạt được: tình hình, kết quả từng mặt công tác (chính trị tư tưởng, "
                  "nhiệm vụ chuyên môn, xây dựng Đảng, đoàn thể)."),
    ("shortcomings", "Hạn chế, khuyết điểm và nguyên nhân (khách quan, chủ quan)."),
    ("remediation", "Kết quả khắc phục hạn chế đã được chỉ ra ở kỳ kiểm điểm trước."),
    ("explanations", "Giải trình vấn đề được cấp trên gợi ý kiểm điểm (nếu có)."),
    ("responsibility", "Trách nhiệm của tập thể, cá nhân; bài học kinh nghiệm."),
    ("direction", "Phương hướng, biện pháp khắc phục hạn chế trong năm tới."),
)
_SIMPLE = {"organisation_id": "organisation_id", "organisation.parent": "org_parent",
           "organisation.parents": "org_parent_top", "local_basis": "local_basis",
           "rules.chi_bo_ballots_per_sheet": "ballots_per_sheet",
           "organisation.name": "org_name", "organisation.place": "org_place", "organisation": "org_name",
           "document_number": "document_number", "review_year": "review_year", "location": "location",
           "start": "date", "end": "end_time", "chair.name": "chair_name",
           "chair.position": "chair_position", "secretary.name": "secretary_name",
           "secretary.position": "secretary_position", "guests": "guests", "agenda": "agenda",
           "conclusion": "conclusion", "report.number": "report_number",
           **{f"report.{key}": f"rp-{key}" for key, _ in REPORT_SECTIONS},
           "ballot_count.number": "bc-number", "ballot_count.issued": "bc-issued",
           "ballot_count.returned": "bc-returned", "ballot_count.invalid": "bc-invalid",
           "ballot_count.committee": "bc-committee", "ballot_count": "bc-issued",
           "chi_bo_rating.self_rating": "cb-rating", "chi_bo_rating.self_score": "cb-score",
           "chi_bo_rating.votes": "cb-votes", "chi_bo_rating.not_rated_reason": "cb-notrated",
           "chi_bo_rating": "cb-votes"}
_MEMBER = {"name": "name", "position": "position", "membership": "membership",
           "attendance": "attendance", "absence_reason": "reason", "id": "name",
           "birth_date": "birth", "leadership_post": "variant", "outside_political_system": "variant",
           "not_rated_reason": "notrated"}
_RATING = {"self_rating": "rating", "self_score": "score", "votes": "votes", "member": "name",
           "scores": "general"}


def empty_form() -> dict[str, str]:
    """A new form's defaults: an afternoon meeting, the chi bộ rated "tốt"; the review year is left
    to follow the meeting's date (``review_year_for``)."""
    return {"start_time": "14:00", "end_time": "17:00", "document_number": "1", "cb-rating": "tot",
            "ballots_per_sheet": "1"}


def review_year_for(day: str) -> int | None:
    """The year a review held on *day* (ISO) is of: its own year; in January or February, the year
    before (reviews are held at the end of the year or early in the next)."""
    found = re.fullmatch(r"(\d{4})-(\d{2})-\d{2}", day)
    if found is None:
        return None
    year, month = int(found.group(1)), int(found.group(2))
    return year - 1 if month <= 2 else year


def member_rows(form: dict[str, str]) -> list[int]:
    """The numbers of the member rows with a name, in order."""
    numbers = sorted({int(m.group(1)) for key in form if (m := re.fullmatch(r"m-(\d+)-name", key))})
    return [n for n in numbers if form.get(f"m-{n}-name", "").strip()]


def speech_rows(form: dict[str, str]) -> list[int]:
    """The numbers of the speech rows with a speaker or a text, in order."""
    numbers = sorted({int(m.group(1)) for key in form
                      if (m := re.fullmatch(r"s-(\d+)-(speaker|content)", key))})
    return [n for n in numbers
            if form.get(f"s-{n}-speaker", "").strip() or form.get(f"s-{n}-content", "").strip()]


def rows_needed(form: dict[str, str], prefix: str, least: int) -> int:
    """How many rows of *prefix* ("m" or "s") to show: every used one and one empty, *least* at least."""
    used = [int(m.group(1)) for key, value in form.items()
            if (m := re.fullmatch(rf"{prefix}-(\d+)-\w+", key)) and value.strip()
            and not key.endswith(("-membership", "-attendance", "-variant", "-key"))]
    return max(least, (max(used) + 2) if used else 0)


def _number(text: str) -> Any:
    text = text.strip()
    return int(text) if text.isdigit() else (text or 0)


def _score(text: str) -> Any:
    """A score as typed; "85,5" (a Vietnamese decimal comma) is 85.5."""
    text = text.strip()
    return text.replace(",", ".") if re.fullmatch(r"\d+[,.]\d+", text) else text


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _people(text: str) -> list[dict[str, Any]]:
    """One person a line: "Họ tên" or "Họ tên, chức vụ"."""
    found = []
    for line in _lines(text):
        name, _, position = line.partition(",")
        found.append({"name": name.strip(), "position": position.strip() or None})
    return found


def form_to_payload(form: dict[str, str]) -> dict[str, Any]:
    """The annual-review payload the form describes (only what the form shows)."""
    form = to_iso(form)
    get: Callable[[str], str] = lambda key: form.get(key, "").strip()  # noqa: E731
    date = get("date")
    payload: dict[str, Any] = {
        "kind": "annual_review",
        "organisation": {"parent": get("org_parent"), "name": get("org_name"),
                         "parents": [*([get("org_parent_top")] if get("org_parent_top") else []),
                                     get("org_parent")],
                         "place": get("org_place"), "has_committee": bool(get("has_committee"))},
        "start": f"{date}T{get('start_time') or '00:00'}" if date else "",
        "end": f"{date}T{get('end_time') or '00:00'}" if date else "",
        "location": get("location"),
        "chair": {"name": get("chair_name"), "position": get("chair_position") or None},
        "secretary": {"name": get("secretary_name"), "position": get("secretary_position") or None},
        "guests": _people(get("guests")),
        "members": [], "ratings": [],
        "chi_bo_rating": {"self_rating": get("cb-rating"),
                          "votes": {key: _number(get(f"cb-{short}")) for short, key in VOTE_FIELDS}},
        "agenda": _lines(get("agenda")),
        "discussion": [{"speaker": get(f"s-{n}-speaker"), "content": get(f"s-{n}-content")}
                       for n in speech_rows(form)],
        "conclusion": _lines(get("conclusion")),
    }
    if "organisation_id" in form:  # the office's choice of whose meeting it is (a secretary: hers)
        payload["organisation_id"] = get("organisation_id") or None
    for key in ("document_number", "review_year"):  # left empty: "missing", not "at least 1"
        if get(key):
            payload[key] = _number(get(key))
    if not get("review_year") and review_year_for(date) is not None:  # follows the meeting's date
        payload["review_year"] = review_year_for(date)
    payload["local_basis"] = basis_lines.parse(get("local_basis"))
    if get("ballots_per_sheet") in ("1", "2", "4"):
        payload["rules"] = {"chi_bo_ballots_per_sheet": int(get("ballots_per_sheet"))}
    if get("cb-notrated"):
        payload["chi_bo_rating"]["not_rated_reason"] = get("cb-notrated")
    if get("cb-score"):
        payload["chi_bo_rating"]["self_score"] = _score(get("cb-score"))
    groups = [{"name": get(f"g-{n}-name"), "max_points": _score(get(f"g-{n}-max")),
               "score": _score(get(f"g-{n}-score"))} for n in group_rows(form)]
    if groups:
        payload["chi_bo_rating"]["score_groups"] = groups
    report: dict[str, Any] = {key: _lines(get(f"rp-{key}")) for key, _ in REPORT_SECTIONS
                              if f"rp-{key}" in form}
    if get("report_number"):
        report["number"] = _number(get("report_number"))
    if get("report_number") or any(report.values()):
        payload["report"] = report
    if get("bc-issued") or get("bc-committee"):
        issued = _number(get("bc-issued"))
        payload["ballot_count"] = {"committee": _people(get("bc-committee")), "issued": issued,
                                   "returned": _number(get("bc-returned")) if get("bc-returned") else issued,
                                   "invalid": _number(get("bc-invalid"))}
        if get("bc-number"):
            payload["ballot_count"]["number"] = _number(get("bc-number"))
    for row in member_rows(form):
        member, rating = _member(form, row)
        payload["members"].append(member)
        if rating is not None:
            payload["ratings"].append(rating)
    return payload


def group_rows(form: dict[str, str]) -> list[int]:
    """The criteria-group rows of Mẫu 01 part B with anything typed, in order."""
    numbers = sorted({int(m.group(1)) for key, value in form.items()
                      if value.strip() and (m := re.fullmatch(r"g-(\d+)-(?:name|max|score)", key))})
    return numbers


def rated_rows(form: dict[str, str]) -> list[int]:
    """The member rows that carry a rating: a self-rating, a score or a vote typed."""
    return [row for row in member_rows(form) if _has_rating(form, row)]


def _has_rating(form: dict[str, str], row: int) -> bool:
    names = ["rating", "score", "general", "tasks", *(short for short, _ in VOTE_FIELDS)]
    return any(form.get(f"m-{row}-{name}", "").strip() for name in names)


def _member(form: dict[str, str], row: int) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """A member row, and its rating — None when nothing of a rating was typed (not rated yet)."""
    def cell(name: str) -> str:
        return form.get(f"m-{row}-{name}", "").strip()

    variant = cell("variant") or "02B"
    member: dict[str, Any] = {"name": cell("name"), "position": cell("position") or None,
                              "membership": cell("membership") or "chinh_thuc",
                              "attendance": cell("attendance") or "present",
                              "leadership_post": variant == "02A",
                              "outside_political_system": variant == "02C"}
    if cell("reason"):
        member["absence_reason"] = cell("reason")
    if cell("notrated"):
        member["not_rated_reason"] = cell("notrated")
    if cell("birth"):
        member["birth_date"] = cell("birth")
    rating: dict[str, Any] = {"member": cell("name"), "self_rating": cell("rating"),
                              "votes": {key: _number(cell(short)) for short, key in VOTE_FIELDS}}
    if cell("general") or cell("tasks"):
        rating["scores"] = {"general": _score(cell("general")), "tasks": _score(cell("tasks"))}
    if cell("score"):
        rating["self_score"] = _score(cell("score"))
    return member, rating if _has_rating(form, row) else None


def problems_by_row(problems: list[FieldProblem], form: dict[str, str],
                    ) -> tuple[dict[str, str], list[str]]:
    """Errors keyed by form field (``m-3-name``, ``date``…), and those that fit no field."""
    rows, speeches = member_rows(form), speech_rows(form)
    rated, groups = rated_rows(form), group_rows(form)
    errors: dict[str, str] = {}
    general: list[str] = []
    for problem in problems:
        key = _field_key(problem.field, rows, rated, speeches, groups)
        if key is None:
            general.append(problem.detail)
        else:
            errors[key] = f"{errors[key]} {problem.detail}" if key in errors else problem.detail
    return errors, general


def _field_key(path: str, rows: list[int], rated: list[int], speeches: list[int],
               groups: list[int] | None = None) -> str | None:
    match = re.fullmatch(r"chi_bo_rating\.score_groups(?:\[(\d+)\](?:\.(\w+))?)?.*", path)
    if match:  # a group's own field, or the groups as a whole (their maxima add up to 100)
        listed = groups or []
        if match.group(1) is None or int(match.group(1)) >= len(listed):
            return "cb-groups"
        return f"g-{listed[int(match.group(1))]}-" + {"name": "name", "max_points": "max"}.get(
            match.group(2) or "", "score")
    for prefix, key in sorted(_SIMPLE.items(), key=lambda item: -len(item[0])):
        if path == prefix or path.startswith((prefix + ".", prefix + "[")):
            return key
    match = re.fullmatch(r"(members|ratings)\[(\d+)\](?:\.(\w+))?.*", path)
    listed = rows if match and match.group(1) == "members" else rated
    if match and int(match.group(2)) < len(listed):
        row = listed[int(match.group(2))]
        field = (_MEMBER if match.group(1) == "members" else _RATING).get(match.group(3) or "", "name")
        return f"m-{row}-{field}"
    match = re.fullmatch(r"discussion\[(\d+)\](?:\.(\w+))?.*", path)
    if match and int(match.group(1)) < len(speeches):
        return f"s-{speeches[int(match.group(1))]}-{match.group(2) or 'content'}"
    return None
