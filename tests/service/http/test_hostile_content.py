"""Hostile text that is accepted stays harmless: paths stay inside, templates and formulas stay text."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from service import extensions
from service.documents import instances, render_context
from service.documents.rendering import DocxRenderer
from service.extensions import get_storage
from service.jobs import models, pipeline
from service.meetings.schemas import DangBoReview
from service.meetings.summary import summarize
from service.meetings.validation import parse_meeting
from service.spreadsheets.reader import parse_workbook
from service.spreadsheets.summary import to_xlsx
from service.spreadsheets.workbook import blank_workbook
from tests.support.building import pack
from tests.support.factories import dang_bo_payload, small_meeting, workbook_bytes
from tests.support.fakes import FakeConverter
from tests.support.hostile import replace_in_entry, sheet_entry

CLIMBER, SLASHED = "../../etc/passwd", "a/b\\c"
TEMPLATE_TEXT = "{{ 7*7 }} {% for x in range(3) %}{{ x }}{% endfor %}"
FORMULAS = ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1:A2)"]  # three chi bộ and the đảng bộ


def _hostile_meeting(org_name=CLIMBER, member=SLASHED, speech=CLIMBER):
    members = [{"name": member}, {"name": "..", "id": "../x"}]
    ratings = [{"member": member, "self_rating": "tot", "votes": {"tot": 2}},
               {"member": "../x", "self_rating": "tot", "votes": {"tot": 2}}]
    data = small_meeting(members, ratings, chi_bo_votes={"tot": 2},
                         discussion=[{"speaker": member, "content": speech}])
    data["organisation"]["name"] = org_name
    return data


def _build_all(app, document_ids):
    with app.app_context():
        pipeline.build_documents(document_ids, sessions=extensions.session_scope, storage=get_storage(),
                                 renderer=DocxRenderer(), converter=FakeConverter())
    pack(app, document_ids)


def _assert_safe_name(name):
    assert ".." not in name.split("/") and "\\" not in name and not name.startswith("/"), name


def _filename(response):
    match = re.search(r'filename="?([^";]+)"?', response.headers["Content-Disposition"])
    assert match, response.headers["Content-Disposition"]
    return match.group(1)


def test_path_like_names_stay_inside_storage_zip_and_file_names(app, client, monkeypatch, tmp_path):
    """A chi bộ "../../etc/passwd" and a member "a/b\\c": keys, ZIP entries and file names stay inside."""
    from service.jobs import queue

    monkeypatch.setattr(queue, "dispatch", lambda documents, size, **_: None)
    job = client.post("/api/v1/jobs", json=_hostile_meeting()).get_json()
    _build_all(app, _document_ids(app, job["id"]))
    root = Path(app.config["STORAGE_PATH"]).resolve()
    stored = [p.resolve() for p in root.rglob("*") if p.is_file()]
    assert stored and all(p.is_relative_to(root / "jobs" / job["id"]) for p in stored)
    assert not (tmp_path / "etc").exists() and not any(tmp_path.rglob("passwd*"))
    job = client.get(f"/api/v1/jobs/{job['id']}").get_json()
    assert job["status"] == "done"
    package = client.get(job["links"]["package"])
    names = zipfile.ZipFile(io.BytesIO(package.data)).namelist()
    stem = names[0].split("/")[0]
    assert stem == "etc-passwd-nam-2025" and all(n.startswith(f"{stem}/") for n in names)
    for name in names:
        _assert_safe_name(name)
    downloads = [package, client.get(job["links"]["print"])]
    downloads += [client.get(link) for d in job["documents"] for link in d["links"].values()]
    for response in downloads:
        assert response.status_code == 200
        _assert_safe_name(_filename(response))
        assert "/" not in _filename(response)


def _document_ids(app, job_id):
    with app.app_context(), extensions.session_scope() as session:
        return [d.id for d in session.get(models.Job, job_id).documents]


def test_path_like_names_stay_inside_the_batch_zip(app, client, monkeypatch):
    """A đảng bộ and its chi bộ named like paths: the batch ZIP has one folder per chi bộ, inside."""
    from service.jobs import queue

    sent = []
    monkeypatch.setattr(queue, "dispatch", lambda documents, size, **_: sent.extend(d.id for d in documents))
    data = dang_bo_payload(chi_bo=[_hostile_meeting(), _hostile_meeting(org_name="..\\..\\Windows")],
                           decisions=[])
    data["dang_bo"]["name"] = "/../../root"
    batch = client.post("/api/v1/batches", json=data).get_json()
    _build_all(app, sent)
    response = client.get(batch["links"]["package"])
    assert response.status_code == 200
    assert _filename(response) == "root-tong-hop-nam-2025-toan-bo.zip"
    names = zipfile.ZipFile(io.BytesIO(response.data)).namelist()
    assert {n.split("/")[0] for n in names} == {"root-tong-hop-nam-2025", "etc-passwd-nam-2025",
                                               "windows-nam-2025"}
    for name in names:
        _assert_safe_name(name)


@pytest.mark.parametrize("path", ["fast", "docxtpl"])
def test_template_syntax_in_names_and_speeches_is_printed_literally(path):
    """{{ 7*7 }} and {% for %} in a name and a speech appear as typed in document.xml; 49 never."""
    meeting = parse_meeting(_hostile_meeting(org_name=f"Chi bộ {TEMPLATE_TEXT}", member=TEMPLATE_TEXT,
                                             speech=TEMPLATE_TEXT))
    renderer = DocxRenderer()
    for instance in instances(meeting, ["bien_ban_kiem_diem", "ban_kiem_diem_ca_nhan"]):
        context = render_context(instance, meeting)
        template = instance.doc_type.template
        docx = (renderer.render(template, context) if path == "fast" else
                renderer.render_docxtpl(renderer.template_dir / template, context))
        xml = zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml").decode()
        text = "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))
        assert TEMPLATE_TEXT in text
        assert "49" not in text and "012" not in text


def _summary_book(names):
    data = dang_bo_payload()
    for chi_bo, name in zip(data["chi_bo"], names, strict=False):
        chi_bo["organisation"]["name"] = name
    data["decisions"] = []
    data["dang_bo"]["name"] = names[-1]
    return to_xlsx(summarize(DangBoReview.model_validate(data)))


def test_formula_names_are_written_back_as_text():
    """Chi bộ named "=cmd|…", "+1+1", "-2+3", "@SUM…": text cells with the quote prefix, as typed."""
    data = _summary_book(FORMULAS)
    archive = zipfile.ZipFile(io.BytesIO(data))
    sheets = [archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/")]
    assert sheets and not any(b"<f>" in sheet or b"<f " in sheet for sheet in sheets)
    book = load_workbook(io.BytesIO(data))
    cells = {c.value: c for sheet in book for row in sheet.iter_rows() for c in row
             if isinstance(c.value, str)}
    for name in FORMULAS:
        assert cells[name].data_type == "s" and cells[name].quotePrefix, name
    assert not cells["Tổng cộng"].quotePrefix


def test_the_blank_workbook_has_no_formula_cells():
    """The blank workbook is values and text only."""
    archive = zipfile.ZipFile(io.BytesIO(blank_workbook()))
    assert not any(b"<f>" in archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/"))


def test_a_formula_is_read_as_its_cached_value_never_its_text():
    """<f>cmd|' /C calc'!A0</f> cached as a name: the name is read; the formula is never seen."""
    data = workbook_bytes()
    name = sheet_entry(data, "Đảng viên")
    cached = ("<c r=\"C2\" t=\"str\"><f>cmd|' /C calc'!A0</f><v>Trần Văn Bình</v></c>").encode()
    data = replace_in_entry(data, name, rb'<c r="C2"[^>]*>.*?</c>', cached)
    assert b"cmd|" in zipfile.ZipFile(io.BytesIO(data)).read(name)
    review = parse_workbook(data)
    assert review.chi_bo[0].members[0].name == "Trần Văn Bình"
    assert "cmd" not in review.model_dump_json()


def test_a_formula_without_a_cached_value_is_an_empty_cell():
    """A DDE formula nobody computed reads as empty: the required name is reported missing."""
    from service.errors import InvalidMeetingError

    def edit(book):
        book["Chi bộ"]["B2"] = "=cmd|' /C calc'!A0"
    with pytest.raises(InvalidMeetingError) as caught:
        parse_workbook(workbook_bytes(edit))
    assert [(p.sheet, p.row, p.column) for p in caught.value.problems] == [("Chi bộ", 2, "Tên chi bộ")]

