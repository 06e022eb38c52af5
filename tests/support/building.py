"""Building a job's documents in the test process: real docxtpl, the fake converter."""

from __future__ import annotations

import io
import re
import zipfile

from flask import Flask

from service import extensions
from service.customtemplates import versions
from service.documents.rendering import DocxRenderer
from service.extensions import get_storage
from service.jobs import models, packages, pipeline
from tests.support.fakes import FakeConverter


def build_all(app: Flask, job_id: str) -> None:
    """Build every queued document of the job *job_id* (as a worker would, with a fake PDF).

    The templates are chosen as the worker chooses them (an organisation's active upload).
    """
    with app.app_context():
        with extensions.session_scope() as session:
            ids = [d.id for d in session.get(models.Job, job_id).documents if d.status == models.QUEUED]
        pipeline.build_documents(ids, sessions=extensions.session_scope, storage=get_storage(),
                                 renderer=DocxRenderer(), converter=FakeConverter(),
                                 templates=versions.chooser(get_storage(),
                                                            chi_bo_own=app.config["CHI_BO_OWN_TEMPLATES"]))
    pack(app, ids)


def pack(app: Flask, document_ids: list[str]) -> None:
    """Build the packages these documents finished, and their batch's, as the worker's tasks do."""
    with app.app_context():
        for job_id in packages.finished_jobs(document_ids, sessions=extensions.session_scope):
            packages.build_job_package(job_id, sessions=extensions.session_scope, storage=get_storage())
            batch_id = packages.batch_of(job_id, sessions=extensions.session_scope)
            if batch_id is not None:
                packages.build_batch_package(batch_id, sessions=extensions.session_scope,
                                             storage=get_storage())


def docx_text(data: bytes) -> str:
    """The words of a DOCX, tags stripped, white space folded."""
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    return " ".join(re.sub(r"<[^>]+>", " ", xml).split())
