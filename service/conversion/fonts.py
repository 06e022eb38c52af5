"""The font files a PDF was laid out with, as fontconfig resolves the fonts it embeds.

LibreOffice embeds subsets (``BAAAAA+LiberationSerif-Bold``); each PostScript name is resolved
by ``fc-match`` to the file on this machine, and that file's SHA-256 goes in the document's
provenance, so a document can be traced to the fonts that shaped its lines and pages.
"""

from __future__ import annotations

import functools
import hashlib
import io
import subprocess
from pathlib import Path

from pypdf import PdfReader
from pypdf.generic import DictionaryObject, NameObject

PAGES_READ = 20  # fonts are shared by every page of a document: a ballot of 100,000 pages is not read


@functools.cache
def font_file(postscript_name: str) -> tuple[str, str] | None:
    """The file name and SHA-256 of the font *postscript_name* on this machine, or None."""
    try:
        found = subprocess.run(["fc-match", "-f", "%{file}|%{postscriptname}",
                                f":postscriptname={postscript_name}"], check=True,
                               capture_output=True, timeout=10).stdout.decode()
    except (OSError, subprocess.SubprocessError):
        return None
    file, _, name = found.partition("|")
    path = Path(file)
    if name != postscript_name or not path.is_file():
        return None  # fontconfig's fallback for a name it does not know
    return path.name, hashlib.sha256(path.read_bytes()).hexdigest()


def first_pages(reader: PdfReader, count: int) -> list[DictionaryObject]:
    """The first *count* pages of *reader*, walked down the page tree from its root.

    ``reader.pages`` flattens the whole tree first, and pypdf refuses a tree of more than
    100,000 pages (``LimitReachedError``): a 2,000-member ballot has 134,000. A page without
    ``/Resources`` of its own gets its nearest ancestor's.
    """
    root = reader.root_object["/Pages"].get_object()
    found: list[DictionaryObject] = []
    todo: list[tuple[DictionaryObject, object]] = [(root, None)] if isinstance(root, DictionaryObject) else []
    while todo and len(found) < count:
        node, inherited = todo.pop()
        resources = node.get("/Resources", inherited)
        kids = node.get("/Kids")
        if node.get("/Type") == "/Pages" and kids is not None:
            todo.extend((kid.get_object(), resources) for kid in reversed(kids.get_object()))
            continue
        page = DictionaryObject(node)
        if resources is not None:
            page[NameObject("/Resources")] = resources
        found.append(page)
    return found


def embedded_fonts(pdf: bytes | PdfReader) -> list[str]:
    """The PostScript names of the fonts on the first pages of *pdf*, subset prefixes removed."""
    names: set[str] = set()
    reader = pdf if isinstance(pdf, PdfReader) else PdfReader(io.BytesIO(pdf))
    for page in first_pages(reader, PAGES_READ):
        resources = page.get("/Resources")
        fonts = resources.get_object().get("/Font") if resources is not None else None
        fonts = fonts.get_object() if fonts is not None else None
        for font in (fonts.values() if isinstance(fonts, DictionaryObject) else []):
            base = str(font.get_object().get("/BaseFont", ""))
            names.add(base.lstrip("/").split("+", 1)[-1])
    return sorted(name for name in names if name)


def font_digests(pdf: bytes | PdfReader) -> dict[str, str]:
    """``{font file name: SHA-256}`` of each font *pdf* embeds that this machine has."""
    found = (font_file(name) for name in embedded_fonts(pdf))
    return dict(sorted(entry for entry in found if entry is not None))
