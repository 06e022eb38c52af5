"""The font files LibreOffice lays the documents out with, as fontconfig resolves them.

The templates name Times New Roman; on the server fontconfig gives Liberation Serif (regular,
bold, italic, bold italic). Their SHA-256 go in each document's provenance, so a document can
be traced to the fonts that shaped its lines and pages.
"""

from __future__ import annotations

import functools
import hashlib
import subprocess
from pathlib import Path

FAMILIES = ("Times New Roman",)  # what the templates name (doc_templates/styles.py)
_STYLES = ("", ":bold", ":italic", ":bold:italic")


@functools.cache
def font_digests(families: tuple[str, ...] = FAMILIES) -> dict[str, str]:
    """``{file name: SHA-256}`` of each font file the *families* resolve to (empty without fc-match)."""
    digests: dict[str, str] = {}
    for family in families:
        for style in _STYLES:
            try:
                found = subprocess.run(["fc-match", "-f", "%{file}", f"{family}{style}"], check=True,
                                       capture_output=True, timeout=10).stdout.decode()
            except (OSError, subprocess.SubprocessError):
                continue
            path = Path(found)
            if found and path.is_file() and path.name not in digests:
                digests[path.name] = hashlib.sha256(path.read_bytes()).hexdigest()
    return digests
