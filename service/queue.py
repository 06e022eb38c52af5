"""Celery, attached to the Flask app in the factory (Flask's own pattern).

Tasks run inside an app context, so they reach the database and storage exactly as views
do. Results are not kept in Redis: the status of every document lives in the database.
"""

from __future__ import annotations

from typing import Any

from celery import Celery, Task
from flask import Flask, current_app
from redis import Redis
from redis.exceptions import RedisError

QUEUE = "documents"
# kombu's Redis transport: one list per priority step, and a hash of delivered, unacked messages
_QUEUE_KEYS = (QUEUE, *(f"{QUEUE}\x06\x16{step}" for step in (3, 6, 9)))
_UNACKED_KEY = "unacked"


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
        beat_schedule={"purge-expired": {"task": "workers.tasks.purge_expired",
                                         "schedule": 24 * 3600}},
        worker_hijack_root_logger=False,
    )
    celery_app.flask_app = app
    celery_app.set_default()
    app.extensions["celery"] = celery_app
    return celery_app


def in_flight() -> int | None:
    """Messages waiting in the queue or delivered and not yet acknowledged; None if Redis is down.

    Zero means no worker will ever touch a document still marked queued or running: its
    message was lost (a Redis restarted without its data, say).
    """
    redis = Redis.from_url(current_app.config["REDIS_URL"], socket_connect_timeout=1,
                           socket_timeout=2)
    try:
        with redis.pipeline(transaction=False) as pipe:
            for key in _QUEUE_KEYS:
                pipe.llen(key)
            pipe.hlen(_UNACKED_KEY)
            return int(sum(pipe.execute()))
    except (RedisError, OSError):
        return None
    finally:
        redis.close()
