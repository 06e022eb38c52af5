"""The monthly resolution as its own document: made only when asked, its number, parts and signer."""

from __future__ import annotations

from service.documents import instances
from service.documents.nghi_quyet_sinh_hoat import context
from service.meetings.figures import compute_monthly
from service.meetings.validation import parse_meeting
from tests.support.factories import monthly_payload


def _meeting(**overrides):
    return parse_meeting(monthly_payload(**overrides))


def test_it_is_made_only_when_the_chi_bo_issues_one():
    """Without ``issue_resolution`` (or without a four-part resolution) the minutes stand alone."""
    names = lambda meeting: [i.name for i in instances(meeting)]  # noqa: E731
    assert names(_meeting(issue_resolution=False)) == ["bien_ban_sinh_hoat"]
    assert names(_meeting(issue_resolution=True)) == ["bien_ban_sinh_hoat", "nghi_quyet_sinh_hoat"]
    assert names(_meeting(issue_resolution=True, resolution=None)) == ["bien_ban_sinh_hoat"]


def test_its_number_parts_and_signer():
    """Số 05-NQ/CB, Căn cứ Điều lệ Đảng first, the four parts, T/M CHI BỘ – BÍ THƯ, the đảng ủy informed."""
    meeting = _meeting(issue_resolution=True, resolution_number=5)
    ctx = context(meeting, compute_monthly(meeting))
    assert ctx["h"]["number"] == "Số 05-NQ/CB"
    assert ctx["citations"][0] == "Căn cứ Điều lệ Đảng Cộng sản Việt Nam;"
    assert ctx["citations"][-1] == "Căn cứ kết quả sinh hoạt chi bộ định kỳ ngày 07/11/2025,"
    assert ctx["decides"] == "CHI BỘ VĂN PHÒNG QUYẾT NGHỊ:"
    assert [p["heading"][:4] for p in ctx["parts"]][:3] == ["I. Đ", "II. ", "III."]
    assert ctx["vote_line"].startswith("Nghị quyết được chi bộ biểu quyết thông qua: ")
    assert ctx["sign"]["authority"] == "T/M CHI BỘ" and ctx["sign"]["title"] == "BÍ THƯ"
    assert ctx["recipients"][0].startswith("- Đảng ủy")
