"""The document types the service makes: one context module each, next to its template.

A new document type is a form ``doc_templates/forms/<name>.py``, the template
``doc_templates/<name>.docx`` it builds (``python -m doc_templates.build``), and a module here
whose ``context(meeting, figures, subject)`` turns computed figures into the plain strings the
template prints, registered below; ``registry_problems`` says what of that is missing.
A type with ``per_member`` makes one document for each member to be rated (``subject``),
numbered by the member's place in the members list. A type of identical copies (the ballots)
has ``parts``: what LibreOffice lays out once and how many times its pages stand in the PDF,
and ``note``: the number of copies to print, said in the document's title.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from service.documents import (
    ban_kiem_diem_ca_nhan,
    bao_cao_kiem_diem,
    bien_ban_kiem_diem,
    bien_ban_kiem_phieu,
    bien_ban_sinh_hoat,
    nghi_quyet_sinh_hoat,
    phieu_danh_gia,
    tong_hop_xep_loai,
)
from service.documents.common import Part, slug
from service.meetings.figures import Figures, compute, figures_for
from service.meetings.schemas import AnnualReview, AnyMeeting, DangBoReview
from service.meetings.summary import summarize
from service.spreadsheets.summary import to_xlsx


def summary_xlsx(review: DangBoReview) -> bytes:
    """The đảng bộ summary as a workbook."""
    return to_xlsx(summarize(review))

Context = Callable[[Any, Any, Any], dict[str, Any]]
MAX_SLUG = 100  # of a member's name in a document name (the column holds 200)


@dataclass(frozen=True)
class DocumentType:
    """A kind of document: its id, title, template, the meeting kind it belongs to."""

    id: str
    title: str
    template: str
    kind: str
    context: Context
    per_member: bool = False
    spreadsheet: Callable[[Any], bytes] | None = None
    parts: Callable[[Any, Any, Any], list[Part]] | None = None
    note: Callable[[Any, Any], str] | None = None
    applies: Callable[[Any], bool] | None = None  # made only for meetings it says yes to


@dataclass(frozen=True)
class Instance:
    """One document to build: a type, and for per-member types the member's key."""

    doc_type: DocumentType
    subject: str | None
    name: str
    title: str


_TYPES = (
    DocumentType("bien_ban_kiem_diem", "Biên bản hội nghị kiểm điểm, đánh giá, xếp loại chất lượng",
                 "bien_ban_kiem_diem.docx", "annual_review", bien_ban_kiem_diem.context),
    DocumentType("bao_cao_kiem_diem", "Báo cáo kiểm điểm, tự đánh giá, xếp loại chất lượng tập thể",
                 "bao_cao_kiem_diem.docx", "annual_review", bao_cao_kiem_diem.context),
    DocumentType("ban_kiem_diem_ca_nhan", "Bản kiểm điểm, tự đánh giá, xếp loại cá nhân",
                 "ban_kiem_diem_ca_nhan.docx", "annual_review", ban_kiem_diem_ca_nhan.context,
                 per_member=True),
    DocumentType("phieu_danh_gia_dang_vien", "Phiếu đánh giá, xếp loại chất lượng đảng viên",
                 "phieu_danh_gia_dang_vien.docx", "annual_review", phieu_danh_gia.members_context,
                 parts=phieu_danh_gia.members_parts, note=phieu_danh_gia.members_note),
    DocumentType("phieu_danh_gia_chi_bo", "Phiếu đánh giá, xếp loại chất lượng chi bộ",
                 "phieu_danh_gia_chi_bo.docx", "annual_review", phieu_danh_gia.chi_bo_context,
                 parts=phieu_danh_gia.chi_bo_parts, note=phieu_danh_gia.chi_bo_note),
    DocumentType("bien_ban_kiem_phieu", "Biên bản kiểm phiếu",
                 "bien_ban_kiem_phieu.docx", "annual_review", bien_ban_kiem_phieu.context),
    DocumentType("bien_ban_sinh_hoat", "Biên bản sinh hoạt chi bộ định kỳ",
                 "bien_ban_sinh_hoat.docx", "monthly", bien_ban_sinh_hoat.context),
    DocumentType("nghi_quyet_sinh_hoat", "Nghị quyết chi bộ tháng",
                 "nghi_quyet_sinh_hoat.docx", "monthly", nghi_quyet_sinh_hoat.context,
                 applies=nghi_quyet_sinh_hoat.applies),
    DocumentType("tong_hop_xep_loai", "Biểu tổng hợp kết quả đánh giá, xếp loại chất lượng",
                 "tong_hop_xep_loai.docx", "dang_bo", tong_hop_xep_loai.context,
                 spreadsheet=summary_xlsx),
)
DOCUMENT_TYPES: dict[str, DocumentType] = {doc.id: doc for doc in _TYPES}


# modules of this package that are not the context of a document type
NOT_CONTEXTS = frozenset({"__init__", "common", "package", "rendering", "catalogue", "meanings",
                          "names", "marks"})


def registry_problems(types: Iterable[DocumentType], forms: Path, templates: Path,
                      contexts: Path) -> list[str]:
    """What keeps the registry, the forms and the context modules from matching, by file path.

    Every type needs its form ``forms/<template>.py``, its built ``templates/<template>.docx``
    and its context module ``contexts/<module>.py``; every form and every context module
    (but those of ``NOT_CONTEXTS``) needs a registered type. Reads no file and imports
    nothing, so the service stays apart from ``doc_templates``. Empty when all is in order.
    """
    problems: list[str] = []
    registered_forms: set[str] = set()
    registered_contexts: set[str] = set()
    for doc_type in types:
        name = Path(doc_type.template).stem
        module = doc_type.context.__module__.rpartition(".")[2]
        registered_forms.add(name)
        registered_contexts.add(module)
        if not (forms / f"{name}.py").is_file():
            problems.append(f"{doc_type.id}: no form {forms / name}.py")
        if not (templates / f"{name}.docx").is_file():
            problems.append(f"{doc_type.id}: template {templates / name}.docx is not built")
        if not (contexts / f"{module}.py").is_file():
            problems.append(f"{doc_type.id}: no context module {contexts / module}.py")
    for path in sorted(forms.glob("*.py")):
        if path.stem != "__init__" and path.stem not in registered_forms:
            problems.append(f"form {path} has no registered document type")
    for path in sorted(contexts.glob("*.py")):
        if path.stem not in NOT_CONTEXTS and path.stem not in registered_contexts:
            problems.append(f"context module {path} has no registered document type")
    return problems


def types_for(kind: str) -> list[DocumentType]:
    """The document types of a meeting kind, in the order of the file."""
    return [doc for doc in _TYPES if doc.kind == kind]


def instances(meeting: AnyMeeting, only: list[str] | None = None, figures: Any = None) -> list[Instance]:
    """Every document *meeting* produces (or the subset *only*), in the order of the file.

    *figures*: the meeting's figures (``meeting_figures``) when the caller has them already.
    """
    found = []
    if not isinstance(meeting, AnnualReview):
        figures = None
    elif figures is None:
        figures = compute(meeting)
    for doc_type in types_for(meeting.kind):
        if only and doc_type.id not in only:
            continue
        if doc_type.applies is not None and not doc_type.applies(meeting):
            continue
        if not doc_type.per_member:
            title = doc_type.title
            if doc_type.note is not None:
                title = f"{title} ({doc_type.note(meeting, figures)})"
            found.append(Instance(doc_type, None, doc_type.id, title))
            continue
        assert isinstance(figures, Figures)
        # numbered by the place in the members list, as the tables are
        for index, item in enumerate(figures.member_results, start=1):
            if not item.on_ballot:
                continue
            name = item.member.name
            found.append(Instance(doc_type, item.member.key,  # a name, not a path: slug() is [a-z0-9-]
                                  f"{doc_type.id}-{index:02d}-{slug(name)[:MAX_SLUG].rstrip('-')}",
                                  f"{doc_type.title} – đồng chí {name}"))
    return found


def meeting_figures(meeting: AnyMeeting) -> Any:
    """The computed figures a meeting's contexts are built from."""
    return summarize(meeting) if isinstance(meeting, DangBoReview) else figures_for(meeting)


def render_context(instance: Instance, meeting: AnyMeeting, figures: Any = None) -> dict[str, Any]:
    """The context of one document instance (*figures* when already computed)."""
    if figures is None:
        figures = meeting_figures(meeting)
    return instance.doc_type.context(meeting, figures, instance.subject)


def render_parts(instance: Instance, meeting: AnyMeeting, figures: Any = None) -> list[Part]:
    """What LibreOffice lays out for one document instance, and the times each part's pages stand.

    A document is its context, once; a document of identical copies is one copy (a sheet of
    copies) standing once per copy, and a last sheet partly blank. The first part is the DOCX.
    """
    if figures is None:
        figures = meeting_figures(meeting)
    if instance.doc_type.parts is None:
        return [Part(render_context(instance, meeting, figures))]
    return instance.doc_type.parts(meeting, figures, instance.subject)
