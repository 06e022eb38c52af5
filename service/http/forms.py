"""The one-meeting web form: its fields, the payload it makes, and errors placed beside fields.

Values are passed to the schema as typed (a "7a" in a vote cell stays "7a"), so validation
explains the mistake and the form comes back with everything the user typed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from service.errors import FieldProblem

FORM_ROWS = 12
VOTE_FIELDS = (("xs", "xuat_sac"), ("tot", "tot"), ("ht", "hoan_thanh"), ("kht", "khong_hoan_thanh"))
_SIMPLE = {"organisation.parent": "org_parent", "organisation.name": "org_name",
           "organisation.place": "org_place", "document_number": "document_number",
           "review_year": "review_year", "location": "location", "start": "date",
           "end": "end_time", "chair.name": "chair_name", "chair.position": "chair_position",
           "secretary.name": "secretary_name", "secretary.position": "secretary_position",
           "chi_bo_rating.self_rating": "cb-rating", "chi_bo_rating.self_score": "cb-score",
           "chi_bo_rating.votes": "cb-votes", "chi_bo_rating": "cb-votes"}
_MEMBER = {"name": "name", "position": "position", "membership": "membership",
           "attendance": "attendance", "absence_reason": "reason", "id": "name"}
_RATING = {"self_rating": "rating", "self_score": "score", "votes": "votes", "member": "name",
           "scores": "score"}


def empty_form() -> dict[str, str]:
    """A form with sensible defaults (every member present and a full member)."""
    return {"review_year": "2025", "start_time": "14:00", "end_time": "17:00",
            "document_number": "1", "cb-rating": "tot"}


def _rows(form: dict[str, str]) -> list[int]:
    numbers = sorted({int(m.group(1)) for key in form if (m := re.fullmatch(r"m-(\d+)-name", key))})
    return [n for n in numbers if form.get(f"m-{n}-name", "").strip()]


def _number(text: str) -> Any:
    text = text.strip()
    return int(text) if text.isdigit() else (text or 0)


def form_to_payload(form: dict[str, str]) -> dict[str, Any]:
    """The annual-review payload the form describes."""
    get: Callable[[str], str] = lambda key: form.get(key, "").strip()  # noqa: E731
    date = get("date")
    payload: dict[str, Any] = {
        "kind": "annual_review",
        "organisation": {"parent": get("org_parent"), "name": get("org_name"),
                         "place": get("org_place"), "has_committee": bool(get("has_committee"))},
        "document_number": get("document_number"), "review_year": get("review_year"),
        "start": f"{date}T{get('start_time') or '00:00'}" if date else "",
        "end": f"{date}T{get('end_time') or '00:00'}" if date else "",
        "location": get("location"),
        "chair": {"name": get("chair_name"), "position": get("chair_position") or None},
        "secretary": {"name": get("secretary_name"), "position": get("secretary_position") or None},
        "members": [], "ratings": [],
        "chi_bo_rating": {"self_rating": get("cb-rating"),
                          "votes": {key: _number(get(f"cb-{short}")) for short, key in VOTE_FIELDS}},
        "agenda": [line.strip() for line in get("agenda").splitlines() if line.strip()],
        "conclusion": [line.strip() for line in get("conclusion").splitlines() if line.strip()],
    }
    if get("cb-score"):
        payload["chi_bo_rating"]["self_score"] = get("cb-score")
    for row in _rows(form):
        def cell(name: str, row: int = row) -> str:
            return get(f"m-{row}-{name}")

        member = {"name": cell("name"), "position": cell("position") or None,
                  "membership": cell("membership") or "chinh_thuc",
                  "attendance": cell("attendance") or "present"}
        if cell("reason"):
            member["absence_reason"] = cell("reason")
        payload["members"].append(member)
        rating: dict[str, Any] = {"member": cell("name"), "self_rating": cell("rating"),
                                  "votes": {key: _number(cell(short)) for short, key in VOTE_FIELDS}}
        if cell("score"):
            rating["self_score"] = cell("score")
        payload["ratings"].append(rating)
    return payload


def problems_by_row(problems: list[FieldProblem], form_or_payload: dict[str, Any],
                    ) -> tuple[dict[str, str], list[str]]:
    """Errors keyed by form field (``m-3-name``, ``date``…), and those that fit no field."""
    rows = _rows(form_or_payload) if "kind" not in form_or_payload else []
    errors: dict[str, str] = {}
    general: list[str] = []
    for problem in problems:
        key = _field_key(problem.field, rows)
        if key is None:
            general.append(f"{problem.field}: {problem.detail}")
        else:
            errors[key] = f"{errors[key]} {problem.detail}" if key in errors else problem.detail
    return errors, general


def _field_key(path: str, rows: list[int]) -> str | None:
    for prefix, key in sorted(_SIMPLE.items(), key=lambda item: -len(item[0])):
        if path == prefix or path.startswith(prefix + "."):
            return key
    match = re.fullmatch(r"(members|ratings)\[(\d+)\](?:\.(\w+))?.*", path)
    if match and int(match.group(2)) < len(rows):
        row = rows[int(match.group(2))]
        field = (_MEMBER if match.group(1) == "members" else _RATING).get(match.group(3) or "", "name")
        return f"m-{row}-{field}"
    return None
