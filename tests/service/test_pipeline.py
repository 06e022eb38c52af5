"""The pipeline with real docxtpl, a real SQLite file and a fake converter."""

from __future__ import annotations

from service import db, pipeline
from service.errors import ConversionError, ConverterUnavailableError
from service.rendering import DocxRenderer
from service.storage import get_storage
from tests.factories import meeting_payload
from tests.fakes import FakeConverter


def _submit(app):
    with app.app_context(), db.session_scope() as session:
        job = pipeline.submit(meeting_payload(), session=session, storage=get_storage())
        session.flush()
        return job.id, job.documents[0].id


def _build(app, document_id, converter):
    with app.app_context():
        pipeline.build_document(document_id, sessions=db.session_scope, storage=get_storage(),
                                renderer=DocxRenderer(), converter=converter)


def _document(app, document_id):
    with app.app_context(), db.session_scope() as session:
        return session.get(db.Document, document_id)


def test_build_stores_both_files_and_marks_done(app):
    """A built document has its DOCX and PDF stored and its page count recorded."""
    _, document_id = _submit(app)
    _build(app, document_id, FakeConverter())
    document = _document(app, document_id)
    assert document.status == db.DONE
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
    assert document.status == db.FAILED
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
    assert _document(app, document_id).status == db.RUNNING


def test_submit_stores_normalised_input(app):
    """The stored input is the validated meeting, so a re-run sees exactly what was accepted."""
    job_id, _ = _submit(app)
    with app.app_context():
        assert b'"review_year": 2025' in get_storage().get(f"jobs/{job_id}/input.json")
