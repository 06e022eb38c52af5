"""What a member writes on her self-review page: limits, what is missing before sending, the merge."""

from __future__ import annotations

from decimal import Decimal

from service.meetings.schemas import Level
from service.selfreviews import content


def _fields(problems):
    return {p.field for p in problems}


def test_group_scores_over_their_limits_are_refused_with_the_limit_named():
    """31 of 30 and 70,5 of 70 are refused; 30 and 70 are the top of each group."""
    found = content.problems({"general": "31", "tasks": "70,5"}, scored=True, sending=False)
    assert _fields(found) == {"general", "tasks"}
    assert any("từ 0 đến 30" in p.detail for p in found)
    assert content.problems({"general": "30", "tasks": "70"}, scored=True, sending=False) == []


def test_a_draft_may_be_half_written_but_sending_needs_text_scores_and_a_rating():
    """Saving an empty form is fine; sending it names the rating, both scores and section I."""
    assert content.problems({}, scored=True, sending=False) == []
    assert _fields(content.problems({}, scored=True, sending=True)) == {"self_rating", "general", "tasks",
                                                                       "strengths"}
    assert _fields(content.problems({}, scored=False, sending=True)) == {"self_rating", "strengths"}


def test_the_total_gives_the_band_and_a_rating_against_it_is_refused():
    """25 + 60 = 85 is "Hoàn thành tốt"; rating herself "xuất sắc" with it is refused."""
    typed = {"general": "25", "tasks": "60", "self_rating": "xuat_sac", "strengths": "Làm tốt."}
    assert content.total(typed) == Decimal(85) and content.band(typed) is Level.TOT
    found = content.problems(typed, scored=True, sending=True)
    assert _fields(found) == {"self_rating"} and "85" in found[0].detail
    assert content.problems({**typed, "self_rating": "tot"}, scored=True, sending=True) == []


def test_an_accepted_review_fills_her_rating_and_keeps_the_votes():
    """Her sections, rating and groups go into her rating; votes stay; a stale typed total goes."""
    payload = {"members": [{"name": "Lê Thị Cúc"}, {"name": "Hà Văn Sơn"}],
               "ratings": [{"member": "Lê Thị Cúc", "self_rating": "tot", "self_score": 80,
                            "votes": {"tot": 8}}]}
    part = content.as_rating({"strengths": "Dòng một\n\nDòng hai", "self_rating": "tot",
                              "general": "27", "tasks": "59,5"}, scored=True)
    merged = content.merge(payload, {"Lê Thị Cúc": part, "Hà Văn Sơn": content.as_rating(
        {"strengths": "Có", "self_rating": "hoan_thanh"}, scored=False)})
    cuc, son = merged["ratings"]
    assert cuc["review"]["strengths"] == ["Dòng một", "Dòng hai"] and cuc["votes"] == {"tot": 8}
    assert cuc["scores"] == {"general": "27", "tasks": "59.5"} and "self_score" not in cuc
    assert son == {"member": "Hà Văn Sơn", "votes": {}, "self_rating": "hoan_thanh",
                   "review": {**{k: [] for k in content.SECTION_KEYS}, "strengths": ["Có"]}}
    assert payload["ratings"][0]["self_score"] == 80  # the original is not changed
