"""The worker's remote control: only the commands the service uses are obeyed."""

from __future__ import annotations

from celery.worker.control import Panel

from workers import engines


def test_only_the_allowed_control_commands_are_left():
    """shutdown, pool_restart, revoke… are forgotten; ping and offices stay (health checks use them)."""
    data, meta = dict(Panel.data), dict(Panel.meta)
    try:
        refused = engines.limit_control({"ping", "offices"})
        assert set(Panel.data) == {"ping", "offices"}
        assert {"shutdown", "pool_restart", "revoke", "rate_limit", "autoscale"} <= set(refused)
    finally:
        Panel.data.clear()
        Panel.data.update(data)
        Panel.meta.clear()
        Panel.meta.update(meta)
