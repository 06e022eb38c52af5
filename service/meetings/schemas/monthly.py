"""The regular monthly meeting of a chi bộ (sinh hoạt chi bộ định kỳ, domain §5.8 and §10).

From the date in ``rules.directive_from`` (November 2025) a meeting follows Chỉ thị 50-CT/TW
and HD 42-HD/BTCTW: at least ``min_minutes`` (``min_minutes_combined`` when held together with
the thematic meeting), prepared by the chi ủy, materials on the Sổ tay đảng viên beforehand, and
a resolution in four parts. Everything they add is optional here; the figures warn, not refuse.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import Field

from service.meetings.schemas.common import Count, Day, Line, MeetingBase, Model, Name, Text, VoteRule

Minutes = Annotated[int, Field(ge=1, le=600)]


class MonthlyRules(VoteRule):
    """The vote rule, plus the monthly-meeting rules whose details the domain file leaves open."""

    directive_from: Day = Field(
        default=date(2025, 11, 1),
        title="Buổi sinh hoạt từ ngày này theo Chỉ thị 50-CT/TW và Hướng dẫn 42-HD/BTCTW "
        "(trích dẫn, thời lượng tối thiểu)",
    )
    min_minutes: Minutes = Field(default=90, title="Thời lượng tối thiểu (phút)")
    min_minutes_combined: Minutes = Field(
        default=120, title="Thời lượng tối thiểu khi sinh hoạt thường kỳ kết hợp sinh hoạt chuyên đề (phút)"
    )
    materials_days_before: Annotated[int, Field(ge=0, le=30)] = Field(
        default=1,
        title="Tài liệu đăng trên Sổ tay đảng viên điện tử ít nhất bao nhiêu ngày trước buổi sinh hoạt",
    )


class VoteCount(Model):
    """The show of hands on the month's resolution."""

    agree: Count = Field(title="Tán thành")
    disagree: Count = Field(default=0, title="Không tán thành")
    other: Count = Field(default=0, title="Ý kiến khác")


class Resolution(Model):
    """A resolution (nghị quyết, kết luận) put to the vote."""

    text: Text = Field(title="Nội dung nghị quyết")
    agree: Count = Field(title="Tán thành")
    disagree: Count = Field(default=0, title="Không tán thành")
    other: Count = Field(default=0, title="Ý kiến khác")


class Preparation(Model):
    """How the meeting was prepared (HD 42-HD/BTCTW); each line is printed only when given."""

    drafted_by: Name | None = Field(
        default=None, title="Đồng chí được bí thư phân công chuẩn bị nội dung, dự thảo nghị quyết"
    )
    committee_met: Day | None = Field(
        default=None, title="Ngày chi ủy (nơi không có chi ủy: bí thư, phó bí thư) họp thống nhất nội dung"
    )
    notified: Day | None = Field(
        default=None, title="Ngày thông báo thời gian, địa điểm, nội dung đến đảng viên và cấp ủy cấp trên"
    )
    materials_posted: Day | None = Field(
        default=None, title="Ngày đăng tài liệu sinh hoạt trên ứng dụng Sổ tay đảng viên điện tử"
    )


class Assignment(Model):
    """One line of part III of the resolution: who does what, by when."""

    who: Line = Field(title="Người, bộ phận thực hiện", examples=["Đồng chí Trịnh Văn Lộc"])
    task: Text = Field(title="Nhiệm vụ")
    due: Day | None = Field(default=None, title="Thời hạn hoàn thành")


class MonthlyResolution(Model):
    """The month's resolution in four parts and its vote; part IV takes the meeting's ``quality``."""

    results: list[Text] = Field(default_factory=list, max_length=50,
                                title="I. Đánh giá kết quả thực hiện nhiệm vụ")
    tasks: list[Text] = Field(default_factory=list, max_length=50, title="II. Phương hướng, nhiệm vụ")
    assignments: list[Assignment] = Field(default_factory=list, max_length=50,
                                          title="III. Phân công tổ chức thực hiện")
    assessment: list[Text] = Field(default_factory=list, max_length=20,
                                   title="IV. Nhận xét chất lượng buổi sinh hoạt (không bắt buộc)")
    vote: VoteCount = Field(title="Biểu quyết thông qua nghị quyết")


class MonthlyMeeting(MeetingBase):
    """One monthly meeting and its minutes."""

    kind: Literal["monthly"] = "monthly"
    document_number: Annotated[int, Field(ge=1, le=9999)] | None = Field(
        default=None, title="Số biên bản (không bắt buộc)"
    )
    month: Annotated[int, Field(ge=1, le=12)] = Field(title="Tháng")
    year: Annotated[int, Field(ge=2000, le=2100)] = Field(title="Năm")
    combined_thematic: bool = Field(
        default=False, title="Sinh hoạt thường kỳ kết hợp sinh hoạt chuyên đề trong cùng buổi"
    )
    thematic_topic: Line | None = Field(default=None, title="Tên chuyên đề (khi kết hợp)")
    preparation: Preparation | None = Field(default=None, title="Công tác chuẩn bị (không bắt buộc)")
    resolution: MonthlyResolution | None = Field(
        default=None, title="Nghị quyết tháng gồm bốn phần (không bắt buộc)"
    )
    resolutions: list[Resolution] = Field(default_factory=list, max_length=50, title="Nghị quyết")
    quality: Literal["tot", "kha", "trung_binh", "kem"] | None = Field(
        default=None, title="Đánh giá chất lượng buổi sinh hoạt"
    )
    rules: MonthlyRules = Field(default_factory=MonthlyRules, title="Quy tắc tính tỷ lệ và quy định "
                                "về sinh hoạt chi bộ")

    @property
    def minutes(self) -> int:
        """How long the meeting lasted, in whole minutes."""
        return int((self.end - self.start).total_seconds() // 60)

    @property
    def follows_directive(self) -> bool:
        """Held on or after ``rules.directive_from``: Chỉ thị 50-CT/TW and HD 42-HD/BTCTW apply."""
        return self.start.date() >= self.rules.directive_from
