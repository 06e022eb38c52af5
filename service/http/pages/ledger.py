"""The "Theo dõi nghị quyết" page (``/theo-doi-nghi-quyet``): a chi bộ's assignments and its year.

Everything is computed from the chi bộ's monthly minutes (``actions.assignments``): the
assignments still open (late ones first), the twelve months of a year (meeting held, attendance,
warnings, assignments made and what became of them), each person's tally, and the starting texts
for Mẫu 01 and each member's Mẫu 02. A đảng ủy office names the chi bộ (``?organisation=``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, render_template, request

from service.errors import BadRequestError
from service.http.actions import assignments

bp = Blueprint("ledger_web", __name__)
_ORDER = {"late": 0, "open": 1, "in_progress": 2, "done": 3, "dropped": 4}


@bp.get("/theo-doi-nghi-quyet")
def ledger_page() -> Any:
    """The chi bộ's ledger and the year asked for (``?nam=``, default this year)."""
    raw = request.args.get("nam", "").strip() or str(date.today().year)
    if not raw.isdigit() or not 2000 <= int(raw) <= 2100:
        raise BadRequestError("Năm phải là số từ 2000 đến 2100.")
    requested = request.args.get("organisation") or None
    body = assignments.assignments_body(requested)
    year = assignments.year_body(requested, int(raw))
    items = sorted(body["items"], key=lambda item: (_ORDER[item["state"]], item["assigned_in"]["year"],
                                                    item["assigned_in"]["month"]))
    today = date.today()
    return render_template("ledger.html", organisation=body["organisation"], items=items, year=year,
                           requested=requested, today_month=today.month, today_year=today.year)
