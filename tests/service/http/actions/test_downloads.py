"""Downloads: names a person can file, earlier revisions' files, and retention taking them all."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest

from service import extensions
from service.extensions import get_storage
from service.jobs import models, packages, retention
from tests.support.building import build_all, pack
from tests.support.factories import dang_bo_payload, meeting_payload, monthly_payload

ONE = "/api/v1/jobs?documents=bien_ban_kiem_diem,ban_kiem_diem_ca_nhan"
STEM = "chi-bo-truong-tieu-hoc-thach-linh-2025-12-05"


@pytest.fixture(autouse=True)
def _no_dispatch(monkeypatch):
    """Nothing reaches Celery."""
    from service.jobs import queue

    monkeypatch.setattr(queue, "dispatch", lambda documents, size, **_: 0)


def _filename(response) -> str:
    return re.search(r'filename="?([^";]+)"?', response.headers["Content-Disposition"]).group(1)


def _built(app, client, path=ONE, payload=None):
    job = client.post(path, json=payload or meeting_payload()).get_json()
    build_all(app, job["id"])
    return client.get(job["links"]["self"]).get_json()


def test_documents_are_named_by_document_chi_bo_and_day(app, client):
    """bien-ban-kiem-diem-chi-bo-…-2025-12-05.pdf; a member's review carries the member too."""
    job = _built(app, client)
    first, member = job["documents"][0], job["documents"][1]
    assert _filename(client.get(first["links"]["pdf"])) == f"bien-ban-kiem-diem-{STEM}.pdf"
    assert _filename(client.get(first["links"]["docx"])) == f"bien-ban-kiem-diem-{STEM}.docx"
    assert _filename(client.get(member["links"]["pdf"])) == (
        f"ban-kiem-diem-ca-nhan-01-tran-van-binh-{STEM}.pdf")


def test_the_zip_and_the_print_pdf_carry_the_chi_bo_and_day(app, client):
    """ho-so-<chi bộ>-<day>.zip and ban-in-<chi bộ>-<day>.pdf; a monthly meeting's day is its own."""
    job = _built(app, client)
    assert _filename(client.get(job["links"]["package"])) == f"ho-so-{STEM}.zip"
    assert _filename(client.get(job["links"]["print"])) == f"ban-in-{STEM}.pdf"
    monthly = _built(app, client, path="/api/v1/jobs", payload=monthly_payload())
    assert _filename(client.get(monthly["links"]["package"])) == "ho-so-chi-bo-van-phong-2025-11-07.zip"


def test_the_summary_is_named_by_its_report_day(app, client):
    """The đảng bộ summary: tong-hop-xep-loai-<đảng bộ>-<report date>."""
    batch = client.post("/api/v1/batches", json=dang_bo_payload()).get_json()
    build_all(app, batch["summary"]["id"])
    summary = client.get(batch["summary"]["links"]["self"]).get_json()
    response = client.get(summary["documents"][0]["links"]["xlsx"])
    assert _filename(response) == "tong-hop-xep-loai-dang-bo-phuong-thanh-sen-2025-12-22.xlsx"


def test_storage_keys_are_made_of_ids_never_of_names(app, client):
    """Revision 1's files are jobs/<id>/r1/<document id>, a correction's r2/…: no member's name in a key."""
    job = _built(app, client)
    client.put(job["links"]["self"], json=meeting_payload(location="Hội trường"))
    build_all(app, job["id"])
    with app.app_context(), extensions.session_scope() as session:
        stored = session.get(models.Job, job["id"])
        first = stored.revisions[0].documents[0]
        assert re.fullmatch(rf"jobs/{job['id']}/r1/[0-9a-f]{{32}}", first["base"])
        document = stored.documents[0]
        assert document.pdf_key == f"jobs/{job['id']}/r2/{document.id}.pdf"
    keys = [str(p.relative_to(app.config["STORAGE_PATH"])) for p in
            Path(app.config["STORAGE_PATH"]).rglob("*") if p.is_file()]
    assert keys and not [key for key in keys if "tran-van-binh" in key or "bien_ban" in key]


def test_files_stored_under_names_before_are_still_found(app, client):
    """A document whose keys are of the old layout (jobs/<id>/<name>) downloads and thumbnails as before."""
    job = _built(app, client)
    storage_root = Path(app.config["STORAGE_PATH"])
    with app.app_context(), extensions.session_scope() as session:
        for document in session.get(models.Job, job["id"]).documents:
            old = f"jobs/{job['id']}/{document.name}"
            for suffix in (".pdf", ".docx"):
                (storage_root / f"{document.pdf_key.removesuffix('.pdf')}{suffix}").rename(
                    storage_root / f"{old}{suffix}")
            document.pdf_key, document.docx_key = f"{old}.pdf", f"{old}.docx"
        ids = [document.id for document in session.get(models.Job, job["id"]).documents]
    for document in job["documents"]:
        assert client.get(document["links"]["pdf"]).data.startswith(b"%PDF")
        assert client.get(document["links"]["docx"]).status_code == 200
    pack(app, ids)  # new keys: the stored package is stale and built again from the old files
    assert client.get(job["links"]["package"]).status_code == 200


def test_an_earlier_revision_is_downloaded_under_its_own_name(app, client):
    """…/revisions/1/documents/<name>.pdf answers revision 1's file, named …-phien-ban-1.pdf."""
    job = _built(app, client)
    client.put(job["links"]["self"], json=meeting_payload(location="Hội trường"))
    build_all(app, job["id"])
    body = client.get(job["links"]["self"]).get_json()
    link = body["revisions"][0]["documents"][0]["links"]["pdf"]
    response = client.get(link)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert _filename(response) == f"bien-ban-kiem-diem-{STEM}-phien-ban-1.pdf"
    revisions = f"{job['links']['self']}/revisions"
    assert client.get(f"{revisions}/9/documents/bien_ban_kiem_diem.pdf").status_code == 404
    assert client.get(f"{revisions}/1/documents/khac.pdf").status_code == 404


def test_retention_deletes_every_revision_s_files(app, client):
    """A corrected job past RETENTION_DAYS goes with revision 1's files and revision 2's."""
    job = _built(app, client)
    client.put(job["links"]["self"], json=meeting_payload(location="Hội trường"))
    build_all(app, job["id"])
    with app.app_context():
        with extensions.session_scope() as session:
            stored = session.get(models.Job, job["id"])
            keys = retention.job_keys(stored)
            stored.created_at -= timedelta(days=91)
        storage = get_storage()
        present = [key for key in keys if storage.exists(key)]
        assert any("/r2/" in key for key in present) and any("/r2/" not in key for key in present)
        assert f"jobs/{job['id']}/input.json" in present and f"jobs/{job['id']}/r2/input.json" in present
        with extensions.session_scope() as session:
            assert retention.purge(session, storage, 90) == 1
        assert [key for key in keys if storage.exists(key)] == []
    assert client.get(job["links"]["self"]).status_code == 404


def test_rebuild_makes_a_fresh_thumbnail(app, client):
    """The picture of a rebuilt document is made again from its new PDF."""
    job = _built(app, client)
    with app.app_context(), extensions.session_scope() as session:
        key = session.get(models.Job, job["id"]).documents[0].pdf_key.replace(".pdf", ".thumb.png")
    with app.app_context():
        get_storage().put(key, b"old")
    client.post(job["documents"][0]["rebuild"])
    with app.app_context():
        assert not get_storage().exists(key)


def test_a_package_is_audited_as_downloaded_only_when_its_bytes_go(app, client, monkeypatch):
    """"Đang đóng gói" (409) asked again and again is no download (the probe counted 2,111 for 54
    real ones); the ZIP sent is one."""
    from sqlalchemy import select

    from service import accounts
    from service.jobs import queue

    monkeypatch.setattr(queue, "dispatch_package", lambda *args, **kwargs: None)
    job = _built(app, client)

    def downloads() -> int:
        with app.app_context(), extensions.session_scope() as session:
            return len(session.scalars(select(accounts.AuditEvent).where(
                accounts.AuditEvent.action == "download", accounts.AuditEvent.object_id == job["id"])).all())

    keys = packages.job_keys(job["id"])
    with app.app_context():
        get_storage().delete(keys.manifest)  # as if the worker had not packed it yet
    for _ in range(3):
        assert client.get(job["links"]["package"]).status_code == 409
    assert downloads() == 0
    with app.app_context():
        packages.build_job_package(job["id"], sessions=extensions.session_scope, storage=get_storage())
    assert client.get(job["links"]["package"]).status_code == 200
    assert downloads() == 1
