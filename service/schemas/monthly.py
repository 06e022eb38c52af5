"""The regular monthly meeting of a chi bộ (sinh hoạt chi bộ định kỳ, domain §5.8)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field

from service.schemas.common import (
    Check,
    Count,
    Line,
    Member,
    MinutesVote,
    Model,
    Organisation,
    Person,
    Speech,
    Text,
    VoteRule,
)


class Resolution(Model):
    """A resolution (nghị quyết, kết luận) put to the vote."""

    text: Text = Field(title="Nội dung nghị quyết")
    agree: Count = Field(title="Tán thành")
    disagree: Count = Field(default=0, title="Không tán thành")
    other: Count = Field(default=0, title="Ý kiến khác")


class MonthlyMeeting(Model):
    """One monthly meeting and its minutes."""

    kind: Literal["monthly"] = "monthly"
    organisation: Organisation
    document_number: Annotated[int, Field(ge=1, le=9999)] | None = Field(
        default=None, title="Số biên bản (không bắt buộc)"
    )
    month: Annotated[int, Field(ge=1, le=12)] = Field(title="Tháng")
    year: Annotated[int, Field(ge=2000, le=2100)] = Field(title="Năm")
    start: datetime = Field(title="Thời gian bắt đầu")
    end: datetime = Field(title="Thời gian kết thúc")
    location: Line = Field(title="Địa điểm")
    chair: Person = Field(title="Chủ trì")
    secretary: Person = Field(title="Thư ký")
    guests: list[Person] = Field(default_factory=list, max_length=50, title="Đại biểu cấp trên")
    members: list[Member] = Field(min_length=1, max_length=2000, title="Đảng viên")
    agenda: list[Line] = Field(default_factory=list, max_length=50, title="Nội dung sinh hoạt")
    discussion: list[Speech] = Field(default_factory=list, max_length=500, title="Diễn biến")
    resolutions: list[Resolution] = Field(default_factory=list, max_length=50, title="Nghị quyết")
    quality: Literal["tot", "kha", "trung_binh", "kem"] | None = Field(
        default=None, title="Đánh giá chất lượng buổi sinh hoạt"
    )
    conclusion: list[Text] = Field(default_factory=list, max_length=50, title="Kết luận")
    minutes_vote: MinutesVote | None = Field(default=None, title="Biểu quyết thông qua biên bản")
    check: Check | None = Field(default=None, title="Số liệu tự đối chiếu (không bắt buộc)")
    rules: VoteRule = Field(default_factory=VoteRule, title="Quy tắc tính tỷ lệ")
