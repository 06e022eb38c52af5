"""Build every DOCX template of ``doc_templates/`` from the forms in ``forms/``.

Run ``.venv/bin/python -m doc_templates.build`` from the project root. Each module of
``forms/`` is one template of the same name (``TITLE``, ``compose(doc)``; optionally
``LANDSCAPE``, ``PAGE_NUMBER = False``, a fixed ``FOOTER`` line), composed from the shared
pieces of ``layout`` (HD 36-HD/VPTW layout); the result holds only Jinja placeholders, loops
and ifs, and every figure is computed by the service. The output is reproducible: fixed core
properties and fixed ZIP timestamps.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from doc_templates.layout import new_document, save

HERE = Path(__file__).resolve().parent
FORMS = tuple(sorted(path.stem for path in (HERE / "forms").glob("*.py") if path.stem != "__init__"))


def build(name: str, out_dir: Path = HERE) -> Path:
    """Write the template *name* into *out_dir* and return its path."""
    form = importlib.import_module(f"doc_templates.forms.{name}")
    doc = new_document(form.TITLE, landscape=getattr(form, "LANDSCAPE", False),
                       page_number=getattr(form, "PAGE_NUMBER", True),
                       footer=getattr(form, "FOOTER", None))
    form.compose(doc)
    path = out_dir / f"{name}.docx"
    save(doc, path)
    return path


def main() -> None:
    """Regenerate every template next to this module."""
    for name in FORMS:
        print(f"wrote {build(name)}")


if __name__ == "__main__":
    main()
