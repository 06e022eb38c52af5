"""The board: each unit's state and what its own documents show wrong, computed, never typed."""

from __future__ import annotations

import json
from datetime import date

from service import extensions
from service.accounts import Organisation
from service.extensions import get_storage
from service.jobs import pipeline
from service.seasons import board
from service.seasons.models import Season, SeasonUnit
from tests.support import people
from tests.support.seasons_data import MEMBERS, review_2026


def _season(session, office_id, unit_ids, deadline=date(2026, 12, 20)) -> Season:
    season = Season(organisation_id=office_id, title="Đợt thử", year=2026, deadline=deadline)
    season.units = [SeasonUnit(organisation_id=u) for u in unit_ids]
    session.add(season)
    session.flush()
    return season


def test_the_documents_say_what_is_wrong_and_the_hook_adds_self_reviews(app, monkeypatch):
    """Late meeting, below two thirds present, an unrated member without a reason, the cap; the hook."""
    office = people.organisation(app, people.DANG_BO, "dang_bo")
    unit = people.organisation(app, "Chi bộ thôn Nam", "chi_bo", people.DANG_BO)
    data = review_2026("Chi bộ thôn Nam", xuat_sac=2, day=22)
    for member in data["members"][1:3]:
        member["attendance"] = "absent"
    data["check"]["present_count"] -= 2
    data["ratings"] = [r for r in data["ratings"] if r["member"] != MEMBERS[4]]
    for rating in [*data["ratings"], data["chi_bo_rating"]]:  # one official voter is left present
        rating["votes"] = {next(iter(rating["votes"])): 1}
    seen = []
    monkeypatch.setattr(
        board,
        "SELF_REVIEW_CHECKS",
        [lambda s, job, review: seen.append(job.id) or ["Thiếu bản tự kiểm điểm: Đỗ Thị Hà."]],
    )
    with app.app_context(), extensions.session_scope() as session:
        job = pipeline.submit(data, session=session, storage=get_storage(), owner=lambda _: unit)
        season = _season(session, office, [unit])
        [row] = board.board(session, get_storage(), season, None, date(2026, 12, 23))
    problems = "\n".join(row.problems)
    assert "Họp ngày 22/12/2026, sau hạn 20/12/2026." in problems
    assert "dưới 2/3" in problems
    assert f"Chưa xếp loại, không ghi lý do: {MEMBERS[4]}." in problems
    assert "vượt 20%" in problems
    assert "Thiếu bản tự kiểm điểm: Đỗ Thị Hà." in problems and seen == [job.id]
    assert row.state == "documents_made"  # a member without a rating: the votes are not complete


def test_units_are_sorted_whom_to_call_first_and_a_secretary_sees_her_row_only(app):
    """Not started (overdue) first; scoped by organisation id; a count per state."""
    office = people.organisation(app, people.DANG_BO, "dang_bo")
    done = people.organisation(app, "Chi bộ Một", "chi_bo", people.DANG_BO)
    idle = people.organisation(app, "Chi bộ Hai", "chi_bo", people.DANG_BO)
    with app.app_context(), extensions.session_scope() as session:
        pipeline.submit(
            review_2026("Chi bộ Một"), session=session, storage=get_storage(), owner=lambda _: done
        )
        season = _season(session, office, [done, idle])
        rows = board.board(session, get_storage(), season, None, date(2026, 12, 21))
        mine = board.board(session, get_storage(), season, frozenset({done}), date(2026, 12, 21))
        assert session.get(Organisation, idle) is not None
    assert [(r.name, r.state) for r in rows] == [
        ("Chi bộ Hai", "not_started"),
        ("Chi bộ Một", "votes_complete"),
    ]
    assert rows[0].problems == ["Quá hạn 20/12/2026, chưa có báo cáo."]
    assert [r.name for r in mine] == ["Chi bộ Một"]
    assert board.counts(rows)["not_started"] == 1 and sum(board.counts(rows).values()) == 2
    assert json.dumps([r.as_json() for r in rows], ensure_ascii=False)


def test_a_signed_copy_moves_the_unit_on_and_names_the_signer(app):
    """Votes complete and a signed copy back: "signed", by whom, whether the certificate is trusted."""
    office = people.organisation(app, people.DANG_BO, "dang_bo")
    unit = people.organisation(app, "Chi bộ Ký", "chi_bo", people.DANG_BO)
    with app.app_context(), extensions.session_scope() as session:
        job = pipeline.submit(
            review_2026("Chi bộ Ký"), session=session, storage=get_storage(), owner=lambda _: unit
        )
        job.documents[0].signed_json = json.dumps(
            {"signer": "Nguyễn Văn Hải", "trusted": False, "note": "chưa xác minh được chứng thư"}
        )
        season = _season(session, office, [unit])
        [row] = board.board(session, get_storage(), season, None, date(2026, 12, 8))
    assert row.state == "signed"
    assert row.signed["signer"] == "Nguyễn Văn Hải" and row.signed["trusted"] is False


def test_a_monthly_season_reads_each_units_minutes_of_its_month(app):
    """A season of November's meetings: the minutes of November (not October's) are the record; too
    short and materials posted late (HD 42), 3 of 8 present (below two thirds), the resolution voted
    by fewer hands than present, the meeting after the deadline; a unit with October's only: not started."""
    from tests.support.factories import monthly_payload

    office = people.organisation(app, people.DANG_BO, "dang_bo")
    short = people.organisation(app, "Chi bộ Văn phòng", "chi_bo", people.DANG_BO)
    other = people.organisation(app, "Chi bộ Một", "chi_bo", people.DANG_BO)
    data = monthly_payload(start="2025-11-21T08:00:00", end="2025-11-21T09:00:00", check=None)
    data["preparation"]["materials_posted"] = "2025-11-21"
    for member in data["members"][3:]:
        member.update(attendance="absent", absence_reason="đi công tác")
    data["resolution"]["vote"] = {"agree": 2}
    october = monthly_payload(month=10, start="2025-10-10T08:00:00", end="2025-10-10T10:30:00", check=None)
    october["preparation"] = None
    with app.app_context(), extensions.session_scope() as session:
        storage = get_storage()
        pipeline.submit(data, session=session, storage=storage, owner=lambda _: short)
        pipeline.submit(october, session=session, storage=storage, owner=lambda _: other)
        season = Season(organisation_id=office, title="Tháng 11", year=2025, kind="monthly", month=11,
                        deadline=date(2025, 11, 20))
        season.units = [SeasonUnit(organisation_id=u) for u in (short, other)]
        session.add(season)
        session.flush()
        rows = {r.name: r for r in board.board(session, storage, season, None, date(2025, 11, 25))}
    row = rows["Chi bộ Văn phòng"]
    problems = "\n".join(row.problems)
    assert row.state == "documents_made" and row.meeting_date == date(2025, 11, 21)
    assert "Họp ngày 21/11/2025, sau hạn 20/11/2025." in problems
    assert "Dự họp 03/08 đảng viên phải triệu tập, dưới 2/3 (cần 06)." in problems
    assert "Buổi sinh hoạt kéo dài 60 phút, dưới mức tối thiểu 90 phút" in problems
    assert "Tài liệu sinh hoạt đăng trên Sổ tay đảng viên điện tử ngày 21/11/2025" in problems
    assert "Nghị quyết tháng: 02/03 đảng viên chính thức có mặt biểu quyết" in problems
    assert rows["Chi bộ Một"].state == "not_started" and rows["Chi bộ Một"].job_id is None
    assert rows["Chi bộ Một"].problems == ["Quá hạn 20/11/2025, chưa có biên bản sinh hoạt tháng."]
