"""Jobs, documents and batches as the API shows them (and the pages render them)."""

from __future__ import annotations

from typing import Any

from flask import url_for

from service.documents import DOCUMENT_TYPES
from service.http.files import FORMATS
from service.jobs import batches, models

STATE = {models.QUEUED: "đang chờ tạo", models.RUNNING: "đang được tạo", models.FAILED: "bị lỗi",
         models.DONE: "đã xong"}


def document_json(job: models.Job, document: models.Document) -> dict[str, Any]:
    """One document: its state, and its download links once it is done."""
    body: dict[str, Any] = {
        "name": document.name,
        "type": document.doc_type,
        "title": document.title,
        "status": document.status,
        "attempts": document.attempts,
    }
    if document.status == models.DONE:
        body["pages"] = document.pages
        formats = [f for f in FORMATS if f != "xlsx" or DOCUMENT_TYPES[document.doc_type].spreadsheet]
        body["links"] = {fmt: url_for("api.download", job_id=job.id, name=document.name,
                                      fmt=fmt) for fmt in formats}
    if document.status == models.FAILED:
        body["error"] = {"type": document.error_type, "detail": document.error_detail}
    return body


def job_json(job: models.Job) -> dict[str, Any]:
    """The job as the API shows it."""
    return {
        "id": job.id,
        "kind": job.kind,
        "title": job.title,
        "status": job.status,
        "created_at": job.created_at.isoformat() + "Z",
        "warnings": job.warnings,
        "documents": [document_json(job, d) for d in job.documents],
        "links": {"self": url_for("api.get_job", job_id=job.id),
                  "package": url_for("api.download_package", job_id=job.id),
                  "print": url_for("api.print_file", job_id=job.id)},
    }


def batch_links(batch_id: str) -> dict[str, str]:
    """The batch's own addresses."""
    return {"self": url_for("batches.get_batch", batch_id=batch_id),
            "package": url_for("batches.batch_package", batch_id=batch_id),
            "retry": url_for("batches.retry_batch", batch_id=batch_id)}


def batch_json(batch: models.Batch, lost: list[models.Document], *, links: bool = True) -> dict[str, Any]:
    """The batch with its progress, *lost* documents included, and every job."""
    return batches.batch_json(batch, job_json, batch_links(batch.id) if links else {}, lost)
