"""Builders of meeting payloads for tests."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

SAMPLES = Path(__file__).resolve().parents[2] / "doc_templates" / "samples"
_SAMPLE = json.loads((SAMPLES / "annual_review_2025.json").read_text(encoding="utf-8"))


def meeting_payload(**overrides: Any) -> dict[str, Any]:
    """A valid annual-review payload (the bundled sample), with top-level overrides."""
    data = copy.deepcopy(_SAMPLE)
    data.update(overrides)
    return data


def small_meeting(members: list[dict[str, Any]], ratings: list[dict[str, Any]],
                  chi_bo_votes: dict[str, int] | None = None, **overrides: Any) -> dict[str, Any]:
    """A payload with the given members and ratings and nothing optional."""
    data = meeting_payload(members=members, ratings=ratings, guests=[], discussion=[],
                           chi_bo_rating={"self_rating": "tot", "votes": chi_bo_votes or {}})
    for optional in ("check", "ballot_count", "report"):
        data.pop(optional, None)
    data.update(overrides)
    return data


_MONTHLY = json.loads((SAMPLES / "monthly_2025_11.json").read_text(encoding="utf-8"))


def monthly_payload(**overrides: Any) -> dict[str, Any]:
    """A valid monthly-meeting payload (the bundled sample), with top-level overrides."""
    data = copy.deepcopy(_MONTHLY)
    data.update(overrides)
    return data


def dang_bo_payload(**overrides: Any) -> dict[str, Any]:
    """The bundled đảng bộ sample: three chi bộ of 2025."""
    data = json.loads((SAMPLES / "dang_bo_2025.json").read_text(encoding="utf-8"))
    data.update(overrides)
    return data


def workbook_bytes(edit: Any = None) -> bytes:
    """The blank workbook with its examples typed in as data (a valid one-chi-bộ đảng bộ, code
    CB01, rows where the examples were), optionally edited by *edit(book)*."""
    import io

    from openpyxl import load_workbook

    from service.spreadsheets.workbook import EXAMPLE_CODE, blank_workbook

    book = load_workbook(io.BytesIO(blank_workbook()))
    for row in book["Đảng bộ"].iter_rows(min_row=2):
        row[1].value = row[2].value
    # the Căn cứ example becomes a document every chi bộ cites (its code left blank)
    for name, code in (("Chi bộ", "CB01"), ("Đảng viên", "CB01"), ("Phiếu", "CB01"), ("Căn cứ", None)):
        for (cell,) in book[name].iter_rows(min_row=2, max_col=1):
            if cell.value == EXAMPLE_CODE:
                cell.value = code
    if edit is not None:
        edit(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
