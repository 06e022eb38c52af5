"""The records of jobs, documents and batches: derived states and storage keys."""

from __future__ import annotations

import pytest

from service.jobs import models


@pytest.mark.parametrize(("states", "status"), [
    (set(), models.QUEUED), ({models.QUEUED}, models.QUEUED), ({models.DONE}, models.DONE),
    ({models.DONE, models.FAILED}, models.FAILED), ({models.FAILED}, models.FAILED),
    ({models.DONE, models.QUEUED}, models.RUNNING), ({models.RUNNING, models.FAILED}, models.RUNNING),
])
def test_a_job_status_is_derived_from_its_documents(states, status):
    """Done when all are, failed when none is pending and one failed, else still running."""
    assert models.derived_status(states) == status


def test_keys_are_ids_and_numbers_and_old_keys_are_kept():
    """``jobs/<id>/r<n>/<document id>``: never a name; a document with keys already keeps them."""
    job = models.Job(id="j1", input_key="", revision=3)
    new = models.Document(id="d1", position=0, doc_type="bien_ban_kiem_diem", name="bien-ban", title="t")
    old = models.Document(id="d2", position=1, doc_type="bien_ban_kiem_diem", name="x", title="t",
                          pdf_key="jobs/j1/x.pdf")
    assert job.key_base(new) == "jobs/j1/r3/d1"
    assert job.key_base(old) == "jobs/j1/x"


def test_a_package_takes_a_signed_copy_only_when_trusted():
    """The trusted signed copy, else the PDF the service made."""
    assert models.signed_package_key({"key": "k.signed.pdf", "trusted": True}, "b") == "k.signed.pdf"
    assert models.signed_package_key({"key": "k.signed.pdf", "trusted": False}, "b") == "b.pdf"
    assert models.signed_package_key(None, "b") == "b.pdf"
