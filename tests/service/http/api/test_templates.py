"""/api/v1/templates: upload (checked), versions, activation, preview, and what a job is made with."""

from __future__ import annotations

import io
import time

import pytest

from service import accounts, extensions
from service.customtemplates import preview, versions
from service.customtemplates.models import TemplateVersion
from service.documents.rendering import DocxRenderer
from service.extensions import get_storage
from service.jobs import models
from tests.support import people, templatefiles
from tests.support.building import build_all, docx_text
from tests.support.factories import meeting_payload
from tests.support.fakes import MINIMAL_PDF, FakeConverter


@pytest.fixture(name="queued")
def _queued(monkeypatch):
    """Record what is handed to the queue instead of sending it to Redis."""
    sent: list[tuple[str, str | None]] = []
    from service.jobs import queue

    monkeypatch.setattr(queue, "dispatch", lambda documents, size, **_: None)
    monkeypatch.setattr(queue, "preview", lambda version_id, input_key: sent.append((version_id, input_key)))
    return sent


def _upload(client, data: bytes, doc_type: str = "bien_ban_kiem_diem", **form: str):
    return client.post("/api/v1/templates", data={"type": doc_type, **form,
                                                  "file": (io.BytesIO(data), "bien-ban-tan-phong.docx")},
                       content_type="multipart/form-data")


def _activate(app, client, version):
    """Activate *version* after marking its preview made (a worker makes it; here it is said so)."""
    with app.app_context(), extensions.session_scope() as session:
        session.get(TemplateVersion, version["id"]).preview_status = "done"
    return client.post(version["links"]["activate"])


def _secretary(app, chi_bo: str = "Chi bộ thôn Đông (thử)"):
    return people.as_user(app.test_client(), people.token(app, "chi_bo", org=chi_bo))


def test_upload_keeps_a_new_version_not_yet_active(client):
    """A good template answers 201 with version 1, its hash, not active, its links."""
    response = _upload(client, templatefiles.locally_changed())
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert (body["version"], body["active"], body["type"]) == (1, False, "bien_ban_kiem_diem")
    assert len(body["sha256"]) == 64 and body["warnings"] == []
    assert response.headers["Location"] == body["links"]["self"]
    assert client.get(body["links"]["file"]).data == templatefiles.locally_changed()


def test_the_same_bytes_again_are_the_same_version(client):
    """Uploading identical bytes answers 200 with the version already kept."""
    first = _upload(client, templatefiles.locally_changed()).get_json()
    again = _upload(client, templatefiles.locally_changed())
    assert again.status_code == 200 and again.get_json()["id"] == first["id"]
    second = _upload(client, templatefiles.builtin()).get_json()
    assert second["version"] == 2


@pytest.mark.parametrize(("make", "reason"), [
    (templatefiles.unknown_variable, "có phải “opening.chair”?"),
    (templatefiles.with_macro, "macro"),
    (templatefiles.with_external_image, "http://example.invalid/logo.png"),
    (templatefiles.zip_bomb, "bom nén"),
])
def test_a_bad_template_is_refused_with_its_reasons(client, make, reason):
    """Unknown variable, macro, external image, zip bomb: 422 problem+json naming the reason."""
    response = _upload(client, make())
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["type"] == "/problems/invalid-template"
    assert any(reason in e["detail"] and e["field"] == "file" for e in body["errors"]), body
    assert client.get("/api/v1/templates").get_json()["templates"] == []


def test_an_unknown_document_type_is_a_422_on_type(client):
    """``type`` must be a document type."""
    response = _upload(client, templatefiles.builtin(), doc_type="bien_ban_khac")
    assert response.status_code == 422 and response.get_json()["errors"][0]["field"] == "type"


def test_activating_one_version_deactivates_the_others(app, client):
    """At most one version of a type is active."""
    one = _upload(client, templatefiles.locally_changed()).get_json()
    two = _upload(client, templatefiles.builtin()).get_json()
    assert _activate(app, client, one).get_json()["active"] is True
    assert _activate(app, client, two).get_json()["active"] is True
    states = {t["version"]: t["active"] for t in client.get("/api/v1/templates").get_json()["templates"]}
    assert states == {1: False, 2: True}
    assert client.post(two["links"]["deactivate"]).get_json()["active"] is False


def test_the_audit_log_records_upload_and_activation(app, client):
    """Who uploaded and activated which version is in the audit log."""
    one = _upload(client, templatefiles.locally_changed()).get_json()
    _activate(app, client, one)
    with app.app_context(), extensions.session_scope() as session:
        actions = [e.action for e in session.query(accounts.AuditEvent).filter_by(object_id=one["id"])]
    assert actions == ["template-upload", "template-activate"]


def test_a_secretary_may_not_upload_unless_allowed(app):
    """Without CHI_BO_OWN_TEMPLATES a chi bộ secretary's upload is a 403."""
    response = _upload(_secretary(app), templatefiles.locally_changed())
    assert response.status_code == 403


def test_another_dang_bo_sees_no_version(app, client):
    """A version of one đảng bộ answers 404 to another đảng bộ's office, like an unknown id."""
    one = _upload(client, templatefiles.locally_changed()).get_json()
    other = people.as_user(app.test_client(), people.token(app, "dang_uy", org="Đảng bộ phường Khác"))
    assert other.get(one["links"]["self"]).status_code == 404
    assert _activate(app, other, one).status_code == 404
    assert other.get("/api/v1/templates").get_json()["templates"] == []


def test_a_job_is_made_with_the_active_template_of_its_dang_bo(app, client, queued):
    """A chi bộ's meeting is made with its đảng bộ's active biên bản, and says which version."""
    one = _upload(client, templatefiles.locally_changed()).get_json()
    _activate(app, client, one)
    secretary = _secretary(app)
    job = secretary.post("/api/v1/jobs?documents=bien_ban_kiem_diem", json=meeting_payload()).get_json()
    build_all(app, job["id"])
    done = secretary.get(f"/api/v1/jobs/{job['id']}").get_json()
    document = done["documents"][0]
    assert document["template"] == {"builtin": False, "current": True, "id": one["id"], "version": 1,
                                    "sha256": one["sha256"]}
    assert templatefiles.LOCAL_TITLE in docx_text(secretary.get(document["links"]["docx"]).data)


def test_a_job_made_with_an_older_version_says_so(app, client, queued):
    """After version 2 is activated, a job made with version 1 notes it in its JSON."""
    one = _upload(client, templatefiles.locally_changed()).get_json()
    _activate(app, client, one)
    job = client.post("/api/v1/jobs?documents=bien_ban_kiem_diem", json=meeting_payload()).get_json()
    build_all(app, job["id"])
    two = _upload(client, templatefiles.builtin()).get_json()
    _activate(app, client, two)
    template = client.get(f"/api/v1/jobs/{job['id']}").get_json()["documents"][0]["template"]
    assert template["current"] is False and template["version"] == 1
    assert template["note"].startswith("Làm bằng mẫu phiên bản 1; nay đơn vị dùng mẫu phiên bản 2.")


def test_without_an_active_template_the_builtin_makes_it(app, client, queued):
    """No active version: the built-in template, said so."""
    _upload(client, templatefiles.locally_changed())
    job = client.post("/api/v1/jobs?documents=bien_ban_kiem_diem", json=meeting_payload()).get_json()
    build_all(app, job["id"])
    document = client.get(f"/api/v1/jobs/{job['id']}").get_json()["documents"][0]
    assert document["template"] == {"builtin": True, "current": True}
    assert templatefiles.LOCAL_TITLE not in docx_text(client.get(document["links"]["docx"]).data)


def test_a_chi_bo_of_another_dang_bo_never_gets_the_template(app, client):
    """The template of đảng bộ A is chosen for A's chi bộ, never for a chi bộ of đảng bộ B."""
    one = _upload(client, templatefiles.locally_changed()).get_json()
    _activate(app, client, one)
    ours = people.organisation(app, "Chi bộ thôn Đông (thử)", "chi_bo", people.DANG_BO)
    people.organisation(app, "Đảng bộ phường Khác", "dang_bo")
    theirs = people.organisation(app, "Chi bộ thôn Đông (thử) ", "chi_bo", "Đảng bộ phường Khác")
    with app.app_context(), extensions.session_scope() as session:
        assert versions.choose(session, ours, "bien_ban_kiem_diem", chi_bo_own=True).id == one["id"]
        assert versions.choose(session, theirs, "bien_ban_kiem_diem", chi_bo_own=True) is None
        assert versions.choose(session, None, "bien_ban_kiem_diem", chi_bo_own=True) is None
        assert versions.choose(session, ours, "bien_ban_kiem_phieu", chi_bo_own=True) is None


def test_a_chi_bo_may_have_its_own_when_allowed(app, client):
    """With CHI_BO_OWN_TEMPLATES a secretary's own active version wins over her đảng bộ's."""
    app.config["CHI_BO_OWN_TEMPLATES"] = True
    _activate(app, client, _upload(client, templatefiles.builtin()).get_json())
    secretary = _secretary(app)
    own = _upload(secretary, templatefiles.locally_changed())
    assert own.status_code == 201
    _activate(app, secretary, own.get_json())
    with app.app_context(), extensions.session_scope() as session:
        chi_bo = people.organisation(app, "Chi bộ thôn Đông (thử)", "chi_bo", people.DANG_BO)
        own_id = own.get_json()["id"]
        assert versions.choose(session, chi_bo, "bien_ban_kiem_diem", chi_bo_own=True).id == own_id
        assert versions.choose(session, chi_bo, "bien_ban_kiem_diem", chi_bo_own=False).id != own_id


def test_preview_is_queued_then_made_from_the_sample(app, client, queued):
    """POST preview answers 202 and queues it; the worker's function stores a PDF and a picture."""
    one = _upload(client, templatefiles.locally_changed()).get_json()
    response = client.post(one["links"]["preview"])
    assert response.status_code == 202 and response.get_json()["preview"]["status"] == "queued"
    assert queued == [(one["id"], None)]
    assert client.get(f"/api/v1/templates/{one['id']}/preview.pdf").status_code == 409
    converter = FakeConverter()
    with app.app_context():
        preview.build_preview(one["id"], None, sessions=extensions.session_scope, storage=get_storage(),
                              renderer=DocxRenderer(), converter=converter)
    assert templatefiles.LOCAL_TITLE in docx_text(converter.calls[0])
    body = client.get(one["links"]["self"]).get_json()
    assert body["preview"]["status"] == "done"
    assert client.get(body["preview"]["links"]["pdf"]).data == MINIMAL_PDF
    assert client.get(body["preview"]["links"]["png"]).data.startswith(b"\x89PNG")


def test_preview_with_the_callers_own_job(app, client, queued):
    """``?job_id=`` previews with that job's data; another kind of meeting is a 400."""
    one = _upload(client, templatefiles.locally_changed()).get_json()
    job = client.post("/api/v1/jobs", json=meeting_payload()).get_json()
    assert client.post(f"{one['links']['preview']}?job_id={job['id']}").status_code == 202
    with app.app_context(), extensions.session_scope() as session:
        assert queued == [(one["id"], session.get(models.Job, job["id"]).input_key)]
    assert client.post(f"{one['links']['preview']}?job_id={'0' * 32}").status_code == 404


def test_the_variable_catalogue_is_public(anonymous):
    """GET …/variables lists each variable with meaning and example; tables with their fields."""
    body = anonymous.get("/api/v1/document-types/bien_ban_kiem_diem/variables").get_json()
    named = {v["name"]: v for v in body["variables"]}
    assert named["opening.chair"]["meaning"].startswith("Chủ trì")
    assert named["opening.chair"]["example"].startswith("đồng chí ")
    assert named["results.rows"]["kind"] == "table"
    assert "name" in [f["name"].rpartition(".")[2] for f in named["results.rows"]["fields"]]
    assert all(v["meaning"] for v in body["variables"])
    assert anonymous.get("/api/v1/document-types/khong_co/variables").status_code == 404


def test_the_builtin_template_downloads(anonymous):
    """The built-in template is the starting point, downloadable without a token."""
    response = anonymous.get("/api/v1/document-types/bien_ban_kiem_diem/template.docx")
    assert response.status_code == 200 and response.data == templatefiles.builtin()


def test_a_version_row_keeps_its_uploader(app, client):
    """The row names who uploaded it and when."""
    one = _upload(client, templatefiles.locally_changed()).get_json()
    with app.app_context(), extensions.session_scope() as session:
        row = session.get(TemplateVersion, one["id"])
        assert row.uploaded_by and row.uploaded_by_name == one["uploaded_by"] and row.uploaded_at


@pytest.mark.parametrize("instruction", ['DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc"',
                                         'INCLUDETEXT "http://example.invalid/x.docx"',
                                         'INCLUDEPICTURE "http://example.invalid/a.png" \\d'])
def test_a_field_code_outside_the_allow_list_is_refused(client, instruction):
    """DDEAUTO, INCLUDETEXT, INCLUDEPICTURE reached every chi bộ's DOCX: now a 422 naming the code."""
    response = _upload(client, templatefiles.with_field(instruction))
    assert response.status_code == 422, response.get_json()
    assert instruction.split()[0] in response.get_json()["detail"]


def test_page_numbers_and_dates_are_fields_a_template_may_keep(client):
    """PAGE, NUMPAGES, DATE are on the allow-list."""
    for instruction in ("PAGE \\* MERGEFORMAT", "NUMPAGES", 'DATE \\@ "dd/MM/yyyy"'):
        response = _upload(client, templatefiles.with_field(instruction))
        assert response.status_code == 201, response.get_json()


def test_a_template_that_never_ends_is_refused_in_time_outside_the_web_process(app, client, monkeypatch):
    """Nested loops (8·10⁹ turns): the check is stopped at CHECK_SECONDS, the upload refused."""
    monkeypatch.setitem(app.config, "CHECK_SECONDS", 4)
    started = time.monotonic()
    response = _upload(client, templatefiles.with_jinja(
        "{% for a in 'x' * 90000 %}{% for b in 'x' * 90000 %}{% endfor %}{% endfor %}"))
    assert response.status_code == 422 and "giây" in response.get_json()["detail"]
    assert time.monotonic() - started < 60
    assert client.get("/api/v1/templates").get_json()["templates"] == []


def test_a_hundred_megabyte_string_is_refused(client):
    """``"x" * 100000000`` is stopped by the sandbox (it took 1 GB of web memory)."""
    response = _upload(client, templatefiles.with_jinja('{{ "x" * 100000000 }}'))
    assert response.status_code == 422 and "quá dài" in response.get_json()["detail"]


def test_a_version_is_not_activated_before_its_preview_is_made(client):
    """Activation of an unpreviewed version is a 409 in Vietnamese; nothing becomes active."""
    one = _upload(client, templatefiles.locally_changed()).get_json()
    response = client.post(one["links"]["activate"])
    assert response.status_code == 409 and "Xem trước" in response.get_json()["detail"]
    assert client.get(one["links"]["self"]).get_json()["active"] is False


def test_a_preview_that_fails_any_way_says_failed_not_queued(app, client, queued):
    """A preview stopped by anything (the time limit, a crash) is recorded failed, in Vietnamese."""
    one = _upload(client, templatefiles.locally_changed()).get_json()
    client.post(one["links"]["preview"])

    class Stopped(DocxRenderer):
        def render(self, *args, **kwargs):
            raise RuntimeError("stopped")

    with app.app_context():
        preview.build_preview(one["id"], None, sessions=extensions.session_scope, storage=get_storage(),
                              renderer=Stopped(), converter=FakeConverter())
    state = client.get(one["links"]["self"]).get_json()["preview"]
    assert state["status"] == "failed" and state["detail"].startswith("Không tạo được bản xem trước")


def test_a_preview_that_cannot_be_queued_says_failed(client, monkeypatch):
    """The broker gone when the preview is asked: the version says failed, not queued forever."""
    from service.errors import QueueUnavailableError
    from service.jobs import queue

    def down(version_id, input_key):
        raise QueueUnavailableError("Hàng đợi không sẵn sàng.")

    monkeypatch.setattr(queue, "preview", down)
    one = _upload(client, templatefiles.locally_changed()).get_json()
    assert client.post(one["links"]["preview"]).status_code == 503
    assert client.get(one["links"]["self"]).get_json()["preview"]["status"] == "failed"
