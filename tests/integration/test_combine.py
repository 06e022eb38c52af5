"""Documents converted together and split back equal the same documents converted alone.

Equal means the same words in the same order and the same page count. LibreOffice honours
keep-with-next a little differently for a document that does not open the combined file
(seen for 3 of 75 sample documents: a heading at the foot of page 1 moves to page 2, with
its paragraph), so the page-number lines are left out of the comparison.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator

import pytest
from pypdf import PdfReader

from service.combine import convert_many
from service.converter import UnoserverConverter
from service.documents import instances, render_context
from service.office import OfficeProcess, default_unoserver_command
from service.rendering import DocxRenderer
from service.validation import parse_meeting
from tests.factories import SAMPLES

pytestmark = pytest.mark.integration


@pytest.fixture(name="converter", scope="module")
def _converter() -> Iterator[UnoserverConverter]:
    with OfficeProcess(default_unoserver_command()) as office:
        yield UnoserverConverter(office)


def _text(pdf: bytes, tmp_path) -> str:
    """The words of the PDF in reading order, page-number lines left out."""
    path = tmp_path / "t.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                         check=True).stdout.decode()
    lines = [line.strip() for line in out.splitlines()]
    return " ".join(" ".join(line for line in lines if line and not line.isdigit()).split())


def _rendered(doc_type: str) -> list[bytes]:
    docs = []
    for sample in ("annual_review_2025", "annual_review_2025_small", "annual_review_2024"):
        meeting = parse_meeting(json.loads((SAMPLES / f"{sample}.json").read_text(encoding="utf-8")))
        docs += [DocxRenderer().render(i.doc_type.template, render_context(i, meeting))
                 for i in instances(meeting) if i.doc_type.id == doc_type]
    return docs


@pytest.mark.parametrize("doc_type", ["ban_kiem_diem_ca_nhan", "bien_ban_kiem_diem",
                                      "phieu_danh_gia_dang_vien", "bien_ban_kiem_phieu"])
def test_split_documents_equal_documents_converted_alone(doc_type, converter, tmp_path):
    """Same text and page count, document by document, including multi-page ones."""
    docs = _rendered(doc_type)
    together = convert_many(converter, docs)
    assert len(together) == len(docs)
    for docx, part in zip(docs, together, strict=True):
        alone = converter.to_pdf(docx)
        assert len(PdfReader_(part).pages) == len(PdfReader_(alone).pages)
        assert _text(part, tmp_path) == _text(alone, tmp_path)


def PdfReader_(pdf: bytes) -> PdfReader:
    import io

    return PdfReader(io.BytesIO(pdf))
