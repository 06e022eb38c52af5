"""``chibo docs``: the parts of docs/ generated from the code, so they never drift from it.

    chibo docs            write docs/openapi.json, the variable catalogue in docs/templates.md
                          and the map of the code in docs/development.md
    chibo docs --check    write nothing; exit 1 naming each file that differs from the code

A generated part sits between ``<!-- generated: NAME … -->`` and ``<!-- end generated: NAME -->``;
the text around it is written by hand and kept. ``tests/service/cli/test_docs.py`` fails while a
file differs from what this module makes of the code.
"""

from __future__ import annotations

import argparse
import ast
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from service.config import PROJECT_ROOT

DOCS = PROJECT_ROOT / "docs"
KIND_LABELS = {"text": "giá trị", "flag": "đúng/sai", "list": "dòng (lặp)", "table": "bảng (lặp)",
               "group": "nhóm"}
MAP_ROOTS = ("service", "workers", "doc_templates", "bench")
MAP_SKIPPED = ("service/migrations/versions",)  # one file per migration: listed by `chibo db`


EXAMPLE_CHARS = 60  # an example is cut here (the API gives it whole)


def _cell(text: str, limit: int = 0) -> str:
    text = " ".join(text.replace("|", "\\|").split())
    return text[:limit - 1].rstrip() + "…" if limit and len(text) > limit else text


def catalogue_markdown() -> str:
    """Every document type's variables (``service/documents/catalogue.py``), one table each."""
    from service.documents import DOCUMENT_TYPES
    from service.documents.catalogue import flat

    def rows(item: dict[str, Any]) -> Iterator[str]:
        yield (f"| `{item['name']}` | {KIND_LABELS[item['kind']]} | {_cell(item['meaning'])} "
               f"| {_cell(item['example'], EXAMPLE_CHARS)} |")
        for inner in item.get("fields", []):
            yield from rows(inner)

    out: list[str] = []
    for doc_type, known in DOCUMENT_TYPES.items():
        out += [f"<details><summary><code>{doc_type}</code> — {known.title}</summary>", "",
                "| biến | loại | ý nghĩa | ví dụ |", "|---|---|---|---|"]
        for variable in flat(doc_type):
            out.extend(rows(variable.as_json()))
        out += ["", "</details>", ""]
    return "\n".join(out).rstrip("\n") + "\n"


def _docstring(path: Path) -> str:
    """The first line of *path*'s docstring ('' when it has none)."""
    found = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
    return found.strip().splitlines()[0].strip() if found else ""


def modules() -> Iterator[tuple[Path, str]]:
    """Every package and module of the code (relative path, first docstring line), folder by folder."""
    for root in MAP_ROOTS:
        for path in sorted((PROJECT_ROOT / root).rglob("*.py"),
                           key=lambda p: (p.parent.relative_to(PROJECT_ROOT).parts, p.name != "__init__.py",
                                          p.name)):
            relative = path.relative_to(PROJECT_ROOT)
            if any(str(relative).startswith(skipped) for skipped in MAP_SKIPPED):
                continue
            yield relative, _docstring(path)


def code_map_markdown() -> str:
    """The map of the code: a table per folder, each module with its docstring's first line."""
    out: list[str] = []
    folder: Path | None = None
    for relative, line in modules():
        if relative.parent != folder:
            folder = relative.parent
            if out:
                out.append("")
            out += [f"**`{folder}/`**", "", "| module | what it is |", "|---|---|"]
        name = "`__init__.py` (the package)" if relative.name == "__init__.py" else f"`{relative.name}`"
        out.append(f"| {name} | {_cell(line) or '–'} |")
    return "\n".join(out) + "\n"


def openapi_text() -> str:
    """The OpenAPI description the service serves at /api/v1/openapi.json, as a file."""
    from service.http.openapi.description import description

    return json.dumps(description(), ensure_ascii=False, indent=2) + "\n"


def _between(text: str, name: str, body: str) -> str:
    """*text* with the generated part *name* replaced by *body*."""
    pattern = re.compile(rf"(<!-- generated: {name}\b[^>]*-->\n).*?(<!-- end generated: {name} -->)", re.S)
    if not pattern.search(text):
        raise ValueError(f"no generated part '{name}' in the file")
    return pattern.sub(lambda m: m.group(1) + "\n" + body + "\n" + m.group(2), text, count=1)


# file → (part name or None for the whole file, the function making it)
GENERATED: dict[str, tuple[str | None, Callable[[], str]]] = {
    "openapi.json": (None, openapi_text),
    "templates.md": ("catalogue", catalogue_markdown),
    "development.md": ("code-map", code_map_markdown),
}


def expected(name: str, docs: Path | None = None) -> str:
    """What docs/*name* (in *docs*, else DOCS) must hold given the code."""
    docs = docs or DOCS
    part, make = GENERATED[name]
    if part is None:
        return make()
    return _between((docs / name).read_text(encoding="utf-8"), part, make())


def stale(docs: Path | None = None) -> list[str]:
    """The generated files of *docs* (else DOCS) that differ from the code."""
    docs = docs or DOCS
    return [name for name in GENERATED if not (docs / name).exists()
            or (docs / name).read_text(encoding="utf-8") != expected(name, docs)]


def run(args: argparse.Namespace) -> int:
    """``chibo docs [--check]``."""
    found = stale()
    if args.check:
        for name in found:
            print(f"docs/{name} khác với mã nguồn: chạy `chibo docs` để tạo lại.")
        return 1 if found else 0
    for name in found:
        (DOCS / name).write_text(expected(name), encoding="utf-8")
        print(f"Đã ghi docs/{name}")
    return 0


def add_parser(commands: Any) -> None:
    """The ``docs`` subcommand."""
    docs = commands.add_parser("docs", help="tạo lại các phần của docs/ sinh từ mã nguồn")
    docs.add_argument("--check", action="store_true", help="chỉ kiểm tra, không ghi")
    docs.set_defaults(func=run)
