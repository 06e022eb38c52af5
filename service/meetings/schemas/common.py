"""Building blocks shared by every kind of meeting: text types, people, levels, votes.

Every text field goes through ``nfc`` (``schemas/text.py``: line breaks unified, characters XML
cannot hold refused, invisible characters removed, NFC, stripped). One-line types (``Line``,
``OrgName``, ``Name``) fold every run of white space, a typed newline included, to one space.
Every text and every list has a maximum length (``MAX_*`` below; the limits table of docs/api.md).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from enum import StrEnum
from fractions import Fraction
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

from service.meetings.schemas.text import nfc, single_spaced

MAX_TEXT = 5000  # a paragraph, a speech, a resolution
MAX_LINE = 300  # a line: a place, a position, an agenda item
MAX_ORG_NAME = 200  # a chi bộ or đảng bộ name (job titles and file names are made of it)
MAX_NAME = 120  # a person's name
MAX_MEMBER_ID = 64
MAX_MEMBERS = 2000  # members, and ratings, of one chi bộ
MAX_CHI_BO = 500  # chi bộ of one đảng bộ, and the đảng ủy's decisions on them

def wall_clock(value: datetime) -> datetime:
    """A meeting's local time as written: an offset, if one was sent, is dropped, not applied."""
    return value.replace(tzinfo=None)


DATE_TEXT = r"^\d{4}-\d{2}-\d{2}$"
DATETIME_TEXT = r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})?$"


def _written(pattern: str, kind: str) -> Any:
    """A check that a date or time is an object of its type or text matching *pattern*.

    Never a number (pydantic would take it as a Unix time), nor text the JSON Schema refuses.
    """
    def check(value: Any) -> Any:
        if isinstance(value, date) or (isinstance(value, str) and re.fullmatch(pattern, value)):
            return value
        raise PydanticCustomError(kind, "not a {kind} as text", {"kind": kind})
    return check


Text = Annotated[str, BeforeValidator(nfc), StringConstraints(min_length=1, max_length=MAX_TEXT)]
Line = Annotated[
    str,
    BeforeValidator(nfc),
    StringConstraints(min_length=1, max_length=MAX_LINE),
    AfterValidator(single_spaced),
]
OrgName = Annotated[
    str,
    BeforeValidator(nfc),
    StringConstraints(min_length=1, max_length=MAX_ORG_NAME),
    AfterValidator(single_spaced),
]
Name = Annotated[
    str,
    BeforeValidator(nfc),
    StringConstraints(min_length=1, max_length=MAX_NAME),
    AfterValidator(single_spaced),
]
LocalDateTime = Annotated[
    datetime,
    BeforeValidator(_written(DATETIME_TEXT, "datetime_text")),
    AfterValidator(wall_clock),
    WithJsonSchema({"type": "string", "pattern": DATETIME_TEXT, "examples": ["2025-12-05T14:00:00"],
                    "description": "Local time as printed (2025-12-05T14:00); an offset is ignored"}),
]
Day = Annotated[
    date,
    BeforeValidator(_written(DATE_TEXT, "date_text")),
    WithJsonSchema({"type": "string", "format": "date", "pattern": DATE_TEXT}),
]
Count = Annotated[int, Field(ge=0, le=100_000)]


class Level(StrEnum):
    """The four rating levels, identical for a chi bộ and for a đảng viên."""

    XUAT_SAC = "xuat_sac"
    TOT = "tot"
    HOAN_THANH = "hoan_thanh"
    KHONG_HOAN_THANH = "khong_hoan_thanh"

    @property
    def label(self) -> str:
        """The exact Vietnamese wording of the level."""
        return _LEVEL_LABELS[self]


_LEVEL_LABELS = {
    Level.XUAT_SAC: "Hoàn thành xuất sắc nhiệm vụ",
    Level.TOT: "Hoàn thành tốt nhiệm vụ",
    Level.HOAN_THANH: "Hoàn thành nhiệm vụ",
    Level.KHONG_HOAN_THANH: "Không hoàn thành nhiệm vụ",
}
LEVELS: tuple[Level, ...] = tuple(Level)  # highest first


class Membership(StrEnum):
    """Đảng viên chính thức vote; dự bị members are rated but do not vote."""

    CHINH_THUC = "chinh_thuc"
    DU_BI = "du_bi"


class Attendance(StrEnum):
    """Whether a member was at the meeting."""

    PRESENT = "present"
    ABSENT = "absent"
    EXEMPT = "exempt"  # miễn công tác và sinh hoạt đảng


class Model(BaseModel):
    """Base of the data models: unknown fields are refused."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)


MAX_PARENTS = 2  # header lines above the chi bộ: at most three lines in all (domain §10)

# the kinds of unit under a đảng ủy xã/phường (domain §11.3): a chi bộ trực thuộc, or a tổ chức cơ sở
# đảng (chi bộ cơ sở, đảng bộ cơ sở), or a đảng bộ bộ phận of a đảng bộ cơ sở
UnitKind = Literal["chi_bo_truc_thuoc", "chi_bo_co_so", "dang_bo_co_so", "dang_bo_bo_phan"]
UNIT_KINDS: dict[str, str] = {"chi_bo_truc_thuoc": "chi bộ trực thuộc", "chi_bo_co_so": "chi bộ cơ sở",
                              "dang_bo_co_so": "đảng bộ cơ sở", "dang_bo_bo_phan": "đảng bộ bộ phận"}


def is_dang_bo(kind: str) -> bool:
    """A đảng bộ (cơ sở or bộ phận): its committee is a đảng ủy, its documents ``…/ĐU``, T/M ĐẢNG ỦY."""
    return kind.startswith("dang_bo")


class Organisation(Model):
    """The issuing chi bộ and the committees above it, as the header's left column names them.

    ``parents`` lists the header lines above the chi bộ, highest first (``Đảng bộ tỉnh Hà
    Tĩnh``, ``Đảng ủy xã Kỳ Anh``); ``parent`` alone is the one-line form. After validation
    both are set: ``parent`` is the committee directly above (the last of ``parents``).
    """

    parents: list[Line] = Field(
        default_factory=list, max_length=MAX_PARENTS,
        title="Các dòng cấp trên ở tiêu đề, từ cấp cao xuống (tối đa 2; dòng cuối là cấp trên trực tiếp)",
        examples=[["Đảng bộ tỉnh Hà Tĩnh", "Đảng ủy xã Kỳ Anh"]],
    )
    parent: Line | None = Field(
        default=None, title="Cấp trên trực tiếp (ghi parent hoặc parents)", examples=["Đảng ủy xã Kỳ Anh"]
    )
    name: OrgName = Field(title="Tên chi bộ (hoặc đảng bộ)", examples=["Chi bộ thôn Tân Phong"])
    kind: UnitKind = Field(
        default="chi_bo_truc_thuoc",
        title="Loại tổ chức: chi bộ trực thuộc, chi bộ cơ sở, đảng bộ cơ sở, đảng bộ bộ phận",
    )
    place: Line = Field(title="Địa danh ghi ở dòng ngày tháng", examples=["Kỳ Anh"])
    issuer_code: Annotated[str, StringConstraints(pattern=r"^[A-ZĐ]{1,10}$")] | None = Field(
        default=None, title="Ký hiệu cơ quan ban hành (mặc định: CB cho chi bộ, ĐU cho đảng bộ)"
    )
    has_committee: bool = Field(default=False, title="Chi bộ có chi ủy")

    @model_validator(mode="after")
    def _one_chain(self) -> Organisation:
        if not self.parents and self.parent is None:
            raise PydanticCustomError("parent_missing", "parent or parents is required")
        if self.parents and self.parent is not None and self.parent != self.parents[-1]:
            raise PydanticCustomError("parent_mismatch", "parent is not the last of parents",
                                      {"parent": self.parent, "last": self.parents[-1]})
        if self.parent is None:
            self.parent = self.parents[-1]
        if not self.parents:
            self.parents = [self.parent]
        return self

    @property
    def code(self) -> str:
        """The issuer's code in document numbers: as given, else ``ĐU`` for a đảng bộ, ``CB`` for a chi bộ."""
        return self.issuer_code or ("ĐU" if is_dang_bo(self.kind) else "CB")

    @property
    def is_dang_bo(self) -> bool:
        """Whether the unit is a đảng bộ (its documents are the đảng ủy's)."""
        return is_dang_bo(self.kind)


class Person(Model):
    """A named person with an optional position (chức vụ)."""

    name: Name = Field(title="Họ và tên")
    position: Line | None = Field(default=None, title="Chức vụ")


class Member(Model):
    """One đảng viên of the chi bộ and whether they attended."""

    id: Annotated[str, BeforeValidator(nfc), StringConstraints(min_length=1, max_length=MAX_MEMBER_ID),
                  AfterValidator(single_spaced)] | None = Field(
        default=None, title="Mã đảng viên (nếu không có, dùng họ tên)"
    )
    name: Name = Field(title="Họ và tên")
    position: Line | None = Field(default=None, title="Chức vụ")
    membership: Membership = Field(default=Membership.CHINH_THUC, title="Chính thức / dự bị")
    attendance: Attendance = Field(default=Attendance.PRESENT, title="Có mặt / vắng / miễn")
    absence_reason: Line | None = Field(default=None, title="Lý do vắng mặt")
    not_rated_reason: Line | None = Field(
        default=None, title="Lý do không đánh giá, xếp loại năm nay",
        examples=["mới kết nạp ngày 20/10/2025", "ốm đau dài ngày, không tham gia sinh hoạt"],
        description="Chỉ ghi khi đảng viên không được đánh giá, xếp loại ở hội nghị này; "
        "khi đó không có mục ratings của đảng viên này.",
    )
    birth_date: Day | None = Field(default=None, title="Ngày sinh")
    unit: Line | None = Field(default=None, title="Đơn vị công tác")
    leadership_post: bool = Field(default=False, title="Giữ chức vụ lãnh đạo, quản lý (Mẫu 02A)")
    outside_political_system: bool = Field(
        default=False, title="Không làm việc trong hệ thống chính trị (Mẫu 02C)"
    )

    @property
    def key(self) -> str:
        """The identifier ratings use to refer to this member."""
        return self.id or self.name


class Votes(Model):
    """Number of ballots cast for each level."""

    xuat_sac: Count = 0
    tot: Count = 0
    hoan_thanh: Count = 0
    khong_hoan_thanh: Count = 0

    def for_level(self, level: Level) -> int:
        """Votes cast for *level*."""
        return int(getattr(self, level.value))

    @property
    def total(self) -> int:
        """All ballots cast for some level."""
        return sum(self.for_level(level) for level in LEVELS)


class Speech(Model):
    """One contribution to the discussion, attributed to its speaker."""

    speaker: Name = Field(title="Người phát biểu")
    content: Text = Field(title="Nội dung")


class MinutesVote(Model):
    """The vote approving the minutes at the end of the meeting."""

    agree: Count = Field(title="Tán thành")
    disagree: Count = Field(default=0, title="Không tán thành")


class Check(Model):
    """Counts the secretary typed herself; each is checked against the member list."""

    member_count: Count | None = Field(default=None, title="Tổng số đảng viên")
    present_count: Count | None = Field(default=None, title="Số đảng viên có mặt")
    voter_count: Count | None = Field(default=None, title="Số đảng viên có quyền biểu quyết có mặt")


LayoutRegime = Literal["hd36", "hd05"]  # the keys of service.meetings.layouts.LAYOUTS


class VoteRule(Model):
    """How votes become a level; local guidance differs, so each part is a setting."""

    method: Literal["majority", "plurality"] = Field(
        default="majority",
        title="majority: mức cao nhất có số phiếu (cộng dồn từ mức đó trở lên) vượt ngưỡng; "
        "plurality: mức có nhiều phiếu nhất",
    )
    threshold: Annotated[Fraction, Field(gt=0, le=1)] = Field(
        default=Fraction(1, 2), title="Ngưỡng, phần của mẫu số (\"1/2\", \"2/3\")"
    )
    strictly_above: bool = Field(default=True, title="Phải vượt quá ngưỡng (quá một nửa)")
    denominator: Literal["present_voters", "all_voters", "valid_ballots"] = Field(
        default="present_voters",
        title="Mẫu số: đảng viên chính thức có mặt, toàn bộ đảng viên chính thức được triệu tập, "
        "hay số phiếu hợp lệ",
    )
    quota_percent: Literal[20, 25] = Field(
        default=20, title="Tỷ lệ tối đa \"xuất sắc\" so với \"tốt\" (25% khi được cấp trên cho phép)"
    )
    rounding: Literal["half_up", "truncate"] = Field(default="half_up", title="Làm tròn tỷ lệ")
    decimals: Annotated[int, Field(ge=0, le=2)] = Field(default=1, title="Số chữ số thập phân")
    layout: LayoutRegime = Field(
        default="hd36",
        title="Thể thức trình bày: hd36 (Hướng dẫn 36-HD/VPTW, mặc định) hoặc hd05 (Hướng dẫn "
        "05-HD/VPTW năm 2026, chưa đối chiếu bản gốc)",
    )
    chi_bo_ballots_per_sheet: Literal[1, 2, 4] = Field(
        default=1, title="Số phiếu đánh giá chi bộ in trên một tờ A4 (1, 2 hoặc 4; có đường cắt)"
    )


def _without_so(value: object) -> object:
    # "Số 129-KH/HU" and "129-KH/HU" are the same number; the documents print "số" themselves
    if isinstance(value, str):
        return re.sub(r"^\s*số[\s:.]*", "", value, flags=re.IGNORECASE)
    return value


class LocalBasis(Model):
    """A local document the meeting follows, cited after the central ones ("Căn cứ …")."""

    kind: Annotated[str, BeforeValidator(nfc), StringConstraints(min_length=1, max_length=60),
                    AfterValidator(single_spaced)] = Field(
        title="Loại văn bản", examples=["Kế hoạch", "Hướng dẫn", "Công văn"])
    number: Annotated[str, BeforeValidator(nfc), BeforeValidator(_without_so),
                      StringConstraints(min_length=1, max_length=40), AfterValidator(single_spaced)] = Field(
        title="Số và ký hiệu", examples=["129-KH/HU"])
    date: Day = Field(title="Ngày ban hành")
    issuer: Line = Field(title="Cơ quan ban hành", examples=["Đảng ủy xã Kỳ Anh"])
    subject: Line | None = Field(
        default=None, title="Trích yếu (không bắt buộc)",
        examples=["về kiểm điểm, đánh giá, xếp loại chất lượng tổ chức đảng, đảng viên năm 2025"])


class MeetingBase(Model):
    """What every meeting has: the chi bộ, when and where, who chaired, who came, what was said."""

    organisation: Organisation
    organisation_id: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{32}$")] | None = Field(
        default=None, title="Mã tổ chức trên hệ thống (chi bộ của đảng ủy; không bắt buộc)",
        description="Whose job this is, chosen explicitly: a đảng ủy names one of its own chi bộ "
                    "(GET /api/v1/organisations); the chi bộ name typed in `organisation.name` never "
                    "decides it",
    )
    start: LocalDateTime = Field(title="Thời gian bắt đầu (giờ địa phương)")
    end: LocalDateTime = Field(title="Thời gian kết thúc (giờ địa phương)")
    location: Line = Field(title="Địa điểm")
    chair: Person = Field(title="Chủ trì")
    secretary: Person = Field(title="Thư ký")
    guests: list[Person] = Field(default_factory=list, title="Đại biểu cấp trên", max_length=50)
    members: list[Member] = Field(title="Đảng viên", min_length=1, max_length=MAX_MEMBERS)
    agenda: list[Line] = Field(default_factory=list, title="Nội dung, chương trình", max_length=50)
    discussion: list[Speech] = Field(default_factory=list, title="Ý kiến phát biểu", max_length=500)
    conclusion: list[Text] = Field(default_factory=list, title="Kết luận", max_length=50)
    minutes_vote: MinutesVote | None = Field(
        default=None,
        title="Biểu quyết thông qua biên bản (mặc định: mọi đảng viên chính thức có mặt tán thành)",
    )
    check: Check | None = Field(default=None, title="Số liệu tự đối chiếu (không bắt buộc)")
    rules: VoteRule = Field(default_factory=VoteRule, title="Quy tắc tính kết quả và tỷ lệ")
    local_basis: list[LocalBasis] = Field(
        default_factory=list, max_length=10,
        title="Văn bản của cấp ủy cấp trên làm căn cứ (in sau các văn bản của Trung ương)",
    )
