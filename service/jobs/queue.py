"""The one seam between the service and the workers: queue documents by task name.

Nothing in ``service`` imports ``workers``: a document is queued by sending the task named
``workers.tasks.build_documents`` through the Celery app the factory made (the default app),
so the web node needs none of the workers' engines. ``in_flight`` reads kombu's Redis
transport directly to tell a lost message from one that is merely waiting.
"""

from __future__ import annotations

from collections.abc import Sequence

from celery import Celery, group
from celery import current_app as current_celery
from redis import Redis
from redis.exceptions import RedisError

from service.jobs.models import Document
from service.jobs.pipeline import chunks

QUEUE = "documents"
BUILD_DOCUMENTS = "workers.tasks.build_documents"
PURGE_EXPIRED = "workers.tasks.purge_expired"
BUILD_PACKAGE = "workers.tasks.build_package"  # args: "job" or "batch", and its id
# kombu's Redis transport: one list per priority step, and a hash of delivered, unacked messages
_QUEUE_KEYS = (QUEUE, *(f"{QUEUE}\x06\x16{step}" for step in (3, 6, 9)))
_UNACKED_KEY = "unacked"


def dispatch(documents: Sequence[Document], chunk_size: int, celery: Celery | None = None) -> int:
    """Queue *documents* as a group of ``build_documents`` tasks of *chunk_size* ids; the task count.

    Call it only after the rows are committed: a worker must find the rows it is given.
    """
    app = celery or current_celery
    parts = chunks(list(documents), chunk_size)
    if parts:
        group(app.signature(BUILD_DOCUMENTS, args=(ids,)) for ids in parts).apply_async()
    return len(parts)


def dispatch_package(kind: str, ident: str, celery: Celery | None = None, *,
                     redis_url: str | None = None, quiet_seconds: int = 0) -> bool:
    """Queue the building of the package of a job or a batch (*kind* ``job`` or ``batch``).

    With *redis_url* and *quiet_seconds* (a download asking), it is queued at most once in
    that time: a client polling every second must not start a build each time. False when
    it was not queued for that reason.
    """
    if redis_url and quiet_seconds:
        redis = Redis.from_url(redis_url, socket_connect_timeout=1, socket_timeout=2)
        try:
            if not redis.set(f"chibo:package-asked:{kind}:{ident}", b"1", nx=True, ex=quiet_seconds):
                return False
        finally:
            redis.close()
    (celery or current_celery).signature(BUILD_PACKAGE, args=(kind, ident)).apply_async()
    return True


def in_flight(redis_url: str) -> int | None:
    """Messages waiting in the queue or delivered and not yet acknowledged; None if Redis is down.

    Zero means no worker will ever touch a document still marked queued or running: its
    message was lost (a Redis restarted without its data, say).
    """
    redis = Redis.from_url(redis_url, socket_connect_timeout=1, socket_timeout=2)
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
