"""The fast rendering path produces exactly docxtpl's document.xml."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from service.documents import instances, render_context
from service.documents.rendering import DocxRenderer
from service.meetings.validation import parse_meeting
from tests.support.factories import SAMPLES


def _document_xml(docx: bytes) -> bytes:
    return zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml")


@pytest.mark.parametrize("sample", sorted(p.name for p in SAMPLES.glob("*.json")))
def test_fast_path_equals_docxtpl(sample):
    """For every document of every sample, the body is byte for byte docxtpl's."""
    meeting = parse_meeting(json.loads((SAMPLES / sample).read_text(encoding="utf-8")))
    renderer = DocxRenderer()
    for instance in instances(meeting):
        context = render_context(instance, meeting)
        fast = renderer.render(instance.doc_type.template, context)
        reference = renderer.render_docxtpl(renderer.template_dir / instance.doc_type.template, context)
        assert _document_xml(fast) == _document_xml(reference), instance.name
