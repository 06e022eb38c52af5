"""Who signs the review minutes, by layout regime."""

from __future__ import annotations

from service.documents.bien_ban_kiem_diem import context
from service.meetings.figures import figures_for
from service.meetings.validation import parse_meeting
from tests.support.factories import meeting_payload


def _sign(**rules):
    meeting = parse_meeting(meeting_payload(rules=rules))
    return context(meeting, figures_for(meeting))["sign"]


def test_hd36_minutes_are_signed_by_the_secretary_and_for_the_chi_bo():
    """The default: THƯ KÝ on the left, T/M CHI BỘ – BÍ THƯ on the right."""
    sign = _sign()
    assert (sign["secretary_title"], sign["line1"], sign["line2"]) == ("THƯ KÝ", "T/M CHI BỘ", "BÍ THƯ")


def test_hd05_minutes_are_signed_by_the_note_taker_and_the_chair():
    """rules.layout hd05: NGƯỜI GHI BIÊN BẢN on the left, CHỦ TRÌ HỘI NGHỊ on the right."""
    sign = _sign(layout="hd05")
    assert (sign["secretary_title"], sign["line1"], sign["line2"]) == (
        "NGƯỜI GHI BIÊN BẢN", "CHỦ TRÌ HỘI NGHỊ", "")
