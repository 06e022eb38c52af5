"""Faults of the queue side, injected for real: a worker killed with SIGKILL, Redis restarted.

Each test runs its own Redis and worker (short visibility timeout, small task groups) so
the faults never touch the session's shared worker.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from redis import Redis
from sqlalchemy import select

from service import create_app, extensions
from service.cli import stack
from service.conversion.office import free_port, process_tree
from service.jobs import models
from tests.integration.conftest import environment, wait_until_finished
from tests.support import people
from tests.support.factories import dang_bo_payload, meeting_payload

pytestmark = pytest.mark.integration


class OwnStack:
    """A Redis, the workers started on it, and a client of an app sharing their settings."""

    def __init__(self, root: Path, **settings: Any) -> None:
        self.root = root
        self.redis_url = f"redis://127.0.0.1:{free_port()}/0"
        self.config: dict[str, Any] = {
            "DATA_DIR": str(root / "var"), "REDIS_URL": self.redis_url,
            "BROKER_VISIBILITY_TIMEOUT": 6, "LOST_AFTER_SECONDS": 3, "BATCH_CHUNK_SIZE": 2,
            **settings,
        }
        self.redis = stack.start_redis(self.redis_url, root / "redis")
        self.workers: list[subprocess.Popen[bytes]] = []
        self.app = create_app({"TESTING": True, **self.config})
        self.client: FlaskClient = people.client(self.app)

    def start_worker(self) -> subprocess.Popen[bytes]:
        """One more worker process (one child, one LibreOffice) on this stack."""
        worker = stack.start_worker(environment(self.config), concurrency=1, log=self.root / "worker.log")
        self.workers.append(worker)
        return worker

    def start_beat(self) -> subprocess.Popen[bytes]:
        """The beat on this stack (its periodic tasks run on the workers)."""
        beat = stack.start_beat(environment(self.config), log=self.root / "beat.log")
        self.workers.append(beat)
        return beat

    def restart_redis(self, pause: float = 2.0) -> None:
        """Stop Redis (it writes its append-only file), wait, start it again on the same port."""
        stack.stop(self.redis)
        time.sleep(pause)
        self.redis = stack.start_redis(self.redis_url, self.root / "redis")

    def close(self) -> None:
        """Stop everything this stack started."""
        for worker in self.workers:
            stack.stop(worker, timeout=30)
        stack.stop(self.redis)


@pytest.fixture(name="own_stack")
def _own_stack(tmp_path: Path) -> Iterator[OwnStack]:
    started = OwnStack(tmp_path)
    yield started
    started.close()


def _small_batch(name: str) -> dict[str, Any]:
    payload = dang_bo_payload()
    payload["chi_bo"] = payload["chi_bo"][1:2]  # the small chi bộ: 10 documents + the summary
    payload["chi_bo"][0]["organisation"]["name"] = name
    payload["decisions"] = []
    return payload


def _wait_for(client: FlaskClient, location: str, check: Any, timeout: float = 90) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        body = client.get(location).get_json()
        if check(body):
            return dict(body)
        time.sleep(0.1)
    raise AssertionError(f"{location} never reached the expected state: {body}")


def _documents(app: Any, batch_id: str | None = None) -> list[tuple[str, str, int, str, Any]]:
    """(id, status, attempts, PDF key, last change) of every document, or of a batch's."""
    query = select(models.Document).join(models.Job)
    if batch_id is not None:
        query = query.where(models.Job.batch_id == batch_id)
    with app.app_context(), extensions.session_scope() as session:
        return [(d.id, d.status, d.attempts, d.pdf_key or "", d.updated_at) for d in session.scalars(query)]


def _stored_files(root: Path) -> list[str]:
    jobs = root / "var" / "storage" / "jobs"
    return sorted(str(p.relative_to(jobs)) for p in jobs.rglob("*") if p.is_file())


def _assert_each_produced_once(own_stack: OwnStack, body: dict[str, Any]) -> None:
    """The batch *body* is done, and each of its 11 documents was stored exactly once."""
    rows = _documents(own_stack.app, body["id"])
    assert body["status"] == "done", body["failures"]
    assert body["done"] == body["total"] == len(rows) == 11
    folders = {pdf.split("/")[1] for _, _, _, pdf, _ in rows}  # jobs/<job id>/…: the batch's jobs
    files = [f for f in _stored_files(own_stack.root) if f.split("/")[0] in folders]
    expected = {key for _, _, _, pdf, _ in rows for key in (pdf, pdf[:-4] + ".docx")}
    documents = [f for f in files if f.endswith((".pdf", ".docx")) and "/goi/" not in f]  # not packages
    assert {f"jobs/{f}" for f in documents} == expected
    assert not [f for f in files if ".tmp-" in f or "poison" in f]


def test_worker_killed_mid_batch_then_a_new_one_produces_every_document_once(own_stack):
    """kill -9 of the whole worker mid-batch, then a new worker: each document made exactly once."""
    first = own_stack.start_worker()
    response = own_stack.client.post("/api/v1/batches", json=_small_batch("Chi bộ thử worker chết"))
    location = response.headers["Location"]
    _wait_for(own_stack.client, location, lambda b: b["done"] >= 2 and b["done"] + b["failed"] < 11)
    for pid in process_tree(first.pid):  # the worker, its pool child, the office launcher, soffice
        with contextlib.suppress(ProcessLookupError):  # a child may die with its parent first
            os.kill(pid, signal.SIGKILL)
    first.wait(timeout=10)
    before = {row[0]: row for row in _documents(own_stack.app) if row[1] == "done"}
    assert 2 <= len(before) < 11

    own_stack.start_worker()
    body = wait_until_finished(own_stack.client, location, timeout=180)

    _assert_each_produced_once(own_stack, body)
    after = {row[0]: row for row in _documents(own_stack.app)}
    for document_id, row in before.items():  # what was done before the kill was not made again
        assert after[document_id][2:] == row[2:]


def test_redis_restarted_mid_batch_the_batch_still_completes(own_stack):
    """Redis stopped and started again mid-batch: the batch completes, each document once."""
    own_stack.start_worker()
    response = own_stack.client.post("/api/v1/batches", json=_small_batch("Chi bộ thử Redis"))
    location = response.headers["Location"]
    _wait_for(own_stack.client, location, lambda b: b["done"] >= 1 and b["done"] + b["failed"] < 11)
    own_stack.restart_redis()

    body = wait_until_finished(own_stack.client, location, timeout=180)
    if body["status"] == "incomplete":  # a message lost with Redis: reported, and retry finishes it
        assert own_stack.client.post(f"{location}/retry").status_code == 202
        body = wait_until_finished(own_stack.client, location, timeout=180)

    _assert_each_produced_once(own_stack, body)


def test_in_flight_counts_waiting_and_unacknowledged_messages(redis_url):
    """in_flight sums the queue's lists and kombu's unacked hash; None when Redis is down."""
    from service.jobs import queue

    url = redis_url.rsplit("/", 1)[0] + "/5"
    client = Redis.from_url(url)
    client.flushdb()
    app = create_app({"TESTING": True, "REDIS_URL": url, "DATA_DIR": "/tmp/chibo-in-flight"})
    with app.app_context():
        assert queue.in_flight(url) == 0
        client.rpush("documents", "a", "b")
        client.rpush("documents\x06\x163", "c")
        client.hset("unacked", "tag", "d")
        assert queue.in_flight(url) == 4
        assert queue.in_flight("redis://127.0.0.1:1/0") is None
    client.flushdb()


def _job(own_stack: OwnStack, name: str) -> str:
    payload = meeting_payload()
    payload["organisation"]["name"] = name
    response = own_stack.client.post("/api/v1/jobs?documents=ban_kiem_diem_ca_nhan,bien_ban_kiem_phieu",
                                     json=payload)
    assert response.status_code == 202, response.get_json()
    return str(response.headers["Location"])


def _row(app: Any, document_id: str) -> models.Document:
    with app.app_context(), extensions.session_scope() as session:
        found = session.get(models.Document, document_id)
        assert found is not None
        return found


def _parent(pid: int) -> int | None:
    try:
        return int((Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return None


def _pool_children(worker: subprocess.Popen[bytes]) -> list[int]:
    return [pid for pid in process_tree(worker.pid)[1:] if _parent(pid) == worker.pid]


def test_a_document_that_kills_its_worker_process_is_quarantined_and_the_rest_are_made(tmp_path):
    """Its pool process SIGKILLed each time it works on one document: poison-document; the others done."""
    own_stack = OwnStack(tmp_path, BATCH_CHUNK_SIZE=3, WORKER_CRASH_LIMIT=2)
    try:
        worker = own_stack.start_worker()
        location = _job(own_stack, "Chi bộ thử tiến trình chết")
        job = own_stack.client.get(location).get_json()
        with own_stack.app.app_context(), extensions.session_scope() as session:
            members = [d.id for d in session.get(models.Job, job["id"]).documents
                       if d.doc_type == "ban_kiem_diem_ca_nhan"]
        target = members[1]  # the middle one of the first group of three
        kills, seen = 0, set()
        deadline = time.monotonic() + 150
        while time.monotonic() < deadline:
            row = _row(own_stack.app, target)
            if row.status == models.FAILED:
                break
            if row.status == models.RUNNING and row.started_at is not None and row.started_at not in seen:
                seen.add(row.started_at)
                for pid in _pool_children(worker):  # as the kernel's OOM killer would
                    os.kill(pid, signal.SIGKILL)
                kills += 1
            time.sleep(0.02)
        body = wait_until_finished(own_stack.client, location, timeout=120)
        killed = _row(own_stack.app, target)
        assert killed.status == models.FAILED and killed.error_type == "poison-document", killed.error_detail
        assert kills == 2 and killed.crashes == 2
        others = [d for d in body["documents"] if d["status"] != "failed"]
        assert len(others) == len(body["documents"]) - 1 and all(d["status"] == "done" for d in others)
        assert worker.poll() is None  # the worker itself lives on
    finally:
        own_stack.close()


def test_messages_lost_with_redis_a_batch_waits_for_retry_a_job_is_queued_again_by_the_beat(tmp_path):
    """Redis emptied with a batch and a job queued, no worker yet (one stack for both, one worker
    start): the batch is "incomplete" with the lost count, never "done", and retry completes it;
    the job (outside any batch) is then queued again by the beat, 0 lost."""
    own_stack = OwnStack(tmp_path, LOST_CHECK_SECONDS=1)
    try:
        response = own_stack.client.post("/api/v1/batches", json=_small_batch("Chi bộ thử mất hàng đợi"))
        batch = response.headers["Location"]
        job = _job(own_stack, "Chi bộ thử Redis trống")
        own_stack.restart_redis(pause=0)
        Redis.from_url(own_stack.redis_url).flushall()  # as a Redis without persistence comes back

        body = wait_until_finished(own_stack.client, batch, timeout=30)
        assert body["status"] == "incomplete"
        assert body["lost"] == 11 and body["done"] == 0
        assert "mất khỏi hàng đợi" in body["failures"][0]["error"]

        own_stack.start_worker()
        assert own_stack.client.post(f"{batch}/retry").get_json() == {"retried": 11}
        _assert_each_produced_once(own_stack, wait_until_finished(own_stack.client, batch))

        # the job: "incomplete" for a moment (LOST_AFTER_SECONDS of an empty queue), then the beat's turn
        own_stack.start_beat()
        body = _wait_for(own_stack.client, job, lambda b: b["status"] in ("done", "failed"), timeout=120)
        assert body["status"] == "done" and body["lost"] == 0
        assert all(d["status"] == "done" for d in body["documents"])
        assert "queued again" in (own_stack.root / "worker.log").read_text()
    finally:
        own_stack.close()


def _mount(*args: str) -> bool:
    return subprocess.run(["mount", *args], capture_output=True).returncode == 0


def test_a_store_read_only_for_a_while_still_makes_every_document(tmp_path):
    """The storage folder remounted read-only for 3 s mid-job (EROFS): every document is done."""
    own_stack = OwnStack(tmp_path)
    store = Path(own_stack.config["DATA_DIR"]) / "storage"
    if os.geteuid() != 0 or not _mount("--bind", str(store), str(store)):
        own_stack.close()
        pytest.skip("needs root and mount (a read-only bind mount)")
    try:
        own_stack.start_worker()
        location = _job(own_stack, "Chi bộ thử kho chỉ đọc")
        _wait_for(own_stack.client, location,
                  lambda b: any(d["status"] == "done" for d in b["documents"]), timeout=90)
        assert _mount("-o", "remount,ro,bind", str(store))
        time.sleep(3)
        assert _mount("-o", "remount,rw,bind", str(store))
        body = wait_until_finished(own_stack.client, location, timeout=120)
        assert body["status"] == "done", [d.get("error") for d in body["documents"]]
        assert "Read-only file system" in (own_stack.root / "worker.log").read_text()
    finally:
        subprocess.run(["umount", str(store)], capture_output=True)
        own_stack.close()


def test_quiet_for_counts_an_unbroken_empty_queue_only(redis_url):
    """Zero readings count from the first; one non-zero reading starts the count again."""
    from service.jobs import queue

    url = redis_url.rsplit("/", 1)[0] + "/6"
    client = Redis.from_url(url)
    client.flushdb()
    assert queue.quiet_for(url) == pytest.approx(0.0, abs=0.05)
    time.sleep(0.3)
    assert queue.quiet_for(url) >= 0.3
    client.rpush("documents", "a")
    assert queue.quiet_for(url) == 0.0
    client.delete("documents")
    assert queue.quiet_for(url) < 0.1
    assert queue.quiet_for("redis://127.0.0.1:1/0") is None
    client.flushdb()
