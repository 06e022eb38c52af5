"""Build every DOCX template of ``doc_templates/`` from the forms in ``forms/``.

Run ``.venv/bin/python doc_templates/build.py``. Each form module composes one document from
the shared pieces of ``layout.py`` (HD 36-HD/VPTW layout); the result holds only Jinja
placeholders, loops and ifs, and every figure is computed by the service. The output is
reproducible: fixed core properties and fixed ZIP timestamps.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
FORMS = (
    "bien_ban_kiem_diem",
    "bao_cao_kiem_diem",
    "ban_kiem_diem_ca_nhan",
    "phieu_danh_gia_dang_vien",
    "phieu_danh_gia_chi_bo",
    "bien_ban_kiem_phieu",
    "bien_ban_sinh_hoat",
    "tong_hop_xep_loai",
)


def build(name: str, out_dir: Path = HERE) -> Path:
    """Write the template *name* into *out_dir* and return its path."""
    if str(HERE) not in sys.path:
        sys.path.insert(0, str(HERE))
    import layout

    form = importlib.import_module(f"forms.{name}")
    doc = layout.new_document(form.TITLE, landscape=getattr(form, "LANDSCAPE", False))
    form.compose(doc)
    path = out_dir / f"{name}.docx"
    layout.save(doc, path)
    return path


def main() -> None:
    """Regenerate every template next to this script."""
    for name in FORMS:
        print(f"wrote {build(name)}")


if __name__ == "__main__":
    main()
