"""The pipeline with real docxtpl, a real SQLite file and a fake converter."""

from __future__ import annotations

import hashlib
import io

import pytest
from pypdf import PdfReader

from service import extensions
from service.documents.rendering import DocxRenderer
from service.errors import ConversionError, ConverterUnavailableError, StorageUnavailableError
from service.extensions import get_storage
from service.jobs import models, pipeline, queue
from service.meetings import figures, validation
from tests.support import people
from tests.support.building import pack
from tests.support.factories import SAMPLES, meeting_payload
from tests.support.fakes import FakeConverter, count_calls, signature_blocks_pdf


def _submit(app, only=("bien_ban_kiem_diem",)):
    owner = people.organisation(app, people.DANG_BO, "dang_bo")  # the `client` fixture's đảng bộ
    with app.app_context(), extensions.session_scope() as session:
        job = pipeline.submit(meeting_payload(), session=session, storage=get_storage(),
                              only=list(only), owner=lambda _: owner)
        session.flush()
        return job.id, job.documents[0].id


def _build(app, document_id, converter):
    with app.app_context():
        pipeline.build_document(document_id, sessions=extensions.session_scope, storage=get_storage(),
                                renderer=DocxRenderer(), converter=converter)


def _document(app, document_id):
    with app.app_context(), extensions.session_scope() as session:
        return session.get(models.Document, document_id)


def test_build_stores_both_files_and_marks_done(app):
    """A built document has its DOCX and PDF stored and its page count recorded."""
    _, document_id = _submit(app)
    _build(app, document_id, FakeConverter())
    document = _document(app, document_id)
    assert document.status == models.DONE
    assert document.pages == 1
    with app.app_context():
        assert get_storage().get(document.pdf_key).startswith(b"%PDF-")
        assert get_storage().get(document.docx_key).startswith(b"PK")


def test_rebuilding_is_idempotent(app):
    """Running the task twice converts once and keeps one record."""
    _, document_id = _submit(app)
    converter = FakeConverter()
    _build(app, document_id, converter)
    _build(app, document_id, converter)
    assert len(converter.calls) == 1


def test_rejected_document_is_marked_failed(app):
    """A conversion LibreOffice refuses marks the document failed with its reason."""
    _, document_id = _submit(app)
    _build(app, document_id, FakeConverter(ConversionError("hỏng")))
    document = _document(app, document_id)
    assert document.status == models.FAILED
    assert document.error_type == "conversion-failed"


def test_unavailable_converter_propagates_for_retry(app):
    """A missing LibreOffice is transient: the error reaches the task, which retries."""
    _, document_id = _submit(app)
    try:
        _build(app, document_id, FakeConverter(ConverterUnavailableError("down")))
    except ConverterUnavailableError:
        pass
    else:
        raise AssertionError("ConverterUnavailableError was swallowed")
    assert _document(app, document_id).status == models.RUNNING


def test_unavailable_storage_propagates_for_retry(app, monkeypatch):
    """A store that does not answer is transient: the document is not failed, the task retries."""
    _, document_id = _submit(app)
    with app.app_context():
        storage = get_storage()

        def down(key):
            raise StorageUnavailableError("down")

        monkeypatch.setattr(storage, "get", down)
        with pytest.raises(StorageUnavailableError):
            pipeline.build_document(document_id, sessions=extensions.session_scope, storage=storage,
                                    renderer=DocxRenderer(), converter=FakeConverter())
    assert _document(app, document_id).status == models.RUNNING


def test_submit_stores_normalised_input(app):
    """The stored input is the validated meeting, so a re-run sees exactly what was accepted."""
    job_id, _ = _submit(app)
    with app.app_context():
        assert b'"review_year": 2025' in get_storage().get(f"jobs/{job_id}/input.json")


def test_package_holds_every_document_and_a_print_pdf(app, client):
    """Once built, the ZIP has each DOCX and PDF and the bookmarked print PDF."""
    import io
    import zipfile

    from pypdf import PdfReader

    job_id, _ = _submit(app, only=("bien_ban_kiem_diem", "bien_ban_kiem_phieu"))
    with app.app_context(), extensions.session_scope() as session:
        ids = [d.id for d in session.get(models.Job, job_id).documents]
    for document_id in ids:
        _build(app, document_id, FakeConverter())
    pack(app, ids)  # as the worker does when the job's last document is done
    response = client.get(f"/api/v1/jobs/{job_id}/package.zip")
    assert response.status_code == 200
    names = zipfile.ZipFile(io.BytesIO(response.data)).namelist()
    stem = "chi-bo-truong-tieu-hoc-thach-linh-nam-2025"
    assert f"{stem}/01-bien_ban_kiem_diem.docx" in names
    assert f"{stem}/02-bien_ban_kiem_phieu.pdf" in names
    assert f"{stem}/{stem}-ban-in.pdf" in names
    assert "filename=ho-so-chi-bo-truong-tieu-hoc-thach-linh-2025-12-05.zip" in response.headers[
        "Content-Disposition"]  # the chi bộ and the day of the meeting
    printed = PdfReader(io.BytesIO(client.get(f"/api/v1/jobs/{job_id}/print.pdf").data))
    titles = [item.title for item in printed.outline]
    assert titles == ["Biên bản hội nghị kiểm điểm, đánh giá, xếp loại chất lượng", "Biên bản kiểm phiếu"]


class _PoisonConverter(FakeConverter):
    """Takes LibreOffice down on any DOCX holding a marker; converts the rest."""

    def to_pdf(self, docx: bytes, *, options: tuple[str, ...] = ()) -> bytes:
        """Fail like a crashed LibreOffice when the marker is in the document."""
        import io
        import zipfile

        self.calls.append(docx)
        if "ĐỘC TỐ".encode() in zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml"):
            raise ConverterUnavailableError("LibreOffice đã dừng trong khi chuyển đổi.")
        return super().to_pdf(docx) if self.error is None else b""


def test_a_document_that_kills_libreoffice_twice_is_set_aside(app):
    """The others of its group are built; it fails as poison on its second attempt, input kept."""
    data = meeting_payload()
    data["members"][2]["name"] = data["ratings"][2]["member"] = "ĐỘC TỐ Nguyễn"
    with app.app_context(), extensions.session_scope() as session:
        job = pipeline.submit(data, session=session, storage=get_storage(),
                              only=["ban_kiem_diem_ca_nhan"])
        session.flush()
        ids = [d.id for d in job.documents]
    converter = _PoisonConverter()
    with app.app_context():
        build = lambda: pipeline.build_documents(  # noqa: E731
            ids, sessions=extensions.session_scope, storage=get_storage(), renderer=DocxRenderer(),
            converter=converter)
        try:
            build()
        except ConverterUnavailableError:
            pass
        else:
            raise AssertionError("the first attempt should ask for a retry")
        states = [_document(app, i).status for i in ids]
        assert states.count(models.DONE) == 11 and states[2] == models.RUNNING
        build()  # the task's retry
        poisoned = _document(app, ids[2])
        assert poisoned.status == models.FAILED and poisoned.error_type == "poison-document"
        assert get_storage().exists(f"jobs/{job.id}/r1/{poisoned.id}.poison.docx")



def _rows(docx: bytes) -> int:
    """The table rows of a DOCX's body."""
    import io
    import re
    import zipfile

    return len(re.findall(rb"<w:tr[ >]", zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml")))


def _ballot(app, doc_type, **rules):
    """Build *doc_type* of the large sample (30 names, 27 ballots) with a recording converter."""
    import json

    data = json.loads((SAMPLES / "annual_review_2025_large.json").read_text(encoding="utf-8"))
    data["rules"] = rules
    with app.app_context(), extensions.session_scope() as session:
        job = pipeline.submit(data, session=session, storage=get_storage(), only=[doc_type])
        session.flush()
        document_id = job.documents[0].id
    converter = FakeConverter()
    _build(app, document_id, converter)
    return converter, _document(app, document_id)


def test_the_member_ballot_is_laid_out_once_whatever_the_copies(app):
    """27 ballots of 30 names: LibreOffice gets one copy's 32 rows (not 27 × 32), the PDF 27 pages."""
    converter, document = _ballot(app, "phieu_danh_gia_dang_vien")
    assert [_rows(docx) for docx in converter.calls] == [30 + 2]  # the names, table header, heading
    assert document.status == models.DONE and document.pages == 27
    with app.app_context():
        assert _rows(get_storage().get(document.docx_key)) == 32  # the DOCX: one copy
    assert document.title.endswith("(in 27 bản)")


def test_the_chi_bo_ballot_lays_out_one_sheet_and_the_last(app):
    """27 ballots four to a sheet: a full sheet and the last (three places used), 7 pages."""
    converter, document = _ballot(app, "phieu_danh_gia_chi_bo", chi_bo_ballots_per_sheet=4)
    assert len(converter.calls) == 2
    assert document.status == models.DONE and document.pages == 7


class _Died(BaseException):
    """Stands for the worker process dying mid-task: nothing after it runs (see ``_dying``)."""


class _ScriptedConverter(FakeConverter):
    """Answers, or dies, call by call as *script* says (True: die)."""

    def __init__(self, script: list[bool]) -> None:
        super().__init__()
        self.script = script

    def to_pdf(self, docx: bytes, *, options: tuple[str, ...] = ()) -> bytes:
        """Die when the script says so, else answer."""
        if self.script and self.script.pop(0):
            self.calls.append(docx)
            raise _Died
        return super().to_pdf(docx, options=options)


def _members_job(app, count=3):
    with app.app_context(), extensions.session_scope() as session:
        job = pipeline.submit(meeting_payload(), session=session, storage=get_storage(),
                              only=["ban_kiem_diem_ca_nhan"])
        session.flush()
        return [d.id for d in job.documents][:count]


def _attempt(app, ids, converter, monkeypatch, *, dies, runner=None, **limits):
    """One delivery of the task on the worker *runner*; *dies*: its process dies mid-way (the
    attempt is never closed)."""
    with app.app_context(), monkeypatch.context() as patch:
        work = {"sessions": extensions.session_scope, "storage": get_storage(),
                "renderer": DocxRenderer(), "converter": converter, "runner": runner, **limits}
        if not dies:
            pipeline.build_documents(ids, **work)
            return
        patch.setattr(pipeline, "_ended", lambda work, sessions: None)  # a dead process closes nothing
        with pytest.raises(_Died):
            pipeline.build_documents(ids, **work)


def test_an_attempt_is_recorded_before_the_work_starts(app, monkeypatch):
    """A process dying mid-task leaves every document of its group started, attempt counted."""
    ids = _members_job(app)
    _attempt(app, ids, _ScriptedConverter([True]), monkeypatch, dies=True)
    rows = [_document(app, i) for i in ids]
    assert all(r.started_at is not None and r.attempts == 1 and r.status == models.RUNNING for r in rows)


def test_a_document_that_kills_its_worker_twice_is_quarantined_and_the_rest_are_made(app, monkeypatch):
    """Killed in the group, then killed alone: poison-document; the others of its group are done."""
    ids = _members_job(app)
    converter = _ScriptedConverter([True, False, True])  # the group dies; alone: 1st fine, 2nd dies
    _attempt(app, ids, converter, monkeypatch, dies=True)
    _attempt(app, ids, converter, monkeypatch, dies=True)
    _attempt(app, ids, converter, monkeypatch, dies=False)
    first, killer, last = (_document(app, i) for i in ids)
    assert killer.status == models.FAILED and killer.error_type == "poison-document"
    assert "worker chết 2 lần" in killer.error_detail and killer.crashes == 2
    assert first.status == last.status == models.DONE
    assert last.crashes == 1 and last.started_at is None  # never started while the killer ran


def test_a_document_killed_with_its_whole_worker_twice_is_no_poison(app, monkeypatch):
    """Issue #31, 10b: the worker killed twice (a new node each time) while an innocent document
    ran: two interruptions, no crash, made the third time; its own node dying under it is a crash."""
    ids = _members_job(app, count=2)
    converter = _ScriptedConverter([True, True])  # the whole worker killed mid-conversion, twice
    for runner in ("chibo-1-1@vm", "chibo-2-2@vm"):
        _attempt(app, [ids[0]], converter, monkeypatch, dies=True, runner=runner)
    _attempt(app, [ids[0]], converter, monkeypatch, dies=False, runner="chibo-3-3@vm")
    innocent = _document(app, ids[0])
    assert (innocent.status, innocent.crashes, innocent.interruptions) == (models.DONE, 0, 2)
    converter = _ScriptedConverter([True, True])  # its pool process dies; the node lives on
    for _ in range(2):
        _attempt(app, [ids[1]], converter, monkeypatch, dies=True, runner="chibo-3-3@vm")
    _attempt(app, [ids[1]], converter, monkeypatch, dies=False, runner="chibo-3-3@vm")
    killer = _document(app, ids[1])
    assert (killer.error_type, killer.crashes, killer.interruptions) == ("poison-document", 2, 0)


def test_interruptions_are_bounded_too(app, monkeypatch):
    """A document whose worker is killed under it again and again is set aside, in Vietnamese."""
    ids = _members_job(app, count=1)
    converter = _ScriptedConverter([True, True])
    for runner in ("chibo-1-1@vm", "chibo-2-2@vm"):
        _attempt(app, ids, converter, monkeypatch, dies=True, runner=runner, interruption_limit=2)
    _attempt(app, ids, converter, monkeypatch, dies=False, runner="chibo-3-3@vm", interruption_limit=2)
    row = _document(app, ids[0])
    assert (row.status, row.error_type, row.crashes) == (models.FAILED, "interrupted", 0)
    assert row.error_detail.startswith("Việc tạo tài liệu bị ngắt 2 lần")


def test_an_attempt_that_ends_with_an_error_is_no_crash(app):
    """A retried error (LibreOffice down) closes the attempt: the next one counts no death."""
    ids = _members_job(app, count=1)
    with app.app_context(), pytest.raises(ConverterUnavailableError):
        pipeline.build_documents(ids, sessions=extensions.session_scope, storage=get_storage(),
                                 renderer=DocxRenderer(), converter=FakeConverter(
                                     ConverterUnavailableError("không có LibreOffice")))
    row = _document(app, ids[0])
    assert row.started_at is None and row.crashes == 0 and row.attempts == 1


class _BlocksConverter(FakeConverter):
    """Answers a PDF with two signature blocks."""

    def to_pdf(self, docx: bytes, *, options: tuple[str, ...] = ()) -> bytes:
        """Record the call and answer the blocks' PDF."""
        self.calls.append(docx)
        return signature_blocks_pdf()


def _stored_pdf(app, signature_fields):
    _, document_id = _submit(app)
    with app.app_context():
        pipeline.build_document(document_id, sessions=extensions.session_scope, storage=get_storage(),
                                renderer=DocxRenderer(), converter=_BlocksConverter(),
                                signature_fields=signature_fields)
        document = _document(app, document_id)
        return get_storage().get(document.pdf_key), document.pdf_sha256


def test_signature_fields_off_stores_the_pdf_as_made(app):
    """With SIGNATURE_FIELDS off (the default) the stored PDF is the converter's, byte for byte."""
    assert app.config["SIGNATURE_FIELDS"] is False
    pdf, sha256 = _stored_pdf(app, signature_fields=False)
    assert pdf == signature_blocks_pdf() and sha256 == hashlib.sha256(pdf).hexdigest()


def test_signature_fields_on_stores_fields_and_their_digest(app):
    """With SIGNATURE_FIELDS on the stored PDF has the fields; its recorded SHA-256 is of those bytes."""
    pdf, sha256 = _stored_pdf(app, signature_fields=True)
    assert set(PdfReader(io.BytesIO(pdf)).get_fields() or {}) == {"ky_thu_ky", "ky_bi_thu"}
    assert sha256 == hashlib.sha256(pdf).hexdigest()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_submission_validates_and_computes_its_figures_once(client, monkeypatch):
    """One annual review sent to the API is validated once and its figures computed once.

    The list of documents, the job's warnings and its document rows all take the same figures.
    """
    monkeypatch.setattr(queue, "dispatch", lambda documents, size, **_: None)
    computed = count_calls(monkeypatch, figures.compute)
    validated = count_calls(monkeypatch, validation.parse_meeting)
    response = client.post("/api/v1/jobs", json=meeting_payload())
    assert response.status_code == 202, response.get_json()
    assert len(response.get_json()["documents"]) > 3  # the per-member documents counted too
    assert len(computed) == 1
    assert len(validated) == 1


def test_one_meetings_self_reviews_are_two_tasks_the_largest_first():
    """15 self-reviews are two tasks (one for each worker process), before the one-document ones."""
    kinds = (["bien_ban_kiem_diem", "bao_cao_kiem_diem"] + ["ban_kiem_diem_ca_nhan"] * 15
             + ["phieu_danh_gia_dang_vien", "bien_ban_kiem_phieu"])
    documents = [models.Document(id=f"d{index}", doc_type=kind) for index, kind in enumerate(kinds)]
    parts = pipeline.chunks(documents, 20)
    assert [len(part) for part in parts] == [8, 7, 1, 1, 1, 1]
    assert parts[0] == [f"d{index}" for index in range(2, 10)]
    assert sorted(i for part in parts for i in part) == sorted(d.id for d in documents)


def test_a_batch_is_cut_in_tasks_of_at_most_the_chunk_size():
    """Hundreds of documents of one type: tasks of at most BATCH_CHUNK_SIZE, none tiny."""
    documents = [models.Document(id=f"d{index}", doc_type="ban_kiem_diem_ca_nhan") for index in range(95)]
    parts = pipeline.chunks(documents, 20)
    assert [len(part) for part in parts] == [19] * 5
