"""The annual review meeting (hội nghị kiểm điểm, đánh giá, xếp loại chất lượng).

One payload feeds the whole file of the meeting: the biên bản, the collective report
(Mẫu 01), each member's self-review (Mẫu 02A/B/C), the ballots, the vote-count minutes.
Only what a person knows is asked for; every count, share and level is computed by
``service.meetings.figures``. Text the members have not written yet is printed as dotted lines to
fill in by hand.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import AfterValidator, BeforeValidator, Field, StringConstraints

from service.meetings.schemas.common import (
    MAX_MEMBERS,
    MAX_NAME,
    Count,
    Day,
    Level,
    Line,
    LocalBasis,
    LocalDateTime,
    MeetingBase,
    Model,
    Name,
    Person,
    Text,
    Votes,
)
from service.meetings.schemas.text import nfc, single_spaced

Score = Annotated[Decimal, Field(ge=0, le=100, max_digits=5, decimal_places=1)]
Paragraphs = Annotated[list[Text], Field(max_length=100)]


class ReviewText(Model):
    """The six sections of a review (Mẫu 01 for the collective, Mẫu 02 for a member)."""

    strengths: Paragraphs = Field(default_factory=list, title="I. Ưu điểm, kết quả đạt được")
    shortcomings: Paragraphs = Field(default_factory=list, title="II. Hạn chế, khuyết điểm và nguyên nhân")
    remediation: Paragraphs = Field(default_factory=list, title="III. Kết quả khắc phục hạn chế kỳ trước")
    explanations: Paragraphs = Field(default_factory=list, title="IV. Giải trình vấn đề được gợi ý (nếu có)")
    responsibility: Paragraphs = Field(default_factory=list, title="V. Trách nhiệm")
    direction: Paragraphs = Field(default_factory=list, title="VI. Phương hướng, biện pháp khắc phục")


class MemberScores(Model):
    """A member's self-score by criteria group (2025 on): general /30, tasks /70."""

    general: Annotated[Decimal, Field(ge=0, le=30, decimal_places=1)] = Field(
        title="Nhóm tiêu chí chung (tối đa 30)"
    )
    tasks: Annotated[Decimal, Field(ge=0, le=70, decimal_places=1)] = Field(
        title="Nhóm tiêu chí về kết quả thực hiện nhiệm vụ (tối đa 70)"
    )


class UpperDecision(Model):
    """The level the đảng ủy decided for a member after review (domain §11.4): carried into her
    review by the season's decision, printed at the foot of her own self-review beside the
    chi bộ's proposal; the chi bộ's minutes keep the proposal they recorded."""

    level: Level = Field(title="Mức đảng ủy quyết định")
    by: Line = Field(title="Cấp quyết định (Đảng ủy …)")
    note: Line | None = Field(default=None, title="Lý do (khi khác mức chi bộ đề nghị)")


class MemberRating(Model):
    """A member's self-review, self-rating and the chi bộ's votes on them."""

    member: Annotated[str, BeforeValidator(nfc), StringConstraints(min_length=1, max_length=MAX_NAME),
                      AfterValidator(single_spaced)] = Field(title="Mã hoặc họ tên đảng viên")
    self_rating: Level = Field(title="Tự xếp loại")
    self_score: Score | None = Field(default=None, title="Tổng điểm tự chấm (từ năm 2025)")
    scores: MemberScores | None = Field(default=None, title="Điểm theo nhóm tiêu chí (từ năm 2025)")
    disqualifying_case: Line | None = Field(
        default=None, title="Trường hợp không hoàn thành nhiệm vụ (không xét theo điểm)"
    )
    review: ReviewText | None = Field(default=None, title="Nội dung bản kiểm điểm cá nhân")
    votes: Votes = Field(title="Số phiếu theo từng mức")
    decision: UpperDecision | None = Field(
        default=None, title="Quyết định của đảng ủy sau xem xét (ghi từ đợt của đảng ủy)"
    )


class ScoreGroup(Model):
    """One criteria group of the collective's 100-point score (Phụ lục 1, QĐ 366)."""

    name: Line = Field(title="Nhóm tiêu chí")
    max_points: Annotated[Decimal, Field(gt=0, le=100)] = Field(title="Điểm tối đa")
    score: Annotated[Decimal, Field(ge=0, le=100)] = Field(title="Điểm tự chấm")


class ChiBoRating(Model):
    """The chi bộ's self-rating as a collective and the members' votes on it."""

    self_rating: Level = Field(title="Chi bộ tự xếp loại")
    self_score: Score | None = Field(default=None, title="Tổng điểm tự chấm (từ năm 2025)")
    score_groups: list[ScoreGroup] = Field(
        default_factory=list, max_length=20, title="Điểm theo nhóm tiêu chí (từ năm 2025)"
    )
    disqualifying_case: Line | None = Field(default=None, title="Trường hợp không hoàn thành nhiệm vụ")
    votes: Votes = Field(title="Số phiếu theo từng mức")
    not_rated_reason: Line | None = Field(
        default=None, title="Lý do chi bộ không đánh giá, xếp loại năm nay",
        examples=["chi bộ mới thành lập tháng 10/2026, chưa đủ 6 tháng hoạt động"],
        description="Khi có, chi bộ không được xếp loại: không nhập số phiếu của chi bộ.")


class BallotCount(Model):
    """The vote count (kiểm phiếu): who counted, and how many ballots went where."""

    committee: list[Person] = Field(min_length=1, max_length=9, title="Tổ kiểm phiếu (tổ trưởng trước)")
    issued: Count = Field(title="Số phiếu phát ra")
    returned: Count = Field(title="Số phiếu thu vào")
    invalid: Count = Field(default=0, title="Số phiếu không hợp lệ")
    start: LocalDateTime | None = Field(default=None, title="Bắt đầu kiểm phiếu")
    end: LocalDateTime | None = Field(default=None, title="Lập xong biên bản kiểm phiếu")
    number: Annotated[int, Field(ge=1, le=9999)] | None = Field(default=None, title="Số biên bản kiểm phiếu")


class CollectiveReport(ReviewText):
    """The collective report (Mẫu 01): its number and the six sections."""

    number: Annotated[int, Field(ge=1, le=9999)] | None = Field(default=None, title="Số báo cáo")
    meetings_held: Annotated[int, Field(ge=0, le=12)] | None = Field(
        default=None, title="Số kỳ sinh hoạt định kỳ đã tổ chức trong năm"
    )


class AnnualReview(MeetingBase):
    """The annual review meeting and everything the file of that meeting needs."""

    kind: Literal["annual_review"] = "annual_review"
    document_number: Annotated[int, Field(ge=1, le=9999)] = Field(title="Số biên bản hội nghị")
    document_date: Day | None = Field(default=None, title="Ngày ban hành (mặc định: ngày họp)")
    review_year: Annotated[int, Field(ge=2018, le=2100)] = Field(title="Năm đánh giá")
    chair_signs_for_chi_bo: bool = Field(
        default=True, title="Chủ trì ký T/M CHI BỘ (nếu không: CHỦ TRÌ HỘI NGHỊ)"
    )
    ratings: list[MemberRating] = Field(title="Kết quả đánh giá từng đảng viên", max_length=MAX_MEMBERS)
    chi_bo_rating: ChiBoRating = Field(title="Kết quả đánh giá chi bộ")
    report: CollectiveReport | None = Field(default=None, title="Báo cáo kiểm điểm tập thể (Mẫu 01)")
    ballot_count: BallotCount | None = Field(
        default=None, title="Kiểm phiếu (mặc định: mỗi đảng viên chính thức có mặt một phiếu hợp lệ)"
    )


__all__ = ["AnnualReview", "BallotCount", "ChiBoRating", "CollectiveReport", "LocalBasis", "MemberRating",
           "MemberScores", "Name", "ReviewText", "Score", "ScoreGroup"]
