"""Filling DOCX templates with docxtpl, safely.

Templates render in jinja2's ``SandboxedEnvironment`` with autoescape and
``StrictUndefined``: a name, a ``&`` or a ``{{ }}`` typed by a user is printed literally,
a variable the template needs but the context lacks is an error, not an empty space, and
nothing but plain strings, lists and dicts is reachable from the context.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from docxtpl import DocxTemplate
from jinja2 import StrictUndefined, Template, TemplateError
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree

from service.config import PROJECT_ROOT
from service.documents.marks import mark_draft
from service.errors import RenderError

TEMPLATE_DIR = PROJECT_ROOT / "doc_templates"


MAX_REPEAT = 100_000  # the longest string or list a template's ``*`` may make (items or characters)
MAX_POWER = 64  # the largest exponent of a template's ``**``


class _Sandbox(SandboxedEnvironment):
    """The sandbox, remembering compiled sources: docxtpl compiles the same XML every render.

    ``*`` and ``**`` are bounded: ``{{ "x" * 100000000 }}`` or ``{{ 9 ** 9 ** 9 }}`` in an
    uploaded template is a ``SecurityError`` (a render error), not a gigabyte of memory.
    """

    cache_size = 64
    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        """``left operator right``, refused when it would be too long or too large."""
        if operator == "**" and isinstance(right, int) and abs(right) > MAX_POWER:
            raise SecurityError(f"số mũ quá lớn ({right}, tối đa {MAX_POWER})")
        if operator == "*":
            for sequence, times in ((left, right), (right, left)):
                if isinstance(sequence, (str, list, tuple)) and isinstance(times, int) \
                        and len(sequence) * times > MAX_REPEAT:
                    raise SecurityError(f"chuỗi lặp quá dài (tối đa {MAX_REPEAT:,} ký tự)".replace(",", "."))
        return super().call_binop(context, operator, left, right)

    def __init__(self) -> None:
        super().__init__(autoescape=True, undefined=StrictUndefined)
        self._compiled: dict[str, Template] = {}

    def from_string(self, source: Any, globals: Any = None, template_class: Any = None) -> Template:
        """Compile *source* once per process; later renders reuse it."""
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        compiled = self._compiled.get(source)
        if compiled is None:
            if len(self._compiled) >= self.cache_size:
                self._compiled.clear()
            compiled = self._compiled[source] = super().from_string(source)
        return compiled


_SANDBOX = _Sandbox()


def sandbox() -> SandboxedEnvironment:
    """The Jinja environment every template renders in (one per process)."""
    return _SANDBOX


@dataclass(frozen=True)
class TemplateSource:
    """Which template bytes render a document: an uploaded version (``version_id``) or the built-in.

    ``data`` is the uploaded DOCX (None: the built-in file of the document type); ``sha256``
    is the hash of the bytes that rendered, whichever they were (provenance).
    """

    sha256: str
    version_id: str | None = None
    data: bytes | None = None


_BUILTIN_HASHES: dict[str, str] = {}


def builtin_source(template: str, template_dir: Path = TEMPLATE_DIR) -> TemplateSource:
    """The built-in template *template* as a source, with its SHA-256 (read once per process)."""
    path = template_dir / template
    key = str(path)
    if key not in _BUILTIN_HASHES:
        _BUILTIN_HASHES[key] = hashlib.sha256(path.read_bytes()).hexdigest()
    return TemplateSource(_BUILTIN_HASHES[key])


@dataclass(frozen=True)
class _Prepared:
    """A template made ready once: its parts, its document.xml and its compiled body.

    ``static`` is a ZIP of every part but document.xml, compressed once: each render appends its
    document.xml to a copy (compressing ~800 kB of styles again took half of each render).
    """

    parts: dict[str, bytes]
    static: bytes
    document: bytes
    body: Template
    helper: DocxTemplate  # docxtpl's own post-processing (fix_tables, resolve_listing)


_BODY = re.compile(rb"<w:body>.*</w:body>", re.DOTALL)
_BODY_TAG = re.compile(rb"^<w:body[^>]*>")


def _prepare(path: Path | bytes) -> _Prepared | None:
    """The fast path's cache entry, or None when the template needs docxtpl's full render."""
    with zipfile.ZipFile(io.BytesIO(path) if isinstance(path, bytes) else path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    others = [data for name, data in parts.items() if name != "word/document.xml"
              and name.endswith(".xml") and (b"{{" in data or b"{%" in data)]
    document = parts["word/document.xml"]
    if others or not _BODY.search(document):
        return None  # variables in headers, footers or properties: docxtpl does it all
    tpl = DocxTemplate(io.BytesIO(path) if isinstance(path, bytes) else path)
    tpl.init_docx()
    source = re.sub(r"<w:p([ >])", r"\n<w:p\1", tpl.patch_xml(tpl.get_xml()))
    static = io.BytesIO()
    with zipfile.ZipFile(static, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            if name != "word/document.xml":
                archive.writestr(name, data)
    return _Prepared(parts, static.getvalue(), document, sandbox().from_string(source), tpl)


class DocxRenderer:
    """Renders the templates of one folder.

    docxtpl opens, patches and saves the whole package on every render. For a template
    whose variables are all in the body (every template here), the patched body is compiled
    once and each render only fills it and swaps ``word/document.xml`` in the stored parts,
    with docxtpl's own post-processing (``fix_tables``, listings); a test checks that the
    result equals docxtpl's document.xml. Other templates take docxtpl's full path.
    """

    _cache: ClassVar[dict[Path | str, _Prepared | None]] = {}
    _uploaded_limit: ClassVar[int] = 32  # uploaded templates kept prepared per process

    def __init__(self, template_dir: Path = TEMPLATE_DIR) -> None:
        self.template_dir = template_dir

    def render(self, template: str, context: dict[str, Any],
               source: TemplateSource | None = None, *, draft: bool = False) -> bytes:
        """Fill *template* (or the uploaded bytes of *source*) with *context*; the DOCX bytes.

        *draft*: the document is a draft, not the final one: it carries the "DỰ THẢO" mark on
        every page (``marks.mark_draft``, added after filling, so any template gets it).
        """
        docx = self._render(template, context, source)
        return mark_draft(docx) if draft else docx

    def _render(self, template: str, context: dict[str, Any], source: TemplateSource | None) -> bytes:
        if source is not None and source.data is not None:
            return self._render_uploaded(source.data, source.sha256, context)
        path = self.template_dir / template
        if not path.is_file():
            raise RenderError(f"Không có mẫu văn bản {template}.")
        try:
            if path not in self._cache:
                self._cache[path] = _prepare(path)
            prepared = self._cache[path]
            if prepared is None:
                return self.render_docxtpl(path, context)
            return _fill(prepared, context)
        except TemplateError as exc:
            raise RenderError(f"Lỗi khi điền mẫu {template}: {exc}") from exc

    def _render_uploaded(self, data: bytes, sha256: str, context: dict[str, Any]) -> bytes:
        """An uploaded template: prepared once per content hash, in the same sandbox."""
        try:
            if sha256 not in self._cache:
                if sum(isinstance(key, str) for key in self._cache) >= self._uploaded_limit:
                    for key in [k for k in self._cache if isinstance(k, str)]:
                        del self._cache[key]
                self._cache[sha256] = _prepare(data)
            prepared = self._cache[sha256]
            if prepared is None:
                return self.render_docxtpl(data, context)
            return _fill(prepared, context)
        except TemplateError as exc:
            raise RenderError(f"Lỗi khi điền mẫu đã tải lên: {exc}") from exc
        except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError, ValueError) as exc:
            raise RenderError(f"Mẫu đã tải lên không đọc được: {exc}") from exc

    def render_docxtpl(self, path: Path | bytes, context: dict[str, Any]) -> bytes:
        """docxtpl's own full render (the reference of the fast path)."""
        doc = DocxTemplate(io.BytesIO(path) if isinstance(path, bytes) else path)
        doc.render(context, jinja_env=sandbox(), autoescape=True)
        out = io.BytesIO()
        doc.save(out)
        return out.getvalue()


def _fill(prepared: _Prepared, context: dict[str, Any]) -> bytes:
    xml = prepared.body.render(context)
    xml = re.sub(r"\n<w:p([ >])", r"<w:p\1", xml)
    xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
    helper = prepared.helper
    body = etree.tostring(helper.fix_tables(helper.resolve_listing(xml)), encoding="utf-8")
    body = _BODY_TAG.sub(b"<w:body>", body, count=1)  # its namespaces are declared on the root
    document = _BODY.sub(lambda _: body, prepared.document, count=1)
    out = io.BytesIO(prepared.static)
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", document)
    return out.getvalue()
