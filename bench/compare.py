"""``bench.bulk --compare COMMIT``: the same đảng bộ through an older commit's service, same run.

The commit is checked out with ``git worktree`` in the bench's temporary folder (LibreOffice's
``.sysvenv`` linked in), and ``bench/oldrun.py`` (today's, copied in) runs there with only that
tree on the path. An older tree that cannot run on today's install is a figure of its own
(why, in one line), never a crash of the bench; the worktree is removed either way.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def run_commit(commit: str, payload: dict[str, Any], singles: int, workdir: Path,
               timeout: float = 3600) -> dict[str, Any]:
    """The figures of ``bench/oldrun.py`` in a worktree of *commit*, or ``{"error": why}``."""
    # LibreOffice runs as OFFICE_USER: the tree's folders must be searchable by others (the
    # bench's own temporary folder is not)
    tree = Path(tempfile.mkdtemp(prefix="chibo-bench-tree-")) / commit
    tree.parent.chmod(0o755)
    made = subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), commit],
                          capture_output=True, text=True)
    if made.returncode != 0:
        return {"error": f"git worktree add {commit} failed: {made.stderr.strip()[-200:]}"}
    try:
        for linked in (".sysvenv",):
            if (ROOT / linked).exists() and not (tree / linked).exists():
                (tree / linked).symlink_to(ROOT / linked)
        driver = tree / "_bench_oldrun.py"
        shutil.copyfile(ROOT / "bench" / "oldrun.py", driver)
        (workdir / "payload.json").write_text(json.dumps(payload))
        env = {**os.environ, "PYTHONPATH": str(tree)}
        env.pop("PROMETHEUS_MULTIPROC_DIR", None)
        try:
            out = subprocess.run([sys.executable, str(driver), "--payload", str(workdir / "payload.json"),
                                  "--singles", str(singles)], cwd=tree, env=env, capture_output=True,
                                 text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return {"error": f"no answer in {timeout:.0f} s"}
        lines = out.stdout.strip().splitlines()
        if not lines:
            return {"error": f"exit {out.returncode}: {out.stderr.strip()[-300:]}"}
        return dict(json.loads(lines[-1]))
    finally:
        subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)],
                       capture_output=True)
        subprocess.run(["git", "-C", str(ROOT), "worktree", "prune"], capture_output=True)
        shutil.rmtree(tree.parent, ignore_errors=True)


def compare_line(commit: str, old: dict[str, Any], rate: float | None, single: float | None) -> str:
    """The older commit's figures beside today's (*rate* docs/s, *single* p50 seconds)."""
    if "error" in old:
        return f"{commit}: not runnable on this install ({old['error']})"
    old_rate = old["documents"] / old["wall"]
    seconds = [s for s, _ in old["singles"]]
    line = (f"{commit} (same run, its own stack): {old['documents']} documents ({old['failed']} failed), "
            f"batch {old['status']}, {old_rate:.1f} docs/s, wall {old['wall']:.1f} s")
    if rate is not None:
        line += f" → today {rate / old_rate:.2f}× of it"
    if seconds:
        median = statistics.median(seconds)
        line += f"; one meeting p50 {median:.2f} s"
        if single is not None:
            line += f" (today {single:.2f} s)"
    return line
