"""Annual reviews of 2026 for the season tests: the small sample moved to December 2026."""

from __future__ import annotations

import json
from typing import Any

from service.config import PROJECT_ROOT

_SMALL = json.loads((PROJECT_ROOT / "doc_templates/samples/annual_review_2025_small.json").read_text())


def review_2026(
    name: str, organisation_id: str | None = None, *, xuat_sac: int = 0, day: int = 5
) -> dict[str, Any]:
    """A 2026 review of the chi bộ *name* (5 members, 4 present): the first *xuat_sac* members
    proposed "xuất sắc" by the votes (2 or more breaks the cap: 20 % of the "tốt" ones)."""
    data = json.loads(json.dumps(_SMALL).replace("năm 2025", "năm 2026"))
    data["review_year"] = 2026
    data["organisation"] = {**data["organisation"], "name": name}
    for key in ("start", "end"):
        data[key] = f"2026-12-{day:02d}" + data[key][10:]
    for basis in data.get("local_basis", []):
        basis["date"] = "2026-11-10"
        basis["subject"] = basis.get("subject", "").replace("2025", "2026") or None
    for index, rating in enumerate(data["ratings"]):
        if index < xuat_sac:
            rating["self_rating"], rating["self_score"], rating["votes"] = "xuat_sac", 92, {"xuat_sac": 3}
    if organisation_id:
        data["organisation_id"] = organisation_id
    return data


MEMBERS = [r["member"] for r in _SMALL["ratings"]]
