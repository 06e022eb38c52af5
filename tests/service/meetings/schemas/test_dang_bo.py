"""The đảng bộ's own details: the name of the đảng ủy that issues the summary, its examples."""

from __future__ import annotations

import pytest

from service.meetings.schemas import DangBo, meeting_json_schema


def _dang_bo(name: str, committee: str | None = None) -> DangBo:
    return DangBo(name=name, committee=committee, parent="Đảng bộ tỉnh Hà Tĩnh", place="Hà Tĩnh",
                  review_year=2025)


@pytest.mark.parametrize(("name", "committee"), [
    ("Đảng bộ phường Thành Sen", "Đảng ủy phường Thành Sen"),
    ("ĐẢNG BỘ XÃ KỲ ANH", "ĐẢNG ỦY XÃ KỲ ANH"),
    ("Đảng uỷ xã Kỳ Anh", "Đảng uỷ xã Kỳ Anh"),
    ("Khối các cơ quan tỉnh", "Đảng ủy Khối các cơ quan tỉnh"),
])
def test_the_committee_is_told_from_the_dang_bo_name(name, committee):
    """"Đảng bộ …" becomes "Đảng ủy …"; a đảng ủy's own name stays as typed."""
    assert _dang_bo(name).committee_name == committee


def test_a_typed_committee_is_used_as_typed():
    """committee, when given, wins over the name."""
    assert _dang_bo("Đảng bộ Cơ quan", "Đảng ủy Cơ quan Tỉnh ủy").committee_name == "Đảng ủy Cơ quan Tỉnh ủy"


def test_the_schema_examples_lead_to_the_dang_uy():
    """/api/v1/schema: the committee's example is a đảng ủy, the parent's a province-level đảng bộ."""
    props = meeting_json_schema()["$defs"]["DangBo"]["properties"]
    assert props["committee"]["examples"] == ["Đảng ủy phường Thành Sen"]
    assert props["parent"]["examples"] == ["Đảng bộ tỉnh Hà Tĩnh"]
    assert "rules" in props
