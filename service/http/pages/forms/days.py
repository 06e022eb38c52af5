"""Dates on the web forms as Vietnamese write them, ``05/12/2026``, whatever the browser's language.

The forms use text boxes (``dd/mm/yyyy``), not the browser's date picker, whose order follows
the browser's locale, not the page's. ``to_iso`` turns what was typed into the ISO dates the
schema reads (``5/12/2026``, ``05.12.2026`` and ``2026-12-05`` too); ``shown`` turns the ISO dates
of stored data back into ``dd/mm/yyyy`` for the boxes. Text that is not a date passes unchanged,
so validation names the mistake and the box shows what was typed.
"""

from __future__ import annotations

import re
from datetime import date

# the form fields that hold a day: the meeting's, a member's birth, preparation steps, deadlines
DAY_FIELD = re.compile(r"date|m-\d+-birth|prep-(committee_met|notified|materials_posted)|a-\d+-due")
_TYPED = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
PATTERN = r"\d{1,2}[/.\-]\d{1,2}[/.\-]\d{4}"  # the boxes' pattern attribute


def iso(text: str) -> str:
    """``05/12/2026`` → ``2026-12-05``; anything else as it was."""
    found = _TYPED.fullmatch(text.strip())
    if found is None:
        return text
    day, month, year = (int(part) for part in found.groups())
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return text


def vietnamese(text: str) -> str:
    """``2026-12-05`` → ``05/12/2026``; anything else as it was."""
    found = _ISO.fullmatch(text.strip())
    return f"{found.group(3)}/{found.group(2)}/{found.group(1)}" if found else text


def to_iso(form: dict[str, str]) -> dict[str, str]:
    """*form* with every day field in ISO form, for the payload."""
    return {key: iso(value) if DAY_FIELD.fullmatch(key) else value for key, value in form.items()}


def shown(form: dict[str, str]) -> dict[str, str]:
    """*form* with every day field as ``dd/mm/yyyy``, for the boxes."""
    return {key: vietnamese(value) if DAY_FIELD.fullmatch(key) else value for key, value in form.items()}
