"""Bản kiểm điểm, tự đánh giá, xếp loại cá nhân — Mẫu 02A/02B/02C (domain §5.3)."""

from __future__ import annotations

from doc_templates.forms.bao_cao_kiem_diem import review_sections
from doc_templates.layout import (
    HEADING,
    LEFT,
    DocxDocument,
    add,
    body_loop,
    form_code,
    header_block,
    sign_single,
    sign_two,
    title_block,
)

TITLE = "Bản kiểm điểm, tự đánh giá, xếp loại cá nhân"


def compose(doc: DocxDocument) -> None:
    """One member's self-review, with the chi bộ's assessment at the foot."""
    form_code(doc)
    header_block(doc, number=False)
    title_block(doc, "BẢN KIỂM ĐIỂM, TỰ ĐÁNH GIÁ, XẾP LOẠI CÁ NHÂN", "{{ title.year }}")
    add(doc, "{%p if title.variant %}")
    add(doc, "{{ title.variant }}", "CB Center", italic=True)
    add(doc, "{%p endif %}")
    body_loop(doc, "identity", "i", "{{ i.label }}: {{ i.value }}", LEFT)
    review_sections(doc)
    add(doc, "B. NỘI DUNG TỰ ĐÁNH GIÁ, XẾP LOẠI", HEADING)
    add(doc, "{%p if scored %}")
    add(doc, "I. Đánh giá theo các nhóm tiêu chí", HEADING)
    body_loop(doc, "scores", "s", "{{ s }}")
    add(doc, "II. Đề xuất xếp loại mức chất lượng", HEADING)
    add(doc, "{%p else %}")
    add(doc, "Tự nhận mức xếp loại chất lượng:", HEADING)
    add(doc, "{%p endif %}")
    body_loop(doc, "levels", "lv", "{{ lv.mark }}  {{ lv.label }}")
    add(doc, "{%p if disqualifying_line %}")
    add(doc, "{{ disqualifying_line }}")
    add(doc, "{%p endif %}")
    sign_single(doc, ("{{ sign.title }}",), "{{ sign.name }}")
    add(doc, "NHẬN XÉT, ĐÁNH GIÁ CỦA {{ unit.upper }}", HEADING, keep_next=True)
    add(doc, "{{ chi_bo.result_line }}", keep_next=True)
    sign_two(doc, (), "", ("{{ chi_bo.authority }}", "{{ chi_bo.title }}"), "{{ chi_bo.name }}")
