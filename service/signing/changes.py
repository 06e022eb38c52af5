"""What a signed revision changed over the PDF before it: a signature, and nothing else.

A signer that appends (pyHanko, Adobe, the VGCA Sign Service) writes one incremental update
holding the signature: a signature field (new, or one of ours filled), its widget on a page,
the form (``/AcroForm``) made or extended, and perhaps new metadata. ``only_signature`` walks
every object that update overwrites and every annotation it adds, with pyHanko's reader of
each revision, and answers False for anything more: a content stream replaced or added to a
page, an annotation that is not a signature widget, a signature widget larger than
``MAX_WIDGET_SHARE`` of its page (a white box over the text), any catalog entry but the form's.
pyHanko's own difference analysis does not apply here: it compares a signature's revision with
later ones and fails on a base that had no form at all, as every PDF LibreOffice writes.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import PdfFileReader

MAX_WIDGET_SHARE = 0.1  # of its page's area: a visible signature is a stamp, not a cover
# the keys an overwritten object may change, by what it is
_CATALOG_KEYS = {"/AcroForm", "/Perms", "/Extensions", "/Version", "/Metadata", "/DSS"}
_PAGE_KEYS = {"/Annots"}
_FORM_KEYS = {"/Fields", "/SigFlags", "/DR", "/DA"}
_FIELD_KEYS = {"/V", "/AP", "/AS", "/Lock", "/SV", "/F"}


def _plain(value: Any, depth: int = 0) -> Any:
    """A comparable form of a PDF value: references as (number, generation), never followed."""
    if isinstance(value, generic.IndirectObject):
        return ("ref", value.idnum, value.generation)
    if depth > 8:
        return "…"
    if isinstance(value, dict):
        return {str(k): _plain(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v, depth + 1) for v in value]
    if isinstance(value, generic.NullObject):
        return None
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return ("number", float(value))  # a writer may print 0.0 as 0
    return (type(value).__name__, str(value))


def _raw(container: Any, key: str) -> Any:
    return container.raw_get(key) if key in container else None


def _changed_keys(old: Any, new: Any) -> set[str]:
    keys = {str(k) for k in old} | {str(k) for k in new}
    return {k for k in keys if _plain(_raw(old, k)) != _plain(_raw(new, k))}


def _is_signature_field(annotation: Any) -> bool:
    field, depth = annotation, 0
    while field is not None and depth < 8:
        if field.get("/FT") == "/Sig":
            return True
        field, depth = field.get("/Parent"), depth + 1
    return False


def _area(box: Any) -> float:
    x1, y1, x2, y2 = (float(v) for v in box)
    return abs(x2 - x1) * abs(y2 - y1)


def _widget_fits(annotation: Any, page: Any) -> bool:
    """A signature widget, at most ``MAX_WIDGET_SHARE`` of its page."""
    if annotation.get("/Subtype") != "/Widget" or not _is_signature_field(annotation):
        return False
    rect = annotation.get("/Rect")
    media = page.get("/MediaBox") or page.get("/Parent", {}).get("/MediaBox")
    return rect is None or media is None or _area(rect) <= MAX_WIDGET_SHARE * _area(media)


def _refs(value: Any) -> list[tuple[int, int]]:
    items = value.get_object() if value is not None else []
    return [(v.idnum, v.generation) for v in items if isinstance(v, generic.IndirectObject)]


def _number(container: Any, key: str) -> int | None:
    """The object number *key* of *container* refers to (None: absent or a direct object)."""
    value = _raw(container, key)
    return value.idnum if isinstance(value, generic.IndirectObject) else None


def _object_allowed(old: Any, new: Any, is_form: bool) -> bool:
    """May this overwritten object change as it did, in a signature's revision?"""
    if isinstance(old, generic.StreamObject) or isinstance(new, generic.StreamObject):
        return False  # a content stream, an image, a font: never rewritten by a signer
    if isinstance(old, list) and isinstance(new, list):  # /Fields or /Annots: entries only added
        before, after = [_plain(v) for v in old], [_plain(v) for v in new]
        return all(item in after for item in before)
    if not isinstance(old, dict) or not isinstance(new, dict):
        return False
    changed = _changed_keys(old, new)
    kind = old.get("/Type")
    if kind == "/Catalog":
        return changed <= _CATALOG_KEYS
    if kind == "/Page":
        kept = _refs(_raw(new, "/Annots"))
        return changed <= _PAGE_KEYS and all(r in kept for r in _refs(_raw(old, "/Annots")))
    if is_form:
        return changed <= _FORM_KEYS
    if _is_signature_field(old):
        return changed <= _FIELD_KEYS
    return False


def _leaves(node: Any, depth: int = 0) -> list[Any]:
    """The pages under a page-tree node, as references, in order."""
    found: list[Any] = []
    for kid in node.get_object().get("/Kids", []) if depth < 32 else []:
        found += _leaves(kid, depth + 1) if kid.get_object().get("/Type") == "/Pages" else [kid]
    return found


def only_signature(reader: PdfFileReader, revision: int) -> bool:
    """True when *revision* of the file adds a signature to the revision before it, and nothing else."""
    if revision < 1:
        return False
    old, new = reader.get_historical_resolver(revision - 1), reader.get_historical_resolver(revision)
    if reader.xrefs.refs_freed_in_revision(revision):
        return False
    form = _number(old.root, "/AcroForm")
    # the document information and the XMP metadata (producer, dates): never drawn on a page
    described = {_number(old.trailer_view, "/Info"), _number(old.root, "/Metadata")} - {None}
    for ref in reader.xrefs.explicit_refs_in_revision(revision):
        if reader.xrefs.get_introducing_revision(ref) >= revision:
            continue  # a new object: reachable only through what is checked here and below
        if ref.idnum in described:
            continue
        if not _object_allowed(old.get_object(ref), new.get_object(ref), ref.idnum == form):
            return False
    old_pages, new_pages = _leaves(old.root.raw_get("/Pages")), _leaves(new.root.raw_get("/Pages"))
    if [_plain(p) for p in old_pages] != [_plain(p) for p in new_pages]:
        return False
    for page_ref in new_pages:
        page = page_ref.get_object()
        before = set(_refs(_raw(old.get_object(page_ref.reference), "/Annots")))
        for annotation in (page.get("/Annots") or []):
            if isinstance(annotation, generic.IndirectObject) and \
                    (annotation.idnum, annotation.generation) in before:
                continue
            if not _widget_fits(annotation.get_object(), page):
                return False
    return True
