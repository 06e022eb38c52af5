"""service.jobs.signoffs: per job, who signed each document of its latest revision."""

from __future__ import annotations

import json

from service.jobs import models, revisions
from service.jobs.signoffs import job_signoffs, signoffs


def _job() -> models.Job:
    job = models.Job(id="j1", kind="annual_review", title="Chi bộ A", input_key="jobs/j1/input.json",
                     revision=1)
    for position, name in enumerate(["bien_ban_kiem_diem", "bien_ban_kiem_phieu", "bao_cao"]):
        job.documents.append(models.Document(id=f"d{position}", position=position, doc_type=name,
                                             name=name, title=name.upper(), status=models.DONE,
                                             pdf_key=f"jobs/j1/r1/d{position}.pdf"))
    return job


def test_signers_trust_and_scans_of_the_latest_revision():
    """A trusted signer, an untrusted one, and a hand-signed scan, each as it is."""
    job = _job()
    job.documents[0].signed_json = json.dumps({"signer": "Trần Văn Bình", "trusted": True})
    job.documents[1].signed_json = json.dumps({"signer": "Tự Ký", "trusted": False})
    job.documents[2].scan_json = json.dumps({"key": "x.scan.png"})
    found = signoffs([job])["j1"]
    assert [(s.signer, s.trusted, s.hand_signed, s.signed) for s in found] == [
        ("Trần Văn Bình", True, False, True), ("Tự Ký", False, False, True), (None, False, True, True)]


def test_a_document_rebuilt_after_signing_is_unsigned_and_names_the_signed_revision():
    """'Tạo lại' of a signed document: revision 2 unsigned, revision 1 named as the signed one."""
    job = _job()
    job.documents[0].signed_json = json.dumps({"signer": "Trần Văn Bình", "trusted": True})
    revisions.rebuild_as_revision(job, "bien_ban_kiem_diem", changed_by=None)
    first, second = job_signoffs(job)[:2]
    assert (first.revision, first.signed, first.earlier_signed) == (2, False, 1)
    assert (second.signed, second.earlier_signed) == (False, None)  # carried over, never signed
