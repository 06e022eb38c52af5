"""The only Flask and Celery glue: each subsystem attached to the app, and found again.

``init_app`` migrates and connects the database (``DATABASE_URL``, ``DB_AUTO_MIGRATE``),
builds the storage backend (``STORAGE_BACKEND``) and the Celery app (Flask's own pattern:
tasks run inside an app context, so they reach the database and storage exactly as views
do). Results are not kept in Redis: the status of every document lives in the database.
Views and tasks reach them through ``session_scope``, ``get_storage`` and ``get_celery``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any, cast

from celery import Celery, Task
from flask import Flask, current_app
from sqlalchemy.orm import Session, sessionmaker

from service import migrations, storage
from service.database import make_engine
from service.jobs.queue import PURGE_EXPIRED, QUEUE, RECOVER_LOST, REMIND_DUE
from service.storage import Storage


def init_app(app: Flask) -> None:
    """Attach the database, the storage and Celery to *app*."""
    init_database(app)
    app.extensions["storage"] = storage.from_config(app.config)
    init_celery(app)


def init_database(app: Flask) -> None:
    """Connect to ``DATABASE_URL``, migrate it to head (``DB_AUTO_MIGRATE``), keep a session factory."""
    url = app.config["DATABASE_URL"]
    if app.config["DB_AUTO_MIGRATE"]:
        migrations.upgrade(url)
    app.extensions["db"] = sessionmaker(make_engine(url), expire_on_commit=False)


class FlaskCelery(Celery):
    """A Celery app that knows the Flask app its tasks and worker hooks run in."""

    flask_app: Flask


def flask_app_of(celery_app: Celery) -> Flask:
    """The Flask app *celery_app* was made for by ``init_celery``."""
    # celery-types knows only Celery: its current_app and Task.app are never our subclass
    return cast(FlaskCelery, celery_app).flask_app


def init_celery(app: Flask) -> Celery:
    """Create the Celery app for *app* and keep it in ``app.extensions["celery"]``."""

    class FlaskTask(Task[Any, Any]):
        def __call__(self, *args: Any, **kwargs: Any) -> Any:
            with app.app_context():
                return self.run(*args, **kwargs)

    celery_app = FlaskCelery(app.name, task_cls=FlaskTask)
    celery_app.conf.update(
        broker_url=app.config["REDIS_URL"],
        broker_connection_retry_on_startup=True,
        # a task delivered to a worker that died without acknowledging it goes back to the
        # queue after this long; it must exceed the longest task (TASK_TIME_LIMIT)
        broker_transport_options={"visibility_timeout": app.config["BROKER_VISIBILITY_TIMEOUT"],
                                  "unacked_restore_interval": 10, "unacked_restore_throttle": 1},
        include=["workers.tasks"],
        task_ignore_result=True,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        task_soft_time_limit=app.config["TASK_TIME_LIMIT"] - 30,
        task_time_limit=app.config["TASK_TIME_LIMIT"],
        task_default_queue=QUEUE,
        worker_prefetch_multiplier=1,
        # `celery beat` (or `chibo up`'s worker, started with --beat) runs these
        beat_schedule=beat_schedule(app.config),
        worker_hijack_root_logger=False,
    )
    celery_app.flask_app = app
    celery_app.set_default()
    app.extensions["celery"] = celery_app
    return celery_app


def beat_schedule(config: Any) -> dict[str, dict[str, Any]]:
    """The periodic tasks: the daily purge, the look for lost documents (``LOST_CHECK_SECONDS``) and
    the seasons' reminders (``REMINDER_DAYS_BEFORE``)."""
    schedule: dict[str, dict[str, Any]] = {"purge-expired": {"task": PURGE_EXPIRED, "schedule": 24 * 3600}}
    if config["LOST_CHECK_SECONDS"]:
        # a run that waits behind a long queue is worth nothing later: it expires with its period
        every = float(config["LOST_CHECK_SECONDS"])
        schedule["recover-lost"] = {"task": RECOVER_LOST, "schedule": every, "options": {"expires": every}}
    if config["REMINDER_DAYS_BEFORE"]:
        # hourly: a unit is reminded at most once a day (``reminded_on``), whenever the beat started
        schedule["remind-due"] = {"task": REMIND_DUE, "schedule": 3600, "options": {"expires": 3600}}
    return schedule


@contextlib.contextmanager
def session_scope() -> Iterator[Session]:
    """A session of the current app, committed on success and rolled back on error."""
    factory: sessionmaker[Session] = current_app.extensions["db"]
    with factory() as session, session.begin():
        yield session


def dispose(app: Flask) -> None:
    """Close the connections the app's pool holds (its database is about to go)."""
    factory: sessionmaker[Session] = app.extensions["db"]
    factory.kw["bind"].dispose()


def get_storage() -> Storage:
    """The storage of the current app."""
    found: Storage = current_app.extensions["storage"]
    return found


def get_celery() -> Celery:
    """The Celery app of the current app."""
    found: Celery = current_app.extensions["celery"]
    return found
