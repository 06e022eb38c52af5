"""The form of a meeting already sent, and its correction laid over the data it came from.

``payload_to_form`` fills the form from any annual review — typed in the form, sent as JSON,
or read from a workbook. ``corrected`` lays what the form shows over the job's data, so a
correction keeps what the form cannot show: the review texts of Mẫu 01 and 02, member codes
and units, the collective's score groups, the issuing code, the rules block…
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from service.http import auth
from service.http.actions import roster as rosters
from service.http.pages.forms import basis_lines, days
from service.http.pages.forms.meeting_form import REPORT_SECTIONS, VOTE_FIELDS, empty_form, member_rows
from service.meetings.vnformat import short_date
from service.roster import MemberOnDate

# the parts of a payload the form shows; the rest is kept from the job's data
_FORM_KEYS = ("kind", "organisation", "document_number", "review_year", "start", "end", "location",
              "chair", "secretary", "guests", "members", "ratings", "chi_bo_rating", "agenda",
              "discussion", "conclusion")


def _text(value: Any) -> str:
    if value is None or value is False:
        return ""
    if isinstance(value, float | Decimal) and value == int(value):
        return str(int(value))
    return str(value)


def _count(value: Any) -> str:
    """A vote count for its cell: nothing for zero, so the figures that matter stand out."""
    return "" if not value else _text(value)


def _person_line(person: dict[str, Any]) -> str:
    position = person.get("position")
    return f"{person.get('name', '')}, {position}" if position else str(person.get("name", ""))


def report_fields(report: Any) -> dict[str, str]:
    """The form's Mẫu 01 body (``rp-<section>``) from a report's sections, one paragraph a line."""
    found = report if isinstance(report, dict) else {}
    return {f"rp-{key}": "\n".join(str(p) for p in found.get(key) or []) for key, _ in REPORT_SECTIONS}


def payload_to_form(data: dict[str, Any]) -> dict[str, str]:
    """The form's fields for an annual review's data (JSON as stored)."""
    org = data.get("organisation") or {}
    defaults = empty_form()
    start, end = str(data.get("start") or ""), str(data.get("end") or "")
    form: dict[str, str] = {
        "org_parent": _text(org.get("parent") or (org.get("parents") or [""])[-1]),
        "org_parent_top": _text((org.get("parents") or [])[0] if len(org.get("parents") or []) > 1 else ""),
        "org_name": _text(org.get("name")),
        "local_basis": basis_lines.lines(data.get("local_basis")),
        "ballots_per_sheet": _text((data.get("rules") or {}).get("chi_bo_ballots_per_sheet") or 1),
        "org_place": _text(org.get("place")), "has_committee": "1" if org.get("has_committee") else "",
        "organisation_id": _text(data.get("organisation_id")),
        "document_number": _text(data.get("document_number")),
        "review_year": _text(data.get("review_year")),
        "date": start[:10], "start_time": start[11:16] or defaults["start_time"],
        "end_time": end[11:16] or defaults["end_time"],  # a draft saved before the day was typed
        "location": _text(data.get("location")),
        "chair_name": _text((data.get("chair") or {}).get("name")),
        "chair_position": _text((data.get("chair") or {}).get("position")),
        "secretary_name": _text((data.get("secretary") or {}).get("name")),
        "secretary_position": _text((data.get("secretary") or {}).get("position")),
        "guests": "\n".join(_person_line(p) for p in data.get("guests") or []),
        "agenda": "\n".join(str(line) for line in data.get("agenda") or []),
        "conclusion": "\n".join(str(line) for line in data.get("conclusion") or []),
        "report_number": _text((data.get("report") or {}).get("number")),
        **report_fields(data.get("report")),
    }
    chi_bo = data.get("chi_bo_rating") or {}
    form["cb-rating"] = _text(chi_bo.get("self_rating"))
    form["cb-score"] = _text(chi_bo.get("self_score"))
    form["cb-notrated"] = _text(chi_bo.get("not_rated_reason"))
    for row, group in enumerate(chi_bo.get("score_groups") or []):  # Mẫu 01 part B
        for field, key in (("name", "name"), ("max", "max_points"), ("score", "score")):
            form[f"g-{row}-{field}"] = _text(group.get(key))
    for short, key in VOTE_FIELDS:
        form[f"cb-{short}"] = _count((chi_bo.get("votes") or {}).get(key))
    count = data.get("ballot_count")
    if count:
        form.update({"bc-number": _text(count.get("number")), "bc-issued": _text(count.get("issued")),
                     "bc-returned": _text(count.get("returned")),
                     "bc-invalid": _count(count.get("invalid")),
                     "bc-committee": "\n".join(_person_line(p) for p in count.get("committee") or [])})
    for row, speech in enumerate(data.get("discussion") or []):
        form[f"s-{row}-speaker"] = _text(speech.get("speaker"))
        form[f"s-{row}-content"] = _text(speech.get("content"))
    ratings = {str(r.get("member")): r for r in data.get("ratings") or []}
    for row, member in enumerate(data.get("members") or []):
        form.update(_member_fields(row, member, ratings))
    return form


def _member_fields(row: int, member: dict[str, Any], ratings: dict[str, Any]) -> dict[str, str]:
    key = str(member.get("id") or member.get("name") or "")
    rating = ratings.get(key) or ratings.get(str(member.get("name"))) or {}
    variant = ("02C" if member.get("outside_political_system")
               else "02A" if member.get("leadership_post") else "02B")
    scores = rating.get("scores") or {}
    fields = {"key": key, "name": _text(member.get("name")), "position": _text(member.get("position")),
              "birth": _text(member.get("birth_date")), "variant": variant,
              "membership": _text(member.get("membership")) or "chinh_thuc",
              "attendance": _text(member.get("attendance")) or "present",
              "reason": _text(member.get("absence_reason")), "rating": _text(rating.get("self_rating")),
              "notrated": _text(member.get("not_rated_reason")),
              "score": _text(rating.get("self_score")), "general": _text(scores.get("general")),
              "tasks": _text(scores.get("tasks"))}
    for short, vote_key in VOTE_FIELDS:
        fields[short] = _count((rating.get("votes") or {}).get(vote_key))
    return {f"m-{row}-{name}": value for name, value in fields.items()}


def _seats(members: list[dict[str, Any]]) -> list[tuple[Any, Any]]:
    return [(m.get("membership", "chinh_thuc"), m.get("attendance", "present")) for m in members]


def corrected(base: dict[str, Any], typed: dict[str, Any], form: dict[str, str]) -> dict[str, Any]:
    """The job's data *base* with what the form shows replaced by *typed* (``form_to_payload``).

    Each member row carries the key it had (``m-N-key``), so its code, unit, review text and
    disqualifying case follow it even when the name is corrected. The self-typed counts
    (``check``) and the minutes vote are dropped when who came or who votes changed: they
    described the old list, and the form does not show them.
    """
    result = {k: copy.deepcopy(v) for k, v in base.items() if k not in _FORM_KEYS}
    result.update(copy.deepcopy(typed))
    result["organisation"] = {**(base.get("organisation") or {}), **typed["organisation"]}
    if "rules" in typed:  # the form shows one rule; the others stay as the data had them
        result["rules"] = {**(base.get("rules") or {}), **typed["rules"]}
    old_members = {str(m.get("id") or m.get("name")): m for m in base.get("members") or []}
    old_ratings = {str(r.get("member")): r for r in base.get("ratings") or []}
    keys = [form.get(f"m-{row}-key", "") for row in member_rows(form)]
    typed_ratings = {str(r.get("member")): r for r in result["ratings"]}
    for index, member in enumerate(result["members"]):
        key = keys[index] if index < len(keys) else ""
        old = old_members.get(key)
        rating = typed_ratings.get(str(member.get("name")))
        if old is None:
            continue
        kept = {k: v for k, v in old.items() if k not in member and k not in _MEMBER_FORM_KEYS}
        member.update(kept)
        if rating is None:  # not rated (yet): the member keeps a not_rated_reason it had
            continue
        if member.get("id"):
            rating["member"] = member["id"]
        old_rating = old_ratings.get(key) or {}
        rating.update({k: v for k, v in old_rating.items()
                       if k not in rating and k not in _RATING_FORM_KEYS})
    old_chi_bo = base.get("chi_bo_rating") or {}
    chi_bo = result["chi_bo_rating"]
    for k, v in old_chi_bo.items():  # the groups are on the form: what it sends is what she kept
        if k not in chi_bo and k not in ("self_score", "votes", "self_rating", "score_groups"):
            chi_bo[k] = v
    shown = {key: [line.strip() for line in form[f"rp-{key}"].splitlines() if line.strip()]
             for key, _ in REPORT_SECTIONS if f"rp-{key}" in form}  # the Mẫu 01 body on the form
    if base.get("report") or typed.get("report"):
        result["report"] = {**(base.get("report") or {}), **(typed.get("report") or {}), **shown}
        if "number" not in (typed.get("report") or {}):
            result["report"].pop("number", None)
    if "ballot_count" in typed:
        old_count = base.get("ballot_count") or {}
        result["ballot_count"] = {**{k: v for k, v in old_count.items() if k in ("start", "end")},
                                  **typed["ballot_count"]}
    else:
        result.pop("ballot_count", None)
    if _seats(base.get("members") or []) != _seats(result["members"]):
        result.pop("check", None)
        result.pop("minutes_vote", None)
    return result


# what a member row and a rating row of the form set (absent in the typed row means: cleared)
_MEMBER_FORM_KEYS = {"name", "position", "membership", "attendance", "absence_reason", "birth_date",
                     "not_rated_reason",
                     "leadership_post", "outside_political_system"}
_RATING_FORM_KEYS = {"member", "self_rating", "self_score", "scores", "votes"}



def roster_to_form(members: list[MemberOnDate], form: dict[str, str]) -> dict[str, str]:
    """*form* with one member row per roster member on the meeting's day (``roster.members_at``)."""
    filled = dict(form)
    for row, member in enumerate(members):
        fields = {"name": member.name, "position": member.position or "",
                  "birth": member.birth_date.isoformat() if member.birth_date else "",
                  "variant": member.form, "membership": member.membership,
                  "attendance": "exempt" if member.exempt else "present"}
        filled.update({f"m-{row}-{name}": value for name, value in fields.items()})
    for role, (name, position) in chair_and_secretary(members).items():
        if not filled.get(f"{role}_name"):
            filled.update({f"{role}_name": name, f"{role}_position": position})
    return filled


def chair_and_secretary(members: list[MemberOnDate]) -> dict[str, tuple[str, str]]:
    """Who chairs and who takes the minutes, as a roster says: the Bí thư, then the Phó Bí thư.

    Only a guess the form shows (a meeting may choose others); absent when the roster names none.
    """
    found: dict[str, tuple[str, str]] = {}
    for member in members:
        post = (member.party_post or "").strip().lower()
        role = ("secretary" if post.startswith("phó bí thư")
                else "chair" if post.startswith("bí thư") else None)
        if role and role not in found:
            found[role] = (member.name, member.party_post or "")
    return found


# ---- the monthly meeting (biên bản sinh hoạt chi bộ) ----

def initial_attendance(previous: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The members a new monthly minute starts with: last month's list, everyone present again.

    *previous* is the data of the organisation's latest monthly meeting (or None: an empty
    list). A member exempt from meetings (miễn sinh hoạt) stays exempt; an absence and its reason
    were last month's. This is the one place a new form's attendance comes from.
    """
    found = []
    for member in (previous or {}).get("members") or []:
        kept = {k: v for k, v in member.items() if k not in ("attendance", "absence_reason")}
        if member.get("attendance") == "exempt":
            kept.update(attendance="exempt", absence_reason=member.get("absence_reason"))
        found.append(kept)
    return found


_STANDING = ("organisation", "organisation_id", "location", "chair", "secretary")  # rarely change


def new_monthly_form(form: dict[str, str], previous: dict[str, Any] | None, *,
                     copy_last: bool) -> dict[str, str]:
    """A new monthly form over its defaults *form*: the chi bộ, place, chair and secretary and the
    attendance (``initial_attendance``) of *previous*; with *copy_last*, also its agenda and guests, and
    its resolution (tasks and assignments) kept apart for the review of last month."""
    previous = previous or {}
    data: dict[str, Any] = {k: previous[k] for k in _STANDING if k in previous}
    data["members"] = initial_attendance(previous)
    if copy_last:
        data.update(agenda=previous.get("agenda") or [], guests=previous.get("guests") or [])
    result = {**form, **{k: v for k, v in monthly_payload_to_form(data).items() if v}}
    if copy_last:
        result["previous"] = previous_resolution(previous)
    return result


def previous_resolution(previous: dict[str, Any]) -> str:
    """Last month's tasks and assignments, one a line, to review this month (shown, not printed)."""
    resolution = previous.get("resolution") or {}
    lines = [str(task) for task in resolution.get("tasks") or []]
    for item in resolution.get("assignments") or []:
        due = f" (hạn {_day(item['due'])})" if item.get("due") else ""
        lines.append(f"{item.get('who', '')}: {item.get('task', '')}{due}")
    lines += [str(r.get("text", "")) for r in previous.get("resolutions") or []]
    return "\n".join(lines)


def _month(text: Any) -> str:
    """``2025-11`` as typed on the form, ``11/2025``."""
    year, _, month = str(text or "").partition("-")
    return f"{month}/{year}" if month else ""


def _day(text: Any) -> str:
    """``2025-11-28`` as written in Vietnam, ``28/11/2025``."""
    year, _, rest = str(text).partition("-")
    month, _, day = rest.partition("-")
    return f"{day}/{month}/{year}" if day else str(text)


def monthly_payload_to_form(data: dict[str, Any]) -> dict[str, str]:
    """The monthly form's fields for a monthly meeting's data (JSON as stored)."""
    org = data.get("organisation") or {}
    start, end = str(data.get("start") or ""), str(data.get("end") or "")
    chair, secretary = data.get("chair") or {}, data.get("secretary") or {}
    form: dict[str, str] = {
        "org_parent": _text(org.get("parent") or (org.get("parents") or [""])[-1]),
        "org_parent_top": _text((org.get("parents") or [])[0] if len(org.get("parents") or []) > 1 else ""),
        "local_basis": basis_lines.lines(data.get("local_basis")),
        "org_name": _text(org.get("name")), "org_place": _text(org.get("place")),
        "has_committee": "1" if org.get("has_committee") else "",
        "organisation_id": _text(data.get("organisation_id")),
        "document_number": _text(data.get("document_number")), "month": _text(data.get("month")),
        "year": _text(data.get("year")), "date": start[:10], "start_time": start[11:16],
        "end_time": end[11:16], "location": _text(data.get("location")),
        "chair_name": _text(chair.get("name")), "chair_position": _text(chair.get("position")),
        "secretary_name": _text(secretary.get("name")),
        "secretary_position": _text(secretary.get("position")),
        "guests": "\n".join(_person_line(p) for p in data.get("guests") or []),
        "agenda": "\n".join(str(line) for line in data.get("agenda") or []),
        "conclusion": "\n".join(str(line) for line in data.get("conclusion") or []),
        "combined_thematic": "1" if data.get("combined_thematic") else "",
        "thematic_topic": _text(data.get("thematic_topic")), "quality": _text(data.get("quality")),
        "issue_resolution": "1" if data.get("issue_resolution") else "",
        "resolution_number": _text(data.get("resolution_number")),
    }
    for name, value in (data.get("preparation") or {}).items():
        form[f"prep-{name}"] = _text(value)
    for row, member in enumerate(data.get("members") or []):
        fields = {"key": str(member.get("id") or member.get("name") or ""),
                  "name": _text(member.get("name")),
                  "position": _text(member.get("position")),
                  "membership": _text(member.get("membership")) or "chinh_thuc",
                  "attendance": _text(member.get("attendance")) or "present",
                  "reason": _text(member.get("absence_reason"))}
        form.update({f"m-{row}-{k}": v for k, v in fields.items()})
    for row, speech in enumerate(data.get("discussion") or []):
        form.update({f"s-{row}-speaker": _text(speech.get("speaker")),
                     f"s-{row}-content": _text(speech.get("content"))})
    resolution = data.get("resolution") or {}
    for part in ("results", "tasks", "assessment"):
        form[f"res-{part}"] = "\n".join(str(line) for line in resolution.get(part) or [])
    for name in ("agree", "disagree", "other"):
        form[f"res-{name}"] = _count((resolution.get("vote") or {}).get(name))
    for row, item in enumerate(resolution.get("assignments") or []):
        form.update({f"a-{row}-who": _text(item.get("who")), f"a-{row}-task": _text(item.get("task")),
                     f"a-{row}-due": _text(item.get("due")), f"a-{row}-ref": _text(item.get("ref")),
                     f"a-{row}-due_month": _month(item.get("due_month"))})
    for row, item in enumerate(data.get("follow_ups") or []):
        form.update({f"f-{row}-{name}": _text(item.get(name))
                     for name in ("ref", "who", "task", "status", "note")})
    for row, item in enumerate(data.get("resolutions") or []):
        form[f"r-{row}-text"] = _text(item.get("text"))
        form.update({f"r-{row}-{name}": _count(item.get(name)) for name in ("agree", "disagree", "other")})
    return form


def monthly_corrected(base: dict[str, Any], typed: dict[str, Any], keys: list[str]) -> dict[str, Any]:
    """The monthly meeting *base* with what the form shows replaced by *typed*.

    Kept from *base*: what the form does not show (rules, the header's higher lines, the issuing
    code), and each member's code, unit and date of birth, found by the key of the row
    (*keys*, ``m-N-key`` in order); the self-typed counts (``check``) and the minutes vote are
    dropped when who came or who votes changed.
    """
    result = {k: copy.deepcopy(v) for k, v in base.items()
              if k not in typed and k not in _MONTHLY_FORM_KEYS}
    result.update(copy.deepcopy(typed))
    old_org, org = base.get("organisation") or {}, dict(typed["organisation"])
    parents = list(old_org.get("parents") or [])
    if parents and "parents" not in org:  # the higher lines kept, the one above the chi bộ as typed
        org["parents"] = [*parents[:-1], org.get("parent")]
    result["organisation"] = {**old_org, **org}
    old_members = {str(m.get("id") or m.get("name")): m for m in base.get("members") or []}
    for index, member in enumerate(result["members"]):
        old = old_members.get(keys[index] if index < len(keys) else "")
        if old is not None:
            member.update({k: v for k, v in old.items() if k not in member and k not in _ROW_KEYS})
    if _seats(base.get("members") or []) != _seats(result["members"]):
        result.pop("check", None)
        result.pop("minutes_vote", None)
    return result


_ROW_KEYS = {"name", "position", "membership", "attendance", "absence_reason"}  # a monthly member row
# shown on the form: absent from what it sends means cleared
_MONTHLY_FORM_KEYS = {"preparation", "resolution", "thematic_topic", "quality", "organisation_id",
                      "document_number", "follow_ups", "issue_resolution", "resolution_number", "local_basis"}


def new_meeting_form(args: Mapping[str, str]) -> tuple[dict[str, str], str | None]:
    """A new annual form, with the members of the chi bộ's roster at the meeting's day when it has one.

    The day is ``?ngay=`` as typed on the roster page (``05/12/2026``) or ISO (else today); the chi
    bộ the caller's own, or ``?organisation=``.
    """
    form = empty_form()
    text = days.iso(args.get("ngay", "").strip())
    try:
        on = date.fromisoformat(text) if text else date.today()
    except ValueError:
        text, on = "", date.today()
    found = rosters.meeting_roster(args.get("organisation") or None, on)
    if found is None or not found[2]:
        return form, None
    name, org_id, members = found
    form = roster_to_form(members, form)
    form["org_name"] = name
    if text:
        form["date"] = on.isoformat()
    if auth.caller().organisation_id != org_id:
        form["organisation_id"] = org_id
    return form, (f"Danh sách {len(members)} đảng viên lấy từ trang Đảng viên, theo tình trạng ngày "
                  f"{short_date(on)}; sửa được trên biểu mẫu (khách mời, người vắng…).")
