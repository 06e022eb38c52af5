"""The work itself, as plain functions: accept a meeting, build one document.

Views and Celery tasks are thin wrappers around these. ``submit`` validates, stores the
input and creates the records *before* anything is queued; ``build_document`` renders and
converts one document by id and is idempotent: a re-run writes the same keys again.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from service import database
from service.conversion.cache import ConversionCache
from service.conversion.combine import page_count, producer, reader_of
from service.conversion.converter import Converter
from service.conversion.fonts import font_digests
from service.conversion.metrics import add_stage, stage
from service.conversion.repeat import Repeat, convert_repeated
from service.documents import (
    DOCUMENT_TYPES,
    Instance,
    instances,
    meeting_figures,
    render_parts,
    types_for,
)
from service.documents.rendering import DocxRenderer, TemplateSource
from service.errors import (
    ConverterUnavailableError,
    PoisonDocumentError,
    RecordMissingError,
    ServiceError,
    StorageUnavailableError,
    UnknownDocumentTypeError,
)
from service.jobs import models
from service.jobs.facts import add_documents, describe
from service.jobs.facts import job_title as job_title  # re-exported: the CLI and batches name jobs
from service.meetings.dates import Calendar
from service.meetings.schemas import AnyMeeting, DangBoReview
from service.meetings.validation import parse_meeting
from service.signing.fields import add_fields
from service.storage import Storage


@dataclass(frozen=True)
class BuiltDocument:
    """The two files of one document."""

    instance: Instance
    docx: bytes
    pdf: bytes

    @property
    def pages(self) -> int:
        """Number of pages of the PDF."""
        return page_count(self.pdf)


def select(meeting: AnyMeeting, only: list[str] | None, figures: Any = None) -> list[Instance]:
    """The documents to make: all of the meeting's kind, or the subset *only* (*figures*: computed)."""
    if only:
        known = {t.id for t in types_for(meeting.kind)}
        unknown = [name for name in only if name not in known]
        if unknown:
            raise UnknownDocumentTypeError(f"Không có loại tài liệu {', '.join(unknown)} cho hội "
                                           f"nghị này; chọn trong: {', '.join(sorted(known))}.",
                                           errors=[{"field": "documents", "detail": "Không có loại "
                                                    f"tài liệu {', '.join(unknown)}."}])
    return instances(meeting, only, figures)


def render(instance: Instance, meeting: AnyMeeting, figures: Any, renderer: DocxRenderer,
           source: TemplateSource | None = None, *, draft: bool = False) -> list[Repeat]:
    """The DOCX of each part of a document and the times its pages stand (the first is the DOCX).

    *source* is the uploaded template version that makes it (None: the built-in); *draft*:
    every part carries the "DỰ THẢO" mark (a draft, a self-review not yet accepted).
    """
    return [(renderer.render(instance.doc_type.template, part.context, source, draft=draft), part.times)
            for part in render_parts(instance, meeting, figures)]


def build(meeting: AnyMeeting, instance: Instance, renderer: DocxRenderer,
          converter: Converter, *, draft: bool = False) -> BuiltDocument:
    """Compute, render and convert one document of *meeting* (*draft*: marked "DỰ THẢO")."""
    parts = render(instance, meeting, meeting_figures(meeting), renderer, draft=draft)
    return BuiltDocument(instance, parts[0][0], convert_repeated(converter, [parts])[0])


def submit(data: Any, *, session: Session, storage: Storage, only: list[str] | None = None,
           owner: Callable[[str | None], str | None] | None = None,
           created_by: str | None = None, calendar: Calendar | None = None) -> models.Job:
    """Validate *data*, store it and create its job and document records (not yet queued).

    *owner* maps the ``organisation_id`` the data names (None: none) to the organisation the
    job belongs to; it raises when the caller may not name it (``accounts.resolve_owner``);
    *calendar* (today) refuses meetings dated too far ahead.
    """
    with stage("validation"):
        meeting = parse_meeting(data, calendar)
    return accept(meeting, session=session, storage=storage, only=only, owner=owner,
                  created_by=created_by)


def accept(meeting: AnyMeeting, figures: Any = None, *, session: Session, storage: Storage,
           only: list[str] | None = None, owner: Callable[[str | None], str | None] | None = None,
           created_by: str | None = None) -> models.Job:
    """Store a meeting already validated and create its job and document records (see ``submit``).

    *figures* are the meeting's computed figures (``meeting_figures``) when the caller has them
    (a đảng bộ batch computes each chi bộ's once, for its job and for the summary); otherwise
    they are computed here, once, for the documents' list, the warnings and the records.
    """
    if figures is None:
        with stage("figures"):
            figures = meeting_figures(meeting)
    select(meeting, only, figures)
    requested = None if isinstance(meeting, DangBoReview) else meeting.organisation_id
    job = models.Job(id=database.new_id(), input_key="", created_by=created_by,
                     organisation_id=owner(requested) if owner else None,
                     only_types=",".join(only) if only else None)
    describe(job, meeting, figures)
    job.input_key = f"jobs/{job.id}/input.json"
    storage.put(job.input_key, meeting.model_dump_json(indent=2).encode())
    add_documents(job, meeting, only, figures)
    session.add(job)
    return job


SessionFactory = Callable[[], Any]
# which template makes a document type of an organisation now (``customtemplates.versions``);
# None answered: the built-in. Called in the session that claims the documents.
TemplateChooser = Callable[[Session, str | None, str], TemplateSource | None]
POISON_AFTER = 2  # a document that takes LibreOffice down this many times is set aside
INTERRUPTED_AFTER = 5  # attempts that died with their whole worker before a document is set aside


def build_document(document_id: str, *, sessions: SessionFactory, storage: Storage,
                   renderer: DocxRenderer, converter: Converter,
                   templates: TemplateChooser | None = None, signature_fields: bool = False,
                   cache: ConversionCache | None = None) -> None:
    """Build one document (see ``build_documents``)."""
    build_documents([document_id], sessions=sessions, storage=storage, renderer=renderer,
                    converter=converter, templates=templates, signature_fields=signature_fields,
                    cache=cache)


@dataclass
class _Work:
    document_id: str
    job_id: str
    instance: Instance
    input_key: str
    base: str  # the storage key of its files, without the suffix (``Job.key_base``)
    attempts: int = 1
    source: TemplateSource | None = None  # the uploaded template that makes it (None: built-in)
    meeting: AnyMeeting | None = None
    input_sha256: str = ""
    template_sha256: str = ""
    parts: list[Repeat] = field(default_factory=list)  # (DOCX, times): ballots are one copy
    signature_fields: bool = False  # SIGNATURE_FIELDS: empty signature fields at the blocks
    edited: dict[str, Any] | None = None  # her own DOCX, edited in Word, converted as it is
    cache: ConversionCache | None = None  # conversions by content (CONVERSION_CACHE_HOURS)

    @property
    def docx(self) -> bytes:
        """The document's DOCX: its first part."""
        return self.parts[0][0]


def build_documents(document_ids: list[str], *, sessions: SessionFactory, storage: Storage,
                    renderer: DocxRenderer, converter: Converter, crash_limit: int = POISON_AFTER,
                    templates: TemplateChooser | None = None, signature_fields: bool = False,
                    runner: str | None = None, interruption_limit: int = INTERRUPTED_AFTER,
                    cache: ConversionCache | None = None) -> None:
    """Build the documents *document_ids* and record each outcome on its row.

    Documents of one template are converted in one LibreOffice load and split back
    (``service.combine``); if that fails they are converted one by one, so one bad document
    never sinks the others. A ``ServiceError`` that is not transient marks that document
    failed; ``ConverterUnavailableError`` and ``StorageUnavailableError`` propagate so the
    task can retry (documents already done are skipped on the retry). *templates* chooses,
    at render time, the uploaded template of the job's organisation (or its đảng bộ's); each
    document records the version that made it. With *signature_fields* (``SIGNATURE_FIELDS``)
    each PDF gets empty signature fields at its signature blocks before it is stored. With
    *cache* a document whose content was converted before is not converted again
    (``service.conversion.cache``: a correction converts only the documents that changed).

    Each attempt is recorded before the work starts (``started_at``): a document found still
    started by the next attempt took its worker process down (killed, out of memory). After
    *crash_limit* such deaths it is set aside as ``poison-document``; after one, the group is
    built one document at a time, each started only while it is worked on, so only the
    document that kills the process counts the next death.

    A death is the document's only when its own worker lived on: each attempt records its
    *runner* (the Celery node, one per worker main process) and a death is counted as a crash
    only when the next attempt runs on the same node (a pool process died; the worker gave the
    message back). An attempt found unfinished by another node died with its whole worker
    (killed, restarted, the machine down): an *interruption*, nobody's fault, counted apart and
    set aside only after *interruption_limit* (so nothing loops), never blamed as poison.
    """
    work, careful = _claim(document_ids, sessions, (crash_limit, interruption_limit), templates, runner)
    if not work:
        return
    for item in work:
        item.signature_fields = signature_fields
        item.cache = cache
    if not careful:
        _attempt(work, sessions, storage, renderer, converter)
        return
    pending: ServiceError | None = None
    for item in work:
        _started([item], sessions, runner)
        try:
            _attempt([item], sessions, storage, renderer, converter)
        except (ConverterUnavailableError, StorageUnavailableError) as exc:
            pending = exc  # the others first; then the task retries what is left
    if pending is not None:
        raise pending


def _attempt(work: list[_Work], sessions: SessionFactory, storage: Storage, renderer: DocxRenderer,
             converter: Converter) -> None:
    """Build *work* (already started); the attempt is closed however it ends, unless the process dies."""
    try:
        _build(work, sessions, storage, renderer, converter)
    finally:
        _ended(work, sessions)


def _build(work: list[_Work], sessions: SessionFactory, storage: Storage, renderer: DocxRenderer,
           converter: Converter) -> None:
    inputs: dict[str, tuple[AnyMeeting, Any, str]] = {}  # parsed and computed once per meeting
    rendered: list[_Work] = []
    for item in work:
        try:
            if item.input_key not in inputs:
                with stage("storage"):
                    data = storage.get(item.input_key)
                with stage("validation"):
                    meeting = parse_meeting(json.loads(data))
                with stage("figures"):
                    figures = meeting_figures(meeting)
                inputs[item.input_key] = (meeting, figures, _sha256(data))
            item.meeting, figures, item.input_sha256 = inputs[item.input_key]
            if item.edited is not None:  # the secretary's finished Word file: converted, not rendered
                item.template_sha256 = str(item.edited["sha256"])
                item.parts = [(storage.get(str(item.edited["key"])), 1)]
                rendered.append(item)
                continue
            item.template_sha256 = (item.source.sha256 if item.source
                                    else _template_sha256(renderer, item.instance))
            with stage("render"):
                item.parts = render(item.instance, item.meeting, figures, renderer, item.source)
            rendered.append(item)
        except StorageUnavailableError:
            raise  # the store, not the document: the task retries
        except ServiceError as exc:
            mark_failed(item.document_id, exc, sessions=sessions)
    by_template: dict[tuple[str, str | None], list[_Work]] = {}
    for item in rendered:
        key = (item.instance.doc_type.template, item.source.sha256 if item.source
               else f"edited:{item.document_id}" if item.edited else None)
        by_template.setdefault(key, []).append(item)
    for group in by_template.values():
        if len(group) == 1:  # alone already: a failure is this document's own
            _convert_each(group, converter, sessions, storage)
            continue
        try:
            pdfs = convert_repeated(converter, [item.parts for item in group], group[0].cache)
        except ServiceError:
            # LibreOffice refused, died or hung on the group: one by one finds the document
            _convert_each(group, converter, sessions, storage)
        else:
            _store(list(zip(group, pdfs, strict=True)), storage, sessions)


def _convert_each(group: list[_Work], converter: Converter, sessions: SessionFactory,
                  storage: Storage) -> None:
    """Convert and store each document alone; a transient failure is raised after the rest."""
    pending: ConverterUnavailableError | None = None
    for item in group:
        try:
            pdf = _convert_alone(item, converter, sessions, storage)
        except ConverterUnavailableError as exc:
            pending = exc
            continue
        if pdf is not None:
            _store([(item, pdf)], storage, sessions)
    if pending is not None:
        raise pending


def _claim(document_ids: list[str], sessions: SessionFactory, limits: tuple[int, int],
           templates: TemplateChooser | None, runner: str | None) -> tuple[list[_Work], bool]:
    """The documents to build, started; and whether one of them died in an earlier attempt."""
    crash_limit, interruption_limit = limits
    work = []
    careful = False
    waited = 0.0  # the longest a document of this task waited in the queue, on its first attempt
    chosen: dict[tuple[str | None, str], TemplateSource | None] = {}
    with sessions() as session:
        for document_id in document_ids:
            document = session.get(models.Document, document_id)
            if document is None:
                raise RecordMissingError(f"Chưa thấy tài liệu {document_id} trong cơ sở dữ liệu.")
            if document.status == models.DONE:
                continue  # built by an earlier delivery of this message
            if document.started_at is not None:  # the last attempt never ended: its process died
                if runner is None or document.started_by in (None, runner):
                    document.crashes += 1  # its own process, while its worker lived on
                else:
                    document.interruptions += 1  # with its whole worker: not the document's doing
                document.started_at = None
            if document.crashes >= crash_limit or document.interruptions >= interruption_limit:
                _quarantine(document)
                continue
            careful = careful or document.crashes > 0 or document.interruptions > 0
            if document.attempts == 0:
                waited = max(waited, (database.now() - document.updated_at).total_seconds())  # queued then
            document.status = models.RUNNING
            document.attempts += 1
            instance = Instance(DOCUMENT_TYPES[document.doc_type], document.subject, document.name,
                                document.title)
            key = (document.job.organisation_id, document.doc_type)
            if templates is not None and key not in chosen:
                chosen[key] = templates(session, *key)
            edited = (document.provenance or {}).get("edited")
            work.append(_Work(document_id, document.job_id, instance, document.job.input_key,
                              document.job.key_base(document), document.attempts,
                              None if edited else chosen.get(key), edited=edited))
        if not careful:  # recorded before the work starts: a death now counts for each of them
            for item in work:
                _start(session, item.document_id, runner)
    add_stage("queue wait", waited)
    return work, careful


def _quarantine(document: models.Document) -> None:
    document.status = models.FAILED
    if document.interruptions and document.crashes < document.interruptions:
        document.error_type = "interrupted"
        document.error_detail = (f"Việc tạo tài liệu bị ngắt {document.interruptions} lần vì máy làm văn "
                                 "bản dừng giữa chừng; hãy bấm tạo lại khi máy đã chạy ổn định.")
        return
    document.error_type = PoisonDocumentError.type
    document.error_detail = (f"Tài liệu làm tiến trình worker chết {document.crashes} lần (hết bộ nhớ "
                             "hoặc bị dừng giữa chừng); đã tách riêng, các tài liệu khác vẫn được tạo.")


def _start(session: Session, document_id: str, runner: str | None) -> None:
    document = session.get(models.Document, document_id)
    if document is not None:
        document.started_at, document.started_by = database.now(), runner


def _started(work: list[_Work], sessions: SessionFactory, runner: str | None) -> None:
    with sessions() as session:
        for item in work:
            _start(session, item.document_id, runner)


def _ended(work: list[_Work], sessions: SessionFactory) -> None:
    with sessions() as session:
        for item in work:
            document = session.get(models.Document, item.document_id)
            if document is not None:
                document.started_at = None


def _convert_alone(item: _Work, converter: Converter, sessions: SessionFactory,
                   storage: Storage) -> bytes | None:
    """One document on its own; a document that kills LibreOffice twice is set aside as poison."""
    try:
        return convert_repeated(converter, [item.parts], item.cache)[0]
    except ConverterUnavailableError as exc:
        if item.attempts < POISON_AFTER:
            raise  # maybe LibreOffice was the problem, not the document: the task retries
        key = f"{item.base}.poison.docx"
        storage.put(key, item.docx)  # kept for diagnosis
        mark_failed(item.document_id, PoisonDocumentError(
            f"Tài liệu làm LibreOffice dừng hoặc treo {item.attempts} lần; đã tách riêng để kiểm tra "
            f"({key}). Lỗi cuối: {exc.detail}"), sessions=sessions)
        return None
    except ServiceError as exc:
        mark_failed(item.document_id, exc, sessions=sessions)
        return None


def _store(built: list[tuple[_Work, bytes]], storage: Storage, sessions: SessionFactory) -> None:
    """Write the files, then mark every document of the group done in one transaction."""
    rows = []
    for item, made in built:
        base = item.base
        pdf = made
        if item.signature_fields:
            with stage("signature fields"):
                pdf = add_fields(made)  # provenance: the final bytes
        with stage("storage"):
            storage.put(f"{base}.docx", item.docx)
            storage.put(f"{base}.pdf", pdf)
            if item.instance.doc_type.spreadsheet is not None:
                storage.put(f"{base}.xlsx", item.instance.doc_type.spreadsheet(item.meeting))
        with stage("provenance"):
            rows.append((item.document_id, base, page_count(pdf),
                         item.source.version_id if item.source else None, provenance(item, made, pdf)))
    with stage("storage"), sessions() as session:
        for document_id, base, pages, version_id, made_of in rows:
            document = session.get(models.Document, document_id)
            if document is None:  # its job was corrected or deleted meanwhile: nothing to record
                continue
            document.status = models.DONE
            document.docx_key, document.pdf_key = f"{base}.docx", f"{base}.pdf"
            document.pages = pages
            document.template_version_id = version_id
            document.error_type = document.error_detail = None
            document.pdf_sha256 = made_of["pdf"]
            document.provenance_json = json.dumps(made_of, ensure_ascii=False)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _template_sha256(renderer: DocxRenderer, instance: Instance) -> str:
    path = renderer.template_dir / instance.doc_type.template
    return _sha256(path.read_bytes()) if path.is_file() else ""


def provenance(item: _Work, pdf: bytes, final: bytes | None = None) -> dict[str, Any]:
    """What made the document, each by SHA-256, and its PDF's own SHA-256.

    *pdf* is what LibreOffice made; *final* the stored file when it differs (signature fields
    added: pyHanko names itself the producer): its SHA-256 is the PDF's. A document edited
    outside the service (``edited``: the DOCX the secretary uploaded) keeps that record.
    """
    read = reader_of(pdf)  # once for the producer and the fonts
    made = {"input": item.input_sha256, "template": {"file": item.instance.doc_type.template,
                                                     "sha256": item.template_sha256},
            "libreoffice": producer(read), "fonts": font_digests(read), "pdf": _sha256(final or pdf)}
    if item.edited is not None:  # not made from the template: her DOCX (its SHA-256 as "template")
        made["edited"] = item.edited
    return made


def chunks(documents: list[models.Document], size: int, spread: int = 2) -> list[list[str]]:
    """Document ids grouped by type, at most *size* a group and each type's documents in at least
    *spread* groups (the worker processes): the unit of one task.

    The largest groups first (of equal ones, in the documents' order): one meeting's 15
    self-reviews are two tasks of 8 and 7 that start at once, one on each worker process, and
    the small ones follow, instead of one process making all 15 while the other waits.
    """
    by_type: dict[str, list[str]] = {}
    for document in documents:
        by_type.setdefault(document.doc_type, []).append(document.id)
    parts = []
    for ids in by_type.values():
        step = math.ceil(len(ids) / max(spread, math.ceil(len(ids) / size)))
        parts += [ids[start:start + step] for start in range(0, len(ids), step)]
    return sorted(parts, key=len, reverse=True)


def mark_failed(document_id: str, error: BaseException, *, sessions: SessionFactory,
                unless_done: bool = False) -> None:
    """Record that *document_id* failed, with a Vietnamese reason."""
    with sessions() as session:
        document = session.get(models.Document, document_id)
        if document is None or (unless_done and document.status == models.DONE):
            return
        document.status = models.FAILED
        if isinstance(error, ServiceError):
            document.error_type, document.error_detail = error.type, error.detail
        else:
            document.error_type = "internal-error"
            document.error_detail = "Lỗi hệ thống khi tạo tài liệu; xem nhật ký của worker."
