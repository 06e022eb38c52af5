"""Filling the DOCX templates with real docxtpl."""

from __future__ import annotations

import io
import zipfile

import pytest
from docx import Document

from doc_templates.build import FORMS, build
from service.documents import DOCUMENT_TYPES
from service.documents.rendering import DocxRenderer
from service.errors import RenderError
from service.meetings.figures import compute
from service.meetings.validation import parse_meeting
from tests.support.factories import SAMPLES, meeting_payload

TEMPLATES = SAMPLES.parent


def _raw_text(docx: bytes) -> str:
    doc = Document(io.BytesIO(docx))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        parts.extend(cell.text for row in table.rows for cell in row.cells)
    return "\n".join(parts)


def _text(docx: bytes) -> str:
    # the header binds place names with no-break spaces (test_place_names_do_not_break)
    return _raw_text(docx).replace("\u00a0", " ")


def _render(data):
    meeting = parse_meeting(data)
    doc_type = DOCUMENT_TYPES["bien_ban_kiem_diem"]
    return _text(DocxRenderer().render(doc_type.template, doc_type.context(meeting, compute(meeting))))


def test_sample_renders_with_computed_figures():
    """The biên bản carries the header, the date line and the computed tallies."""
    text = _render(meeting_payload())
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text
    assert "CHI BỘ TRƯỜNG TIỂU HỌC THẠCH LINH" in text
    assert "Hà Tĩnh, ngày 05 tháng 12 năm 2025" in text
    assert "Số 01-BB/CB" in text
    assert "11/12" in text
    assert "07 (77,8%)" in text


def test_place_names_do_not_break():
    """The header and the date line hold their place names with no-break spaces."""
    meeting = parse_meeting(meeting_payload())
    doc_type = DOCUMENT_TYPES["bien_ban_kiem_diem"]
    text = _raw_text(DocxRenderer().render(doc_type.template, doc_type.context(meeting, compute(meeting))))
    assert "ĐẢNG BỘ PHƯỜNG THÀNH\u00a0SEN" in text
    assert "CHI BỘ TRƯỜNG TIỂU HỌC THẠCH\u00a0LINH" in text
    assert "Hà\u00a0Tĩnh, ngày 05 tháng 12 năm 2025" in text


def test_markup_in_data_is_printed_literally():
    """&, <, quotes and {{ }} typed by a user appear as typed and do not run."""
    data = meeting_payload()
    hostile = 'Ý kiến & <b>đậm</b> "trích" {{ 7*7 }} {% raw %}'
    data["discussion"][0]["content"] = hostile
    assert hostile in _render(data)


def test_missing_variable_is_an_error_not_a_blank():
    """StrictUndefined: a template variable the context lacks fails the render."""
    template = DOCUMENT_TYPES["bien_ban_kiem_diem"].template
    with pytest.raises(RenderError):
        DocxRenderer().render(template, {"h": {}})


def test_unknown_template_is_a_render_error():
    """A template file that does not exist is reported, not crashed on."""
    with pytest.raises(RenderError):
        DocxRenderer().render("nope.docx", {})


def test_very_long_names_render():
    """A 114-character name is kept whole."""
    data = meeting_payload()
    long_name = "Nguyễn " * 16 + "An"
    data["members"][2]["name"] = long_name
    data["ratings"][2]["member"] = long_name
    assert long_name in _render(data)


@pytest.mark.parametrize("sample", sorted(p.name for p in SAMPLES.glob("*.json")))
def test_every_document_of_every_sample_renders(sample):
    """Each template renders each sample with no missing variable."""
    import json

    from service.documents import instances, render_context

    meeting = parse_meeting(json.loads((SAMPLES / sample).read_text(encoding="utf-8")))
    for instance in instances(meeting):
        docx = DocxRenderer().render(instance.doc_type.template, render_context(instance, meeting))
        assert docx.startswith(b"PK")


def test_self_review_variant_follows_the_member():
    """A leader gets Mẫu 02A, a retiree 02C, everyone else 02B."""
    from service.documents.ban_kiem_diem_ca_nhan import variant
    from service.meetings.schemas import Member

    assert variant(Member(name="A", leadership_post=True)) == "02A"
    assert variant(Member(name="B", outside_political_system=True)) == "02C"
    assert variant(Member(name="C")) == "02B"


def test_templates_are_reproducible(tmp_path):
    """doc_templates.build rebuilds each committed template to the same document XML."""
    for name in FORMS:
        fresh = build(name, tmp_path)
        with zipfile.ZipFile(fresh) as new, zipfile.ZipFile(TEMPLATES / f"{name}.docx") as old:
            assert new.read("word/document.xml") == old.read("word/document.xml"), name
