"""Biên bản hội nghị kiểm điểm, đánh giá, xếp loại chất lượng (domain §5.1)."""

from __future__ import annotations

from doc_templates.layout import (
    BODY,
    CELL_LEFT,
    HEADING,
    NOTE,
    WD_CELL_VERTICAL_ALIGNMENT,
    DocxDocument,
    Pt,
    add,
    add_run,
    body_loop,
    cell_tag_rows,
    header_block,
    header_row,
    sign_two,
    table,
    title_block,
)

TITLE = "Biên bản hội nghị kiểm điểm, đánh giá, xếp loại chất lượng"
WIDTHS = (9.0, 36.0, 24.0, 18.0, 18.0, 18.0, 18.0, 24.0)  # mm; sums to 165
HEAD = ("TT", "Họ và tên", "Tự xếp loại", "Hoàn thành xuất sắc nhiệm vụ", "Hoàn thành tốt nhiệm vụ",
        "Hoàn thành nhiệm vụ", "Không hoàn thành nhiệm vụ", "{{ unit.capital }} đề nghị xếp loại")


def opening(doc: DocxDocument) -> None:
    """Time, place, chair, secretary, then the attendance and the guests."""
    add(doc, "Thời gian: bắt đầu vào hồi {{ opening.start }}.")
    add(doc, "Địa điểm: {{ opening.location }}.")
    add(doc, "Chủ trì: {{ opening.chair }}.")
    add(doc, "Thư ký: {{ opening.secretary }}.")
    add(doc, "{%p if opening.documents %}")
    add(doc, "Tài liệu sử dụng trong hội nghị: {{ opening.documents }}.")
    add(doc, "{%p endif %}")
    add(doc, "1. Thành phần hội nghị", HEADING)
    add(doc, "{{ attendance.members_line }}")
    add(doc, "{{ attendance.present_line }}")
    body_loop(doc, "attendance.absent", "a", "- Đồng chí {{ a.name }}: {{ a.reason }}.")
    add(doc, "{%p if guests %}")
    add(doc, "Đại biểu cấp trên dự hội nghị:")
    body_loop(doc, "guests", "g", "- {{ g }}")
    add(doc, "{%p endif %}")


def agenda_and_discussion(doc: DocxDocument) -> None:
    """Sections 2 and 3: the agenda and who said what."""
    add(doc, "2. Nội dung hội nghị", HEADING)
    body_loop(doc, "agenda", "a", "{{ a }}")
    add(doc, "3. Diễn biến hội nghị", HEADING)
    add(doc, "{%p for d in discussion %}")
    speech = add(doc, "Đồng chí {{ d.speaker }}:", bold=True)
    add_run(speech, " {{ d.content }}")
    add(doc, "{%p endfor %}")
    body_loop(doc, "blank_lines", "line", "{{ line }}")


def _results_table(doc: DocxDocument) -> None:
    tbl = table(doc, WIDTHS, borders=True, margin_mm=1.0)
    header_row(tbl, HEAD)
    data = cell_tag_rows(tbl, WIDTHS, "{%tr for r in results.rows %}", "{%tr endfor %}",
                         ["{{ r.stt }}", "{{ r.name }}", "{{ r.self_rating }}", "{{ r.votes[0] }}",
                          "{{ r.votes[1] }}", "{{ r.votes[2] }}", "{{ r.votes[3] }}", "{{ r.result }}"],
                         left=(1,))
    name_cell = data.cells[1]
    name_cell.paragraphs[0].paragraph_format.space_after = Pt(0)
    detail = add(name_cell, "{{ r.detail }}", CELL_LEFT, italic=True, size=11)
    detail.paragraph_format.space_before = Pt(0)
    name_cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def results(doc: DocxDocument) -> None:
    """Section 4: the chi bộ's vote, the member table, the denominator and the summary."""
    add(doc, "4. Kết quả đánh giá, xếp loại chất lượng", HEADING)
    add(doc, "{{ results.basis_line }}")
    add(doc, "a) Đối với tập thể {{ unit.word }}:", bold=True, italic=True, keep_next=True)
    add(doc, "{{ chibo.votes_line }}")
    add(doc, "{{ chibo.result_line }}")
    add(doc, "b) Đối với đảng viên:", bold=True, italic=True, keep_next=True)
    _results_table(doc)
    add(doc, "{{ results.denominator_note }}", NOTE)
    body_loop(doc, "results.summary", "s", "{{ s }}")
    body_loop(doc, "results.warnings", "w", "{{ w }}", NOTE)


def closing(doc: DocxDocument, heading: str = "5. Kết luận") -> None:
    """The conclusion, the end time and the approval of the minutes."""
    add(doc, heading, HEADING)
    body_loop(doc, "conclusion", "c", "{{ c }}")
    add(doc, "{{ closing.end_line }}", keep_next=True)
    add(doc, "{{ closing.approval_line }}", BODY, keep_next=True)


def signatures(doc: DocxDocument) -> None:
    """THƯ KÝ on the left; T/M CHI BỘ – BÍ THƯ (or CHỦ TRÌ HỘI NGHỊ) on the right (by regime)."""
    sign_two(doc, ("{{ sign.secretary_title }}",), "{{ sign.secretary_name }}",
             ("{{ sign.line1 }}", "{{ sign.line2 }}"), "{{ sign.chair_name }}")


def compose(doc: DocxDocument) -> None:
    """The whole biên bản."""
    header_block(doc)
    title_block(doc, "BIÊN BẢN")
    body_loop(doc, "citations", "c", "{{ c }}", NOTE)  # central texts, then the local ones
    opening(doc)
    agenda_and_discussion(doc)
    results(doc)
    closing(doc)
    signatures(doc)
