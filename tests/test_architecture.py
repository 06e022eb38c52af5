"""The house in layers: every import of ``service`` and ``workers`` read with ``ast`` and checked.

The rows (README, "How it is built"): a module imports its own package and lower rows only;
packages on one row never import each other; ``service`` never imports ``workers``; blueprints
never import each other; a project import inside a function is allowed only in ``service/cli/``
and ``service/roles.py``; each third-party library stays behind its package. A failure names the
file, the line and the import.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# row of each unit: a top-level module or package of service/, or workers
ROWS: dict[str, float] = {
    "service.config": 0, "service.errors": 0, "service.database": 0,
    "service.meetings": 1,
    "service.spreadsheets": 2,
    "service.pdfa": 2,
    "service.documents": 3, "service.conversion": 3, "service.storage": 3, "service.accounts": 3,
    "service.signing": 3,
    "service.jobs": 4, "service.roster": 4, "service.customtemplates": 4,
    "service.seasons": 4.5,  # reads jobs (row 4); migrations (row 5) read its tables
    "service.migrations": 5,
    "service.extensions": 6,
    "service.http": 7,
    "service.app": 8, "service": 8,  # service/__init__.py re-exports create_app
    "service.cli": 9, "service.wsgi": 9, "service.roles": 9,
    "workers": 10,
}
# third-party libraries that may be imported only by these units (a prefix of the module path)
CONFINED: dict[str, tuple[str, ...]] = {
    "openpyxl": ("service.spreadsheets",),
    "python_calamine": ("service.spreadsheets", "service.roster.tables"),
    "boto3": ("service.storage.s3",),
    "botocore": ("service.storage.s3",),
    "docxtpl": ("service.documents",),
    "docx": ("service.documents",),
    "lxml": ("service.documents", "service.conversion"),
    "unoserver": ("service.conversion",),
    "pypdf": ("service.documents", "service.conversion", "service.pdfa", "service.signing"),
    "pyhanko": ("service.signing",),
    "pyhanko_certvalidator": ("service.signing",),
    "asn1crypto": ("service.signing",),
    "itsdangerous": ("service.http.signatures",),
    "pikepdf": ("service.documents.package",),
    "argon2": ("service.accounts",),
    "alembic": ("service.migrations",),
    "celery": ("service.jobs.queue", "service.extensions", "service.roles", "workers"),
    "flask": ("service.extensions", "service.http", "service.app", "service.cli", "workers"),
    "werkzeug": ("service.http",),
    "flask_limiter": ("service.http.throttle",),
    "limits": ("service.http.throttle",),
    "pydantic": ("service.meetings", "service.roster"),
}
BLUEPRINTS = {"service.http.api_jobs", "service.http.api_batches", "service.http.pages",
              "service.http.health", "service.http.openapi", "service.http.api_roster",
              "service.http.roster_pages", "service.http.api_templates", "service.http.template_pages",
              "service.http.api_signing", "service.http.signing_pages", "service.http.api_units",
              "service.http.api_seasons", "service.http.season_pages"}
INNER_IMPORTS_ALLOWED = ("service.cli", "service.roles")


@dataclass(frozen=True)
class Import:
    """One import statement of a module."""

    module: str  # the importing module
    target: str  # the imported module (``from a import b`` is ``a.b`` when b is a module)
    line: int
    nested: bool  # inside a function
    path: Path

    def __str__(self) -> str:
        where = " (inside a function)" if self.nested else ""
        return f"{self.path.relative_to(ROOT)}:{self.line}: {self.module} imports {self.target}{where}"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_module(name: str) -> bool:
    base = ROOT.joinpath(*name.split("."))
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def _imports(path: Path) -> list[Import]:
    module = _module_name(path)
    found: list[Import] = []

    def visit(node: ast.AST, nested: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inner = nested or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
            if isinstance(child, ast.Import):
                found.extend(Import(module, alias.name, child.lineno, nested, path) for alias in child.names)
            elif isinstance(child, ast.ImportFrom) and child.module and not child.level:
                for alias in child.names:
                    name = f"{child.module}.{alias.name}"
                    found.append(Import(module, name if _is_module(name) else child.module,
                                        child.lineno, nested, path))
            visit(child, inner)

    visit(ast.parse(path.read_text(encoding="utf-8")), False)
    return found


def _files() -> list[Path]:
    return sorted(p for folder in ("service", "workers") for p in (ROOT / folder).rglob("*.py")
                  if "versions" not in p.parts)


ALL = [imp for path in _files() for imp in _imports(path)]


def unit_of(module: str) -> str | None:
    """The row unit a project module belongs to (the longest prefix in ROWS)."""
    parts = module.split(".")
    for end in range(len(parts), 0, -1):
        candidate = ".".join(parts[:end])
        if candidate in ROWS:
            return candidate
    return None


def _project(imp: Import) -> bool:
    return imp.target.split(".")[0] in ("service", "workers")


def row_violations(imports: list[Import]) -> list[str]:
    """Imports that point up a row or sideways to another package of the same row."""
    bad = []
    for imp in filter(_project, imports):
        source, target = unit_of(imp.module), unit_of(imp.target)
        if source is None or target is None or source == target:
            continue
        if target == "service" and imp.target != "service":
            continue  # ``import service.x``: judged by x's own unit, found above
        if ROWS[target] > ROWS[source] or (ROWS[target] == ROWS[source] and source != "service"):
            bad.append(f"{imp} (row {ROWS[source]} → row {ROWS[target]})")
    return bad


def test_imports_point_down_the_rows():
    """No module imports a higher row, or another package of its own row."""
    assert row_violations(ALL) == []


def test_service_never_imports_workers():
    """Enqueueing goes by task name through service.jobs.queue, never by importing workers."""
    assert [str(i) for i in ALL if i.module.startswith("service") and i.target.startswith("workers")] == []


def test_blueprints_never_import_each_other():
    """A blueprint module takes shared use cases from http.actions, not from another blueprint."""
    assert [str(i) for i in ALL if i.module in BLUEPRINTS and unit_of(i.target) == "service.http"
            and i.target in BLUEPRINTS and i.target != i.module] == []


def test_no_project_import_inside_a_function():
    """Imports hidden inside functions are circles in hiding; only cli/ and roles.py may (start-up)."""
    assert [str(i) for i in ALL if i.nested and _project(i)
            and not i.module.startswith(INNER_IMPORTS_ALLOWED)] == []


@pytest.mark.parametrize("library", sorted(CONFINED))
def test_each_library_stays_behind_its_package(library):
    """openpyxl only in spreadsheets, boto3 only in storage/s3.py, unoserver only in conversion, …"""
    allowed = CONFINED[library]
    assert [str(i) for i in ALL if i.target.split(".")[0] == library
            and not i.module.startswith(allowed)] == []


def test_service_has_a_handful_of_top_level_modules():
    """service/ is packages by domain; only the row-0 foundations and the entry points stay loose."""
    loose = sorted(p.stem for p in (ROOT / "service").glob("*.py") if p.stem != "__init__")
    assert loose == ["app", "config", "database", "errors", "extensions", "roles", "wsgi"]


def test_every_package_has_a_row():
    """A new package of service/ is given its row here (and in the README) before it is used."""
    packages = {f"service.{p.name}" for p in (ROOT / "service").iterdir() if (p / "__init__.py").is_file()}
    assert packages - set(ROWS) == set()


def test_the_check_finds_an_upward_import():
    """An import from meetings (row 1) of http (row 7) is reported with its file and line."""
    fake = Import("service.meetings.figures", "service.http.auth", 7, False,
                  ROOT / "service/meetings/figures.py")
    assert row_violations([fake]) == [
        "service/meetings/figures.py:7: service.meetings.figures imports service.http.auth (row 1 → row 7)"]


def test_the_check_finds_a_sideways_import():
    """Packages of one row (documents and storage, row 3) may not import each other."""
    fake = Import("service.documents.package", "service.storage.base", 3, False,
                  ROOT / "service/documents/package.py")
    assert len(row_violations([fake])) == 1
