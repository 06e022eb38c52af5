"""The application factory: settings, the subsystems, the blueprints."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from service import config, extensions
from service.http import auth, bodies, headers, health, policy, problems, throttle
from service.http.api import assignments, batches, jobs, roster, seasons, signing, templates, units
from service.http.api import selfreviews as api_selfreviews
from service.http.openapi import description
from service.http.pages import guide, ledger, meetings, uploaded_templates
from service.http.pages import roster as roster_pages
from service.http.pages import seasons as season_pages
from service.http.pages import selfreviews as selfreview_pages
from service.http.pages import signing as signing_pages


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
    for blueprint in (jobs.bp, batches.bp, templates.bp, uploaded_templates.bp, description.bp,
                      meetings.bp, roster.bp, assignments.bp, roster_pages.bp, signing.bp,
                      signing_pages.bp, guide.bp, ledger.bp, api_selfreviews.bp,
                      selfreview_pages.bp, units.bp, seasons.bp, season_pages.bp):
        app.register_blueprint(blueprint)
    auth.init_app(app)
    policy.init_app(app)  # can_edit, can_delete in every template
    health.init_app(app)
    return app
