"""The issue's targets, each beside the figure the run measured: met, not met, or not measured."""

from __future__ import annotations

from typing import Any

GIB = 2**30


def _verdict(value: float | None, ok: bool) -> str:
    return "not measured" if value is None else ("met" if ok else "NOT MET")


def summary(f: dict[str, Any]) -> list[str]:
    """One line per target of issue 30, in the order the issue lists them."""
    rate, naive, ceiling = f.get("rate"), f.get("naive"), f.get("ceiling")
    vs_ceiling = rate / ceiling if rate and ceiling else None
    vs_naive = rate / naive if rate and naive else None
    single, correction, share = f.get("single_p50"), f.get("correction"), f.get("laid_share")
    big, growth = f.get("big") or {}, f.get("web_growth")
    big_done = big.get("done")
    big_memory = big.get("peak_process")
    rows = [
        ("service vs warm one by one (b)", vs_ceiling, "≥ 4×", vs_ceiling is not None and vs_ceiling >= 4,
         f"{vs_ceiling:.2f}×" if vs_ceiling else ""),
        ("service vs naive (a)", vs_naive, "≥ 25×", vs_naive is not None and vs_naive >= 25,
         f"{vs_naive:.1f}×" if vs_naive else ""),
        ("one meeting, submit → done, p50", single, "< 1 s", single is not None and single < 1,
         f"{single:.2f} s" if single is not None else ""),
        ("one-vote correction, PUT → done", correction, "< 1 s", correction is not None and correction < 1,
         f"{correction:.2f} s" if correction is not None else ""),
        ("pages LibreOffice laid out / delivered", share, "≤ 50%", share is not None and share <= 0.5,
         f"{share:.0%}" if share is not None else ""),
        (f"meeting of {big.get('members', '?')} members, every document done", big_done, "< 180 s",
         big_done is not None and big.get("status") == "done" and big_done < 180,
         f"{big['done']:.1f} s ({big.get('status')})" if big else ""),
        ("  its largest worker process", big_memory, "< 1 GiB", big_memory is not None and big_memory < GIB,
         f"{big_memory / 2**20:.0f} MiB" if big_memory is not None else ""),
        ("web RSS growth on the batch ZIP", growth, "< 50 MiB", growth is not None and growth < 50 * 2**20,
         f"{growth / 2**20:.0f} MiB" if growth is not None else ""),
    ]
    lines = ["targets (issue 30):"]
    for name, value, target, ok, shown in rows:
        lines.append(f"  {name:<46} {shown or '—':>16}  target {target:<9} {_verdict(value, ok)}")
    lines += limits(f, int(f.get("processes") or 0))
    if share is not None and share > 0.5:
        lines.append("    (laid out / delivered: every page but a ballot's copies has text of its own, "
                     "names and votes, so it is laid out once; only the copies can be left out)")
    return lines


def limits(f: dict[str, Any], processes: int) -> list[str]:
    """What this run's own stage tables allow, whatever the rest of the pipeline did: the rate of
    *processes* doing nothing but LibreOffice's work, and a meeting's LibreOffice time shared."""
    lines: list[str] = []
    if processes < 1:
        return lines
    office, total = f.get("batch_office"), f.get("batch_work")
    if office and total:
        most = processes / office
        line = (f"    limit: LibreOffice alone is {office * 1000:.0f} ms a document of the batch "
                f"({total * 1000:.0f} ms of work in all): {processes} processes make at most "
                f"{most:.1f} docs/s with nothing else to do")
        ratios = [f"{most / f[key]:.1f}× {name}" for key, name in (("ceiling", "(b)"), ("naive", "(a)"))
                  if f.get(key)]
        lines.append(line + (f" = {', '.join(ratios)}" if ratios else ""))
    office, total = f.get("single_office"), f.get("single_work")
    if office and total:
        lines.append(f"    limit: one meeting is {office:.2f} s of LibreOffice ({total:.2f} s of work in "
                     f"all): at least {office / processes:.2f} s on {processes} processes "
                     f"({total / processes:.2f} s with the rest)")
    return lines
