"""service.signing.fields: empty signature fields under the signature blocks' titles."""

from __future__ import annotations

import io

from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.fields import enumerate_sig_fields
from pypdf import PdfReader

from service.signing.fields import FIELD_MM, MM, add_fields
from tests.support.fakes import MINIMAL_PDF, signature_blocks_pdf


def _boxes(pdf: bytes) -> dict[str, list[float]]:
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    return {str(annot.get_object()["/T"]): [float(v) for v in annot.get_object()["/Rect"]]
            for annot in page.get("/Annots", [])}


def test_fields_are_added_unsigned_under_each_title():
    """THƯ KÝ and BÍ THƯ each get an unsigned field, 60×25 mm, just below the title and centred."""
    ours = signature_blocks_pdf()
    fielded = add_fields(ours)
    fields = {name: value for name, value, _ in enumerate_sig_fields(PdfFileReader(io.BytesIO(fielded)))}
    assert fields == {"ky_thu_ky": None, "ky_bi_thu": None}
    boxes = _boxes(fielded)
    for name, centre in (("ky_thu_ky", 150), ("ky_bi_thu", 450)):
        left, bottom, right, top = boxes[name]
        assert 490 < top < 500 and abs((left + right) / 2 - centre) < 10  # baseline at y=500
        assert abs(right - left - FIELD_MM[0] * MM) < 2 and abs(top - bottom - FIELD_MM[1] * MM) < 2
    assert fielded.startswith(ours)  # an incremental update: our bytes, then the fields


def test_a_pdf_without_signature_blocks_is_unchanged():
    """No title, no field: the bytes come back as they were."""
    assert add_fields(MINIMAL_PDF) == MINIMAL_PDF
