"""Documents converted together and split back equal the same documents converted alone.

Equal means the same page count and the same words, each as often. LibreOffice lays a
document out a little differently when it does not open the file (seen for 2–3 of 75 sample
documents: a heading or one table row at the foot of a page moves to the next page), which
moves the page number and a repeated table header within the text, so the words are
compared as counts; ``test_most_documents_are_identical_line_for_line`` keeps that drift rare.
"""

from __future__ import annotations

import json
import subprocess
from collections import Counter

import pytest
from pypdf import PdfReader

from service.conversion.combine import convert_many
from service.documents import instances, render_context
from service.documents.rendering import DocxRenderer
from service.meetings.validation import parse_meeting
from tests.factories import SAMPLES

pytestmark = pytest.mark.integration


def _layout(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "t.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          check=True).stdout.decode()


def _words(text: str) -> Counter[str]:
    """Every word with its count, page-number lines and repeated table headers aside."""
    lines = [line.strip() for line in text.splitlines()]
    words = Counter(" ".join(line for line in lines if line and not line.isdigit()).split())
    for header in ("TT", "Họ", "tên"):  # repeated at the top of each table page
        words.pop(header, None)
    return words


def _rendered(doc_type: str) -> list[bytes]:
    docs = []
    for sample in ("annual_review_2025", "annual_review_2025_small", "annual_review_2024"):
        meeting = parse_meeting(json.loads((SAMPLES / f"{sample}.json").read_text(encoding="utf-8")))
        docs += [DocxRenderer().render(i.doc_type.template, render_context(i, meeting))
                 for i in instances(meeting) if i.doc_type.id == doc_type]
    return docs


TYPES = ["ban_kiem_diem_ca_nhan", "bien_ban_kiem_diem", "phieu_danh_gia_dang_vien",
         "bien_ban_kiem_phieu", "bao_cao_kiem_diem"]


@pytest.fixture(name="pairs", scope="module")
def _pairs(converter) -> dict[str, list[tuple[bytes, bytes]]]:
    """For each type: (converted together and split, converted alone) per document."""
    found = {}
    for doc_type in TYPES:
        docs = _rendered(doc_type)
        together = convert_many(converter, docs)
        assert len(together) == len(docs)
        found[doc_type] = [(part, converter.to_pdf(docx)) for docx, part in zip(docs, together, strict=True)]
    return found


@pytest.mark.parametrize("doc_type", TYPES)
def test_split_documents_equal_documents_converted_alone(doc_type, pairs, tmp_path):
    """Same page count and the same words, document by document, multi-page ones included."""
    for part, alone in pairs[doc_type]:
        assert len(PdfReader_(part).pages) == len(PdfReader_(alone).pages)
        assert _words(_layout(part, tmp_path)) == _words(_layout(alone, tmp_path))


def test_most_documents_are_identical_line_for_line(pairs, tmp_path):
    """At least 90% of the documents are identical even as laid-out lines."""
    results = [_layout(part, tmp_path) == _layout(alone, tmp_path)
               for items in pairs.values() for part, alone in items]
    assert sum(results) >= 0.9 * len(results), f"{sum(results)}/{len(results)} identical"


def PdfReader_(pdf: bytes) -> PdfReader:
    import io

    return PdfReader(io.BytesIO(pdf))
