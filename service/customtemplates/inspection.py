"""Checking an uploaded DOCX template before anyone depends on it: every problem at once.

Refused (``problems``): not a DOCX, too big packed or unpacked, too many files inside (a zip
bomb); macros (``vbaProject.bin``, a ``.docm``); external relationships (remote images,
linked files, anything with ``TargetMode="External"``); embedded objects and ActiveX; Jinja
that does not parse, seen as docxtpl sees it (its own XML preprocessing joins Word's split
runs); a variable the document type's context does not have (with the nearest known name);
a loop over something that is not a list; a render with the bundled samples that fails in
the sandbox, with ``StrictUndefined``. Reported but accepted (``warnings``): parts an
official form needs that the template leaves out (the signature block, the header).
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field

from docxtpl import DocxTemplate
from jinja2 import TemplateError, TemplateSyntaxError
from lxml import etree

from service.documents import DOCUMENT_TYPES
from service.documents.catalogue import sample_contexts, variables
from service.documents.names import Names
from service.documents.rendering import DocxRenderer, TemplateSource, sandbox
from service.errors import RenderError

FIELD = "file"
_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_EMBEDDED_TYPES = ("/oleObject", "/package", "/control", "/activeXControl", "/attachedTemplate",
                   "/subDocument", "/frame")
_EMBEDDED_XML = re.compile(rb"<(w:object|o:OLEObject|w:control|w:altChunk)\b")
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
# what each type's official form should show; missing ones are warnings, not refusals
REQUIRED: dict[str, tuple[tuple[str, str], ...]] = {
    "*": (("h", "phần đầu văn bản (tên cấp ủy, số, địa danh và ngày: {{ h.issuer }}, "
                "{{ h.date_line }})"),
          ("sign", "khối chữ ký ({{ sign.… }})")),
    "phieu_danh_gia_dang_vien": (("rows", "danh sách đảng viên trên phiếu ({% for row in rows %})"),),
    "phieu_danh_gia_chi_bo": (("levels", "các mức xếp loại ({% for level in levels %})"),),
    "bien_ban_kiem_diem": (("results", "kết quả xếp loại đảng viên ({{ results.… }})"),),
    "bien_ban_kiem_phieu": (("rows", "kết quả kiểm phiếu từng đảng viên ({% for row in rows %})"),),
}
_NO_SIGN = {"phieu_danh_gia_dang_vien", "phieu_danh_gia_chi_bo"}  # ballots are not signed


@dataclass(frozen=True)
class Limits:
    """How big an uploaded template may be (``TEMPLATE_MAX_*``)."""

    max_bytes: int
    max_unpacked: int
    max_entries: int
    max_part: int = 16 * 1024 * 1024  # unpacked bytes of any one file inside


# Word field codes a form may keep (page numbers, dates, cross-references, table of contents);
# any other (DDE, DDEAUTO, INCLUDETEXT, INCLUDEPICTURE, IMPORT, LINK, a macro button…) fetches or
# runs something when the DOCX is opened, and is refused
FIELD_CODES = frozenset({"PAGE", "NUMPAGES", "SECTIONPAGES", "SECTION", "DATE", "TIME", "CREATEDATE",
                         "SAVEDATE", "PRINTDATE", "REF", "PAGEREF", "NOTEREF", "SEQ", "TOC", "TC",
                         "STYLEREF", "EQ", "SYMBOL", "FORMTEXT", "FORMCHECKBOX", "FORMDROPDOWN",
                         "MERGEFORMAT", "TITLE", "SUBJECT", "AUTHOR", "NUMWORDS", "NUMCHARS", "IF",
                         "=", "LISTNUM", "AUTONUM", "AUTONUMLGL", "AUTONUMOUT", "BIDIOUTLINE",
                         "ADVANCE", "FILLIN", "ASK", "QUOTE", "SET", "GOTOBUTTON", "HYPERLINK"})
_INSTR_TEXT = re.compile(rb"<w:instrText\b[^>]*>([^<]*)</w:instrText>")
_FLD_SIMPLE = re.compile(rb"<w:fldSimple\b[^>]*\bw:instr=\"([^\"]*)\"")
_FIELD_BEGIN = re.compile(rb"<w:fldChar\b[^>]*w:fldCharType=\"begin\"")


@dataclass
class Report:
    """What the check found: problems refuse the upload, warnings are shown with it."""

    sha256: str
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    used: set[str] = field(default_factory=set)  # top-level names the template uses

    @property
    def ok(self) -> bool:
        """True when nothing refuses the template."""
        return not self.problems


def inspect(data: bytes, doc_type: str, limits: Limits) -> Report:
    """Check *data* as a template of *doc_type*: every problem and warning, in Vietnamese."""
    report = Report(hashlib.sha256(data).hexdigest())
    parts = _unpack(data, limits, report)
    if parts is None:
        return report
    _check_package(parts, report)
    _check_fields(parts, report)
    source = _jinja_source(_as_docx(data, parts), report)
    if source is not None:
        _check_jinja(source, doc_type, report)
    if report.ok:
        _check_render(data, doc_type, report)
    _check_required(doc_type, report)
    return report


def inspect_edited(data: bytes, limits: Limits) -> Report:
    """Check *data* as a finished document edited in Word (no template: its text is not Jinja).

    The same package checks as a template: a real DOCX within the limits, no macros, nothing
    embedded or fetched from outside, no field code outside ``FIELD_CODES``.
    """
    report = Report(hashlib.sha256(data).hexdigest())
    parts = _unpack(data, limits, report)
    if parts is not None:
        _check_package(parts, report)
        _check_fields(parts, report)
    return report


def _unpack(data: bytes, limits: Limits, report: Report) -> dict[str, bytes] | None:
    """The parts of the DOCX *data*, or None with the problem that refuses it (size, zip bomb)."""
    if len(data) > limits.max_bytes:
        report.problems.append(f"Tệp quá lớn: {len(data):,} byte, tối đa {limits.max_bytes:,}."
                               .replace(",", "."))
        return None
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        report.problems.append("Tệp không phải văn bản Word .docx (không mở được như tệp DOCX).")
        return None
    if len(infos) > limits.max_entries:
        report.problems.append(f"Tệp chứa {len(infos)} tệp con, nhiều hơn mức cho phép "
                               f"({limits.max_entries}): không nhận.")
        return None
    unpacked = sum(info.file_size for info in infos)
    if unpacked > limits.max_unpacked:
        report.problems.append(f"Tệp giải nén ra {unpacked // (1024 * 1024)} MB, quá mức cho phép "
                               f"({limits.max_unpacked // (1024 * 1024)} MB): có thể là “bom nén”, "
                               "không nhận.")
        return None
    biggest = max(infos, key=lambda info: info.file_size, default=None)
    if biggest is not None and biggest.file_size > limits.max_part:
        report.problems.append(f"Phần {biggest.filename[:80]} của tệp giải nén ra "
                               f"{biggest.file_size // (1024 * 1024)} MB, quá mức cho phép "
                               f"({limits.max_part // (1024 * 1024)} MB cho mỗi phần): không nhận.")
        return None
    names = {info.filename for info in infos}
    if "word/document.xml" not in names or "[Content_Types].xml" not in names:
        report.problems.append("Tệp không phải văn bản Word .docx (thiếu word/document.xml).")
        return None
    try:
        return {name: archive.read(name) for name in names}
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError):
        report.problems.append("Tệp DOCX bị hỏng (không giải nén được).")
        return None


def _check_package(parts: dict[str, bytes], report: Report) -> None:
    if any(name.lower().endswith("vbaproject.bin") or "vbadata" in name.lower() for name in parts) \
            or b"macroEnabled" in parts["[Content_Types].xml"]:
        report.problems.append("Tệp có macro (VBA, kiểu .docm): không nhận. Hãy lưu lại dưới dạng "
                               "“Word Document (.docx)”.")
    if any(name.startswith(("word/embeddings/", "word/activeX/")) for name in parts):
        report.problems.append("Tệp có đối tượng nhúng (OLE, ActiveX, tệp đính kèm): không nhận; "
                               "hãy xóa chúng hoặc dán thành ảnh.")
    for name, data in sorted(parts.items()):
        if name.endswith(".rels"):
            _check_rels(name, data, report)
        elif name.endswith(".xml") and _EMBEDDED_XML.search(data) and \
                not any("đối tượng nhúng" in p for p in report.problems):
            report.problems.append(f"Tệp có đối tượng nhúng trong {name}: không nhận.")


def _field_codes(data: bytes) -> list[str]:
    """The field codes of one part: ``fldSimple`` and complex fields (instruction runs joined)."""
    codes = [m.group(1).decode("utf-8", "replace") for m in _FLD_SIMPLE.finditer(data)]
    for field_xml in _FIELD_BEGIN.split(data)[1:]:
        end = field_xml.find(b'w:fldCharType="separate"')
        end = field_xml.find(b'w:fldCharType="end"') if end < 0 else end
        instruction = b"".join(_INSTR_TEXT.findall(field_xml[:end] if end >= 0 else field_xml))
        codes.append(instruction.decode("utf-8", "replace"))
    return codes


def _check_fields(parts: dict[str, bytes], report: Report) -> None:
    """Refuse Word field codes outside ``FIELD_CODES`` (DDEAUTO, INCLUDETEXT…), in any part."""
    refused: set[str] = set()
    for name, data in sorted(parts.items()):
        if not (name.startswith("word/") and name.endswith(".xml")):
            continue
        for code in _field_codes(data):
            words = code.split()
            if not words:
                continue
            keyword = "=" if words[0].startswith("=") else words[0].upper()
            if keyword not in FIELD_CODES:
                refused.add(keyword[:40])
    if refused:
        codes = ", ".join(sorted(refused))
        report.problems.append(f"Tệp có mã trường (field code) không được phép: {codes}. "
                               "Chỉ được dùng các trường như PAGE, NUMPAGES, DATE; hãy xóa trường đó "
                               "(Ctrl+Shift+F9 chuyển trường thành chữ).")


def _check_rels(name: str, data: bytes, report: Report) -> None:
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError:
        report.problems.append(f"Phần {name} của tệp bị hỏng.")
        return
    for rel in root.iter(f"{{{_REL_NS}}}Relationship"):
        kind = rel.get("Type", "")
        target = rel.get("Target", "")
        if rel.get("TargetMode", "").lower() == "external":
            what = "ảnh lấy từ ngoài" if kind.endswith("/image") else \
                "liên kết ra ngoài" if kind.endswith("/hyperlink") else "tệp liên kết bên ngoài"
            report.problems.append(f"Tệp có {what} ({target[:120]}): không nhận mẫu trỏ ra ngoài "
                                   "(TargetMode=\"External\"); hãy chèn trực tiếp hoặc xóa.")
        elif kind.endswith(_EMBEDDED_TYPES) and \
                not any("đối tượng nhúng" in p for p in report.problems):
            report.problems.append(f"Tệp có đối tượng nhúng ({target[:120]}): không nhận.")


_DOCM = re.compile(rb'ContentType="[^"]*macroEnabled[^"]*\.main\+xml"', re.IGNORECASE)
_DOCX = b'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"'


_VBA_REL = re.compile(rb"<Relationship\b[^>]*vba[^>]*/>", re.IGNORECASE)


def _as_docx(data: bytes, parts: dict[str, bytes]) -> bytes:
    """A .docm's parts as a .docx without its macros, so that its Jinja is read too."""
    vba = [name for name in parts if "vba" in name.lower()]
    if not _DOCM.search(parts["[Content_Types].xml"]) and not vba:
        return data
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, part in parts.items():
            if name in vba:
                continue
            if name == "[Content_Types].xml":
                part = _DOCM.sub(_DOCX, part)
            elif name.endswith(".rels"):
                part = _VBA_REL.sub(b"", part)
            archive.writestr(name, part)
    return out.getvalue()


def _jinja_source(data: bytes, report: Report) -> str | None:
    """The template's Jinja as docxtpl renders it: body, headers and footers, runs joined."""
    try:
        tpl = DocxTemplate(io.BytesIO(data))
        tpl.init_docx()
        source = tpl.patch_xml(tpl.get_xml())
        for uri in (tpl.HEADER_URI, tpl.FOOTER_URI):
            for _, part in tpl.get_headers_footers(uri):
                source += tpl.patch_xml(tpl.get_part_xml(part))
    except Exception as exc:  # python-docx raises anything on a bad package
        if not report.problems:
            report.problems.append("Word không mở được tệp này như một văn bản .docx "
                                   f"({type(exc).__name__}).")
        return None
    return str(source)


def _text_near(source: str, lineno: int) -> str:
    line = source.splitlines()[lineno - 1] if 0 < lineno <= len(source.splitlines()) else ""
    text = re.sub(r"<[^>]+>", "", line)
    return text.strip()[:80]


def _check_jinja(source: str, doc_type: str, report: Report) -> None:
    source = re.sub(r"<w:p([ >])", r"\n<w:p\1", source)  # lines per paragraph, to point at one
    try:
        tree = sandbox().parse(source)
    except TemplateSyntaxError as exc:
        near = _text_near(source, exc.lineno)
        report.problems.append(f"Cú pháp mẫu sai: {exc.message}" + (f" (gần “{near}”)" if near else "")
                               + ". Kiểm tra các cặp {{ }}, {% %} và {% endfor %}, {% endif %}.")
        return
    Names(variables(doc_type), report.problems, report.used).visit(tree, {})


def _check_render(data: bytes, doc_type: str, report: Report) -> None:
    """Fill the template with the samples in the sandbox, as the workers will."""
    renderer = DocxRenderer()
    source = TemplateSource(report.sha256, "inspection", data)
    template = DOCUMENT_TYPES[doc_type].template
    for context in sample_contexts(doc_type)[:2]:
        try:
            renderer.render(template, context, source)
        except RenderError as exc:
            report.problems.append(f"Điền thử mẫu với dữ liệu mẫu không được: {exc.detail}")
            return
        except (TemplateError, TypeError, ValueError, AttributeError) as exc:
            report.problems.append(f"Điền thử mẫu với dữ liệu mẫu không được: {exc}")
            return


def _check_required(doc_type: str, report: Report) -> None:
    if not report.used and report.problems:
        return  # nothing was read: the problems say why
    wanted = [item for item in REQUIRED["*"] if not (item[0] == "sign" and doc_type in _NO_SIGN)]
    wanted += REQUIRED.get(doc_type, ())
    for name, what in wanted:
        if name not in report.used and name in variables(doc_type):
            report.warnings.append(f"Mẫu không có {what}: kiểm tra lại nếu mẫu chính thức cần phần này.")
