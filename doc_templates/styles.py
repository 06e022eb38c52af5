"""The house styles: Times New Roman 14 pt in Vietnamese, and the named paragraph styles.

Every template uses the same few styles (ASCII names, so Word shows them as they are): a
justified body with a 1 cm first-line indent, bold headings kept with what follows, centred
lines, 12 pt table cells and italic notes (HD 36-HD/VPTW, domain §4.1–4.2).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Cm, Pt
from docx.styles.style import ParagraphStyle

from doc_templates.ooxml import el, replace
from service.meetings.layouts import DEFAULT

FONT = "Times New Roman"
LANG = "vi-VN"

BODY, HEADING, CENTER, CELL, NOTE = "CB Body", "CB Heading", "CB Center", "CB Table", "CB Note"
CELL_LEFT, LEFT = "CB Table Left", "CB Left"
HOUSE_STYLES = (BODY, HEADING, CENTER, CELL, NOTE, CELL_LEFT, LEFT)
SIZES = DEFAULT.sizes  # every template is built in the default regime (HD 36)


def font_rpr(rpr: BaseOxmlElement) -> None:
    """Force Times New Roman on every script slot and Vietnamese as the language."""
    fonts = {"ascii": FONT, "hAnsi": FONT, "cs": FONT, "eastAsia": FONT}
    replace(rpr, el("rFonts", **fonts))
    replace(rpr, el("lang", val=LANG, eastAsia=LANG, bidi=LANG))


def _defaults(doc: DocxDocument) -> None:
    """14 pt Times New Roman, no spacing, single lines: the document defaults and Normal."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for child in list(rpr):
        rpr.remove(child)
    font_rpr(rpr)
    half_points = str(round(SIZES.body * 2))
    rpr.append(el("sz", val=half_points))
    rpr.append(el("szCs", val=half_points))
    ppr = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr"))
    replace(ppr, el("spacing", before="0", after="0", line="240", lineRule="auto"))

    normal = doc.styles["Normal"]
    normal.font.size = Pt(SIZES.body)
    font_rpr(normal.element.get_or_add_rPr())


def setup_styles(doc: DocxDocument) -> None:
    """Define the house paragraph styles on *doc*."""
    _defaults(doc)

    def define(name: str, base: str, size: float = SIZES.body,
               align: WD_ALIGN_PARAGRAPH | None = None) -> ParagraphStyle:
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = doc.styles[base]
        style.quick_style = True
        style.font.size = Pt(size)
        pf = style.paragraph_format
        pf.alignment = align
        pf.space_before, pf.space_after = Pt(0), Pt(0)
        pf.first_line_indent = Cm(0)
        return style

    body = define(BODY, "Normal", align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    body.paragraph_format.first_line_indent = Cm(SIZES.first_line_indent_cm)
    body.paragraph_format.space_after = Pt(SIZES.paragraph_after)
    body.paragraph_format.line_spacing_rule = WD_LINE_SPACING.AT_LEAST
    body.paragraph_format.line_spacing = Pt(SIZES.line_at_least)
    body.paragraph_format.widow_control = True

    heading = define(HEADING, BODY, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    heading.font.bold = True
    heading.paragraph_format.space_before = Pt(6)
    heading.paragraph_format.space_after = Pt(SIZES.paragraph_after)
    heading.paragraph_format.keep_with_next = True

    define(CENTER, "Normal", align=WD_ALIGN_PARAGRAPH.CENTER)
    cell = define(CELL, "Normal", size=SIZES.table, align=WD_ALIGN_PARAGRAPH.CENTER)
    cell.paragraph_format.space_before = Pt(2)
    cell.paragraph_format.space_after = Pt(2)
    cell_left = define(CELL_LEFT, CELL, size=SIZES.table, align=WD_ALIGN_PARAGRAPH.LEFT)
    cell_left.paragraph_format.space_before = Pt(2)

    left = define(LEFT, BODY, align=WD_ALIGN_PARAGRAPH.LEFT)
    left.paragraph_format.first_line_indent = Cm(SIZES.first_line_indent_cm)
    left.paragraph_format.space_after = Pt(SIZES.paragraph_after)
    note = define(NOTE, BODY, size=SIZES.note, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    note.font.italic = True
    note.paragraph_format.space_before = Pt(4)
    note.paragraph_format.first_line_indent = Cm(SIZES.first_line_indent_cm)


_USES = re.compile(rb'<w:(?:pStyle|rStyle|tblStyle|numStyleLink|styleLink) w:val="([^"]+)"')


def used_styles(parts: Iterable[bytes]) -> set[str]:
    """The style ids the XML *parts* (body, headers, footers, numbering) name."""
    return {match.decode() for part in parts for match in _USES.findall(part)}


def prune(doc: DocxDocument, used: set[str]) -> None:
    """Leave in *doc* only the styles in *used*, the defaults and what they are based on.

    python-docx's default template defines 160 styles and 376 latent ones (350 kB), which
    LibreOffice imports at every conversion; a template of ours needs about fifteen (5 kB), and
    a conversion is about a quarter faster (docs/development.md). Word still offers its
    built-in styles.
    """
    root = doc.styles.element
    styles = {style.get(qn("w:styleId")): style for style in root.findall(qn("w:style"))}
    keep = set(used) | {key for key, style in styles.items() if style.get(qn("w:default")) == "1"}
    todo = list(keep)
    while todo:  # what the kept styles are based on, and the style of their next paragraph
        style = styles.get(todo.pop())
        for tag in ("w:basedOn", "w:next"):
            link = style.find(qn(tag)) if style is not None else None
            if link is not None and link.get(qn("w:val")) not in keep:
                keep.add(link.get(qn("w:val")))
                todo.append(link.get(qn("w:val")))
    for key, style in styles.items():
        if key not in keep:
            root.remove(style)
        elif (link := style.find(qn("w:link"))) is not None and link.get(qn("w:val")) not in keep:
            style.remove(link)
    for latent in root.findall(qn("w:latentStyles")):
        root.remove(latent)
