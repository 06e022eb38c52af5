"""The regular monthly meeting of a chi bộ (sinh hoạt chi bộ định kỳ, domain §5.8)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from service.meetings.schemas.common import Count, MeetingBase, Model, Text


class Resolution(Model):
    """A resolution (nghị quyết, kết luận) put to the vote."""

    text: Text = Field(title="Nội dung nghị quyết")
    agree: Count = Field(title="Tán thành")
    disagree: Count = Field(default=0, title="Không tán thành")
    other: Count = Field(default=0, title="Ý kiến khác")


class MonthlyMeeting(MeetingBase):
    """One monthly meeting and its minutes."""

    kind: Literal["monthly"] = "monthly"
    document_number: Annotated[int, Field(ge=1, le=9999)] | None = Field(
        default=None, title="Số biên bản (không bắt buộc)"
    )
    month: Annotated[int, Field(ge=1, le=12)] = Field(title="Tháng")
    year: Annotated[int, Field(ge=2000, le=2100)] = Field(title="Năm")
    resolutions: list[Resolution] = Field(default_factory=list, max_length=50, title="Nghị quyết")
    quality: Literal["tot", "kha", "trung_binh", "kem"] | None = Field(
        default=None, title="Đánh giá chất lượng buổi sinh hoạt"
    )
