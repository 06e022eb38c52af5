"""The "DỰ THẢO" mark of a draft, added to a rendered DOCX (any template, built-in or uploaded).

``mark_draft`` puts one line, ``DỰ THẢO`` in bold red capitals in a red box, right-aligned at
the top of every header of every section, so it stands on every page, the first page of a
title-page section and the even pages included. A section with no header of a kind gets one
(the previous section's, as Word would inherit it, else a new part holding only the mark).
It works on the DOCX after docxtpl, so a đảng bộ's own template needs nothing for it; a final
document is simply never passed through it (``DocxRenderer.render(…, draft=True)`` only).
"""

from __future__ import annotations

import io
import re
import zipfile

from lxml import etree

DRAFT_MARK = "DỰ THẢO"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_HEADER_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/header"
_HEADER_CONTENT = "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"
_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
_MARK = (f'<w:p xmlns:w="{W}"><w:pPr><w:jc w:val="right"/><w:spacing w:before="0" w:after="0"/></w:pPr>'
         '<w:r><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:cs="Times New Roman"/>'
         '<w:b/><w:color w:val="C00000"/><w:sz w:val="26"/>'
         '<w:bdr w:val="single" w:sz="12" w:space="2" w:color="C00000"/></w:rPr>'
         f'<w:t xml:space="preserve"> {DRAFT_MARK} </w:t></w:r></w:p>')


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _kinds(section: etree._Element, even_pages: bool) -> list[str]:
    """The header kinds a section shows: default; first with a title page; even with even/odd."""
    kinds = ["default"]
    if section.find(_w("titlePg")) is not None:
        kinds.append("first")
    if even_pages:
        kinds.append("even")
    return kinds


def mark_draft(docx: bytes) -> bytes:
    """*docx* with the ``DỰ THẢO`` mark at the top of every page (see the module's text)."""
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        parts = {info.filename: archive.read(info.filename) for info in archive.infolist()}
    document = etree.fromstring(parts["word/document.xml"])
    rels = etree.fromstring(parts["word/_rels/document.xml.rels"])
    types = etree.fromstring(parts["[Content_Types].xml"])
    even_pages = b"evenAndOddHeaders" in parts.get("word/settings.xml", b"")
    targets = {rel.get("Id"): rel.get("Target") for rel in rels}
    marked: set[str] = set()
    inherited: dict[str, str] = {}
    for section in document.iter(_w("sectPr")):
        refs = {ref.get(_w("type")): ref for ref in section.findall(_w("headerReference"))}
        for kind in _kinds(section, even_pages):
            ref = refs.get(kind)
            if ref is None:
                rel_id = inherited.get(kind) or _new_header(parts, rels, types, targets)
                ref = etree.Element(_w("headerReference"), {_w("type"): kind, f"{{{R}}}id": rel_id})
                section.insert(0, ref)
            rel_id = str(ref.get(f"{{{R}}}id"))
            inherited[kind] = rel_id
            name = "word/" + str(targets[rel_id]).lstrip("/").removeprefix("word/")
            if name not in marked:
                parts[name] = _with_mark(parts[name])
                marked.add(name)
    parts["word/document.xml"] = etree.tostring(document, xml_declaration=True, encoding="UTF-8",
                                                standalone=True)
    parts["word/_rels/document.xml.rels"] = etree.tostring(rels, xml_declaration=True, encoding="UTF-8",
                                                           standalone=True)
    parts["[Content_Types].xml"] = etree.tostring(types, xml_declaration=True, encoding="UTF-8",
                                                  standalone=True)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


def _with_mark(header: bytes) -> bytes:
    """A header part with the mark as its first paragraph."""
    root = etree.fromstring(header)
    root.insert(0, etree.fromstring(_MARK))
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def _new_header(parts: dict[str, bytes], rels: etree._Element, types: etree._Element,
                targets: dict[str | None, str | None]) -> str:
    """A new, empty header part, related and typed; its relationship id (the mark comes after)."""
    number = 1 + max([int(n) for n in re.findall(r"word/header(\d+)\.xml", " ".join(parts))] or [0])
    target = f"header{number}.xml"
    parts[f"word/{target}"] = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' \
                              f'<w:hdr xmlns:w="{W}" ' \
                              f'xmlns:r="{R}"></w:hdr>'.encode()
    used = {str(rel.get("Id")) for rel in rels}
    rel_id = next(f"rIdDuThao{n}" for n in range(1, len(used) + 2) if f"rIdDuThao{n}" not in used)
    etree.SubElement(rels, f"{{{_RELS}}}Relationship", Id=rel_id, Type=_HEADER_TYPE, Target=target)
    etree.SubElement(types, f"{{{_CT}}}Override", PartName=f"/word/{target}", ContentType=_HEADER_CONTENT)
    targets[rel_id] = target
    return rel_id
