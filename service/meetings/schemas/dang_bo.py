"""A whole đảng bộ at once: its own details and the annual review of each of its chi bộ.

The summary is issued by the đảng ủy (the committee), not by the đảng bộ (the organisation):
``DangBo.committee_name`` is the name its header and signature use.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from service.meetings.schemas.annual import AnnualReview
from service.meetings.schemas.common import MAX_CHI_BO, Day, Level, Line, Model, Name, OrgName

COMMITTEE_PREFIXES = ("đảng ủy", "đảng uỷ")  # both spellings occur (domain §3): keep the user's
_ORGANISATION_PREFIX = "đảng bộ "


def is_committee(name: str) -> bool:
    """True when *name* names a đảng ủy (``Đảng ủy phường …``, any case, either spelling)."""
    return name.casefold().startswith(COMMITTEE_PREFIXES)


def committee_of(name: str) -> str:
    """The đảng ủy of the đảng bộ *name*: ``Đảng bộ phường Thành Sen`` → ``Đảng ủy phường Thành Sen``.

    A name that already names a đảng ủy stays; "Đảng bộ …" becomes "Đảng ủy …" (in capitals when
    written in capitals); a bare unit name ("Khối cơ quan tỉnh") gets "Đảng ủy " before it.
    """
    if is_committee(name):
        return name
    cut = len(_ORGANISATION_PREFIX)
    upper = name[:cut].isupper()
    rest = name[cut:] if name.casefold().startswith(_ORGANISATION_PREFIX) else name
    return ("ĐẢNG ỦY " if upper else "Đảng ủy ") + rest


class SummaryRounding(Model):
    """How the summary rounds its shares; a part left out follows the chi bộ when they all agree."""

    rounding: Literal["half_up", "truncate"] | None = Field(
        default=None, title="Làm tròn tỷ lệ (mặc định: như các chi bộ, nếu giống nhau; nếu không: half_up)"
    )
    decimals: Annotated[int, Field(ge=0, le=2, strict=True)] | None = Field(  # strict: `true` is no 1
        default=None, title="Số chữ số thập phân (mặc định: như các chi bộ, nếu giống nhau; nếu không: 1)"
    )
    organisation_pools: Literal["by_kind", "together"] = Field(
        default="by_kind",
        title="Giới hạn tỷ lệ \"xuất sắc\" của tổ chức đảng: by_kind (mặc định) xét riêng tổ chức cơ sở "
        "đảng, chi bộ trực thuộc, đảng bộ bộ phận (\"theo đối tượng tương đồng\", QĐ 366); together: xét "
        "chung mọi tổ chức",
    )


class DangBo(Model):
    """The đảng bộ that prepares the review for its chi bộ."""

    name: OrgName = Field(title="Tên đảng bộ", examples=["Đảng bộ phường Thành Sen"])
    committee: OrgName | None = Field(
        default=None,
        title="Tên đảng ủy ban hành biểu tổng hợp (mặc định: tên đảng bộ, \"Đảng bộ\" đổi thành \"Đảng ủy\")",
        examples=["Đảng ủy phường Thành Sen"],
    )
    parent: Line = Field(title="Đảng bộ cấp trên trực tiếp", examples=["Đảng bộ tỉnh Hà Tĩnh"])
    place: Line = Field(title="Địa danh ghi ở dòng ngày tháng", examples=["Hà Tĩnh"])
    issuer_code: Annotated[str, Field(pattern=r"^[A-ZĐ]{1,10}$")] = Field(
        default="ĐU", title="Ký hiệu cơ quan ban hành (ĐU = đảng ủy)"
    )
    review_year: Annotated[int, Field(ge=2018, le=2100)] = Field(title="Năm đánh giá")
    report_number: Annotated[int, Field(ge=1, le=9999)] | None = Field(
        default=None, title="Số báo cáo tổng hợp"
    )
    report_date: Day | None = Field(default=None, title="Ngày lập biểu tổng hợp")
    secretary: Name | None = Field(default=None, title="Bí thư đảng ủy (người ký)",
                                   examples=["Trần Quốc Khánh"])
    rules: SummaryRounding = Field(default_factory=SummaryRounding,
                                   title="Làm tròn tỷ lệ trong biểu tổng hợp")

    @property
    def committee_name(self) -> str:
        """``Đảng ủy phường Thành Sen``: the committee that issues and signs the summary.

        ``committee`` as typed; else the name itself when it names a đảng ủy, "Đảng bộ …"
        turned into "Đảng ủy …", or "Đảng ủy " before a bare unit name ("Khối cơ quan tỉnh").
        """
        return self.committee or committee_of(self.name)


class ChiBoDecision(Model):
    """The đảng ủy's own decision on a chi bộ's rating, when it has been taken."""

    chi_bo: OrgName = Field(title="Tên chi bộ")
    level: Level = Field(title="Đảng ủy quyết định xếp loại")


class MemberDecision(Model):
    """The đảng ủy's own level for one member, after review (it may differ from the proposal)."""

    chi_bo: OrgName = Field(title="Tên chi bộ")
    member: Name = Field(title="Đảng viên")
    level: Level = Field(title="Đảng ủy quyết định xếp loại")
    note: Line | None = Field(default=None, title="Ghi chú (khi khác mức chi bộ đề nghị)")


class UnitWithout(Model):
    """A unit of the season that has no review yet: listed, never counted."""

    name: OrgName = Field(title="Tên chi bộ")
    reason: Line = Field(default="chưa có báo cáo", title="Vì sao chưa có")


class DangBoReview(Model):
    """Every chi bộ's annual review of one year, for the đảng bộ summary and bulk documents."""

    kind: Literal["dang_bo"] = "dang_bo"
    dang_bo: DangBo
    chi_bo: list[AnnualReview] = Field(min_length=1, max_length=MAX_CHI_BO, title="Các chi bộ")
    decisions: list[ChiBoDecision] = Field(default_factory=list, max_length=MAX_CHI_BO,
                                           title="Đảng ủy quyết định")
    member_decisions: list[MemberDecision] = Field(default_factory=list, max_length=MAX_CHI_BO * 50,
                                                   title="Đảng ủy quyết định xếp loại từng đảng viên")
    without: list[UnitWithout] = Field(default_factory=list, max_length=MAX_CHI_BO,
                                       title="Chi bộ của đợt chưa có báo cáo")
    sources: list[Line] = Field(default_factory=list, max_length=MAX_CHI_BO,
                                title="Nguồn số liệu của từng chi bộ (bản sửa nào)")
