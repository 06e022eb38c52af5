"""The targets' lines: each figure against its target, and the limits a run's stages set."""

from __future__ import annotations

from bench.targets import limits, summary


def test_the_limits_come_from_the_runs_own_stages():
    """106 ms of LibreOffice a document on 2 processes: at most 18.9 docs/s, 2.5× (b), 21.2× (a);
    a meeting of 2.84 s of LibreOffice cannot end before 1.42 s."""
    figures = {"batch_office": 0.106, "batch_work": 0.159, "ceiling": 7.62, "naive": 0.89,
               "single_office": 2.84, "single_work": 3.73}
    lines = limits(figures, 2)
    assert "at most 18.9 docs/s" in lines[0] and "2.5× (b), 21.2× (a)" in lines[0], lines
    assert "at least 1.42 s on 2 processes (1.86 s with the rest)" in lines[1], lines


def test_a_run_without_stages_states_no_limit():
    """Without the stage tables (a failed batch), the targets stand alone: no made-up limit."""
    lines = summary({"rate": 10.0, "ceiling": 5.0})
    assert not [line for line in lines if "limit:" in line]
    assert any("2.00×" in line and "NOT MET" in line for line in lines)
