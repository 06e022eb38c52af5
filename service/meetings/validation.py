"""Turning submitted data into a ``Meeting``, or into every reason it is refused.

``parse_meeting`` runs the pydantic model and then the arithmetic checks of
``service.meetings.figures``, and raises one ``InvalidMeetingError`` listing every failing field
with a Vietnamese message. Nothing is queued or rendered before this has passed.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from service.errors import FieldProblem, InvalidMeetingError
from service.meetings import ledger
from service.meetings.checks import problems
from service.meetings.dates import Calendar
from service.meetings.schemas import MEETING_ADAPTER, AnyMeeting, MonthlyMeeting

_KINDS = {"annual_review", "monthly", "dang_bo"}

_MESSAGES = {
    "missing": "Thiếu trường bắt buộc.",
    "extra_forbidden": "Trường này không có trong mẫu dữ liệu.",
    "string_too_short": "Không được để trống.",
    "string_too_long": "Quá dài (tối đa {max_length} ký tự).",
    "string_type": "Phải là chuỗi ký tự.",
    "string_unicode": "Chuỗi ký tự không hợp lệ (lỗi mã hóa Unicode).",
    "forbidden_character": "Có ký tự không được phép ({code}, ở vị trí {position}): ký tự điều khiển "
                           "hoặc lỗi mã hóa; hãy xóa ký tự đó.",
    "invisible_only": "Chỉ có ký tự không hiển thị (dấu cách độ rộng 0, gạch nối mềm…); hãy nhập "
                      "nội dung.",
    "parent_missing": "Thiếu cấp trên: ghi parent (cấp trên trực tiếp) hoặc parents (các dòng cấp "
                      "trên ở tiêu đề, từ cấp cao xuống).",
    "parent_mismatch": "parent ('{parent}') phải trùng dòng cuối của parents ('{last}'), là cấp trên "
                       "trực tiếp; chỉ cần ghi một trong hai.",
    "string_pattern_mismatch": "Không đúng định dạng.",
    "int_type": "Phải là số nguyên.",
    "int_parsing": "Phải là số nguyên.",
    "int_from_float": "Phải là số nguyên.",
    "bool_type": "Phải là true hoặc false.",
    "bool_parsing": "Phải là true hoặc false.",
    "greater_than_equal": "Phải lớn hơn hoặc bằng {ge}.",
    "greater_than": "Phải lớn hơn {gt}.",
    "less_than_equal": "Phải nhỏ hơn hoặc bằng {le}.",
    "enum": "Giá trị không hợp lệ; chọn một trong: {expected}.",
    "literal_error": "Giá trị không hợp lệ; chọn một trong: {expected}.",
    "union_tag_invalid": "Loại hội nghị không hợp lệ; chọn một trong: {expected_tags}.",
    "list_type": "Phải là một danh sách.",
    "too_short": "Cần ít nhất {min_length} mục.",
    "too_long": "Nhiều nhất {max_length} mục.",
    "model_type": "Phải là một đối tượng JSON.",
    "model_attributes_type": "Phải là một đối tượng JSON.",
    "dict_type": "Phải là một đối tượng JSON.",
    "datetime_parsing": "Ngày giờ không hợp lệ (dạng 2025-12-05T14:00).",
    "datetime_from_date_parsing": "Ngày giờ không hợp lệ (dạng 2025-12-05T14:00).",
    "datetime_type": "Ngày giờ không hợp lệ (dạng 2025-12-05T14:00).",
    "date_parsing": "Ngày không hợp lệ (dạng 2025-12-05).",
    "date_from_datetime_parsing": "Ngày không hợp lệ (dạng 2025-12-05).",
    "date_type": "Ngày không hợp lệ (dạng 2025-12-05).",
    "datetime_text": "Ngày giờ không hợp lệ (dạng 2025-12-05T14:00).",
    "date_text": "Ngày không hợp lệ (dạng 2025-12-05).",
    "decimal_parsing": "Phải là một số.",
    "decimal_type": "Phải là một số.",
    "decimal_max_places": "Nhiều nhất {decimal_places} chữ số thập phân.",
}


def _printable(name: str) -> str:
    # an unknown key is named as sent, but never with a character JSON-in-UTF-8 cannot carry
    name = name if len(name) <= 100 else name[:100] + "…"
    return "".join(c if c.isprintable() and not 0xD800 <= ord(c) <= 0xDFFF else f"\\u{ord(c):04x}"
                   for c in name)


def field_path(loc: tuple[int | str, ...]) -> str:
    """``("members", 2, "name")`` → ``members[2].name``."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{_printable(part)}" if path else _printable(str(part))
    return path or "(gốc)"


def _message(error: ErrorDetails) -> str:
    kind = error["type"]
    if kind in {"int_type", "int_parsing"} and error.get("input") in ("", None):
        return "Chưa nhập số: nhập 0 nếu không có ai."
    if kind in {"too_long", "too_short"} and isinstance(error.get("input"), str):
        kind = f"string_{kind}"
    template = _MESSAGES.get(kind)
    if template is None:
        return f"Giá trị không hợp lệ ({error['msg']})."
    context = {k: str(v).replace("' or '", "', '") for k, v in (error.get("ctx") or {}).items()}
    try:
        return template.format(**context)
    except KeyError:
        return template


# a member's score groups (QĐ 366, Phụ lục): a score out of range names its group and its maximum
_SCORE_GROUPS = {"general": "Nhóm tiêu chí 1 (tiêu chí chung)",
                 "tasks": "Nhóm tiêu chí 2 (kết quả thực hiện nhiệm vụ)"}


def _group_message(error: ErrorDetails) -> str | None:
    loc = error["loc"]
    if len(loc) < 2 or loc[-2] != "scores" or loc[-1] not in _SCORE_GROUPS:
        return None
    group = _SCORE_GROUPS[str(loc[-1])]
    limit = (error.get("ctx") or {}).get("le")
    if error["type"] == "less_than_equal" and limit is not None:
        return f"{group}: tối đa {limit} điểm."
    return f"{group}: {_message(error)}"


def problem_message(error: ErrorDetails) -> str:
    """The Vietnamese message of one pydantic error (for other models built on these types)."""
    return _message(error)


def _strip_tag(loc: tuple[int | str, ...]) -> tuple[int | str, ...]:
    # a discriminated union puts the kind first: ("annual_review", "members", 1, "name")
    return loc[1:] if loc and loc[0] in _KINDS else loc


def parse_meeting(data: Any, calendar: Calendar | None = None) -> AnyMeeting:
    """Validate *data* fully; raise ``InvalidMeetingError`` naming every failing field.

    With a *calendar* (what the edges pass: today and ``MEETING_DAYS_AHEAD``) a meeting dated
    too far in the future is refused too; without one (data already accepted once, being built
    again) it is not.
    """
    if not isinstance(data, dict):
        raise InvalidMeetingError([FieldProblem("(gốc)", "Dữ liệu phải là một đối tượng JSON.")])
    data = {"kind": "annual_review", **data}
    try:
        meeting = MEETING_ADAPTER.validate_python(data)
    except ValidationError as exc:
        found = [FieldProblem("kind" if e["type"].startswith("union_tag") else
                              field_path(_strip_tag(e["loc"])), _group_message(e) or _message(e))
                 for e in exc.errors(include_url=False)]
        raise InvalidMeetingError(found) from exc
    found = problems(meeting, calendar)
    if found:
        raise InvalidMeetingError(found)
    if isinstance(meeting, MonthlyMeeting):
        meeting = ledger.with_refs(meeting)  # part III's assignments named once, for the ledger
    return meeting
