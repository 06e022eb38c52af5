"""chibo-docs: official documents of a Vietnamese Party cell, from meeting data.

``create_app`` builds the Flask app; each subsystem attaches itself with ``init_app``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Create the app; environment variables are read here and nowhere else."""
    from service import (
        api,
        api_batches,
        auth,
        config,
        db,
        health,
        openapi,
        problems,
        queue,
        storage,
        web,
    )

    app = Flask(__name__)
    app.config.from_mapping(config.DEFAULTS)
    if test_config is None:
        config.load_env(app.config)
    else:
        app.config.update(test_config)
    config.finish(app.config)
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    problems.init_app(app)
    db.init_app(app)
    storage.init_app(app)
    queue.init_app(app)
    app.register_blueprint(api.bp)
    app.register_blueprint(api_batches.bp)
    app.register_blueprint(openapi.bp)
    app.register_blueprint(web.bp)
    auth.init_app(app)
    health.init_app(app)
    return app
