"""The data a client sends, as pydantic models published as JSON Schema.

``MeetingData`` is an ``AnnualReview``, a ``MonthlyMeeting`` or a ``DangBoReview`` (every
chi bộ of a đảng bộ at once), told apart by ``kind``. Text is NFC-normalised on the way in,
so "Nguyễn" typed in decomposed form and in composed form are the same name.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, TypeAdapter

from service.meetings.schemas.annual import (
    AnnualReview,
    BallotCount,
    ChiBoRating,
    CollectiveReport,
    LocalBasis,
    MemberRating,
    MemberScores,
    ReviewText,
    ScoreGroup,
)
from service.meetings.schemas.common import (
    LEVELS,
    Attendance,
    Check,
    Level,
    Member,
    Membership,
    MinutesVote,
    Organisation,
    Person,
    Speech,
    VoteRule,
    Votes,
)
from service.meetings.schemas.dang_bo import ChiBoDecision, DangBo, DangBoReview, MemberDecision, UnitWithout
from service.meetings.schemas.monthly import (
    Assignment,
    FollowUp,
    MonthlyMeeting,
    MonthlyResolution,
    MonthlyRules,
    Preparation,
    Resolution,
    VoteCount,
)

MeetingData = Annotated[AnnualReview | MonthlyMeeting | DangBoReview, Field(discriminator="kind")]
MEETING_ADAPTER: TypeAdapter[AnnualReview | MonthlyMeeting | DangBoReview] = TypeAdapter(MeetingData)
AnyMeeting = AnnualReview | MonthlyMeeting | DangBoReview

# the annual review is the meeting most of the code speaks of
Meeting = AnnualReview


def meeting_json_schema() -> dict[str, Any]:
    """The JSON Schema of the meeting data, as served and printed by ``chibo schema``."""
    schema = MEETING_ADAPTER.json_schema()
    schema["title"] = "Dữ liệu hội nghị chi bộ"
    return schema


__all__ = [
    "LEVELS",
    "MEETING_ADAPTER",
    "AnnualReview",
    "AnyMeeting",
    "Assignment",
    "Attendance",
    "BallotCount",
    "Check",
    "ChiBoDecision",
    "ChiBoRating",
    "CollectiveReport",
    "DangBo",
    "DangBoReview",
    "FollowUp",
    "Level",
    "LocalBasis",
    "Meeting",
    "MeetingData",
    "Member",
    "MemberDecision",
    "MemberRating",
    "MemberScores",
    "Membership",
    "MinutesVote",
    "MonthlyMeeting",
    "MonthlyResolution",
    "MonthlyRules",
    "Organisation",
    "Person",
    "Preparation",
    "Resolution",
    "ReviewText",
    "ScoreGroup",
    "Speech",
    "UnitWithout",
    "VoteCount",
    "VoteRule",
    "Votes",
]
