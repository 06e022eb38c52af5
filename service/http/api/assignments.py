"""``/api/v1/assignments``: the resolution ledger of a chi bộ, and its year at a glance."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint

from service.http.actions import assignments
from service.http.params import flag, int_arg, text_arg

bp = Blueprint("assignments", __name__, url_prefix="/api/v1")


@bp.get("/assignments")
def list_assignments() -> dict[str, Any]:
    """Every assignment of the caller's chi bộ (a đảng ủy: ``?organisation=<id>``), with its state."""
    return assignments.assignments_body(text_arg("organisation"), state=text_arg("state"),
                                        open_only=flag("open"))


@bp.get("/assignments/year")
def year_at_a_glance() -> dict[str, Any]:
    """``?year=``: the chi bộ's monthly meetings and assignments of that year, and starting texts."""
    which = int_arg("year", 2000, 2100, default=date.today().year)
    assert which is not None
    return assignments.year_body(text_arg("organisation"), which)
