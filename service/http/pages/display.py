"""How the pages write statuses, kinds of meeting and dates, in Vietnamese (Jinja filters)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any

_VIETNAM = timezone(timedelta(hours=7), "ICT")  # Vietnam keeps UTC+7 all year (no summer time)

STATUS = {"queued": "đang chờ", "running": "đang tạo", "done": "hoàn tất", "failed": "có lỗi",
          "incomplete": "chưa đủ (cần tạo lại)", "draft": "bản nháp"}
KINDS = {"annual_review": "Kiểm điểm cuối năm", "monthly": "Sinh hoạt định kỳ",
         "dang_bo": "Tổng hợp đảng bộ"}


def vn_status(status: str) -> str:
    """The Vietnamese word for a status."""
    return STATUS.get(status, status)


def vn_kind(kind: str) -> str:
    """The Vietnamese name of a kind of meeting."""
    return KINDS.get(kind, kind)


def vn_date(value: Any) -> str:
    """A day as 05/12/2025; a moment stored in UTC (``…Z``) as Vietnam's time, 05/12/2025 14:00."""
    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = (date.fromisoformat(value) if len(value) == 10
                     else datetime.fromisoformat(value.replace("Z", "+00:00")))
        except ValueError:
            return str(value)
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(_VIETNAM)
        return str(value.strftime("%d/%m/%Y %H:%M"))
    return str(value.strftime("%d/%m/%Y")) if isinstance(value, date) else str(value)


FILTERS = {"vn_status": vn_status, "vn_kind": vn_kind, "vn_date": vn_date}
