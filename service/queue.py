"""Celery, attached to the Flask app in the factory (Flask's own pattern).

Tasks run inside an app context, so they reach the database and storage exactly as views
do. Results are not kept in Redis: the status of every document lives in the database.
"""

from __future__ import annotations

from typing import Any

from celery import Celery, Task
from flask import Flask


def init_app(app: Flask) -> Celery:
    """Create the Celery app for *app* and keep it in ``app.extensions["celery"]``."""

    class FlaskTask(Task):  # type: ignore[misc]
        def __call__(self, *args: Any, **kwargs: Any) -> Any:
            with app.app_context():
                return self.run(*args, **kwargs)

    celery_app = Celery(app.name, task_cls=FlaskTask)
    celery_app.conf.update(
        broker_url=app.config["REDIS_URL"],
        broker_connection_retry_on_startup=True,
        # an unacknowledged task goes back to the queue after this long (crashed worker)
        broker_transport_options={"visibility_timeout": 600},
        include=["workers.tasks"],
        task_ignore_result=True,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        task_default_queue="documents",
        worker_prefetch_multiplier=1,
        worker_hijack_root_logger=False,
    )
    celery_app.flask_app = app
    celery_app.set_default()
    app.extensions["celery"] = celery_app
    return celery_app
