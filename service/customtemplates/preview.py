"""A template version filled with a sample meeting (or a job's own data), converted to PDF.

Made by a worker (``workers.tasks.preview_template``), like any document: the version's bytes
from storage, the same sandbox, the same LibreOffice. The PDF is kept at
``templates/<id>.preview.pdf`` and the version's ``preview_status`` says how it went.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from service.conversion.converter import Converter
from service.conversion.repeat import convert_repeated
from service.customtemplates.models import PREVIEW_DONE, PREVIEW_FAILED, TemplateVersion
from service.customtemplates.versions import source_of
from service.documents import DOCUMENT_TYPES, instances, meeting_figures, render_parts
from service.documents.catalogue import sample_meeting_path
from service.documents.rendering import DocxRenderer
from service.errors import ConverterUnavailableError, ServiceError, StorageUnavailableError
from service.meetings.validation import parse_meeting
from service.storage import Storage


def build_preview(version_id: str, input_key: str | None, *, sessions: Callable[[], Any],
                  storage: Storage, renderer: DocxRenderer, converter: Converter) -> None:
    """Fill version *version_id* with the sample of its type (or the data at *input_key*) to PDF.

    Transient failures (no LibreOffice, the store down) propagate so the task retries; any
    other is recorded on the version in Vietnamese.
    """
    with sessions() as session:
        version = session.get(TemplateVersion, version_id)
        if version is None:
            return
        source, doc_type, key = source_of(version, storage), version.doc_type, version.preview_pdf_key
    try:
        raw = storage.get(input_key) if input_key else sample_meeting_path(doc_type).read_bytes()
        meeting = parse_meeting(json.loads(raw))
        found = instances(meeting, [doc_type]) if meeting.kind == DOCUMENT_TYPES[doc_type].kind else []
        if not found:
            raise ServiceError("Dữ liệu được chọn không có văn bản loại này để xem trước.")
        figures = meeting_figures(meeting)
        parts = [(renderer.render(DOCUMENT_TYPES[doc_type].template, part.context, source), part.times)
                 for part in render_parts(found[0], meeting, figures)]
        pdf = convert_repeated(converter, [parts])[0]
    except (ConverterUnavailableError, StorageUnavailableError):
        raise
    except ServiceError as exc:
        _record(sessions, version_id, PREVIEW_FAILED, exc.detail)
        return
    except Exception as exc:  # the time limit, a template the sandbox stops: failed, never "queued"
        record_failure(sessions, version_id, exc)
        return
    storage.put(key, pdf)
    _record(sessions, version_id, PREVIEW_DONE, None)


def record_failure(sessions: Callable[[], Any], version_id: str, exc: BaseException) -> None:
    """The preview of *version_id* failed for good (also the task's last retry): said in Vietnamese."""
    what = "quá thời gian cho phép" if "TimeLimit" in type(exc).__name__ else type(exc).__name__
    _record(sessions, version_id, PREVIEW_FAILED, f"Không tạo được bản xem trước ({what}).")


def _record(sessions: Callable[[], Any], version_id: str, status: str, detail: str | None) -> None:
    with sessions() as session:
        version = session.get(TemplateVersion, version_id)
        if version is not None:
            version.preview_status, version.preview_detail = status, detail
