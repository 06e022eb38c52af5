"""The variables a template of each document type may use, generated from the contexts.

Each context module (``service/documents/<type>.py``) is run on the bundled samples of its
meeting kind; what comes out is walked: a dict is a group (``opening.chair``), a list of
dicts a table to loop over (``{% for row in results.rows %}{{ row.name }}``), a list of
strings lines to loop over, anything else a value. The meaning of each name is in
``MEANINGS`` (Vietnamese, for the clerk marking up her form); the example is the sample's.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from service.config import PROJECT_ROOT
from service.documents import DOCUMENT_TYPES, instances, meeting_figures, render_parts
from service.documents.meanings import meaning
from service.meetings.validation import parse_meeting

SAMPLES = PROJECT_ROOT / "doc_templates" / "samples"
SAMPLE_OF_KIND = {"annual_review": ("annual_review_2025.json", "annual_review_2024.json",
                                    "annual_review_2025_incomplete.json"),
                  "monthly": ("monthly_2025_11.json", "monthly_2025_12_chuyen_de.json"),
                  "dang_bo": ("dang_bo_2025.json",)}
TEXT, FLAG, LIST, TABLE, GROUP, ROW = "text", "flag", "list", "table", "group", "row"


@dataclass
class Variable:
    """One name a template may print or loop over."""

    path: str  # ``opening.chair``; a table's fields are relative to its row (``name``)
    kind: str  # text, flag (true/false), list (of lines), table (of rows with fields), group
    example: str = ""
    meaning: str = ""
    fields: dict[str, Variable] = field(default_factory=dict)  # a group's or a table row's

    def as_json(self) -> dict[str, Any]:
        """The variable as the API and the README table show it."""
        body: dict[str, Any] = {"name": self.path, "kind": self.kind, "meaning": self.meaning,
                                "example": self.example}
        if self.kind == TABLE:
            body["fields"] = [item.as_json() for item in self.fields.values()]
        return body


def _example(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 120 else text[:117] + "…"


def _merge(into: dict[str, Variable], name: str, path: str, value: Any, doc_type: str) -> None:
    found = into.get(name)
    if isinstance(value, dict):
        if found is None:
            found = into[name] = Variable(path, GROUP, meaning=meaning(doc_type, path))
        for key, inner in value.items():
            _merge(found.fields, key, f"{path}.{key}", inner, doc_type)
        return
    if isinstance(value, list):
        rows = [item for item in value if isinstance(item, dict)]
        kind = TABLE if rows else LIST
        if found is None or (found.kind == LIST and kind == TABLE):
            example = "" if rows else _example(value[0]) if value else ""
            keep = found.fields if found is not None else {}
            found = into[name] = Variable(path, kind, example, meaning(doc_type, path), keep)
        elif not found.example and value and not rows:
            found.example = _example(value[0])
        for row in rows:
            for key, inner in row.items():
                _merge(found.fields, key, f"{path}[].{key}", inner, doc_type)
        return
    if found is None:
        kind = FLAG if isinstance(value, bool) else TEXT
        into[name] = Variable(path, kind, _example(value), meaning(doc_type, path))
    elif not found.example and value not in ("", None):
        found.example = _example(value)


@functools.cache
def sample_contexts(doc_type: str) -> tuple[dict[str, Any], ...]:
    """The contexts the samples of *doc_type*'s kind give it (every part, the first members)."""
    kind = DOCUMENT_TYPES[doc_type].kind
    found: list[dict[str, Any]] = []
    for name in SAMPLE_OF_KIND[kind]:
        meeting = parse_meeting(json.loads((SAMPLES / name).read_text(encoding="utf-8")))
        figures = meeting_figures(meeting)
        for instance in instances(meeting, [doc_type])[:3]:
            found.extend(part.context for part in render_parts(instance, meeting, figures))
    return tuple(found)


@functools.cache
def variables(doc_type: str) -> dict[str, Variable]:
    """The top-level names of *doc_type*'s context, with their groups' and tables' fields."""
    found: dict[str, Variable] = {}
    for context in sample_contexts(doc_type):
        for key, value in context.items():
            _merge(found, key, key, value, doc_type)
    return found


def flat(doc_type: str) -> list[Variable]:
    """Every variable of *doc_type*, groups opened (``h.place_date``), tables kept whole."""
    out: list[Variable] = []

    def walk(items: dict[str, Variable]) -> None:
        for item in items.values():
            if item.kind == GROUP:
                walk(item.fields)
            else:
                out.append(item)

    walk(variables(doc_type))
    return out


def sample_meeting_path(doc_type: str) -> Path:
    """The bundled sample a preview fills *doc_type*'s template with."""
    return SAMPLES / SAMPLE_OF_KIND[DOCUMENT_TYPES[doc_type].kind][0]
