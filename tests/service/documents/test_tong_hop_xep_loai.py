"""The summary's context: issued by the đảng ủy, header and signature naming the same body."""

from __future__ import annotations

from typing import Any

from docx import Document
from docx.oxml.ns import qn

from service.documents.tong_hop_xep_loai import context
from service.meetings.schemas import DangBoReview
from service.meetings.summary import summarize
from tests.support.factories import SAMPLES, dang_bo_payload


def _context(**dang_bo: Any) -> dict[str, Any]:
    data = dang_bo_payload()
    data["dang_bo"].update(dang_bo)
    review = DangBoReview.model_validate(data)
    return context(review, summarize(review))


def _plain(line: str) -> str:
    """A header line with its no-break spaces (held-together place names) as plain spaces."""
    return line.replace("\xa0", " ")


def test_header_and_signature_name_the_dang_uy():
    """"Đảng bộ phường Thành Sen" issues as ĐẢNG ỦY PHƯỜNG THÀNH SEN and signs T/M ĐẢNG ỦY."""
    ctx = _context()
    assert _plain(ctx["h"]["parent"]) == "ĐẢNG BỘ TỈNH HÀ TĨNH"
    assert _plain(ctx["h"]["issuer"]) == "ĐẢNG ỦY PHƯỜNG THÀNH SEN"
    assert ctx["sign"]["authority"] == "T/M ĐẢNG ỦY"
    assert ctx["title"]["attached"] == "(Kèm theo Báo cáo số 15-BC/ĐU của Đảng ủy phường Thành Sen)"


def test_a_committee_typed_with_the_other_spelling_signs_with_it():
    """committee "Đảng uỷ phường Thành Sen": header ĐẢNG UỶ …, signature T/M ĐẢNG UỶ."""
    ctx = _context(committee="Đảng uỷ phường Thành Sen")
    assert _plain(ctx["h"]["issuer"]) == "ĐẢNG UỶ PHƯỜNG THÀNH SEN"
    assert ctx["sign"]["authority"] == "T/M ĐẢNG UỶ"


def test_no_result_reaches_the_printed_warnings():
    """The chi bộ without a vote is a "Lưu ý" line of the document itself."""
    assert any(w.startswith("Lưu ý: Chi bộ Trường Tiểu học Thạch Linh chưa có kết quả")
               for w in _context()["warnings"])


def test_both_table_headers_repeat_and_keep_with_their_first_row():
    """Tables A and B: the header row repeats on each page and is never left alone at a page foot."""
    tables = Document(str(SAMPLES.parent / "tong_hop_xep_loai.docx")).tables[1:3]
    for table in tables:
        head = table.rows[0]
        assert head._tr.trPr.find(qn("w:tblHeader")) is not None
        assert all(p.paragraph_format.keep_with_next for c in head.cells for p in c.paragraphs)
