"""The resolution ledger: what each monthly meeting assigned, and what came of it (domain §11.5).

Part III of a month's resolution assigns tasks (who, what, by when); the next meetings say for
each what came of it (``follow_ups``: done, in progress, late, dropped). The ledger is computed
from the chi bộ's monthly meetings, never kept apart from them: correcting an earlier month
corrects the ledger. Pure: the meetings come in, already read.

An assignment is *open* while nothing final was said of it (nothing yet, in progress, late): the
next month's form asks about every open one, and a late one rolls forward until it is done or
dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from service.meetings import vnformat as vn
from service.meetings.schemas import Assignment, MonthlyMeeting

STATUS_TEXT = {
    "open": "chưa báo cáo kết quả",
    "done": "đã hoàn thành",
    "in_progress": "đang thực hiện",
    "late": "chậm tiến độ, chuyển sang tháng sau",
    "dropped": "không thực hiện nữa",
}
OPEN = frozenset({"open", "in_progress", "late"})


@dataclass(frozen=True)
class Step:
    """One meeting's word on an assignment."""

    year: int
    month: int
    status: str
    note: str | None
    source: str | None  # the job the meeting is kept in


@dataclass
class Entry:
    """One assignment, where it was made, and what each later meeting said of it."""

    ref: str
    who: str
    task: str
    due: date | None
    due_month: str | None
    year: int
    month: int
    source: str | None
    history: list[Step] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)  # what a correction changed since it was followed

    @property
    def state(self) -> str:
        """``open`` until a meeting says something; then the last thing said."""
        return self.history[-1].status if self.history else "open"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN

    def due_text(self) -> str:
        """``30/11/2025``, ``trong tháng 11/2025`` or empty."""
        if self.due is not None:
            return vn.short_date(self.due)
        if self.due_month:
            year, month = self.due_month.split("-")
            return f"trong tháng {int(month)}/{year}"
        return ""

    def overdue_on(self, day: date) -> bool:
        """Open, and its date (or the end of its month) is before *day*."""
        if not self.is_open:
            return False
        if self.due is not None:
            return self.due < day
        if self.due_month:
            year, month = (int(part) for part in self.due_month.split("-"))
            return (year, month) < (day.year, day.month)
        return False


def reference(meeting: MonthlyMeeting, index: int) -> str:
    """The ref an assignment gets when it has none: its month and its place in part III."""
    return f"{meeting.year}-{meeting.month:02d}-{index}"


def with_refs(meeting: MonthlyMeeting) -> MonthlyMeeting:
    """*meeting* with a ref on every assignment of part III (those given are kept)."""
    if meeting.resolution is None or all(a.ref for a in meeting.resolution.assignments):
        return meeting
    taken = {a.ref for a in meeting.resolution.assignments if a.ref}
    assignments: list[Assignment] = []
    for index, item in enumerate(meeting.resolution.assignments, start=1):
        ref = item.ref
        if not ref:
            ref = reference(meeting, index)
            while ref in taken:
                ref += "-b"
            taken.add(ref)
        assignments.append(item.model_copy(update={"ref": ref}))
    resolution = meeting.resolution.model_copy(update={"assignments": assignments})
    return meeting.model_copy(update={"resolution": resolution})


def build(meetings: Iterable[tuple[MonthlyMeeting, str | None]]) -> list[Entry]:
    """The ledger of a chi bộ from its monthly meetings (each with the id of its job), any order.

    Meetings are taken in the order they were held; an assignment given again under the same
    ref by a later meeting (a task carried forward) stays one entry.
    """
    entries: dict[str, Entry] = {}
    for meeting, source in sorted(meetings, key=lambda pair: pair[0].start):
        meeting = with_refs(meeting)
        for follow in meeting.follow_ups:
            entry = entries.get(follow.ref)
            if entry is None:
                continue  # a follow-up of an assignment no meeting on record made
            if _norm(follow.task) != _norm(entry.task):
                entry.changed.append(f"tháng {meeting.month}/{meeting.year} theo dõi \"{follow.task}\", "
                                     f"nay là \"{entry.task}\"")
            entry.history.append(Step(meeting.year, meeting.month, follow.status, follow.note, source))
        if meeting.resolution is None:
            continue
        for item in meeting.resolution.assignments:
            assert item.ref is not None
            if item.ref in entries:
                continue
            entries[item.ref] = Entry(item.ref, item.who, item.task, item.due, item.due_month,
                                      meeting.year, meeting.month, source)
    return list(entries.values())


def open_before(entries: Iterable[Entry], day: date) -> list[Entry]:
    """The assignments still open for a meeting held on *day*: made in an earlier month."""
    return [e for e in entries if e.is_open and (e.year, e.month) < (day.year, day.month)]


def result_lines(follow_ups: Iterable[tuple[str, str, str, str | None]]) -> list[str]:
    """Part I's "kết quả thực hiện nghị quyết tháng trước", drafted from (who, task, status, note)."""
    lines = []
    for who, task, status, note in follow_ups:
        line = f"- {_clause(task)} ({who}): {STATUS_TEXT[status]}"
        lines.append(line + (f"; {_clause(note)}." if note else "."))
    if lines:
        lines.insert(0, "Kết quả thực hiện các nhiệm vụ được phân công ở các tháng trước:")
    return lines


def _clause(text: str) -> str:
    return text.strip().rstrip(".;")


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


# -- the year at a glance -------------------------------------------------------------------------

@dataclass(frozen=True)
class Tally:
    """Assignments made in a period, and what became of them."""

    made: int = 0
    done: int = 0
    late: int = 0
    dropped: int = 0
    open: int = 0

    def add(self, entry: Entry) -> Tally:
        state = entry.state
        return Tally(self.made + 1, self.done + (state == "done"), self.late + (state == "late"),
                     self.dropped + (state == "dropped"), self.open + (state in {"open", "in_progress"}))


def year_entries(entries: Iterable[Entry], year: int) -> list[Entry]:
    """The assignments made in *year*."""
    return [e for e in entries if e.year == year]


def by_person(entries: Iterable[Entry]) -> dict[str, Tally]:
    """The tally of each "who" (a member's name, the chi ủy…), in the order first seen."""
    found: dict[str, Tally] = {}
    for entry in entries:
        found[entry.who] = found.get(entry.who, Tally()).add(entry)
    return found


def member_lines(entries: Iterable[Entry], name: str) -> list[str]:
    """Mẫu 02's "nhiệm vụ được giao và kết quả" for one member: each task and its outcome."""
    key = _norm(name)
    lines = []
    for entry in entries:
        if key not in _norm(entry.who):
            continue
        due = entry.due_text()
        lines.append(f"- Tháng {entry.month}/{entry.year}: {_clause(entry.task)}"
                     + (f" (thời hạn {due})" if due else "") + f": {STATUS_TEXT[entry.state]}.")
    return lines


def report_lines(entries: list[Entry], year: int) -> list[str]:
    """Mẫu 01's starting text on carrying out the monthly resolutions of *year*."""
    made = year_entries(entries, year)
    if not made:
        return []
    tally = Tally()
    for entry in made:
        tally = tally.add(entry)
    lines = [f"Trong năm {year}, các nghị quyết tháng của chi bộ phân công {vn.count(tally.made)} nhiệm vụ: "
             f"{vn.count(tally.done)} đã hoàn thành, {vn.count(tally.open)} đang thực hiện, "
             f"{vn.count(tally.late)} chậm tiến độ, {vn.count(tally.dropped)} không thực hiện nữa."]
    lines += [f"- {e.task.rstrip('.')} ({e.who}): {STATUS_TEXT[e.state]}."
              for e in made if e.state in {"late", "dropped"}]
    return lines
