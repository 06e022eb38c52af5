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


Ref = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{0,39}$")]
Month = Annotated[str, Field(pattern=r"^20[0-9]{2}-(0[1-9]|1[0-2])$")]
STATUSES = ("done", "in_progress", "late", "dropped")


class Assignment(Model):
    """One line of part III of the resolution: who does what, by when (a date or a month).

    ``ref`` names the assignment in the chi bộ's ledger (``service.meetings.ledger``): the next
    months' follow-ups point at it. The service gives one when it is missing.
    """

    ref: Ref | None = Field(default=None, title="Mã việc (do hệ thống đặt)")
    who: Line = Field(title="Người, bộ phận thực hiện", examples=["Đồng chí Trịnh Văn Lộc"])
    task: Text = Field(title="Nhiệm vụ")
    due: Day | None = Field(default=None, title="Thời hạn hoàn thành")
    due_month: Month | None = Field(default=None, title="Hoàn thành trong tháng (năm-tháng)",
                                    examples=["2025-12"])


class FollowUp(Model):
    """What came of an assignment of an earlier month, said at this meeting."""

    ref: Ref = Field(title="Mã việc được theo dõi")
    who: Line = Field(title="Người, bộ phận thực hiện")
    task: Text = Field(title="Nhiệm vụ")
    status: Literal["done", "in_progress", "late", "dropped"] = Field(
        title="Kết quả: đã hoàn thành, đang thực hiện, chậm tiến độ, không thực hiện nữa")
    note: Line | None = Field(default=None, title="Ghi chú ngắn")


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
    follow_ups: list[FollowUp] = Field(
        default_factory=list, max_length=100,
        title="Theo dõi các việc được phân công ở các tháng trước (kết quả thực hiện)")
    issue_resolution: bool = Field(
        default=False, title="Chi bộ ban hành nghị quyết tháng thành văn bản riêng (Số …-NQ/CB)")
    resolution_number: Annotated[int, Field(ge=1, le=9999)] | None = Field(
        default=None, title="Số nghị quyết (không bắt buộc)")
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
