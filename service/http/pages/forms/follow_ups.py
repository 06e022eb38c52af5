"""The monthly form's follow-up of earlier months' assignments (the resolution ledger, domain §11.5).

A new monthly minute opens with a row for every assignment still open (``ledger.open_before``):
who, what, where it was made; the secretary says what came of it and may note why. "Soạn phần I"
drafts part I of the resolution from those answers (``ledger.result_lines``); a correction of an
earlier month that changed a followed task is said above the rows.
"""

from __future__ import annotations

import re

from service.meetings import ledger

_REF = re.compile(r"f-(\d+)-ref")


def follow_up_fields(entries: list[ledger.Entry], form: dict[str, str]) -> dict[str, str]:
    """Follow-up rows for the open assignments of *entries* not already on *form* (after its rows)."""
    shown = {form[key] for key in form if _REF.fullmatch(key)}
    rows = [int(key.split("-")[1]) for key in form if _REF.fullmatch(key)]
    row = max(rows) + 1 if rows else 0
    added: dict[str, str] = {}
    for entry in entries:
        if entry.ref in shown:
            continue
        due = entry.due_text()
        added.update({f"f-{row}-ref": entry.ref, f"f-{row}-who": entry.who, f"f-{row}-task": entry.task,
                      f"f-{row}-made": f"tháng {entry.month}/{entry.year}" + (f", hạn {due}" if due else ""),
                      f"f-{row}-status": "", f"f-{row}-note": ""})
        row += 1
    return added


def changed_follow_ups(entries: list[ledger.Entry], form: dict[str, str]) -> list[str]:
    """What a correction of an earlier month changed in the assignments this form follows up."""
    current = {e.ref: e for e in entries}
    found = []
    for key in sorted(k for k in form if _REF.fullmatch(k)):
        entry = current.get(form[key])
        row = key.split("-")[1]
        typed = form.get(f"f-{row}-task", "")
        if entry is not None and typed and " ".join(typed.split()) != " ".join(entry.task.split()):
            found.append(f"Việc \"{typed}\" đã được sửa ở biên bản tháng {entry.month}/{entry.year} thành "
                         f"\"{entry.task}\".")
    return found


def draft_results(form: dict[str, str]) -> str:
    """Part I: the lines drafted from the follow-up answers, then what else was typed there.

    A line drafted before (the heading, or "- <task> (…") is replaced, not repeated.
    """
    rows = sorted(int(m.group(1)) for key in form if (m := _REF.fullmatch(key)))
    answers = [(form.get(f"f-{n}-who", ""), form.get(f"f-{n}-task", ""), form[f"f-{n}-status"],
                form.get(f"f-{n}-note") or None) for n in rows if form.get(f"f-{n}-status")]
    drafted = ledger.result_lines(answers)
    earlier = tuple(f"- {form.get(f'f-{n}-task', '').strip().rstrip('.;')} (" for n in rows)
    heading = ledger.result_lines([("", "x", "done", None)])[0]
    kept = [line for line in form.get("res-results", "").splitlines()
            if line.strip() and line.strip() != heading and not line.startswith(earlier)]
    return "\n".join(drafted + kept)
