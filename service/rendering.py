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
from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from service.errors import RenderError

TEMPLATE_DIR = Path(__file__).resolve().parents[1] / "doc_templates"


def sandbox() -> SandboxedEnvironment:
    """The Jinja environment every template renders in."""
    return SandboxedEnvironment(autoescape=True, undefined=StrictUndefined)


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
