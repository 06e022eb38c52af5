"""The one seam to the workers, when Redis is not there: nothing queued is said so, in Vietnamese."""

from __future__ import annotations

import socket

import pytest
from celery import Celery

from service.errors import QueueUnavailableError
from service.jobs import models, queue


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])  # closed again once the probe goes


def test_without_redis_nothing_is_queued_and_the_caller_is_told():
    """No documents: no task and no broker asked; with documents, QueueUnavailableError; no count."""
    url = f"redis://127.0.0.1:{_closed_port()}/0"
    celery = Celery("test", broker=url)
    assert queue.dispatch([], 10, celery) == 0
    document = models.Document(id="d1", position=0, doc_type="bien_ban_kiem_diem", name="n", title="t")
    with pytest.raises(QueueUnavailableError) as refused:
        queue.dispatch([document], 10, celery)
    assert refused.value.detail == queue.DOWN_DETAIL
    assert queue.in_flight(url) is None and queue.quiet_for(url) is None
