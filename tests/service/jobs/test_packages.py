"""Packages built once: stored with their fingerprint, served while current, queued when not."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from service import extensions
from service.extensions import get_storage
from service.jobs import models, packages, queue, retention
from tests.support.building import build_all, pack
from tests.support.factories import dang_bo_payload, meeting_payload

ONE = "/api/v1/jobs?documents=bien_ban_kiem_diem,ban_kiem_diem_ca_nhan"


@pytest.fixture(name="queued")
def _queued(monkeypatch):
    """Documents go nowhere; the packages asked for are recorded."""
    sent: list[tuple[str, str]] = []
    monkeypatch.setattr(queue, "dispatch", lambda documents, size, **_: 0)
    monkeypatch.setattr(queue, "dispatch_package", lambda kind, ident, **_: sent.append((kind, ident)))
    return sent


def _build_documents_only(app, job_id):
    """The documents built, as the worker does, but their package not yet."""
    from service.documents.rendering import DocxRenderer
    from service.jobs import pipeline
    from tests.support.fakes import FakeConverter

    with app.app_context():
        with extensions.session_scope() as session:
            ids = [d.id for d in session.get(models.Job, job_id).documents if d.status == models.QUEUED]
        pipeline.build_documents(ids, sessions=extensions.session_scope, storage=get_storage(),
                                 renderer=DocxRenderer(), converter=FakeConverter())
    return ids


def test_a_finished_job_s_package_is_built_once(app, client, queued):
    """The first build stores ZIP, print PDF and manifest; a second finds it current and skips."""
    job = client.post(ONE, json=meeting_payload()).get_json()
    _build_documents_only(app, job["id"])
    with app.app_context():
        assert packages.build_job_package(job["id"], sessions=extensions.session_scope, storage=get_storage())
        keys = packages.job_keys(job["id"])
        assert all(get_storage().exists(k) for k in (keys.zip, keys.print, keys.manifest))
        assert not packages.build_job_package(job["id"], sessions=extensions.session_scope,
                                              storage=get_storage())


def test_a_job_still_building_has_no_package_yet(app, client, queued):
    """While a document is queued, nothing is built and the download says the job is not done."""
    job = client.post(ONE, json=meeting_payload()).get_json()
    with app.app_context():
        assert not packages.build_job_package(job["id"], sessions=extensions.session_scope,
                                              storage=get_storage())
    response = client.get(job["links"]["package"])
    assert response.status_code == 409 and response.get_json()["type"] == "/problems/not-ready"
    assert queued == []


def test_a_download_before_the_package_is_built_answers_409_and_queues_it(app, client, queued):
    """A finished job without its package: 409 package-not-ready, Retry-After, its build queued."""
    job = client.post(ONE, json=meeting_payload()).get_json()
    _build_documents_only(app, job["id"])
    response = client.get(job["links"]["package"])
    assert response.status_code == 409
    body = response.get_json()
    assert body["type"] == "/problems/package-not-ready" and "đang được đóng gói" in body["detail"]
    assert response.headers["Retry-After"] == "5"
    assert queued == [("job", job["id"])]


def test_a_browser_waiting_for_a_package_gets_a_page_that_reloads(app):
    """The web page of a package not built yet says so in Vietnamese and refreshes itself."""
    from service.errors import PackageNotReadyError
    from service.http import problems

    with app.test_request_context("/api/v1/jobs/x/print.pdf", headers={"Accept": "text/html"}):
        response = problems._service_error(PackageNotReadyError("Gói hồ sơ đang được đóng gói."))
    assert response.status_code == 409 and response.mimetype == "text/html"
    assert "đang được đóng gói" in response.get_data(as_text=True)
    assert response.headers["Refresh"] == "5"


def test_the_stored_zip_is_streamed_from_disk(app, client, queued):
    """The ZIP is the stored file, sent in chunks (not bytes read first)."""
    job = client.post(ONE, json=meeting_payload()).get_json()
    build_all(app, job["id"])
    response = client.get(job["links"]["package"])
    assert response.status_code == 200 and response.is_streamed
    with app.app_context():
        assert response.get_data() == get_storage().get(packages.job_keys(job["id"]).zip)


def test_a_rebuilt_document_makes_the_package_stale_until_packed_again(app, client, queued):
    """A rebuild changes what the package is made of: 409 until the worker packs it again."""
    job = client.post(ONE, json=meeting_payload()).get_json()
    build_all(app, job["id"])
    assert client.get(job["links"]["package"]).status_code == 200
    client.post(client.get(job["links"]["self"]).get_json()["documents"][0]["rebuild"])
    ids = _build_documents_only(app, job["id"])
    assert client.get(job["links"]["package"]).status_code == 409
    pack(app, ids)
    assert client.get(job["links"]["package"]).status_code == 200


def test_a_correction_s_package_holds_the_corrected_documents(app, client, queued):
    """After a correction is built, the ZIP is the new revision's, not the old one's."""
    job = client.post(ONE, json=meeting_payload()).get_json()
    build_all(app, job["id"])
    before = client.get(job["links"]["package"]).get_data()
    client.put(job["links"]["self"], json=meeting_payload(location="Hội trường mới"))
    build_all(app, job["id"])
    after = client.get(job["links"]["package"]).get_data()
    assert after != before
    names = zipfile.ZipFile(io.BytesIO(after)).namelist()
    with app.app_context(), extensions.session_scope() as session:
        docx = get_storage().get(session.get(models.Job, job["id"]).documents[0].docx_key)
    assert zipfile.ZipFile(io.BytesIO(after)).read(names[0]) == docx


def test_the_batch_zip_is_built_when_its_last_job_is_packed(app, client, queued):
    """Not while a chi bộ is building; once all are done, one stored ZIP with a folder each."""
    batch = client.post("/api/v1/batches", json=dang_bo_payload()).get_json()
    jobs = [batch["summary"]["id"]] + [j["id"] for j in batch["chi_bo"]]
    build_all(app, jobs[0])
    zip_key, _ = packages.batch_keys(batch["id"])
    with app.app_context():
        assert packages.batch_of(jobs[0], sessions=extensions.session_scope) is None
        assert not get_storage().exists(zip_key)
    assert client.get(batch["links"]["package"]).status_code == 409
    for job_id in jobs[1:]:
        build_all(app, job_id)
    response = client.get(batch["links"]["package"])
    assert response.status_code == 200 and response.is_streamed
    folders = {n.split("/")[0] for n in zipfile.ZipFile(io.BytesIO(response.get_data())).namelist()}
    assert len(folders) == len(jobs)


def test_retention_deletes_the_packages(app, client, queued):
    """A purged batch leaves neither its ZIP nor its jobs' packages behind."""
    batch = client.post("/api/v1/batches", json=dang_bo_payload()).get_json()
    for job_id in [batch["summary"]["id"]] + [j["id"] for j in batch["chi_bo"]]:
        build_all(app, job_id)
    with app.app_context():
        storage = get_storage()
        keys = [*packages.batch_keys(batch["id"]), packages.job_keys(batch["summary"]["id"]).zip]
        assert all(storage.exists(k) for k in keys)
        with extensions.session_scope() as session:
            session.get(models.Batch, batch["id"]).created_at -= timedelta(days=91)
        with extensions.session_scope() as session:
            retention.purge(session, storage, 90)
        assert not any(storage.exists(k) for k in keys)


def test_a_batch_zip_that_cannot_be_stored_says_so_and_can_be_built_again(app, client, queued):
    """Issue #31, 9b: the batch ZIP cannot be stored (a folder is in its way) — the task gives
    up, the API, the page and the download say so in Vietnamese, /healthz is red at once; after
    "Đóng gói lại" the ZIP is built and /healthz is green again."""
    from workers import tasks

    app.config["HEALTH_CACHE_SECONDS"] = 0
    payload = dang_bo_payload()
    payload["chi_bo"], payload["decisions"] = payload["chi_bo"][:1], []
    batch = client.post("/api/v1/batches", json=payload).get_json()
    jobs = [batch["summary"]["id"]] + [j["id"] for j in batch["chi_bo"]]
    blocker = Path(app.config["STORAGE_PATH"]) / packages.batch_keys(batch["id"])[0] / "x"
    blocker.mkdir(parents=True)  # a folder where the ZIP goes: it cannot be stored, as on a full disk
    for job_id in jobs:
        _build_documents_only(app, job_id)
    with app.app_context():
        for job_id in jobs:
            packages.build_job_package(job_id, sessions=extensions.session_scope, storage=get_storage())
        with pytest.raises(OSError) as fault:
            packages.build_batch_package(batch["id"], sessions=extensions.session_scope,
                                         storage=get_storage())
    app.extensions["celery"].set_default()
    tasks.build_package.on_failure(fault.value, "t", ("batch", batch["id"]), {}, None)  # the task gives up

    body = client.get(f"/api/v1/batches/{batch['id']}").get_json()
    assert (body["package_status"], body["package_ready"]) == ("failed", False)
    assert body["package_error"].startswith("Không tạo hoặc không lưu được tệp gói")
    queued.clear()
    download = client.get(batch["links"]["package"])
    assert download.status_code == 409 and download.get_json()["package_status"] == "failed"
    assert download.get_json()["detail"] == body["package_error"] and queued == []  # not asked again
    page = client.get(f"/lo/{batch['id']}").get_data(as_text=True)
    assert "Không đóng gói được toàn bộ lô (ZIP)" in page and "Đóng gói lại" in page
    assert "Đang đóng gói" not in page
    health = client.get("/healthz").get_json()
    assert health["checks"]["packages"] == "lỗi"

    blocker.rmdir()  # the operator mends the store, the secretary retries
    blocker.parent.rmdir()
    retried = client.post(f"/api/v1/batches/{batch['id']}/package")
    assert retried.status_code == 202 and queued == [("batch", batch["id"])]
    assert client.get(f"/api/v1/batches/{batch['id']}").get_json()["package_status"] == "building"
    app.extensions["celery"].conf.task_always_eager = True
    tasks.build_package.apply(args=("batch", batch["id"]), throw=True)
    body = client.get(f"/api/v1/batches/{batch['id']}").get_json()
    assert (body["package_status"], body["package_ready"]) == ("ready", True)
    assert client.get("/healthz").get_json()["checks"]["packages"] == "ok"
    with app.app_context():  # a deleted batch leaves no state behind (it would stay red)
        packages.failed("batch", batch["id"], "x", sessions=extensions.session_scope)
        packages.failed("revision", f"{jobs[1]}:1", "x", sessions=extensions.session_scope)
    assert client.delete(f"/api/v1/batches/{batch['id']}").status_code == 204
    with app.app_context(), extensions.session_scope() as session:
        assert session.scalars(select(models.PackageState)).all() == []


def test_a_package_queued_longer_than_the_setting_turns_healthz_red(app, client, queued):
    """A download asked for a job's ZIP that no worker builds: red after PACKAGE_STALL_SECONDS."""
    app.config.update(HEALTH_CACHE_SECONDS=0, PACKAGE_STALL_SECONDS=60)
    job = client.post(ONE, json=meeting_payload()).get_json()
    _build_documents_only(app, job["id"])
    assert client.get(job["links"]["package"]).status_code == 409
    assert queued == [("job", job["id"])]
    assert client.get("/healthz").get_json()["checks"]["packages"] == "ok"
    with app.app_context(), extensions.session_scope() as session:
        session.get(models.PackageState, ("job", job["id"])).since -= timedelta(seconds=61)
    client.get(job["links"]["package"])  # asking again does not hide how long it has waited
    assert client.get("/healthz").get_json()["checks"]["packages"] == "lỗi"
