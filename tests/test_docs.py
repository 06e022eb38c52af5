"""The documentation: README.md and docs/ link only to files and sections that exist."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from service.config import PROJECT_ROOT

PAGES = [PROJECT_ROOT / "README.md", *sorted((PROJECT_ROOT / "docs").glob("*.md"))]
# a file of the repository named in the text (`service/http/auth.py`, `tests/test_docs.py::a_test`)
NAMED = re.compile(r"(?<![\w/.<-])((?:service|tests|workers|doc_templates|bench|docker|\.ci)/"
                   r"[\w./-]*\.[a-z]+)(?=[`)\s:,;])")
OPERATORS_OWN = {"docker/.env"}  # files the documentation tells an operator to make
LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)")
FENCE = re.compile(r"^```.*?^```", re.S | re.M)


def slug(heading: str) -> str:
    """GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = heading.strip().lower().replace("`", "")
    kept = "".join(ch for ch in text if ch in " -_" or unicodedata.category(ch)[0] in "LN")
    return kept.replace(" ", "-")


def anchors(page: Path) -> set[str]:
    """The anchors of *page*'s headings (a repeated one gets -1, -2 … as on GitHub)."""
    found: set[str] = set()
    for line in FENCE.sub("", page.read_text(encoding="utf-8")).splitlines():
        if match := re.match(r"#{1,6} (.+)", line):
            base = name = slug(match.group(1))
            count = 0
            while name in found:
                count += 1
                name = f"{base}-{count}"
            found.add(name)
    return found


def broken(page: Path) -> list[str]:
    """The relative links of *page* whose file or section does not exist."""
    out = []
    for target in LINK.findall(FENCE.sub("", page.read_text(encoding="utf-8"))):
        if re.match(r"[a-z]+:", target):
            continue  # https://…, mailto:
        path, _, anchor = target.partition("#")
        file = (page.parent / path).resolve() if path else page
        if not file.exists() or (anchor and file.suffix == ".md" and anchor not in anchors(file)):
            out.append(target)
    return out


def test_every_relative_link_resolves():
    """Each [text](file#section) of README.md and docs/ names a file and a heading that exist."""
    assert {page.name: broken(page) for page in PAGES if broken(page)} == {}


def test_a_broken_link_is_found(tmp_path):
    """A link to a missing section or file is reported (the check can fail)."""
    (tmp_path / "a.md").write_text("## Đảng bộ's own `templates`\n\n[x](#đảng-bộs-own-templates) "
                                   "[y](#nowhere) [z](b.md) [w](https://example.org)\n", encoding="utf-8")
    assert broken(tmp_path / "a.md") == ["#nowhere", "b.md"]


def test_every_file_named_exists():
    """A path of the repository named in README.md or docs/ is a file there (renames leave none behind)."""
    missing = {page.name: [path for path in NAMED.findall(page.read_text(encoding="utf-8"))
                           if not (PROJECT_ROOT / path).exists() and path not in OPERATORS_OWN]
               for page in PAGES}
    assert {name: paths for name, paths in missing.items() if paths} == {}


def test_the_readme_stays_short():
    """README.md is the front door (what it is, the two commands, where to read next)."""
    assert len((PROJECT_ROOT / "README.md").read_text(encoding="utf-8").splitlines()) <= 200
