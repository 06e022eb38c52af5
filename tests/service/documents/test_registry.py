"""The registry of document types against the forms, the built templates and the contexts."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from service.config import PROJECT_ROOT
from service.documents import DOCUMENT_TYPES, registry_problems

FORMS = PROJECT_ROOT / "doc_templates" / "forms"
TEMPLATES = PROJECT_ROOT / "doc_templates"
CONTEXTS = PROJECT_ROOT / "service" / "documents"
TYPES = list(DOCUMENT_TYPES.values())


def _nhat_ky_context(meeting, figures, subject):
    return {}


_nhat_ky_context.__module__ = "service.documents.nhat_ky"  # as if written in service/documents/
NHAT_KY = replace(TYPES[0], id="nhat_ky", template="nhat_ky.docx", context=_nhat_ky_context)


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path, Path]:
    """Copies of the real forms, templates and context modules, to add to or take from."""
    forms, templates, contexts = tmp_path / "forms", tmp_path / "templates", tmp_path / "contexts"
    shutil.copytree(FORMS, forms)
    contexts.mkdir()
    for path in CONTEXTS.glob("*.py"):
        shutil.copy(path, contexts)
    templates.mkdir()
    for path in TEMPLATES.glob("*.docx"):
        shutil.copy(path, templates)
    return forms, templates, contexts


def test_the_real_registry_matches_forms_templates_and_contexts():
    """Every registered type has its form, its built .docx and its context module, and back."""
    assert registry_problems(TYPES, FORMS, TEMPLATES, CONTEXTS) == []


def test_a_type_with_a_context_but_no_form_is_refused(folders):
    """A registered type whose context module exists but whose form and .docx do not."""
    forms, templates, contexts = folders
    (contexts / "nhat_ky.py").write_text('"""Nhật ký."""\n', encoding="utf-8")
    problems = registry_problems([*TYPES, NHAT_KY], forms, templates, contexts)
    assert [p for p in problems if "nhat_ky" in p] == problems
    assert any("no form" in p for p in problems)
    assert any("not built" in p for p in problems)


def test_a_form_without_a_registered_type_is_refused(folders):
    """A form (and its built template) that no registered type uses."""
    forms, templates, contexts = folders
    (forms / "nhat_ky.py").write_text('"""Nhật ký."""\n', encoding="utf-8")
    (templates / "nhat_ky.docx").write_bytes(b"PK")
    assert registry_problems(TYPES, forms, templates, contexts) == [
        f"form {forms / 'nhat_ky.py'} has no registered document type"]


def test_a_context_module_without_a_registered_type_is_refused(folders):
    """A context module in service/documents/ that no registered type takes its context from."""
    forms, templates, contexts = folders
    (contexts / "nhat_ky.py").write_text('"""Nhật ký."""\n', encoding="utf-8")
    assert registry_problems(TYPES, forms, templates, contexts) == [
        f"context module {contexts / 'nhat_ky.py'} has no registered document type"]


def test_a_registered_type_without_its_context_module_is_refused(folders):
    """A type registered with a context from a module that is not in the contexts folder."""
    forms, templates, contexts = folders
    (contexts / "phieu_danh_gia.py").unlink()
    problems = registry_problems(TYPES, forms, templates, contexts)
    assert sorted(p.split(":")[0] for p in problems) == ["phieu_danh_gia_chi_bo",
                                                         "phieu_danh_gia_dang_vien"]
