"""Reading the PDF/A identification and the fonts of a PDF as poppler's tools print them."""

from __future__ import annotations

import re
import subprocess
import tempfile
from pathlib import Path


def _run(tool: str, pdf: bytes) -> str:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "read.pdf"
        path.write_bytes(pdf)
        args = [tool, "-meta", str(path)] if tool == "pdfinfo" else [tool, str(path)]
        return subprocess.run(args, check=True, capture_output=True).stdout.decode("utf-8", "replace")


def pdfa_identification(pdf: bytes) -> str | None:
    """``2B`` when ``pdfinfo -meta`` shows pdfaid part 2 and conformance B (either XMP form), else None."""
    meta = _run("pdfinfo", pdf)
    part = re.search(r"pdfaid:part(?:>|=[\"'])\s*(\d)", meta)
    level = re.search(r"pdfaid:conformance(?:>|=[\"'])\s*([ABU])", meta)
    return part.group(1) + (level.group(1) if level else "") if part else None


def unembedded_fonts(pdf: bytes) -> list[str]:
    """The fonts ``pdffonts`` lists as not embedded (empty: all are)."""
    lines = _run("pdffonts", pdf).splitlines()[2:]
    return [line.split()[0] for line in lines if line.split() and " no " in f" {line[60:70]} "]


def is_encrypted(pdf: bytes) -> bool:
    """True when ``pdfinfo`` says the file is encrypted."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "read.pdf"
        path.write_bytes(pdf)
        info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True).stdout.decode()
    return bool(re.search(r"^Encrypted:\s+yes", info, re.M))
