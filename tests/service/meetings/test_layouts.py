"""The table of layout regimes: HD 36 the default, HD 05 a setting, the templates built from it."""

from __future__ import annotations

import zipfile
from typing import get_args

from lxml import etree

from service.config import PROJECT_ROOT
from service.meetings.layouts import DEFAULT, HD36, LAYOUTS, layout_named
from service.meetings.schemas.common import LayoutRegime

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TEMPLATES = PROJECT_ROOT / "doc_templates"


def _twips(mm: float) -> int:
    return round(mm * 1440 / 25.4)


def test_the_setting_offers_exactly_the_regimes_of_the_table():
    """rules.layout accepts every regime of the table and nothing else."""
    assert set(get_args(LayoutRegime)) == set(LAYOUTS)


def test_hd36_is_the_default_and_the_only_verified_regime():
    """No setting means HD 36-HD/VPTW; HD 05-HD/VPTW is marked unverified."""
    assert layout_named(None) is DEFAULT is HD36
    assert [layout.id for layout in LAYOUTS.values() if not layout.verified] == ["hd05"]


def test_every_regime_prints_on_the_built_templates():
    """The templates are built once, from the default: a regime may differ in words, not in page."""
    for layout in LAYOUTS.values():
        assert (layout.page, layout.sizes) == (DEFAULT.page, DEFAULT.sizes), layout.id


def test_the_built_templates_have_the_default_page():
    """Each committed .docx has the paper and margins of the default regime's row."""
    page = DEFAULT.page
    for path in sorted(TEMPLATES.glob("*.docx")):
        root = etree.fromstring(zipfile.ZipFile(path).read("word/document.xml"))
        size, margins = root.find(f".//{W}pgSz"), root.find(f".//{W}pgMar")
        assert sorted(int(size.get(f"{W}{side}")) for side in ("w", "h")) == sorted(
            (_twips(page.width), _twips(page.height))), path.name
        assert [int(margins.get(f"{W}{side}")) for side in ("top", "bottom", "left", "right")] == [
            _twips(page.top), _twips(page.bottom), _twips(page.left), _twips(page.right)], path.name
