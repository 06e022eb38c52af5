"""The application factory: settings, the subsystems, the blueprints."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from service import config, extensions
from service.http import (
    api_batches,
    api_jobs,
    api_roster,
    api_seasons,
    api_signing,
    api_templates,
    api_units,
    auth,
    bodies,
    headers,
    health,
    openapi,
    pages,
    problems,
    roster_pages,
    season_pages,
    signing_pages,
    template_pages,
    throttle,
)


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Create the app; environment variables are read here and nowhere else."""
    app = Flask("service", static_folder=None)  # the pages serve their own (web.static)
    app.config.from_mapping(config.DEFAULTS)
    if test_config is None:
        config.load_env(app.config)
    else:
        app.config.update(test_config)
    config.finish(app.config)
    bodies.init_app(app)  # JSON read safely (nesting), written without \u escapes
    problems.init_app(app)
    headers.init_app(app)
    throttle.init_app(app)
    extensions.init_app(app)
    app.register_blueprint(api_jobs.bp)
    app.register_blueprint(api_batches.bp)
    app.register_blueprint(api_templates.bp)
    app.register_blueprint(template_pages.bp)
    app.register_blueprint(openapi.bp)
    app.register_blueprint(pages.bp)
    app.register_blueprint(api_roster.bp)
    app.register_blueprint(roster_pages.bp)
    app.register_blueprint(api_signing.bp)
    app.register_blueprint(signing_pages.bp)
    app.register_blueprint(api_units.bp)
    app.register_blueprint(api_seasons.bp)
    app.register_blueprint(season_pages.bp)
    auth.init_app(app)
    health.init_app(app)
    return app
