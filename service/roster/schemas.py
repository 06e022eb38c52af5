"""A roster as the API takes it: ``{"members": [...]}``, validated with pydantic.

Texts go through the meetings' own types (NFC, one line, limits); card and CCCD numbers are
text (leading zeros kept, never a JSON number). ``parse_roster`` raises one
``InvalidRosterError`` naming every failing field (``members[3].official_on``).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints, ValidationError, model_validator
from pydantic_core import PydanticCustomError

from service.errors import FieldProblem, InvalidRosterError
from service.meetings.schemas.common import MAX_MEMBERS, Day, Line, Membership, Model, Name
from service.meetings.validation import field_path, problem_message

FIELDS = ("name", "birth_date", "birth_year", "sex", "admitted_on", "official_on", "membership",
          "exempt", "party_post", "job_post", "leadership_post", "outside_political_system",
          "card_number", "cccd", "left_on", "left_reason")
LEFT_REASONS = {"moved": "Chuyển sinh hoạt đi", "died": "Từ trần", "struck_off": "Xoá tên, khai trừ"}
SEXES = {"nam": "Nam", "nu": "Nữ"}

CardNumber = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[0-9A-Za-z./-]{1,40}$")]
Cccd = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^(\d{9}|\d{12})$")]
Id = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{32}$")]


class RosterEntry(Model):
    """One member of the roster."""

    id: Id | None = Field(default=None, title="Mã trên hệ thống (bỏ trống: đảng viên mới)")
    name: Name = Field(title="Họ và tên")
    birth_date: Day | None = Field(default=None, title="Ngày sinh")
    birth_year: int | None = Field(default=None, ge=1900, le=2100,
                                   title="Năm sinh (khi chỉ biết năm)")
    sex: Literal["nam", "nu"] | None = Field(default=None, title="Giới tính")
    admitted_on: Day | None = Field(default=None, title="Ngày vào Đảng")
    official_on: Day | None = Field(default=None, title="Ngày chính thức")
    membership: Membership = Field(default=Membership.CHINH_THUC, title="Chính thức / dự bị (theo hồ sơ)")
    exempt: bool = Field(default=False, title="Miễn công tác và sinh hoạt đảng")
    party_post: Line | None = Field(default=None, title="Chức vụ Đảng")
    job_post: Line | None = Field(default=None, title="Chức vụ chính quyền, đoàn thể, nơi làm việc")
    leadership_post: bool = Field(default=False, title="Giữ chức vụ lãnh đạo, quản lý (Mẫu 02A)")
    outside_political_system: bool = Field(default=False,
                                           title="Không làm việc trong hệ thống chính trị (Mẫu 02C)")
    card_number: CardNumber | None = Field(default=None, title="Số thẻ đảng viên")
    cccd: Cccd | None = Field(default=None, title="Số CCCD (12 chữ số) hoặc CMND (9)")
    left_on: Day | None = Field(default=None, title="Ngày ra khỏi danh sách")
    left_reason: Literal["moved", "died", "struck_off"] | None = Field(
        default=None, title="Lý do: moved (chuyển đi), died (từ trần), struck_off (xoá tên, khai trừ)")

    @model_validator(mode="after")
    def _consistent(self) -> RosterEntry:
        if (self.left_on is None) != (self.left_reason is None):
            raise PydanticCustomError("roster_left", "left_on and left_reason go together")
        if self.admitted_on and self.official_on and self.official_on < self.admitted_on:
            raise PydanticCustomError("roster_official", "official before admitted")
        born = self.birth_date.year if self.birth_date else self.birth_year
        if born and self.admitted_on and self.admitted_on.year - born < 16:
            raise PydanticCustomError("roster_young", "admitted before 16")
        if self.birth_date and self.birth_year and self.birth_date.year != self.birth_year:
            raise PydanticCustomError("roster_birth", "birth year differs")
        return self


class Roster(Model):
    """The whole roster of one chi bộ, in its order."""

    members: list[RosterEntry] = Field(max_length=MAX_MEMBERS, title="Đảng viên")


_MESSAGES = {
    "roster_left": "Ngày ra khỏi danh sách và lý do phải ghi cùng nhau.",
    "roster_official": "Ngày chính thức phải sau ngày vào Đảng.",
    "roster_young": "Ngày vào Đảng phải từ khi đủ 16 tuổi (xem lại ngày sinh, ngày vào Đảng).",
    "roster_birth": "Ngày sinh và năm sinh không khớp nhau.",
}


def detail_of(error: Any) -> str:
    """The Vietnamese message of one pydantic error of a roster."""
    kind = error["type"]
    if kind in _MESSAGES:
        return _MESSAGES[kind]
    if kind == "string_pattern_mismatch" and error["loc"][-1] == "cccd":
        return "Số CCCD gồm 12 chữ số (CMND cũ: 9), ghi dạng chữ để giữ số 0 ở đầu."
    if kind == "string_pattern_mismatch" and error["loc"][-1] == "card_number":
        return "Số thẻ đảng viên chỉ gồm chữ số, chữ cái, dấu chấm, gạch (tối đa 40 ký tự)."
    return problem_message(error)


def parse_roster(data: Any) -> Roster:
    """Validate a roster body fully, or raise ``InvalidRosterError`` naming every failing field."""
    if not isinstance(data, dict):
        raise InvalidRosterError([FieldProblem("(gốc)", 'Dữ liệu phải là một đối tượng JSON '
                                               '{"members": [...]}.')])
    try:
        roster = Roster.model_validate(data)
    except ValidationError as exc:
        raise InvalidRosterError([FieldProblem(field_path(e["loc"]), detail_of(e))
                                  for e in exc.errors(include_url=False)]) from exc
    seen: dict[str, int] = {}
    found = []
    for index, entry in enumerate(roster.members):
        if entry.id is not None and entry.id in seen:
            found.append(FieldProblem(f"members[{index}].id",
                                      f"Mã này đã có ở dòng {seen[entry.id] + 1}."))
        elif entry.id is not None:
            seen[entry.id] = index
    if found:
        raise InvalidRosterError(found)
    return roster


def entry_json(entry: RosterEntry) -> dict[str, Any]:
    """An entry as JSON (dates as ISO text)."""
    return entry.model_dump(mode="json")



def roster_json_schema(ref_template: str = "#/$defs/{model}") -> dict[str, Any]:
    """The JSON Schema of a roster body (``$defs``: the entry and the membership)."""
    return Roster.model_json_schema(ref_template=ref_template)
