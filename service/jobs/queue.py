"""The one seam between the service and the workers: queue documents by task name.

Nothing in ``service`` imports ``workers``: a document is queued by sending the task named
``workers.tasks.build_documents`` through the Celery app the factory made (the default app),
so the web node needs none of the workers' engines. ``in_flight`` reads kombu's Redis
transport directly to tell a lost message from one that is merely waiting, and ``quiet_for``
says how long it has read zero without a break: one zero proves little (a message leaves the
queue's list a moment before kombu records it as unacknowledged), a zero that persists does.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from celery import Celery, group
from celery import current_app as current_celery
from kombu.exceptions import OperationalError
from redis import Redis
from redis.exceptions import RedisError

from service.errors import QueueUnavailableError
from service.jobs.models import Document
from service.jobs.pipeline import chunks

QUEUE = "documents"
BUILD_DOCUMENTS = "workers.tasks.build_documents"
PURGE_EXPIRED = "workers.tasks.purge_expired"
RECOVER_LOST = "workers.tasks.recover_lost"
REMIND_DUE = "workers.tasks.remind_due"  # the daily reminders of seasons (service.seasons.reminders)
PREVIEW_TEMPLATE = "workers.tasks.preview_template"
BUILD_PACKAGE = "workers.tasks.build_package"  # args: "job" or "batch", and its id
SELF_REVIEW_PDF = "workers.tasks.build_self_review_pdf"  # a member's own Mẫu 02 (service.selfreviews)
# kombu's Redis transport: one list per priority step, and a hash of delivered, unacked messages
_QUEUE_KEYS = (QUEUE, *(f"{QUEUE}\x06\x16{step}" for step in (3, 6, 9)))
_UNACKED_KEY = "unacked"
_EMPTY_SINCE_KEY = "chibo:queue-empty-since"  # when in_flight first read zero, unbroken since
DOWN_DETAIL = "Hàng đợi (Redis) không trả lời nên chưa gửi được yêu cầu tạo tài liệu."


def priority(ahead: int, chunk_size: int) -> int:
    """The priority of a task with *ahead* documents of its submitter queued before it.

    kombu's Redis transport keeps one list per step (0, 3, 6, 9) and takes from 0 first: a
    submitter with nothing waiting goes first, one with a task's worth waiting after, and one
    with many after that, so a đảng bộ's hundreds of documents never hold a chi bộ's meeting
    behind them; within one step the order stays first in, first out.
    """
    if ahead <= 0:
        return 0
    if ahead <= chunk_size:
        return 3
    return 6 if ahead <= 5 * chunk_size else 9


def dispatch(documents: Sequence[Document], chunk_size: int, celery: Celery | None = None, *,
             ahead: int = 0) -> int:
    """Queue *documents* as a group of ``build_documents`` tasks of *chunk_size* ids; the task count.

    *ahead* is how many documents of the same submitter wait already (``recovery.waiting_ahead``):
    each task's ``priority`` counts them and the tasks before it. Call it only after the rows
    are committed: a worker must find the rows it is given. Redis not answering is
    ``QueueUnavailableError`` (some tasks may have been sent).
    """
    app = celery or current_celery
    parts = chunks(list(documents), chunk_size)
    if parts:
        before = [ahead + sum(map(len, parts[:index])) for index in range(len(parts))]
        try:
            group(app.signature(BUILD_DOCUMENTS, args=(ids,), priority=priority(waiting, chunk_size))
                  for ids, waiting in zip(parts, before, strict=True)).apply_async(
                retry_policy={"max_retries": 2, "interval_start": 0.2, "interval_step": 0.2})
            _break_quiet(app.conf.broker_url)
        except (OperationalError, RedisError, OSError) as exc:
            raise QueueUnavailableError(DOWN_DETAIL) from exc
    return len(parts)


def _break_quiet(redis_url: str) -> None:
    """Something was just queued: whatever zero was read before no longer counts."""
    redis = Redis.from_url(redis_url, socket_connect_timeout=1, socket_timeout=2)
    try:
        redis.delete(_EMPTY_SINCE_KEY)
    finally:
        redis.close()


def quiet_for(redis_url: str) -> float | None:
    """Seconds ``in_flight`` has read zero without a break (0.0: not zero now); None if Redis is down.

    Each reading that is not zero forgets the moment; the first zero records it in Redis (a
    Redis that lost its data starts counting again). The beat's ``recover_lost`` reads it every
    ``LOST_CHECK_SECONDS``, so a moment of zero between two non-zero readings never lasts.
    """
    redis = Redis.from_url(redis_url, socket_connect_timeout=1, socket_timeout=2)
    try:
        count = _count(redis)
        if count:
            redis.delete(_EMPTY_SINCE_KEY)
            return 0.0
        now = time.time()
        redis.set(_EMPTY_SINCE_KEY, repr(now), nx=True)
        since = float(redis.get(_EMPTY_SINCE_KEY) or now)
        return max(0.0, now - since)
    except (RedisError, OSError, ValueError):
        return None
    finally:
        redis.close()


def _count(redis: Redis) -> int:
    with redis.pipeline(transaction=False) as pipe:
        for key in _QUEUE_KEYS:
            pipe.llen(key)
        pipe.hlen(_UNACKED_KEY)
        return int(sum(pipe.execute()))


def preview(version_id: str, input_key: str | None, celery: Celery | None = None) -> None:
    """Queue the preview of template version *version_id* (with the data at *input_key*, or a sample)."""
    app = celery or current_celery
    app.signature(PREVIEW_TEMPLATE, args=(version_id, input_key)).apply_async()


def dispatch_package(kind: str, ident: str, celery: Celery | None = None, *,
                     redis_url: str | None = None, quiet_seconds: int = 0) -> bool:
    """Queue the building of the package of a job, a batch or an earlier revision of a job (*kind*
    ``job``, ``batch`` or ``revision``, whose *ident* is ``<job id>:<number>``).

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


def self_review_pdf(review_id: str, input_key: str, made_of: str, *, redis_url: str,
                    quiet_seconds: int = 60, celery: Celery | None = None) -> bool:
    """Queue the PDF of a member's self-review (made of *made_of*, a digest) at most once in
    *quiet_seconds*: her page asking again while it is made queues nothing more."""
    redis = Redis.from_url(redis_url, socket_connect_timeout=1, socket_timeout=2)
    try:
        if not redis.set(f"chibo:self-review-pdf:{review_id}:{made_of}", b"1", nx=True, ex=quiet_seconds):
            return False
    except RedisError as exc:
        raise QueueUnavailableError(DOWN_DETAIL) from exc
    finally:
        redis.close()
    try:
        (celery or current_celery).signature(SELF_REVIEW_PDF, args=(review_id, input_key)).apply_async()
    except OperationalError as exc:
        raise QueueUnavailableError(DOWN_DETAIL) from exc
    return True


def in_flight(redis_url: str) -> int | None:
    """Messages waiting in the queue or delivered and not yet acknowledged; None if Redis is down.

    Zero means no worker will ever touch a document still marked queued or running: its
    message was lost (a Redis restarted without its data, say).
    """
    redis = Redis.from_url(redis_url, socket_connect_timeout=1, socket_timeout=2)
    try:
        return _count(redis)
    except (RedisError, OSError):
        return None
    finally:
        redis.close()
