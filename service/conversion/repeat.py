"""Documents made of identical copies: LibreOffice lays out one copy, pypdf repeats its pages.

A ballot is the same for every voter, so converting a copy per voter lays out the same pages
over and over: members × copies rows for the member ballot. Here a document comes as *parts*,
each a DOCX and the number of times its pages stand in the PDF; each part is converted once
and its pages repeated. A repeated page is a new page dictionary pointing at the content
stream and resources of the page converted, so the file grows by a few hundred bytes a page,
not by the page, and the cost is O(pages laid out + pages delivered).
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
)

from service.conversion.cache import ConversionCache, content_key
from service.conversion.combine import convert_many, convert_one, page_count
from service.conversion.converter import Converter
from service.conversion.metrics import CACHE_HITS, PAGES_DELIVERED, PAGES_LAID_OUT, stage
from service.pdfa import carry

Repeat = tuple[bytes, int]  # a DOCX or a PDF, and the times its pages stand in the PDF
FANOUT = 64  # kids of a node of the page tree: a flat /Kids of 100,000 pages is refused by readers
_SHARED = ("/Resources", "/MediaBox", "/CropBox")  # what a copy shares with its page
Node = tuple[IndirectObject, DictionaryObject, int]  # a page or a /Pages node, its page count


def repeat(parts: Sequence[Repeat]) -> bytes:
    """One PDF: the pages of each (PDF, times) part, the part *times* over, parts in order.

    A single part standing once is returned as it is.
    """
    if len(parts) == 1 and parts[0][1] == 1:
        return parts[0][0]
    writer = PdfWriter()
    leaves: list[Node] = []
    for index, (pdf, times) in enumerate(parts):
        if times < 1:
            raise ValueError(f"a part stands at least once, not {times} times")
        reader = PdfReader(io.BytesIO(pdf))
        pages = [writer.add_page(page) for page in reader.pages]
        if index == 0:
            carry(reader, writer)  # PDF/A as LibreOffice made it
        for page in pages:
            _share(writer, page)
            assert page.indirect_reference is not None  # a page added to the writer has one
            leaves.append((page.indirect_reference, page, 1))
        for _ in range(times - 1):
            for page in pages:
                copy = DictionaryObject(page)  # the same content, resources and boxes
                copy.pop(NameObject("/Annots"), None)  # an annotation belongs to one page
                leaves.append((writer._add_object(copy), copy, 1))
    _page_tree(writer, leaves)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _share(writer: PdfWriter, page: DictionaryObject) -> None:
    """Make the page's direct resources and boxes indirect, so that its copies point at them."""
    for key in _SHARED:
        value = page.raw_get(key) if key in page else None
        if value is not None and not isinstance(value, IndirectObject):
            page[NameObject(key)] = writer._add_object(value)


def _page_tree(writer: PdfWriter, leaves: list[Node]) -> None:
    """Replace the writer's page tree by a balanced one over *leaves*, in order."""
    nodes = leaves
    while len(nodes) > FANOUT:
        nodes = [_node(writer, nodes[start:start + FANOUT]) for start in range(0, len(nodes), FANOUT)]
    root = writer._pages.get_object()
    assert isinstance(root, DictionaryObject)
    for _, child, _ in nodes:
        child[NameObject("/Parent")] = writer._pages
    root[NameObject("/Kids")] = ArrayObject(ref for ref, _, _ in nodes)
    root[NameObject("/Count")] = NumberObject(sum(count for _, _, count in nodes))
    writer.flattened_pages = [page for _, page, _ in leaves]  # type: ignore[misc]  # pypdf's cache


def _node(writer: PdfWriter, kids: list[Node]) -> Node:
    """An intermediate /Pages node over *kids*, each kid's /Parent set to it."""
    node = DictionaryObject({NameObject("/Type"): NameObject("/Pages")})
    ref = writer._add_object(node)
    for _, child, _ in kids:
        child[NameObject("/Parent")] = ref
    count = sum(n for _, _, n in kids)
    node[NameObject("/Kids")] = ArrayObject(kid for kid, _, _ in kids)
    node[NameObject("/Count")] = NumberObject(count)
    return ref, node, count


def convert_repeated(converter: Converter, documents: Sequence[Sequence[Repeat]],
                     cache: ConversionCache | None = None) -> list[bytes]:
    """The PDF of each document, given as parts (DOCX, times), every distinct part converted once.

    Parts of the same content (the same DOCX rendered twice) are converted once; with *cache*,
    a part converted before (by this process or, through the store, by another) is not
    converted again (``service.conversion.cache``). One document's parts are converted one by
    one, as a document converted alone is; several documents' parts all in one combined
    conversion (``combine``), then repeated.
    """
    settings = tuple(getattr(converter, "base_options", ()))
    keys = [[content_key(docx, settings) for docx, _ in parts] for parts in documents]
    docx_of = {key: docx for parts, named in zip(documents, keys, strict=True)
               for (docx, _), key in zip(parts, named, strict=True)}
    pdfs: dict[str, bytes] = {}
    if cache is not None:
        for key in docx_of:
            found = cache.get(key)
            if found is not None:
                pdfs[key] = found
                CACHE_HITS.inc()
    todo = [key for key in docx_of if key not in pdfs]
    if todo:
        if len(documents) == 1 or len(todo) == 1:
            made = [convert_one(converter, docx_of[key]) for key in todo]
        else:
            made = convert_many(converter, [docx_of[key] for key in todo])
        for key, pdf in zip(todo, made, strict=True):
            pdfs[key] = pdf
            if cache is not None:
                cache.put(key, pdf)
        PAGES_LAID_OUT.inc(sum(page_count(pdf) for pdf in made))
    converted = [[(pdfs[key], times) for key, (_, times) in zip(named, parts, strict=True)]
                 for parts, named in zip(documents, keys, strict=True)]
    PAGES_DELIVERED.inc(sum(page_count(pdf) * times for parts in converted for pdf, times in parts))
    with stage("repeat"):
        return [repeat(parts) for parts in converted]
