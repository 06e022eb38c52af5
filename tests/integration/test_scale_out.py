"""Scale-out: two workers, as on two machines, share one PostgreSQL and one S3 bucket.

Each worker has its own local folder (nothing shared on disk), its own database and S3
clients; the web node is a third "machine". One batch: every document is produced exactly
once, both workers take part, and every file downloads from the web node.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from service import create_app, extensions
from service.cli import stack
from tests.integration.conftest import environment, wait_until_finished
from tests.support import people
from tests.support.factories import dang_bo_payload

pytestmark = pytest.mark.integration
BUCKET = "chibo-scale-out"


@pytest.fixture(name="shared", scope="module")
def _shared(s3_server, postgres, redis_url) -> dict[str, Any]:
    """What every machine shares: the broker (its own Redis database), PostgreSQL, the bucket."""
    return {"REDIS_URL": f"{redis_url.rsplit('/', 1)[0]}/2", "BATCH_CHUNK_SIZE": 3,
            "DATABASE_URL": postgres.url(postgres.create_database()), **s3_server.settings(BUCKET)}


@pytest.fixture(name="workers", scope="module")
def _workers(shared, tmp_path_factory) -> Iterator[list[tuple[subprocess.Popen[bytes], Path]]]:
    """Two worker processes, each with a folder of its own (two machines)."""
    started = []
    for machine in ("may-a", "may-b"):
        folder = tmp_path_factory.mktemp(machine)
        env = environment({**shared, "DATA_DIR": folder})
        started.append((stack.start_worker(env, concurrency=1, log=folder / "worker.log"), folder))
    yield started
    for process, _ in started:
        stack.stop(process, timeout=30)


def test_two_workers_on_postgresql_and_s3_make_each_document_once(shared, workers, s3_server,
                                                                  tmp_path):
    """A batch split over two workers: each document once, both worked, all downloadable."""
    app = create_app({"TESTING": True, **shared, "DATA_DIR": str(tmp_path / "web")})
    client = people.client(app)
    payload = dang_bo_payload()
    payload["chi_bo"] = payload["chi_bo"][1:]
    response = client.post("/api/v1/batches", json=payload)
    assert response.status_code == 202, response.get_json()
    body = wait_until_finished(client, response.headers["Location"], timeout=300)
    assert body["status"] == "done", body["failures"]

    documents = [(job["id"], d) for job in [body["summary"], *body["chi_bo"]] for d in job["documents"]]
    assert len(documents) == body["total"] == body["done"]
    engine = create_engine(shared["DATABASE_URL"])
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT count(*), count(DISTINCT pdf_key) FROM documents")).one()
        pdf_keys = set(connection.execute(text("SELECT pdf_key FROM documents")).scalars())
    engine.dispose()
    assert tuple(rows) == (len(documents), len(documents))  # one row, one file each

    keys = {o["Key"] for page in s3_server.client().get_paginator("list_objects_v2")
            .paginate(Bucket=BUCKET) for o in page.get("Contents", [])}
    assert pdf_keys <= keys and all(re.fullmatch(r"jobs/\w{32}/r1/\w{32}\.pdf", key) for key in pdf_keys)
    for _, document in documents:
        assert client.get(document["links"]["pdf"]).data.startswith(b"%PDF-"), document["name"]
        assert client.get(document["links"]["docx"]).data.startswith(b"PK"), document["name"]

    for process, folder in workers:
        assert process.poll() is None
        log = (folder / "worker.log").read_text()
        assert "succeeded" in log, f"{folder.name} did no work"
        assert not (folder / "storage" / "jobs").exists()  # nothing written to its own disk
    extensions.dispose(app)
