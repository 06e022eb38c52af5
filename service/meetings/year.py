"""A chi bộ's year at a glance: its monthly meetings and what their resolutions assigned.

For each month of a year: the meeting held (or none), how long it lasted, who came, what falls
short of HD 42 (``figures.monthly_warnings``) and of HD 12's attendance criterion (above 85 %,
nobody absent without a reason), and the assignments made that month with what became of them
(``ledger``). Pure: the meetings come in, already read.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from service.meetings import ledger
from service.meetings import vnformat as vn
from service.meetings.figures import compute_monthly, monthly_warnings
from service.meetings.schemas import MonthlyMeeting

ATTENDANCE_SHARE = 85  # HD 12-HD/BTCTW: "đạt tỷ lệ trên 85%" (domain §11.5)


@dataclass
class Month:
    """One month of the year: its meeting (if any) and its assignments."""

    month: int
    held: date | None = None
    job_id: str | None = None
    minutes: int | None = None
    present: int = 0
    summoned: int = 0
    warnings: list[str] = field(default_factory=list)
    tally: ledger.Tally = field(default_factory=ledger.Tally)

    @property
    def attendance(self) -> str:
        """``07/08`` or empty when no meeting."""
        return vn.ratio(self.present, self.summoned) if self.held else ""


def attendance_warnings(meeting: MonthlyMeeting) -> list[str]:
    """HD 12's attendance criterion: above 85 % present, nobody absent without a reason."""
    figures = compute_monthly(meeting)
    found = []
    if figures.summoned and figures.summoned * ATTENDANCE_SHARE >= len(figures.present) * 100:
        found.append(f"Tỷ lệ đảng viên dự sinh hoạt {vn.ratio(len(figures.present), figures.summoned)}, "
                     f"chưa trên {ATTENDANCE_SHARE}%.")
    unexcused = [m.name for m in figures.absent if not m.absence_reason]
    if unexcused:
        found.append(f"Vắng không có lý do: {', '.join(unexcused)}.")
    return found


def glance(meetings: Iterable[tuple[MonthlyMeeting, str | None]], year: int) -> list[Month]:
    """The twelve months of *year*: meetings held, their warnings, assignments and outcomes."""
    meetings = list(meetings)
    months = [Month(number) for number in range(1, 13)]
    for meeting, source in meetings:
        if meeting.year != year:
            continue
        row = months[meeting.month - 1]
        figures = compute_monthly(meeting)
        row.held, row.job_id, row.minutes = meeting.start.date(), source, meeting.minutes
        row.present, row.summoned = len(figures.present), figures.summoned
        row.warnings = monthly_warnings(meeting) + attendance_warnings(meeting)
    for entry in ledger.year_entries(ledger.build(meetings), year):
        months[entry.month - 1].tally = months[entry.month - 1].tally.add(entry)
    return months
