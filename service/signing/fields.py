"""Empty signature fields at the signature blocks, for Adobe and Foxit users (``SIGNATURE_FIELDS``).

``add_fields`` finds each block's last title line (``BÍ THƯ``, ``THƯ KÝ``, ``CHỦ TRÌ``…) by the
position of its text (pypdf's text visitor) and appends, as an incremental update with
pyHanko's ``append_signature_field``, an unsigned field of ``FIELD_MM`` under it: in the room
of ≥ 25 mm the blocks keep below their titles. The fields are named ``ky_bi_thu``,
``ky_thu_ky``, ``ky_chu_tri`` (``_2``, ``_3``… when a title comes again). PDF/A-2b permits
empty signature fields; pyHanko gives each widget an (empty) appearance and the print flag.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign.fields import SigFieldSpec, append_signature_field
from pypdf import PdfReader

MM = 72 / 25.4
FIELD_MM = (60, 25)  # width, height
GAP_MM = 0.5  # between the title's baseline and the field's top
# a block's last title line, as it stands alone on its line → the field's name
TITLES = {"BÍ THƯ": "ky_bi_thu", "PHÓ BÍ THƯ": "ky_pho_bi_thu", "THƯ KÝ": "ky_thu_ky",
          "CHỦ TRÌ": "ky_chu_tri", "CHỦ TRÌ HỘI NGHỊ": "ky_chu_tri"}
_GLYPH_EM = 0.6  # a capital's width in em, roughly: the title's centre from its left edge


@dataclass(frozen=True)
class Title:
    """One title line found: its page (from 0), the name its field gets, its centre and baseline."""

    page: int
    name: str
    x: float
    y: float


def titles(pdf: bytes) -> list[Title]:
    """The signature titles of *pdf*, page by page, top to bottom (points, origin bottom left)."""
    found: list[Title] = []
    for number, page in enumerate(PdfReader(io.BytesIO(pdf)).pages):
        runs: list[tuple[str, float, float, float]] = []

        def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float,
                  runs: list[tuple[str, float, float, float]] = runs) -> None:
            if not text.strip():
                return
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            runs.append((text, x, y, size * (abs(tm[0] * cm[0]) or 1.0)))

        page.extract_text(visitor_text=visit)
        for line in _lines(runs):
            text, x, y, width = line
            name = TITLES.get(" ".join(text.split()))
            if name:
                found.append(Title(number, name, x + width / 2, y))
    return found


def _lines(runs: list[tuple[str, float, float, float]]) -> list[tuple[str, float, float, float]]:
    """Runs on one baseline, close together, joined: (text, left, baseline, estimated width)."""
    lines: list[tuple[str, float, float, float]] = []
    for text, x, y, size in runs:
        width = len(text.strip()) * size * _GLYPH_EM
        if lines:
            last_text, last_x, last_y, last_width = lines[-1]
            if abs(last_y - y) < 1 and 0 <= x - (last_x + last_width) < 3 * size:
                lines[-1] = (last_text + text, last_x, last_y, x + width - last_x)
                continue
        lines.append((text, x, y, width))
    return lines


def add_fields(pdf: bytes) -> bytes:
    """*pdf* with an empty signature field under each signature title (unchanged when none)."""
    found = titles(pdf)
    if not found:
        return pdf
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    used: dict[str, int] = {}
    width, height = FIELD_MM[0] * MM, FIELD_MM[1] * MM
    for title in found:
        used[title.name] = used.get(title.name, 0) + 1
        name = title.name if used[title.name] == 1 else f"{title.name}_{used[title.name]}"
        top = title.y - GAP_MM * MM - 3  # below the descenders of the title
        box = (round(title.x - width / 2), round(top - height), round(title.x + width / 2),
               round(top))
        append_signature_field(writer, SigFieldSpec(name, on_page=title.page, box=box))
    out = io.BytesIO()
    writer.write(out)  # type: ignore[no-untyped-call]  # pyHanko's writer is untyped
    return out.getvalue()
