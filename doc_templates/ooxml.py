"""WordprocessingML elements: the few raw ``w:`` nodes python-docx has no API for."""

from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement


def el(tag: str, **attrs: str) -> BaseOxmlElement:
    """Return a new ``w:`` element with ``w:``-qualified attributes."""
    node = OxmlElement(f"w:{tag}")
    for key, value in attrs.items():
        node.set(qn(f"w:{key}"), value)
    return node


def replace(parent: BaseOxmlElement, child: BaseOxmlElement) -> None:
    """Put ``child`` into ``parent``, dropping any existing element with the same tag."""
    for old in parent.findall(child.tag):
        parent.remove(old)
    parent.append(child)


def mm_twips(mm: float) -> str:
    """A length in millimetres as twentieths of a point, the unit of most ``w:`` attributes."""
    return str(round(mm * 1440 / 25.4))
