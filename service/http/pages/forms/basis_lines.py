"""The local texts a meeting follows ("Căn cứ …"), typed on the web forms one a line.

A line as the minutes print it: ``Kế hoạch số 45-KH/ĐU, ngày 10/11/2026 của Đảng ủy xã Kỳ Anh về
…`` (the comma and "số" may be left out; the subject starts with "về"). ``parse`` makes the
``local_basis`` entries of the schema; a line it cannot read becomes an entry that fails
validation on its date, so the form says which line to fix. ``lines`` writes them back.
"""

from __future__ import annotations

import re
from typing import Any

from service.http.pages.forms.days import iso, vietnamese

_LINE = re.compile(r"(?:căn cứ\s+|thực hiện\s+)?(?P<kind>.+?)\s+(?:số\s+)?(?P<number>[0-9][^\s,]*)\s*,?\s*"
                   r"ngày\s+(?P<date>[0-9./\-]+)\s+(?:của\s+)?(?P<issuer>.+?)"
                   r"(?:\s+(?P<subject>(?:về|v/v)\s.+))?[;.]?", re.IGNORECASE)
FIELD = "local_basis"


def parse(text: str) -> list[dict[str, Any]]:
    """The ``local_basis`` entries of the lines of *text* (blank lines skipped)."""
    found = []
    for line in (part.strip() for part in text.splitlines()):
        if not line:
            continue
        match = _LINE.fullmatch(line)
        if match is None:
            found.append({"kind": line[:60], "number": "?", "date": f"không đọc được: {line}"[:40],
                          "issuer": "?"})
            continue
        entry = {key: match.group(key).strip() for key in ("kind", "number", "issuer")}
        entry["date"] = iso(match.group("date"))
        if match.group("subject"):
            entry["subject"] = match.group("subject").strip()
        found.append(entry)
    return found


def lines(entries: list[dict[str, Any]] | None) -> str:
    """The entries written back one a line, as ``parse`` reads them."""
    written = []
    for entry in entries or []:
        subject = f" {entry['subject']}" if entry.get("subject") else ""
        written.append(f"{entry.get('kind', '')} số {entry.get('number', '')}, ngày "
                       f"{vietnamese(str(entry.get('date', '')))} của {entry.get('issuer', '')}{subject}")
    return "\n".join(written)
