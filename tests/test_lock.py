"""What runs is what was locked: every package .venv needs is installed at uv.lock's version."""

from __future__ import annotations

import sys
import tomllib
from importlib import metadata
from pathlib import Path
from typing import Any

from packaging.markers import Marker
from packaging.utils import canonicalize_name

from service.config import PROJECT_ROOT

PROJECT = "chibo-docs"


def _locked() -> dict[str, list[dict[str, Any]]]:
    """uv.lock's packages by name (a name may be locked at two versions, by Python version)."""
    lock = tomllib.loads((PROJECT_ROOT / "uv.lock").read_text(encoding="utf-8"))
    packages: dict[str, list[dict[str, Any]]] = {}
    for package in lock["package"]:
        packages.setdefault(canonicalize_name(package["name"]), []).append(package)
    return packages


def _installed_extras() -> tuple[str, ...]:
    """The project's extras this venv was installed with (run.sh's stamp: 'test,monitoring …')."""
    stamp = Path(sys.prefix) / ".installed"
    if stamp.exists():
        return tuple(stamp.read_text().split()[0].split(","))
    return ("test",)  # a venv made otherwise: at least what the tests import


def needed(packages: dict[str, list[dict[str, Any]]], extras: tuple[str, ...]) -> dict[str, str]:
    """Every package (name → locked version) that the project with *extras* needs on this Python."""
    found: dict[str, str] = {}
    todo: list[tuple[str, str | None, tuple[str, ...]]] = [(PROJECT, None, extras)]
    seen: set[tuple[str, str | None, tuple[str, ...]]] = set()
    while todo:
        name, version, wanted = todo.pop()
        if (name, version, wanted) in seen:
            continue
        seen.add((name, version, wanted))
        candidates = [p for p in packages[name] if version is None or p["version"] == version]
        assert len(candidates) == 1, f"uv.lock: {name} {version or ''} is ambiguous or missing"
        package = candidates[0]
        found[name] = package["version"]
        dependencies = list(package.get("dependencies", []))
        for extra in wanted:
            dependencies += package.get("optional-dependencies", {}).get(extra, [])
        for dependency in dependencies:
            marker = dependency.get("marker")
            if marker and not Marker(marker).evaluate({"extra": ""}):
                continue
            todo.append((canonicalize_name(dependency["name"]), dependency.get("version"),
                         tuple(dependency.get("extra", ()))))
    return found


def mismatches(locked: dict[str, str]) -> dict[str, str]:
    """The packages of *locked* whose installed version (importlib.metadata) differs, and how."""
    wrong = {}
    for name, version in sorted(locked.items()):
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            installed = "not installed"
        if installed != version:
            wrong[name] = f"installed {installed}, locked {version}"
    return wrong


def test_every_needed_package_is_installed_at_the_locked_version():
    """importlib.metadata's version of each package the installed extras need equals uv.lock's."""
    locked = needed(_locked(), _installed_extras())
    assert len(locked) > 100 and {"flask", "celery", "pytest", "cryptography"} <= set(locked)
    wrong = mismatches(locked)
    assert not wrong, f"run `bash service/run.sh install` (uv sync --frozen): {wrong}"


def test_a_version_other_than_the_lock_is_a_mismatch():
    """The walk follows extras and markers: a package locked at another version is reported."""
    packages = _locked()
    flask = packages["flask"][0]
    packages["flask"] = [{**flask, "version": "0.0.1"}]
    packages["no-such-package"] = [{"name": "no-such-package", "version": "1.0"}]
    packages[PROJECT][0] = {**packages[PROJECT][0], "dependencies": [
        *packages[PROJECT][0]["dependencies"], {"name": "no-such-package"}]}
    locked = needed(packages, ("test",))
    assert mismatches(locked) == {"flask": f"installed {metadata.version('flask')}, locked 0.0.1",
                                  "no-such-package": "installed not installed, locked 1.0"}
    assert "playwright" in locked and "flower" not in locked  # test's, not monitoring's
    assert "pywin32" not in locked and "colorama" not in locked  # Windows only
