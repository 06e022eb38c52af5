"""``chibo docs``: the generated parts of docs/ are what the code makes of them today."""

from __future__ import annotations

import json

from service.cli import docs, main
from service.documents import DOCUMENT_TYPES


def test_the_generated_docs_are_current():
    """docs/openapi.json, the variable catalogue and the map of the code match the code."""
    assert docs.stale() == [], "run `.venv/bin/chibo docs` and commit docs/"


def test_the_openapi_file_is_the_served_description(client):
    """docs/openapi.json is what GET /api/v1/openapi.json answers."""
    served = client.get("/api/v1/openapi.json").get_json()
    assert json.loads((docs.DOCS / "openapi.json").read_text(encoding="utf-8")) == served


def test_the_catalogue_lists_every_type_and_variable():
    """Each document type has its table, with each variable the API lists."""
    text = (docs.DOCS / "templates.md").read_text(encoding="utf-8")
    for doc_type in DOCUMENT_TYPES:
        assert f"<code>{doc_type}</code>" in text
    assert "| `results.rows[].votes` | dòng (lặp) |" in text


def test_the_map_names_every_module():
    """Every module of service/ and workers/ is a row of the map in development.md."""
    text = (docs.DOCS / "development.md").read_text(encoding="utf-8")
    for relative, _line in docs.modules():
        assert f"**`{relative.parent}/`**" in text
        assert f"`{relative.name}`" in text


def test_check_names_a_stale_file_and_write_makes_it_current(tmp_path, monkeypatch, capsys):
    """--check exits 1 naming the file a change made stale; without it the file is written again."""
    for name in docs.GENERATED:
        (tmp_path / name).write_text((docs.DOCS / name).read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "templates.md").write_text(
        (tmp_path / "templates.md").read_text(encoding="utf-8").replace("| `h.issuer` |", "| `h.isuer` |"),
        encoding="utf-8")
    monkeypatch.setattr(docs, "DOCS", tmp_path)
    assert main(["docs", "--check"]) == 1
    assert "docs/templates.md" in capsys.readouterr().out
    assert main(["docs"]) == 0
    assert main(["docs", "--check"]) == 0
