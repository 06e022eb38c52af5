"""unoserver, opening every document hidden: run as a script under ``.sysvenv``'s python, never imported.

``default_unoserver_command()`` is ``.sysvenv/bin/python <this file>``; the arguments are
unoserver's own. unoserver 3.7 opens a document into the ``_default`` frame with no ``Hidden``
property, so even headless LibreOffice builds a whole view for it (frame, dispatch slots, tool
bars) and tears it down after the export. Opened hidden into a frame of its own, the same
document is laid out and exported the same — the tests compare the text of every part — in about
two thirds of the time (docs/speed.md, "A conversion, layer by layer"). Nothing else of unoserver
changes.

Stdlib and unoserver only, like ``sandbox.py``: it runs as the office user.
"""

from __future__ import annotations

import contextlib
import ctypes
import sys
from typing import Any

import uno  # type: ignore[import-not-found]  # noqa: F401 - makes com.sun.star importable
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]
from unoserver import converter, server

HIDDEN = PropertyValue(Name="Hidden", Value=True)
_PR_SET_NAME = 15


class HiddenDesktop:
    """LibreOffice's desktop, passed through, but every document opened hidden, in a new frame."""

    def __init__(self, desktop: Any) -> None:
        self._desktop = desktop

    def loadComponentFromURL(self, url: str, _frame: str, flags: int,
                             properties: tuple[Any, ...]) -> Any:
        return self._desktop.loadComponentFromURL(url, "_blank", flags, (*properties, HIDDEN))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._desktop, name)


class HiddenConverter(converter.UnoConverter):  # type: ignore[misc]
    """unoserver's converter with the desktop above."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.desktop = HiddenDesktop(getattr(self, "desktop"))  # noqa: B009 - set by unoserver


def named_unoserver() -> None:
    """This process named ``unoserver`` (``/proc/<pid>/comm``), as ``ps`` and the tests know it."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_NAME, b"unoserver", 0, 0, 0)


if __name__ == "__main__":
    converter.UnoConverter = HiddenConverter  # unoserver's server looks it up when it starts
    sys.argv[0] = "unoserver"
    named_unoserver()
    sys.exit(server.main())
