"""The house in layers: every import of ``service``, ``workers`` and ``doc_templates`` read with
``ast`` and checked.

The rows (docs/development.md, "The house"): a module imports its own package and lower rows
only; packages on one row never import each other; ``service`` never imports ``workers`` or
``doc_templates``; inside ``service/http/`` the rooms (its sub-folders, read from the disk) import
only the rooms their rule names, and a blueprint module never imports another; a project import
inside a function is allowed only in ``service/cli/`` and ``service/roles.py``; no relative import
climbs out of its package; each third-party library stays behind its package. A failure names the
file, the line and the import.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# row of each unit: a top-level module or package of service/, or workers
ROWS: dict[str, float] = {
    "service.config": 0, "service.errors": 0, "service.database": 0,
    "service.meetings": 1,
    "service.spreadsheets": 2,
    "service.pdfa": 2, "service.isolation": 2,
    "service.documents": 3, "service.conversion": 3, "service.storage": 3, "service.accounts": 3,
    "service.signing": 3,
    "service.jobs": 4, "service.roster": 4, "service.customtemplates": 4, "service.selfreviews": 4,
    "service.seasons": 4.5,  # reads jobs (row 4); migrations (row 5) read its tables
    "service.migrations": 5,
    "service.extensions": 6,
    "service.http": 7,
    "service.app": 8, "service": 8,  # service/__init__.py re-exports create_app
    "service.cli": 9, "service.wsgi": 9, "service.roles": 9, "service.webserver": 9,
    "workers": 10,
    "doc_templates": 2,  # builds the DOCX templates ahead of time; reads meetings' layouts
}
# third-party libraries that may be imported only by these units (a prefix of the module path)
CONFINED: dict[str, tuple[str, ...]] = {
    "openpyxl": ("service.spreadsheets",),
    "python_calamine": ("service.spreadsheets",),
    "boto3": ("service.storage.s3",),
    "botocore": ("service.storage.s3",),
    "docxtpl": ("service.documents", "service.customtemplates.inspection"),
    "docx": ("service.documents", "doc_templates"),
    "lxml": ("service.documents", "service.conversion", "service.customtemplates.inspection"),
    "unoserver": ("service.conversion",),
    "pypdf": ("service.documents", "service.conversion", "service.pdfa", "service.signing"),
    "pyhanko": ("service.signing",),
    "pyhanko_certvalidator": ("service.signing",),
    "asn1crypto": ("service.signing",),
    "itsdangerous": ("service.http.actions.signatures",),
    "segno": ("service.http.pages.selfreviews",),
    "pikepdf": ("service.documents.package",),
    "argon2": ("service.accounts",),
    "alembic": ("service.migrations",),
    "celery": ("service.jobs.queue", "service.extensions", "service.roles", "workers"),
    "flask": ("service.extensions", "service.http", "service.app", "service.cli", "workers"),
    "werkzeug": ("service.http",),
    "flask_limiter": ("service.http.throttle",),
    "limits": ("service.http.throttle",),
    "pydantic": ("service.meetings", "service.roster"),
    # the database: its engine, the models and stores of the domain packages, and the use cases of
    # http (never api/ or pages/, never meetings/documents/conversion/storage)
    "sqlalchemy": ("service.database", "service.accounts", "service.jobs", "service.roster",
                   "service.customtemplates", "service.selfreviews", "service.seasons",
                   "service.migrations", "service.extensions", "service.cli",
                   "service.http.actions", "service.http.health", "service.http.presenters"),
    "redis": ("service.jobs.queue", "service.http.health", "service.http.throttle", "service.cli.stack",
              "service.roles"),
    "prometheus_client": ("service.conversion.metrics", "service.http.health", "service.cli.supervisor"),
}
HTTP = ROOT / "service" / "http"
EDGE = "edge"  # the modules at the top of service/http/: auth, problems, files, presenters, health…
# which rooms of service/http/ each room may import (its own included); a new room gets its line here
ROOM_IMPORTS: dict[str, frozenset[str]] = {
    EDGE: frozenset({EDGE}),
    "actions": frozenset({"actions", EDGE}),
    "api": frozenset({"api", "actions", EDGE}),
    "pages": frozenset({"pages", "actions", EDGE}),
    "openapi": frozenset({"openapi", EDGE}),
}
INNER_IMPORTS_ALLOWED = ("service.cli", "service.roles")


@dataclass(frozen=True)
class Import:
    """One import statement of a module."""

    module: str  # the importing module
    target: str  # the imported module (``from a import b`` is ``a.b`` when b is a module)
    line: int
    nested: bool  # inside a function
    path: Path
    level: int = 0  # dots of a relative import (``from .x import y`` is 1)

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


def _absolute(module: str, path: Path, target: str | None, level: int) -> str:
    """The absolute name a ``from`` import names (a relative one resolved from *module*'s package)."""
    if not level:
        return target or ""
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    base = package[: len(package) - level + 1]
    return ".".join([*base, target] if target else base)


def _imports(path: Path) -> list[Import]:
    module = _module_name(path)
    found: list[Import] = []

    def visit(node: ast.AST, nested: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inner = nested or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
            if isinstance(child, ast.Import):
                found.extend(Import(module, alias.name, child.lineno, nested, path) for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                base = _absolute(module, path, child.module, child.level)
                for alias in child.names:
                    name = f"{base}.{alias.name}"
                    found.append(Import(module, name if _is_module(name) else base, child.lineno,
                                        nested, path, child.level))
            visit(child, inner)

    visit(ast.parse(path.read_text(encoding="utf-8")), False)
    return found


def _files() -> list[Path]:
    return sorted(p for folder in ("service", "workers", "doc_templates")
                  for p in (ROOT / folder).rglob("*.py") if "versions" not in p.parts)


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


def room_of(module: str) -> str | None:
    """The room of ``service/http/`` a module is in: its sub-folder, or the edge; None outside http."""
    parts = module.split(".")
    if parts[:2] != ["service", "http"]:
        return None
    if len(parts) > 2 and (HTTP / parts[2] / "__init__.py").is_file():
        return parts[2]
    return EDGE


def room_violations(imports: list[Import]) -> list[str]:
    """Imports between rooms of ``service/http/`` that the importing room's rule does not allow."""
    bad = []
    for imp in imports:
        source, target = room_of(imp.module), room_of(imp.target)
        if source is not None and target is not None and target not in ROOM_IMPORTS.get(source, ()):
            bad.append(f"{imp} (room {source} → room {target})")
    return bad


def _blueprints() -> set[str]:
    """The modules of the rooms of ``service/http/`` that make a Flask blueprint (``bp = Blueprint(…)``):
    one resource or page family each. The edge's (auth's login, health) are shared plumbing."""
    found = set()
    for path in HTTP.rglob("*.py"):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) \
                    and isinstance(node.value.func, ast.Name) and node.value.func.id == "Blueprint":
                found.add(_module_name(path))
    return {module for module in found if room_of(module) != EDGE}


BLUEPRINTS = _blueprints()


def blueprint_violations(imports: list[Import]) -> list[str]:
    """Imports of a blueprint module by any other module of http: shared code goes to actions/ or
    the edge (only the app factory imports blueprints, to register them)."""
    return [f"{i} (imports a blueprint module)" for i in imports
            if room_of(i.module) is not None and i.target in BLUEPRINTS and i.target != i.module]


def test_every_room_of_http_has_its_rule():
    """A new folder of service/http/ is given the rooms it may import here before it is used."""
    rooms = {p.name for p in HTTP.iterdir() if (p / "__init__.py").is_file()} | {EDGE}
    assert rooms == set(ROOM_IMPORTS)


def test_rooms_of_http_import_only_what_their_rule_allows():
    """pages/ and api/ never import each other; both may import actions/ and the edge; actions/
    imports only the edge; the edge imports no room."""
    assert room_violations(ALL) == []


def test_blueprints_never_import_each_other():
    """A blueprint module takes shared use cases from actions/, not from another blueprint."""
    assert blueprint_violations(ALL) == []


def test_the_blueprints_are_read_from_the_folders():
    """Every room that answers requests is found without a hand-kept list."""
    assert {"service.http.api.jobs", "service.http.api.batches", "service.http.pages.meetings",
            "service.http.pages.roster", "service.http.openapi.description"} <= BLUEPRINTS


def test_the_check_finds_an_import_from_pages_into_api():
    """A page that imports an API resource is reported with its file, line and rooms."""
    fake = Import("service.http.pages.meetings", "service.http.api.jobs", 12, False,
                  ROOT / "service/http/pages/meetings.py")
    assert room_violations([fake]) == [
        "service/http/pages/meetings.py:12: service.http.pages.meetings imports service.http.api.jobs"
        " (room pages → room api)"]


def test_the_check_finds_an_import_from_api_into_pages_and_from_the_edge_into_a_room():
    """The API may not take a page's code, nor the edge a use case."""
    fakes = [Import("service.http.api.roster", "service.http.pages.roster", 3, False,
                    ROOT / "service/http/api/roster.py"),
             Import("service.http.presenters", "service.http.actions.templates", 4, False,
                    ROOT / "service/http/presenters.py")]
    assert len(room_violations(fakes)) == 2


def test_the_check_finds_a_blueprint_importing_another():
    """Two resources of the API may not import each other."""
    fake = Import("service.http.api.batches", "service.http.api.jobs", 5, False,
                  ROOT / "service/http/api/batches.py")
    assert len(blueprint_violations([fake])) == 1


def test_no_relative_import_climbs_out_of_its_package():
    """``from .. import x`` reaches around the rows; a same-package ``from . import x`` is resolved
    and checked like any other import."""
    assert [str(i) for i in ALL if i.level > 1] == []


def test_relative_imports_are_resolved_and_checked():
    """``from ..api import jobs`` in pages/ is read as service.http.api.jobs, and refused."""
    path = ROOT / "service/http/pages/meetings.py"
    assert _absolute("service.http.pages.meetings", path, "api", 2) == "service.http.api"
    assert _absolute("service.http.pages", ROOT / "service/http/pages/__init__.py", "prefill", 1) \
        == "service.http.pages.prefill"
    assert len(room_violations([Import("service.http.pages.meetings", "service.http.api.jobs", 1,
                                       False, path, 2)])) == 1


def test_service_never_imports_doc_templates():
    """The templates are built from doc_templates/ ahead of time; the service reads only the DOCX."""
    assert [str(i) for i in ALL if i.module.startswith("service")
            and i.target.split(".")[0] == "doc_templates"] == []


def test_no_project_import_inside_a_function():
    """Imports hidden inside functions are circles in hiding; only cli/, roles.py and the package's
    own ``service.create_app`` (imported on first use, so that a role starts fast) may (start-up)."""
    assert [str(i) for i in ALL if i.nested and _project(i)
            and not i.module.startswith(INNER_IMPORTS_ALLOWED) and i.module != "service"] == []


@pytest.mark.parametrize("library", sorted(CONFINED))
def test_each_library_stays_behind_its_package(library):
    """openpyxl only in spreadsheets, boto3 only in storage/s3.py, unoserver only in conversion, …"""
    allowed = CONFINED[library]
    assert [str(i) for i in ALL if i.target.split(".")[0] == library
            and not i.module.startswith(allowed)] == []


def test_service_has_a_handful_of_top_level_modules():
    """service/ is packages by domain; only the row-0 foundations and the entry points stay loose."""
    loose = sorted(p.stem for p in (ROOT / "service").glob("*.py") if p.stem != "__init__")
    assert loose == ["app", "config", "database", "errors", "extensions", "roles", "webserver", "wsgi"]


MAX_MODULES = 15  # a folder that grows past this is split into rooms (documents/types/, pages/forms/…)


def crowded_folders(root: Path, limit: int = MAX_MODULES) -> list[str]:
    """The folders under *root* holding more than *limit* modules (``__init__.py`` aside), with the count.

    Alembic's ``versions/`` is a list of migrations, not a room of the code: it is not counted.
    """
    return [f"{folder.relative_to(root.parent)}: {count} modules"
            for folder in sorted({p.parent for p in root.rglob("*.py")}) if "versions" not in folder.parts
            and (count := sum(1 for p in folder.glob("*.py") if p.name != "__init__.py")) > limit]


def test_no_folder_of_service_holds_more_than_15_modules():
    """Modules are found in minutes: a folder of more than 15 is split into rooms of their own."""
    assert crowded_folders(ROOT / "service") == []


def test_the_count_finds_a_crowded_folder(tmp_path):
    """A folder of 16 modules is named with its count; __init__.py is not counted."""
    crowded = tmp_path / "service" / "crowded"
    crowded.mkdir(parents=True)
    for name in ["__init__", *(f"m{index}" for index in range(16))]:
        (crowded / f"{name}.py").write_text("", encoding="utf-8")
    found = crowded_folders(tmp_path / "service", limit=15)
    assert len(found) == 1 and found[0].endswith("crowded: 16 modules")


def test_every_module_of_jobs_has_its_own_tests():
    """Tests mirror the tree: ``service/jobs/<m>.py`` is tested in ``tests/service/jobs/test_<m>.py``."""
    modules = {p.stem for p in (ROOT / "service" / "jobs").glob("*.py") if p.stem != "__init__"}
    tested = {p.stem.removeprefix("test_") for p in (ROOT / "tests" / "service" / "jobs").glob("test_*.py")}
    assert modules - tested == set()


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


def _mapped_modules() -> set[str]:
    """The modules the developers' map of ``service/http/`` names (docs/development.md)."""
    text = (ROOT / "docs" / "development.md").read_text(encoding="utf-8")
    block = text.split("### The rooms of `service/http/`", 1)[1].split("```", 2)[1]
    named, room, outer = set(), "", ""
    for line in block.splitlines():
        heading, inner = re.match(r"^  (\w+)/\s", line), re.match(r"^    (\w+)/\s", line)
        if heading:
            room = outer = heading.group(1) + "."
        elif inner:  # a folder inside a room (pages/forms/): its modules are named below it
            room = outer + inner.group(1) + "."
        named.update(f"service.http.{room}{stem}" for stem in re.findall(r"\b(\w+)\.py\b", line))
    return named


def test_the_developers_map_names_every_module_of_http():
    """docs/development.md's map of the rooms cannot drift: every module is in it, in its room."""
    modules = {_module_name(p) for p in HTTP.rglob("*.py") if p.name != "__init__.py"}
    assert modules ^ _mapped_modules() == set()
