"""One way in for a meeting or a workbook: read and validated here, once, for the API and the pages.

What comes out is a validated meeting (``AnyMeeting``, a ``DangBoReview`` for a đảng bộ), which
``jobs.submit_meeting`` and ``jobs.submit_batch`` record as it is: nothing is dumped and parsed
again. Dates are checked against today (``access.calendar``).
"""

from __future__ import annotations

from typing import Any

from flask import current_app

from service.errors import BadRequestError, FieldProblem, InvalidMeetingError
from service.http import bodies
from service.http.actions.access import calendar
from service.meetings.schemas import AnyMeeting, DangBoReview
from service.meetings.validation import parse_meeting
from service.spreadsheets.cells import Limits
from service.spreadsheets.reader import parse_workbook


def meeting(data: Any) -> AnyMeeting:
    """Meeting data already read (a JSON value), validated; InvalidMeetingError names every field."""
    return parse_meeting(data, calendar())


def workbook(data: bytes) -> DangBoReview:
    """The đảng bộ of an uploaded workbook, validated; every problem names its sheet, row and column."""
    return parse_workbook(data, Limits.from_config(current_app.config), calendar())


def json_file(data: bytes) -> AnyMeeting:
    """The meeting of an uploaded JSON file, validated; BadRequestError when it is no JSON."""
    try:
        parsed = bodies.loads(data)
    except ValueError as exc:  # no JSON, not UTF-8, or nested too deep
        raise BadRequestError("Tệp JSON không đọc được.") from exc
    return meeting(parsed)


def dang_bo(data: Any) -> DangBoReview:
    """A whole đảng bộ sent as JSON (``kind`` "dang_bo" or left out), validated."""
    if isinstance(data, dict) and data.setdefault("kind", "dang_bo") != "dang_bo":
        raise InvalidMeetingError([FieldProblem("kind", "Lô tài liệu là cả đảng bộ: kind phải là "
                                                "\"dang_bo\" (hoặc bỏ trống).")])
    review = meeting(data)
    assert isinstance(review, DangBoReview)
    return review
