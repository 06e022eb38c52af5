"""The resolution ledger: assignments made, followed up, rolled forward, counted at year end."""

from __future__ import annotations

from datetime import date

from service.meetings import ledger
from service.meetings.validation import parse_meeting
from tests.support.factories import monthly_payload

RESOLUTION = monthly_payload()["resolution"]


def _month(month: int, assignments=(), follow_ups=(), year: int = 2025):
    resolution = {**RESOLUTION, "assignments": list(assignments)}
    return parse_meeting(monthly_payload(
        month=month, year=year, start=f"{year}-{month:02d}-07T08:00:00",
        end=f"{year}-{month:02d}-07T10:30:00", resolution=resolution, follow_ups=list(follow_ups),
        preparation=None))


def _task(who: str, task: str, **more):
    return {"who": who, "task": task, **more}


def _follow(ref: str, status: str, task: str, who: str = "Đồng chí An", note=None):
    return {"ref": ref, "who": who, "task": task, "status": status, "note": note}


OCTOBER = _month(10, [_task("Đồng chí An", "Sửa đường thôn", due="2025-10-30"),
                      _task("Đồng chí Bình", "Thu đảng phí"),
                      _task("Chi ủy", "Rà soát hồ sơ", due_month="2025-11")])
NOVEMBER = _month(11, [_task("Đồng chí Bình", "Lập danh sách hộ nghèo")],
                  [_follow("2025-10-1", "done", "Sửa đường thôn"),
                   _follow("2025-10-2", "late", "Thu đảng phí", "Đồng chí Bình", "còn 2 đảng viên"),
                   _follow("2025-10-3", "dropped", "Rà soát hồ sơ", "Chi ủy")])


def test_assignments_get_refs_of_their_month_and_place():
    """Part III's lines are named 2025-10-1, 2025-10-2… when the data gives no ref."""
    entries = ledger.build([(OCTOBER, "j10")])
    assert [e.ref for e in entries] == ["2025-10-1", "2025-10-2", "2025-10-3"]
    assert all(e.state == "open" and e.source == "j10" for e in entries)


def test_follow_ups_set_the_state_and_late_ones_stay_open():
    """Done and dropped close an assignment; late rolls forward with the new month's tasks."""
    entries = ledger.build([(NOVEMBER, "j11"), (OCTOBER, "j10")])  # any order: by meeting date
    states = {e.ref: e.state for e in entries}
    assert states == {"2025-10-1": "done", "2025-10-2": "late", "2025-10-3": "dropped",
                      "2025-11-1": "open"}
    december = [e.ref for e in ledger.open_before(entries, date(2025, 12, 5))]
    assert december == ["2025-10-2", "2025-11-1"]


def test_an_assignment_is_not_open_for_its_own_month():
    """The meeting that made an assignment is not asked about it."""
    assert ledger.open_before(ledger.build([(OCTOBER, None)]), date(2025, 10, 20)) == []


def test_a_correction_of_the_earlier_month_is_named_in_the_ledger():
    """November followed "Thu đảng phí"; October corrected to another wording says what changed."""
    corrected = _month(10, [_task("Đồng chí An", "Sửa đường thôn"),
                            _task("Đồng chí Bình", "Thu đảng phí quý IV")])
    entry = {e.ref: e for e in ledger.build([(corrected, None), (NOVEMBER, None)])}["2025-10-2"]
    assert entry.task == "Thu đảng phí quý IV"
    assert entry.changed == ['tháng 11/2025 theo dõi "Thu đảng phí", nay là "Thu đảng phí quý IV"']


def test_part_one_is_drafted_from_the_follow_ups():
    """Each answer becomes a line naming the task, who, the outcome and the note."""
    lines = ledger.result_lines([("Đồng chí Bình", "Thu đảng phí.", "late", "còn 2 đảng viên")])
    assert lines == ["Kết quả thực hiện các nhiệm vụ được phân công ở các tháng trước:",
                     "- Thu đảng phí (Đồng chí Bình): chậm tiến độ, chuyển sang tháng sau; "
                     "còn 2 đảng viên."]


def test_due_dates_and_months_print_and_make_an_assignment_overdue():
    """A date prints dd/mm/yyyy, a month "trong tháng m/yyyy"; past either, an open one is overdue."""
    first, _, third = ledger.build([(OCTOBER, None)])
    assert first.due_text() == "30/10/2025" and third.due_text() == "trong tháng 11/2025"
    assert first.overdue_on(date(2025, 11, 1)) and not third.overdue_on(date(2025, 11, 30))
    assert third.overdue_on(date(2025, 12, 1))


def test_a_members_tasks_and_their_outcomes_for_mau_02():
    """Mẫu 02's starting text lists the member's own tasks of the year, with their outcome."""
    entries = ledger.build([(OCTOBER, None), (NOVEMBER, None)])
    assert ledger.member_lines(entries, "Bình") == [
        "- Tháng 10/2025: Thu đảng phí: chậm tiến độ, chuyển sang tháng sau.",
        "- Tháng 11/2025: Lập danh sách hộ nghèo: chưa báo cáo kết quả."]


def test_the_years_count_for_mau_01():
    """Mẫu 01's starting text counts the year's assignments by outcome, naming late and dropped."""
    lines = ledger.report_lines(ledger.build([(OCTOBER, None), (NOVEMBER, None)]), 2025)
    assert lines[0] == ("Trong năm 2025, các nghị quyết tháng của chi bộ phân công 04 nhiệm vụ: "
                        "01 đã hoàn thành, 01 đang thực hiện, 01 chậm tiến độ, 01 không thực hiện nữa.")
    assert lines[1:] == ["- Thu đảng phí (Đồng chí Bình): chậm tiến độ, chuyển sang tháng sau.",
                         "- Rà soát hồ sơ (Chi ủy): không thực hiện nữa."]
    assert ledger.report_lines([], 2025) == []


def test_the_year_at_a_glance_counts_each_months_meeting_and_assignments():
    """October and November held, their attendance, HD 42 warnings, assignments and outcomes."""
    from service.meetings.year import glance

    months = glance([(OCTOBER, "j10"), (NOVEMBER, "j11")], 2025)
    assert [m.month for m in months if m.held] == [10, 11]
    october = months[9]
    assert october.job_id == "j10" and october.minutes == 150 and october.attendance == "08/08"
    assert (october.tally.made, october.tally.done, october.tally.late, october.tally.dropped) == (3, 1, 1, 1)
    assert months[10].tally.made == 1 and months[0].held is None and months[0].attendance == ""
    short = _month(12, [])
    short = short.model_copy(update={"end": short.start.replace(hour=9)})
    assert any("dưới mức tối thiểu 90 phút" in w for w in glance([(short, None)], 2025)[11].warnings)
