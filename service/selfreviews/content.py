"""What a member writes on her self-review page, checked; and how it joins the meeting's data.

Her form is kept as she typed it (``raw``: one text per section, the self-rating, the two group
scores), so a half-written draft is never refused. ``problems`` says what stops it being sent;
``as_rating`` is the part of the meeting's ``ratings[]`` entry it fills once the chi bộ has
accepted it (``merge``). Pure: no I/O.
"""

from __future__ import annotations

import copy
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from service.errors import FieldProblem
from service.meetings.rules import level_for_score, score_contradicts
from service.meetings.schemas import LEVELS, Level
from service.meetings.schemas.common import MAX_TEXT

# the six sections of Mẫu 02 (``ReviewText``), each with a one-line hint for the member
SECTIONS: tuple[tuple[str, str, str], ...] = (
    ("strengths", "I. Ưu điểm, kết quả đạt được",
     "Những việc đồng chí đã làm tốt trong năm: tư tưởng chính trị, đạo đức, lối sống, nhiệm vụ được giao."),
    ("shortcomings", "II. Hạn chế, khuyết điểm và nguyên nhân",
     "Những việc chưa làm được hoặc làm chưa tốt, và vì sao."),
    ("remediation", "III. Kết quả khắc phục hạn chế đã được chỉ ra ở các kỳ kiểm điểm trước",
     "Hạn chế chi bộ đã chỉ ra năm trước, năm nay đã sửa được đến đâu."),
    ("explanations", "IV. Giải trình những vấn đề được gợi ý kiểm điểm (nếu có)",
     "Chỉ viết khi chi bộ hoặc cấp trên gợi ý đồng chí giải trình; không có thì để trống."),
    ("responsibility", "V. Làm rõ trách nhiệm của cá nhân",
     "Phần trách nhiệm của đồng chí đối với hạn chế của chi bộ, nơi công tác (nếu có)."),
    ("direction", "VI. Phương hướng, biện pháp khắc phục hạn chế, khuyết điểm",
     "Năm tới đồng chí sẽ làm gì để khắc phục hạn chế và làm tốt hơn."),
)
SECTION_KEYS = tuple(key for key, _, _ in SECTIONS)
# the two criteria groups of a member's 100-point score (QĐ 366, from 2025) and their limits
GROUPS: tuple[tuple[str, str, Decimal], ...] = (
    ("general", "Nhóm tiêu chí chung", Decimal(30)),
    ("tasks", "Nhóm tiêu chí về kết quả thực hiện nhiệm vụ", Decimal(70)),
)
FIELDS = (*SECTION_KEYS, "self_rating", *(key for key, _, _ in GROUPS))
_LEVEL_VALUES = {level.value for level in LEVELS}


def raw(form: dict[str, str]) -> dict[str, str]:
    """The fields of her form, as typed (unknown fields dropped, each text cut at the limit)."""
    return {key: str(form.get(key, "")).replace("\r\n", "\n").strip()[:MAX_TEXT * 4] for key in FIELDS}


def paragraphs(text: str) -> list[str]:
    """One paragraph a non-empty line."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def score(text: str) -> Decimal | None:
    """A typed score (``25``, ``25,5`` or ``25.5``), or None when it is not a number."""
    text = text.strip().replace(",", ".")
    if not re.fullmatch(r"\d{1,3}(\.\d)?", text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern only lets numbers through
        return None


def total(content: dict[str, str]) -> Decimal | None:
    """The sum of the two group scores, when both are good numbers within their limits."""
    values = [score(content.get(key, "")) for key, _, _ in GROUPS]
    if any(v is None for v in values) or any(v is not None and v > most
                                             for v, (_, _, most) in zip(values, GROUPS, strict=True)):
        return None
    return sum((v for v in values if v is not None), Decimal(0))


def band(content: dict[str, str]) -> Level | None:
    """The level the total score gives (QĐ 366 Điều 11), when there is a total."""
    found = total(content)
    return level_for_score(found) if found is not None else None


def problems(content: dict[str, str], *, scored: bool, sending: bool) -> list[FieldProblem]:
    """What is wrong with her form; ``sending``: also what is still missing before "Gửi chi bộ"."""
    found: list[FieldProblem] = []
    for key, title, _ in SECTIONS:
        if any(len(p) > MAX_TEXT for p in paragraphs(content.get(key, ""))):
            found.append(FieldProblem(key, f"Mục \"{title}\": mỗi đoạn tối đa {MAX_TEXT} ký tự."))
    if scored:
        for key, title, most in GROUPS:
            text = content.get(key, "")
            value = score(text)
            if text and (value is None or value > most):
                found.append(FieldProblem(key, f"{title}: ghi một số từ 0 đến {most} (ví dụ 25 hoặc 25,5)."))
            elif sending and not text:
                found.append(FieldProblem(key, f"Hãy ghi điểm {title.lower()} (tối đa {most})."))
    rating = content.get("self_rating", "")
    if rating and rating not in _LEVEL_VALUES:
        found.append(FieldProblem("self_rating", "Hãy chọn một trong bốn mức tự xếp loại."))
    if sending:
        if not rating:
            found.append(FieldProblem("self_rating", "Hãy chọn mức tự xếp loại."))
        if not any(paragraphs(content.get(key, "")) for key in SECTION_KEYS):
            found.append(FieldProblem("strengths", "Bản kiểm điểm chưa có nội dung: hãy viết ít nhất mục I."))
    points = total(content) if scored else None
    if points is not None and rating in _LEVEL_VALUES and \
            score_contradicts(points, Level(rating), disqualified=False):
        found.append(FieldProblem("self_rating", f"Tổng điểm {_number(points)} ứng với mức \""
                                  f"{level_for_score(points).label}\"; mức tự xếp loại phải khớp với điểm."))
    return found


def _number(value: Decimal) -> str:
    return format(value.normalize(), "f").replace(".", ",")


def as_rating(content: dict[str, str], *, scored: bool) -> dict[str, Any]:
    """The part of a meeting's ``ratings[]`` entry her accepted self-review fills."""
    found: dict[str, Any] = {"review": {key: paragraphs(content.get(key, "")) for key in SECTION_KEYS}}
    if content.get("self_rating") in _LEVEL_VALUES:
        found["self_rating"] = content["self_rating"]
    values = {key: score(content.get(key, "")) for key, _, _ in GROUPS}
    if scored and all(v is not None for v in values.values()):
        found["scores"] = {key: str(v) for key, v in values.items()}
    return found


def merge(payload: dict[str, Any], accepted: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """*payload* (an annual review's data) with each accepted self-review written into its rating.

    *accepted* maps a member's key (id, else name) to ``as_rating``. A member with no rating yet
    gets one (votes to be entered); the votes and anything else already there are kept. A typed
    total that no longer matches the groups is dropped (the groups are hers).
    """
    result = copy.deepcopy(payload)
    ratings: list[dict[str, Any]] = result.setdefault("ratings", [])
    names = {str(m.get("id") or m.get("name")): str(m.get("name")) for m in result.get("members") or []}
    for key, part in accepted.items():
        rating = next((r for r in ratings if str(r.get("member")) in (key, names.get(key))), None)
        if rating is None:
            rating = {"member": key, "votes": {}}
            ratings.append(rating)
        rating.update(copy.deepcopy(part))
        if "scores" in part:
            rating.pop("self_score", None)
    return result
