"""Filling DOCX templates with docxtpl, safely.

Templates render in jinja2's ``SandboxedEnvironment`` with autoescape and
``StrictUndefined``: a name, a ``&`` or a ``{{ }}`` typed by a user is printed literally,
a variable the template needs but the context lacks is an error, not an empty space, and
nothing but plain strings, lists and dicts is reachable from the context.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate
from jinja2 import StrictUndefined, Template, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from service.errors import RenderError

TEMPLATE_DIR = Path(__file__).resolve().parents[1] / "doc_templates"


class _Sandbox(SandboxedEnvironment):
    """The sandbox, remembering compiled sources: docxtpl compiles the same XML every render."""

    cache_size = 64

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


class DocxRenderer:
    """Renders the templates of one folder."""

    def __init__(self, template_dir: Path = TEMPLATE_DIR) -> None:
        self.template_dir = template_dir

    def render(self, template: str, context: dict[str, Any]) -> bytes:
        """Fill *template* with *context* and return the DOCX bytes."""
        path = self.template_dir / template
        if not path.is_file():
            raise RenderError(f"Không có mẫu văn bản {template}.")
        try:
            doc = DocxTemplate(path)
            doc.render(context, jinja_env=sandbox(), autoescape=True)
            out = io.BytesIO()
            doc.save(out)
        except TemplateError as exc:
            raise RenderError(f"Lỗi khi điền mẫu {template}: {exc}") from exc
        return out.getvalue()
