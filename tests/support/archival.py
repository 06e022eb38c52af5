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


_TITLE = re.compile(r"^(?:T/M |TM\. )?(?:CHI BỘ|BÍ THƯ|PHÓ BÍ THƯ|THƯ KÝ|CHỦ TRÌ|CHỦ TRÌ HỘI NGHỊ|"
                    r"TỔ TRƯỞNG|TỔ TRƯỞNG TỔ KIỂM PHIẾU|NGƯỜI TỰ KIỂM ĐIỂM|THƯ KÝ HỘI NGHỊ|"
                    r"ĐẢNG VIÊN|T/M ĐẢNG ỦY|BAN THƯỜNG VỤ)$")
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')


def signature_rooms(pdf: bytes) -> list[float]:
    """The blank height, in mm, below each signature block's last title line on the last page
    (a column's title such as ``BÍ THƯ``, down to the next text of that column)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "read.pdf"
        path.write_bytes(pdf)
        html = subprocess.run(["pdftotext", "-bbox", str(path), "-"], check=True,
                              capture_output=True).stdout.decode()
    last = html.rsplit("<page", 1)[-1]
    words = [(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in _WORD.findall(last)]
    lines: dict[tuple[int, int], list[tuple[float, float, float, float, str]]] = {}
    for word in words:  # a line of one column: same baseline, same half of the page
        lines.setdefault((round(word[3]), int(word[0] > 297.6)), []).append(word)
    rooms = []
    for (bottom, half), line in lines.items():
        text = " ".join(w[4] for w in sorted(line))
        if not _TITLE.match(text):
            continue
        below = [min(w[1] for w in other) for (b, h), other in lines.items() if h == half and b > bottom]
        if below and not any(_TITLE.match(" ".join(w[4] for w in sorted(o)))
                             for (b, h), o in lines.items() if h == half and b == min(
                                 bb for (bb, hh) in lines if hh == half and bb > bottom)):
            rooms.append((min(below) - bottom) * 25.4 / 72)
    return rooms
