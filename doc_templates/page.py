"""The page: A4 with the HD 36-HD/VPTW margins, the page number, fixed properties, saving.

A4 portrait (or landscape for the wide tables), margins 20/20/30/15 mm, the page number at the
top centre from page 2 on (domain §4.1), or none at all (ballots): the default regime's page in
``service.meetings.layouts``. Saving is reproducible: fixed core properties and fixed ZIP
timestamps, so a rebuild gives the same bytes.
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.shared import Mm

from doc_templates.ooxml import el
from doc_templates.paragraphs import tiny
from doc_templates.styles import CENTER, HOUSE_STYLES, LANG, NOTE, prune, setup_styles, used_styles
from service.meetings.layouts import DEFAULT

FIXED_DATE = datetime(2025, 1, 1, 0, 0, 0)
ZIP_DATE = (2025, 1, 1, 0, 0, 0)
PAGE = DEFAULT.page  # every template is built in the default regime (HD 36)
TEXT_WIDTH = PAGE.text_width  # mm: 210 - 30 - 15


def _page_number(doc: DocxDocument) -> None:
    """A PAGE field, centred in the header of every page but the first."""
    assert PAGE.number_from == 2, "a numbered first page needs no different first-page header"
    section = doc.sections[0]
    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False
    section.first_page_header.paragraphs[0].style = doc.styles[CENTER]

    para = section.header.paragraphs[0]
    para.style = doc.styles[CENTER]
    for kind, text in (("begin", ""), ("instr", " PAGE "), ("separate", ""), ("text", "2")):
        run = para.add_run()
        if kind == "instr":
            instr = el("instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        elif kind == "text":
            run.text = text
        else:
            run._r.append(el("fldChar", fldCharType=kind))
    para.add_run()._r.append(el("fldChar", fldCharType="end"))


def _footer(doc: DocxDocument, text: str) -> None:
    """*text* in italics at the foot of every page (the first page's too)."""
    section = doc.sections[0]
    para = section.footer.paragraphs[0]
    para.style = doc.styles[NOTE]
    para.paragraph_format.first_line_indent = Mm(0)
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    para.add_run(text)


def _setup_page(doc: DocxDocument, *, page_number: bool, footer: str | None) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(PAGE.width), Mm(PAGE.height)
    section.top_margin, section.bottom_margin = Mm(PAGE.top), Mm(PAGE.bottom)
    section.left_margin, section.right_margin = Mm(PAGE.left), Mm(PAGE.right)
    section.header_distance, section.footer_distance = Mm(PAGE.header), Mm(PAGE.header)
    section.gutter = Mm(0)
    if page_number:
        _page_number(doc)
    if footer:
        _footer(doc, footer)


def _set_core_properties(doc: DocxDocument, title: str) -> None:
    props = doc.core_properties
    props.author = props.last_modified_by = "chibo-docs"
    props.title = title
    props.subject = "Mẫu văn bản (docxtpl) – chibo-docs"
    props.comments = props.keywords = props.category = ""
    props.language = LANG
    props.revision = 1
    props.created = props.modified = FIXED_DATE
    package_rels = doc.part.package.rels
    for rid in [rid for rid, rel in package_rels.items() if rel.reltype == RT.THUMBNAIL]:
        del package_rels[rid]


def new_document(title: str, *, landscape: bool = False, page_number: bool = True,
                 footer: str | None = None) -> DocxDocument:
    """An empty A4 document with the house styles, page setup and fixed properties.

    *page_number* false leaves every page unnumbered (a secret ballot carries no number);
    *footer* is a fixed line at the foot of every page.
    """
    doc = Document()
    setup_styles(doc)
    _setup_page(doc, page_number=page_number, footer=footer)
    if landscape:
        section = doc.sections[0]
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(PAGE.height), Mm(PAGE.width)
    _set_core_properties(doc, title)
    return doc


def save(doc: DocxDocument, path: Path) -> None:
    """Save with a tiny closing paragraph, only the styles used and fixed ZIP timestamps.

    The bytes are reproducible."""
    tiny(doc)  # a body must end with a paragraph: keep it tiny
    for rid in [rid for rid, rel in doc.part.rels.items() if rel.reltype.endswith("/stylesWithEffects")]:
        del doc.part.rels[rid]  # Word 2010's copy of the styles (430 kB): nothing reads it
    # every template keeps the house styles, used or not: the same styles in every template
    house = {style.style_id for style in doc.styles if style.name in HOUSE_STYLES}
    parts = [part.blob for part in doc.part.package.iter_parts()
             if part.partname.startswith("/word/") and part.partname != "/word/styles.xml"]
    prune(doc, house | used_styles(parts))
    doc.save(str(path))
    with zipfile.ZipFile(path) as src:
        entries = [(info.filename, src.read(info)) for info in src.infolist()]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, data)
    path.write_bytes(buffer.getvalue())
