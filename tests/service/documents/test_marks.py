"""service.documents.marks: the "DỰ THẢO" mark of a draft, on every header of any template."""

from __future__ import annotations

import io
import zipfile

import docx

from service.documents.marks import DRAFT_MARK, mark_draft
from service.documents.rendering import DocxRenderer
from tests.support.factories import meeting_payload
from tests.support.templatefiles import builtin


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _headers_text(data: bytes) -> list[str]:
    """The text of every header of every section, as Word reads them (python-docx)."""
    document = docx.Document(io.BytesIO(data))
    found = []
    for section in document.sections:
        for header in (section.header, section.first_page_header):
            found.append(" ".join(p.text for p in header.paragraphs))
    return found


def test_the_builtin_template_gets_the_mark_on_its_first_and_other_pages():
    """The biên bản's first-page header and its default header both begin with DỰ THẢO."""
    marked = mark_draft(builtin())
    assert all(text.strip().startswith(DRAFT_MARK) for text in _headers_text(marked))
    assert DRAFT_MARK not in " ".join(_headers_text(builtin()))


def test_a_template_without_headers_gets_one_holding_the_mark():
    """A đảng bộ's own template with no header at all: a header part is made, related and typed."""
    made = docx.Document()
    made.add_paragraph("Biên bản của chi bộ")
    plain = io.BytesIO()
    made.save(plain)
    assert DRAFT_MARK not in " ".join(_headers_text(plain.getvalue()))
    marked = mark_draft(plain.getvalue())
    assert docx.Document(io.BytesIO(marked)).sections[0].header.paragraphs[0].text.strip() == DRAFT_MARK
    parts = _parts(marked)
    assert b"header+xml" in parts["[Content_Types].xml"]
    assert "Biên bản của chi bộ" in parts["word/document.xml"].decode()


def test_the_renderer_marks_only_when_asked():
    """render(…, draft=True) adds the mark; the final render never carries it."""
    from service.documents import instances, meeting_figures
    from service.jobs.pipeline import render
    from service.meetings.validation import parse_meeting

    meeting = parse_meeting(meeting_payload())
    instance = next(i for i in instances(meeting, ["bien_ban_kiem_diem"]))
    renderer = DocxRenderer()
    final = render(instance, meeting, meeting_figures(meeting), renderer)[0][0]
    draft = render(instance, meeting, meeting_figures(meeting), renderer, draft=True)[0][0]
    assert DRAFT_MARK not in " ".join(_headers_text(final))
    assert DRAFT_MARK in " ".join(_headers_text(draft))
