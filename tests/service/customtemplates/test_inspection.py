"""The check of an uploaded template: every problem at once, in Vietnamese, with real files."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from service.customtemplates.inspection import Limits, inspect, inspect_edited
from service.documents import DOCUMENT_TYPES
from service.documents.rendering import DocxRenderer, TemplateSource
from tests.support import templatefiles

LIMITS = Limits(5 * 1024 * 1024, 40 * 1024 * 1024, 300)


@pytest.fixture(name="resaved", scope="module")
def _resaved(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The built-in biên bản opened and saved again by LibreOffice Writer."""
    return templatefiles.resaved_by_libreoffice(templatefiles.locally_changed(),
                                                tmp_path_factory.mktemp("resave"))


@pytest.mark.parametrize("doc_type", list(DOCUMENT_TYPES))
def test_every_builtin_template_passes(doc_type):
    """Each built-in template passes its own type's check without a problem or a warning."""
    report = inspect(templatefiles.builtin(doc_type), doc_type, LIMITS)
    assert (report.problems, report.warnings) == ([], [])


def test_a_template_resaved_by_libreoffice_still_passes(resaved):
    """LibreOffice splits runs differently; docxtpl's own preprocessing still reads every tag."""
    assert resaved != templatefiles.locally_changed()
    report = inspect(resaved, "bien_ban_kiem_diem", LIMITS)
    assert report.problems == []
    assert {"h", "opening", "results", "sign"} <= report.used


def test_a_template_resaved_by_libreoffice_renders_the_data(resaved):
    """The re-saved template fills in the sample: the local title and the chair are in the DOCX."""
    from service.documents.catalogue import sample_contexts
    docx = DocxRenderer().render("bien_ban_kiem_diem.docx", sample_contexts("bien_ban_kiem_diem")[0],
                                 TemplateSource("resaved-test", "x", resaved))
    text = _text(docx)
    assert templatefiles.LOCAL_TITLE in text and "Trần Văn Bình" in text and "{{" not in text


def _text(docx: bytes) -> str:
    import io
    import re
    import zipfile
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        return "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", archive.read("word/document.xml").decode()))


def test_an_unknown_variable_is_named_with_the_nearest_known():
    """``opening.chiar`` is refused, suggesting ``opening.chair``."""
    report = inspect(templatefiles.unknown_variable(), "bien_ban_kiem_diem", LIMITS)
    assert report.problems == ["Biến “opening.chiar” không có trong dữ liệu của loại văn bản này; "
                               "có phải “opening.chair”?"]


def test_a_field_of_a_table_row_is_checked():
    """Inside ``{% for a in attendance.absent %}``, ``a.reasn`` is refused, suggesting ``reason``."""
    data = templatefiles.rewritten(templatefiles.builtin(), replace=("{{ a.reason }}", "{{ a.reasn }}"))
    report = inspect(data, "bien_ban_kiem_diem", LIMITS)
    assert report.problems == ["Trường “reasn” không có trong dữ liệu của loại văn bản này; "
                               "có phải “reason”?"]


def test_a_loop_over_a_value_is_refused():
    """Looping over ``opening.location`` (a text) is refused: only lists are looped over."""
    data = templatefiles.rewritten(templatefiles.builtin(), replace=("{%p for c in citations %}",
                                                                     "{%p for c in opening.location %}"))
    report = inspect(data, "bien_ban_kiem_diem", LIMITS)
    assert any("Vòng lặp qua “opening.location”" in p for p in report.problems)


def test_syntax_errors_and_unknown_names_are_reported_together():
    """A loop left open is a syntax problem; the template is not read further but refused at once."""
    report = inspect(templatefiles.broken_jinja(), "bien_ban_kiem_diem", LIMITS)
    assert len(report.problems) == 1 and report.problems[0].startswith("Cú pháp mẫu sai")


def test_a_macro_is_refused():
    """A .docm (vbaProject.bin, macro-enabled content type) is refused, saying to save as .docx."""
    report = inspect(templatefiles.with_macro(), "bien_ban_kiem_diem", LIMITS)
    assert any("macro" in p for p in report.problems)


def test_an_external_image_is_refused():
    """A picture linked from a web address is refused with its address."""
    report = inspect(templatefiles.with_external_image(), "bien_ban_kiem_diem", LIMITS)
    assert report.problems == ["Tệp có ảnh lấy từ ngoài (http://example.invalid/logo.png): không nhận mẫu "
                               "trỏ ra ngoài (TargetMode=\"External\"); hãy chèn trực tiếp hoặc xóa."]


def test_several_problems_are_listed_at_once():
    """A macro, an external image and an unknown variable in one file: all three are listed."""
    data = templatefiles.rewritten(templatefiles.with_macro(), replace=("{{ opening.chair }}",
                                                                        "{{ opening.chiar }}"))
    rels = "word/_rels/document.xml.rels"
    import io
    import zipfile
    with zipfile.ZipFile(io.BytesIO(templatefiles.with_external_image())) as archive:
        data = templatefiles.rewritten(data, {rels: archive.read(rels)})
    report = inspect(data, "bien_ban_kiem_diem", LIMITS)
    assert len(report.problems) == 3, report.problems


def test_a_zip_bomb_is_refused_before_unpacking():
    """A small file that unpacks to 64 MB is refused by its declared sizes."""
    bomb = templatefiles.zip_bomb()
    assert len(bomb) < 1024 * 1024
    report = inspect(bomb, "bien_ban_kiem_diem", LIMITS)
    assert len(report.problems) == 1 and "bom nén" in report.problems[0]


def test_not_a_docx_is_refused():
    """Random bytes are no DOCX."""
    assert inspect(b"not a zip", "bien_ban_kiem_diem", LIMITS).problems == [
        "Tệp không phải văn bản Word .docx (không mở được như tệp DOCX)."]


def test_a_template_without_signature_block_is_a_warning():
    """The signature block removed: accepted, with a warning naming it."""
    data = templatefiles.builtin()
    import io
    import re
    import zipfile
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("word/document.xml").decode()
    xml = re.sub(r"\{\{ sign\.[a-z_0-9]+ \}\}", "", xml)
    report = inspect(templatefiles.rewritten(data, {"word/document.xml": xml.encode()}), "bien_ban_kiem_diem",
                     LIMITS)
    assert report.problems == []
    assert report.warnings == ["Mẫu không có khối chữ ký ({{ sign.… }}): kiểm tra lại nếu mẫu chính thức "
                               "cần phần này."]


def test_a_template_of_another_type_is_refused(tmp_path: Path):
    """The ballot template uploaded as the biên bản: its variables are not the biên bản's."""
    report = inspect(templatefiles.builtin("phieu_danh_gia_dang_vien"), "bien_ban_kiem_diem", LIMITS)
    assert any("“rows”" in p for p in report.problems)


def test_a_document_edited_in_word_is_checked_as_a_package_not_as_a_template():
    """Her finished DOCX: its text is not Jinja (a stray "{{" is fine), but the size, a zip bomb,
    macros, outside images and field codes not allowed are refused as for a template."""
    small = Limits(200 * 1024, 40 * 1024 * 1024, 300)
    finished = templatefiles.rewritten(templatefiles.builtin(), replace=("{{ opening.chair }}", "{{ lỗi gõ"))
    assert inspect_edited(finished, LIMITS).ok
    assert inspect_edited(templatefiles.with_field("PAGE"), LIMITS).ok
    assert "DDEAUTO" in inspect_edited(templatefiles.with_field("DDEAUTO cmd"), LIMITS).problems[0]
    assert "Tệp quá lớn" in inspect_edited(finished + b"\0" * 300 * 1024, small).problems[0]
    assert "bom nén" in inspect_edited(templatefiles.zip_bomb(), LIMITS).problems[0]
    assert "macro" in " ".join(inspect_edited(templatefiles.with_macro(), LIMITS).problems)
    assert "trỏ ra ngoài" in " ".join(inspect_edited(templatefiles.with_external_image(), LIMITS).problems)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:  # a zip, but no Word document in it
        archive.writestr("[Content_Types].xml", "<Types/>")
    assert "thiếu word/document.xml" in inspect_edited(out.getvalue(), LIMITS).problems[0]
