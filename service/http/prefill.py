"""The form of a meeting already sent, and its correction laid over the data it came from.

``payload_to_form`` fills the form from any annual review — typed in the form, sent as JSON,
or read from a workbook. ``corrected`` lays what the form shows over the job's data, so a
correction keeps what the form cannot show: the review texts of Mẫu 01 and 02, member codes
and units, the collective's score groups, the issuing code, the rules block…
"""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

from service.http.forms import VOTE_FIELDS, empty_form, member_rows
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


def payload_to_form(data: dict[str, Any]) -> dict[str, str]:
    """The form's fields for an annual review's data (JSON as stored)."""
    org = data.get("organisation") or {}
    defaults = empty_form()
    start, end = str(data.get("start") or ""), str(data.get("end") or "")
    form: dict[str, str] = {
        "org_parent": _text(org.get("parent")), "org_name": _text(org.get("name")),
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
    }
    chi_bo = data.get("chi_bo_rating") or {}
    form["cb-rating"] = _text(chi_bo.get("self_rating"))
    form["cb-score"] = _text(chi_bo.get("self_score"))
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
    for k, v in old_chi_bo.items():
        if k not in chi_bo and k not in ("self_score", "votes", "self_rating"):
            chi_bo[k] = v
    if chi_bo.get("score_groups") and str(chi_bo.get("self_score")) != str(old_chi_bo.get("self_score")):
        del chi_bo["score_groups"]  # she typed another total: the groups no longer add up to it
    if base.get("report") or typed.get("report"):
        result["report"] = {**(base.get("report") or {}), **(typed.get("report") or {})}
        if "report" not in typed:
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
    return filled
