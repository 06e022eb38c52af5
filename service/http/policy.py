"""Who may correct or delete a job, and delete a batch: decided here, asked by the API and the pages.

The pages show a button only when the same rule the use case enforces says yes: templates call
``can_edit(job)`` and ``can_delete(job)`` (Jinja globals, the job as the API shows it), and
``actions`` refuse with ``delete_refusal``'s reason and ``require_office``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from service.http import auth

BUSY = frozenset({"queued", "running"})  # documents being made: nothing changes under them
FORM_KINDS = ("annual_review", "monthly")  # the kinds a page's form corrects (a summary: its chi bộ)
OFFICE = ("dang_uy", "admin")  # who sends a whole đảng bộ, sees batches and deletes them


def can_edit(job: Mapping[str, Any]) -> bool:
    """Whether the job's meeting may be corrected on its form now (a draft is finished, not edited)."""
    kind = str(job.get("kind"))
    return (kind in FORM_KINDS and edit_refusal(kind, bool(job.get("batch_id"))) is None
            and job.get("status") not in BUSY)


def edit_refusal(kind: str, in_batch: bool) -> str | None:
    """Why a job's meeting may not be corrected at all (None: it may; being built is asked apart)."""
    if in_batch and kind == "dang_bo":
        return "Biểu tổng hợp của lô được tạo lại từ hội nghị các chi bộ: hãy sửa hội nghị của chi bộ."
    return None


def delete_refusal(kind: str, in_batch: bool, role: str | None) -> str | None:
    """Why a job may not be deleted on its own (None: it may), for a caller of *role*.

    A chi bộ's job of a đảng ủy batch stays: the batch's summary and ZIP count every chi bộ
    (the secretary corrects it instead; the đảng ủy deletes the whole batch).
    """
    if not in_batch:
        return None
    if kind == "dang_bo":
        return "Đây là biểu tổng hợp của cả lô: hãy xoá cả lô tài liệu."
    if role == "chi_bo":
        return ("Hội nghị này thuộc lô tài liệu của đảng ủy, nên chi bộ không xoá riêng được: biểu tổng "
                "hợp và tệp ZIP của cả lô phải đủ mọi chi bộ. Nếu số liệu sai, hãy sửa hội nghị (nút "
                "\"Sửa\", hoặc PUT địa chỉ của việc): tài liệu và biểu tổng hợp được tạo lại. Muốn bỏ "
                "hẳn, hãy đề nghị văn phòng đảng ủy xoá cả lô.")
    return ("Hội nghị này thuộc một lô tài liệu: biểu tổng hợp và tệp ZIP của lô tính cả chi bộ này. Hãy "
            "sửa hội nghị, hoặc xoá cả lô tài liệu.")


def can_delete(job: Mapping[str, Any]) -> bool:
    """Whether the pages offer to delete the job: not one of a batch, and nothing being made."""
    refused = delete_refusal(str(job.get("kind")), bool(job.get("batch_id")), None)
    return refused is None and job.get("status") not in BUSY


def is_office() -> bool:
    """Whether the caller is a đảng ủy office (or an admin): batches are theirs."""
    return auth.caller().role in OFFICE


def require_office() -> auth.Caller:
    """The caller, if a đảng ủy office or an admin; else ForbiddenError."""
    return auth.require_role(*OFFICE)


def init_app(app: Flask) -> None:
    """Give every template the rules: ``can_edit(job)``, ``can_delete(job)``."""
    app.jinja_env.globals.update(can_edit=can_edit, can_delete=can_delete)
