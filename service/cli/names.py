"""How a person types the ``chibo`` command on this machine, for messages that name it.

``bash service/run.sh install`` puts it at ``.venv/bin/chibo``, not on PATH: a message saying
"run ``chibo admin …``" would answer "command not found".
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path


def chibo() -> str:
    """``chibo`` when it is on PATH; else the path of this very command, from the current folder."""
    if shutil.which("chibo"):
        return "chibo"
    exe = Path(sys.argv[0]) if sys.argv and sys.argv[0] else Path()
    if exe.name != "chibo":  # run as ``python -m service.cli`` or from a test
        return ".venv/bin/chibo"
    try:
        return str(exe.absolute().relative_to(Path.cwd()))
    except ValueError:
        return str(exe.absolute())
