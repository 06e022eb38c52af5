"""A whole đảng bộ at once: its own details and the annual review of each of its chi bộ."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from service.meetings.schemas.annual import AnnualReview
from service.meetings.schemas.common import MAX_CHI_BO, Day, Level, Line, Model, Name, OrgName


class DangBo(Model):
    """The đảng bộ that prepares the review for its chi bộ."""

    name: OrgName = Field(title="Tên đảng bộ", examples=["Đảng bộ phường Thành Sen"])
    parent: Line = Field(title="Cấp ủy cấp trên", examples=["Đảng bộ thành phố Hà Tĩnh"])
    place: Line = Field(title="Địa danh ghi ở dòng ngày tháng")
    issuer_code: Annotated[str, Field(pattern=r"^[A-ZĐ]{1,10}$")] = Field(
        default="ĐU", title="Ký hiệu cơ quan ban hành (ĐU = đảng ủy)"
    )
    review_year: Annotated[int, Field(ge=2018, le=2100)] = Field(title="Năm đánh giá")
    report_number: Annotated[int, Field(ge=1, le=9999)] | None = Field(
        default=None, title="Số báo cáo tổng hợp"
    )
    report_date: Day | None = Field(default=None, title="Ngày lập biểu tổng hợp")
    secretary: Name | None = Field(default=None, title="Bí thư đảng ủy (người ký)")


class ChiBoDecision(Model):
    """The đảng ủy's own decision on a chi bộ's rating, when it has been taken."""

    chi_bo: OrgName = Field(title="Tên chi bộ")
    level: Level = Field(title="Đảng ủy quyết định xếp loại")


class DangBoReview(Model):
    """Every chi bộ's annual review of one year, for the đảng bộ summary and bulk documents."""

    kind: Literal["dang_bo"] = "dang_bo"
    dang_bo: DangBo
    chi_bo: list[AnnualReview] = Field(min_length=1, max_length=MAX_CHI_BO, title="Các chi bộ")
    decisions: list[ChiBoDecision] = Field(default_factory=list, max_length=MAX_CHI_BO,
                                           title="Đảng ủy quyết định")
