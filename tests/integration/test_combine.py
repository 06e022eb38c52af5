"""Documents converted together and split back equal the same documents converted alone.

Every part LibreOffice lays out (a document, a ballot's copy or last sheet) of every sample —
the chi bộ of the đảng bộ sample too — is converted once alone (``convert_one``; the session
keeps these PDFs, which the golden test reads too: ``alone_pdfs``) and once in a
combined conversion of its template, grouped as a batch groups them (by template, across the
samples, ``BATCH_CHUNK_SIZE`` a group). Equal means the same pages with the same laid-out text,
page by page (``pdftotext -layout``): page breaks, page numbers and repeated table headers
included. Before each document had a lead of its own, 1–3 of 75 differed (a heading at a page
foot kept in one, moved in the other).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from service.config import DEFAULTS
from service.conversion.combine import convert_many
from service.documents import instances, meeting_figures
from service.documents.rendering import DocxRenderer
from service.jobs.pipeline import render
from service.meetings.schemas import DangBoReview
from service.meetings.validation import parse_meeting
from tests.integration.conftest import AloneKey, convert_alone
from tests.support.factories import SAMPLES

pytestmark = pytest.mark.integration

Unit = tuple[str, str, bytes]  # name, template, DOCX


def _pages(pdf: bytes, path: Path) -> list[str]:
    """The laid-out text of each page."""
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"],
                         capture_output=True, check=True).stdout.decode()
    return out.split("\f")[:-1]


# a đảng bộ's chi bộ: their first self-reviews only (the template of the other samples' ~50
# self-reviews, all compared; the golden test reads the samples' own meetings, not these)
SELF_REVIEW, CHI_BO_SELF_REVIEWS = "ban_kiem_diem_ca_nhan.docx", 2


def _units() -> list[Unit]:
    """Every part LibreOffice lays out, of every document of every sample, in sample order (a
    đảng bộ's chi bộ: their first CHI_BO_SELF_REVIEWS self-reviews)."""
    renderer, found = DocxRenderer(), []
    for sample in sorted(SAMPLES.glob("*.json")):
        review = parse_meeting(json.loads(sample.read_text(encoding="utf-8")))
        meetings = [review, *review.chi_bo] if isinstance(review, DangBoReview) else [review]
        for number, meeting in enumerate(meetings):
            figures = meeting_figures(meeting)
            own_reviews = 0
            for instance in instances(meeting):
                if number and instance.doc_type.template == SELF_REVIEW:
                    own_reviews += 1
                    if own_reviews > CHI_BO_SELF_REVIEWS:
                        continue
                for index, (docx, _) in enumerate(render(instance, meeting, figures, renderer)):
                    found.append((f"{sample.stem}[{number}]/{instance.name}#{index}",
                                  instance.doc_type.template, docx))
    return found


def _key(name: str) -> AloneKey:
    """``sample[number]/document#part`` as the key of ``alone_pdfs`` (the golden test's too)."""
    sample, rest = name.split("[", 1)
    number, rest = rest.split("]/", 1)
    document, part = rest.rsplit("#", 1)
    return sample, int(number), document, int(part)


@pytest.fixture(name="compared", scope="module")
def _compared(converter, alone_pdfs, tmp_path_factory) -> list[tuple[str, list[str], list[str]]]:
    """(name, pages alone, pages split out of the combined conversion) for every unit."""
    units, size = _units(), int(DEFAULTS["BATCH_CHUNK_SIZE"])
    by_template: dict[str, list[Unit]] = {}
    for unit in units:
        by_template.setdefault(unit[1], []).append(unit)
    path = tmp_path_factory.mktemp("combine") / "page.pdf"
    found = []
    for group in by_template.values():
        for start in range(0, len(group), size):
            chunk = group[start:start + size]
            together = convert_many(converter, [docx for _, _, docx in chunk])
            for (name, _, docx), part in zip(chunk, together, strict=True):
                alone = convert_alone(converter, alone_pdfs, _key(name), docx)
                found.append((name, _pages(alone, path), _pages(part, path)))
    assert len(found) == len(units)
    return found


def test_every_document_split_out_equals_it_converted_alone(compared):
    """Same page count and the same laid-out text on every page, for every document."""
    differ = [f"{name}: {len(alone)} vs {len(part)} pages, first difference on page "
              f"{next((i + 1 for i, (a, b) in enumerate(zip(alone, part, strict=False)) if a != b), 0)}"
              for name, alone, part in compared if alone != part]
    assert differ == [], f"{len(differ)}/{len(compared)} differ:\n" + "\n".join(differ)


def test_no_document_keeps_a_lead_page(compared):
    """Every page of every PDF has text: the lead page is cut away, alone and combined."""
    blank = [name for name, alone, part in compared for page in alone + part if not page.strip()]
    assert blank == []
    assert any(len(alone) > 1 for _, alone, _ in compared)  # multi-page documents are compared
    assert len({name.split("[")[0] for name, _, _ in compared}) == len(list(SAMPLES.glob("*.json")))
