"""Annual reviews for the season tests: the small sample moved to another meeting day."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from service.config import PROJECT_ROOT

_SMALL = json.loads((PROJECT_ROOT / "doc_templates/samples/annual_review_2025_small.json").read_text())
MEMBERS = [r["member"] for r in _SMALL["ratings"]]


def review_held(
    name: str, held: date, organisation_id: str | None = None, *, xuat_sac: int = 0
) -> dict[str, Any]:
    """A review of *held*'s year by the chi bộ *name* (5 members, 4 present, 3 of them voting), held
    on *held*: the first *xuat_sac* members proposed "xuất sắc" by the votes (one is over the cap
    already: 20 % of 3 "tốt" is none)."""
    year = held.year
    data = json.loads(json.dumps(_SMALL).replace("năm 2025", f"năm {year}"))
    data["review_year"] = year
    data["organisation"] = {**data["organisation"], "name": name}
    for key in ("start", "end"):
        data[key] = held.isoformat() + data[key][10:]
    for basis in data.get("local_basis", []):
        basis["date"] = (
            date(year, 11, 10).isoformat() if held > date(year, 11, 10) else date(year, 1, 5).isoformat()
        )
        basis["subject"] = basis.get("subject", "").replace("2025", str(year)) or None
    for index, rating in enumerate(data["ratings"]):
        if index < xuat_sac:
            rating["self_rating"], rating["self_score"], rating["votes"] = "xuat_sac", 92, {"xuat_sac": 3}
    if organisation_id:
        data["organisation_id"] = organisation_id
    return data


def review_2026(
    name: str, organisation_id: str | None = None, *, xuat_sac: int = 0, day: int = 5
) -> dict[str, Any]:
    """A review of 2026 held on *day* December 2026."""
    return review_held(name, date(2026, 12, day), organisation_id, xuat_sac=xuat_sac)
