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

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import DictionaryObject, IndirectObject, NameObject, NumberObject

from service.conversion.cache import ConversionCache, content_key
from service.conversion.combine import convert_many, convert_one, page_count
from service.conversion.converter import Converter
from service.conversion.metrics import CACHE_HITS, PAGES_DELIVERED, PAGES_LAID_OUT, stage
from service.pdfa import carry

Repeat = tuple[bytes, int]  # a DOCX or a PDF, and the times its pages stand in the PDF
FANOUT = 64  # kids of a node of the page tree: a flat /Kids of 100,000 pages is refused by readers
_SHARED = ("/Resources", "/MediaBox", "/CropBox")  # what a copy shares with its page


def repeat(parts: Sequence[Repeat]) -> bytes:
    """One PDF: the pages of each (PDF, times) part, the part *times* over, parts in order.

    A single part standing once is returned as it is.
    """
    if len(parts) == 1 and parts[0][1] == 1:
        return parts[0][0]
    writer = PdfWriter()
    groups: list[tuple[list[PageObject], int]] = []
    for index, (pdf, times) in enumerate(parts):
        if times < 1:
            raise ValueError(f"a part stands at least once, not {times} times")
        reader = PdfReader(io.BytesIO(pdf))
        pages = [writer.add_page(page) for page in reader.pages]
        if index == 0:
            carry(reader, writer)  # PDF/A as LibreOffice made it
        for page in pages:
            _share(writer, page)
        groups.append((pages, times))
    out = io.BytesIO()
    writer.write(out)
    return _with_copies(out.getvalue(), writer._pages.idnum, groups)


def _share(writer: PdfWriter, page: DictionaryObject) -> None:
    """Make the page's direct resources and boxes indirect, so that its copies point at them."""
    for key in _SHARED:
        value = page.raw_get(key) if key in page else None
        if value is not None and not isinstance(value, IndirectObject):
            page[NameObject(key)] = writer._add_object(value)


def _template(page: DictionaryObject, annotations: bool) -> tuple[bytes, bytes]:
    """*page* written without its /Parent (and /Annots unless *annotations*): the bytes before
    and after the place of ``/Parent n 0 R``."""
    copy = DictionaryObject({key: value for key, value in page.items()
                             if key != "/Parent" and (annotations or key != "/Annots")})
    for key in page:  # raw values: references stay references
        if key in copy:
            copy[NameObject(key)] = page.raw_get(key)
    out = io.BytesIO()
    copy.write_to_stream(out)
    written = out.getvalue()
    return written[:-2], written[-2:]  # "<< … " and ">>"


def _with_copies(base: bytes, root: int, groups: list[tuple[list[PageObject], int]]) -> bytes:
    """*base* (each part's pages once) and an update appended to it: the copies, written as bytes
    from one template per page, and a balanced page tree over every page in order.

    An incremental update (ISO 32000 7.5.6, allowed by PDF/A) of a few hundred bytes a copy:
    134,000 copies take a second and a few MiB, where pypdf objects took tens of seconds and
    hundreds of MiB.
    """
    trailer = PdfReader(io.BytesIO(base)).trailer
    size = trailer["/Size"]
    assert isinstance(size, NumberObject)  # pypdf writes it
    number = int(size)
    leaves: list[tuple[int, tuple[bytes, bytes]]] = []  # object number, its page's template
    for pages, times in groups:
        firsts = [_template(page, True) for page in pages]
        copies = [_template(page, False) for page in pages]
        for page, template in zip(pages, firsts, strict=True):
            assert page.indirect_reference is not None  # a page added to the writer has one
            leaves.append((page.indirect_reference.idnum, template))
        for _ in range(times - 1):
            for template in copies:
                leaves.append((number, template))
                number += 1
    objects: dict[int, bytes] = {}
    level = [(leaf, 1) for leaf, _ in leaves]  # (object number, pages under it)
    parent: dict[int, int] = {}
    while len(level) > FANOUT:
        upper = []
        for start in range(0, len(level), FANOUT):
            kids = level[start:start + FANOUT]
            for kid, _ in kids:
                parent[kid] = number
            objects[number] = _pages_node(kids)
            upper.append((number, sum(count for _, count in kids)))
            number += 1
        level = upper
    for kid, _ in level:
        parent[kid] = root
    objects[root] = _pages_node(level)
    for node in list(objects):
        if node != root and node in parent:
            objects[node] = _pages_node_with_parent(objects[node], parent[node])
    for leaf, (head, tail) in leaves:
        objects[leaf] = head + b"/Parent %d 0 R\n" % parent[leaf] + tail
    return _append(base, objects, number, trailer)


def _pages_node(kids: list[tuple[int, int]]) -> bytes:
    """A /Pages node over *kids* (object number, pages under it); its /Parent is added later."""
    references = b" ".join(b"%d 0 R" % kid for kid, _ in kids)
    return b"<<\n/Type /Pages\n/Kids [ " + references + b" ]\n/Count %d\n>>" % sum(n for _, n in kids)


def _pages_node_with_parent(node: bytes, parent: int) -> bytes:
    return node[:-2] + b"/Parent %d 0 R\n>>" % parent


def _append(base: bytes, objects: dict[int, bytes], size: int, trailer: DictionaryObject) -> bytes:
    """*base* with *objects* appended as an incremental update: the objects, their cross-reference
    section (a subsection per run of numbers) and a trailer pointing back at *base*'s."""
    tail = base.rstrip()
    previous = int(tail[tail.rindex(b"startxref") + 9:].split()[0])
    out = bytearray(base if base.endswith(b"\n") else base + b"\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n"
    section = len(out)
    out += b"xref\n"
    numbers = sorted(offsets)
    start = 0
    while start < len(numbers):
        end = start
        while end + 1 < len(numbers) and numbers[end + 1] == numbers[end] + 1:
            end += 1
        out += b"%d %d\n" % (numbers[start], end - start + 1)
        out += b"".join(b"%010d 00000 n \n" % offsets[n] for n in numbers[start:end + 1])
        start = end + 1
    entries = io.BytesIO()
    for key in ("/Root", "/Info", "/ID"):
        if key in trailer:
            entries.write(key.encode() + b" ")
            trailer.raw_get(key).write_to_stream(entries)
            entries.write(b"\n")
    out += (b"trailer\n<<\n/Size %d\n" % size + entries.getvalue() + b"/Prev %d\n>>\n" % previous
            + b"startxref\n%d\n%%%%EOF\n" % section)
    return bytes(out)


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
    counts = {key: page_count(pdf) for key, pdf in pdfs.items()}  # each PDF read once
    PAGES_LAID_OUT.inc(sum(counts[key] for key in todo))
    converted = [[(pdfs[key], times) for key, (_, times) in zip(named, parts, strict=True)]
                 for parts, named in zip(documents, keys, strict=True)]
    PAGES_DELIVERED.inc(sum(counts[key] * times for parts, named in zip(documents, keys, strict=True)
                            for key, (_, times) in zip(named, parts, strict=True)))
    with stage("repeat"):
        return [repeat(parts) for parts in converted]
