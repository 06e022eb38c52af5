"""DOCX templates as editors and attackers make them: changed, broken, re-saved by LibreOffice."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from service.documents.rendering import TEMPLATE_DIR

LOCAL_TITLE = "BIÊN BẢN (MẪU ĐẢNG BỘ TÂN PHONG)"


def builtin(doc_type: str = "bien_ban_kiem_diem") -> bytes:
    """The built-in template of *doc_type*."""
    return (TEMPLATE_DIR / f"{doc_type}.docx").read_bytes()


def rewritten(data: bytes, changes: dict[str, bytes] | None = None, *, replace: tuple[str, str] | None = None,
              content_types: tuple[str, str] | None = None) -> bytes:
    """*data* with parts added or replaced, a text of document.xml replaced, a content type changed."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            part = source.read(name)
            if replace and name == "word/document.xml":
                assert replace[0].encode() in part, replace[0]
                part = part.replace(replace[0].encode(), replace[1].encode())
            if content_types and name == "[Content_Types].xml":
                part = part.replace(content_types[0].encode(), content_types[1].encode())
            if changes and name in changes:
                part = changes.pop(name)
            target.writestr(_entry(name), part)
        for name, part in (changes or {}).items():
            target.writestr(_entry(name), part)
    return out.getvalue()


def _entry(name: str) -> zipfile.ZipInfo:
    """A zip entry of a fixed date, so the same changes give the same bytes (and hash)."""
    info = zipfile.ZipInfo(name, date_time=(2025, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def locally_changed() -> bytes:
    """The biên bản with the province's own title line."""
    return rewritten(builtin(), replace=("<w:t>BIÊN BẢN</w:t>", f"<w:t>{LOCAL_TITLE}</w:t>"))


def unknown_variable() -> bytes:
    """The biên bản with a typo in a variable (``opening.chiar``)."""
    return rewritten(locally_changed(), replace=("{{ opening.chair }}", "{{ opening.chiar }}"))


def broken_jinja() -> bytes:
    """The biên bản with a loop left open and a typo: two problems at once."""
    data = rewritten(unknown_variable(), replace=("{%p endfor %}</w:t>", "</w:t>"))
    return data


def with_macro() -> bytes:
    """The biên bản saved as a macro document (.docm): vbaProject.bin and its content type."""
    rels_name = "word/_rels/document.xml.rels"
    with zipfile.ZipFile(io.BytesIO(builtin())) as source:
        rels = source.read(rels_name)
    rels = rels.replace(b"</Relationships>", b'<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/'
                        b'office/2006/relationships/vbaProject" Target="vbaProject.bin"/></Relationships>')
    return rewritten(builtin(), {"word/vbaProject.bin": b"\xd0\xcf\x11\xe0 macro", rels_name: rels},
                     content_types=("application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
                                    "application/vnd.ms-word.document.macroEnabled.main+xml"))


def with_external_image() -> bytes:
    """The biên bản with a picture linked from a web address (TargetMode="External")."""
    rels_name = "word/_rels/document.xml.rels"
    with zipfile.ZipFile(io.BytesIO(builtin())) as source:
        rels = source.read(rels_name)
    rels = rels.replace(b"</Relationships>", b'<Relationship Id="rIdImg" Type="http://schemas.openxmlformats.org/'
                        b'officeDocument/2006/relationships/image" Target="http://example.invalid/logo.png" '
                        b'TargetMode="External"/></Relationships>')
    return rewritten(builtin(), {rels_name: rels})


def zip_bomb(unpacked_mb: int = 64) -> bytes:
    """A small DOCX whose document.xml unpacks to *unpacked_mb* MB of zeros."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(builtin())) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for name in source.namelist():
            if name != "word/document.xml":
                target.writestr(name, source.read(name))
        target.writestr("word/document.xml", b"0" * (unpacked_mb * 1024 * 1024))
    return out.getvalue()


def resaved_by_libreoffice(data: bytes, folder: Path) -> bytes:
    """*data* opened and saved again as DOCX by LibreOffice Writer (its own profile, in *folder*)."""
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / "in" / "mau.docx"
    source.parent.mkdir(exist_ok=True)
    source.write_bytes(data)
    profile = Path(tempfile.mkdtemp(prefix="lo-profile-", dir=folder))
    env = {**os.environ, "HOME": str(profile)}
    try:
        subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                        "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(folder / "out"),
                        str(source)],
                       check=True, timeout=120, capture_output=True, env=env)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    return (folder / "out" / "mau.docx").read_bytes()


def with_field(instruction: str) -> bytes:
    """The biên bản with a Word field of *instruction* (``DDEAUTO c:\\\\windows\\\\cmd.exe``, ``PAGE``)."""
    field = (f'<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> '
             f'{instruction} </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>'
             '<w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>')
    return rewritten(builtin(), replace=("<w:t>BIÊN BẢN</w:t>", f"<w:t>BIÊN BẢN</w:t></w:r>{field}<w:r>"))


def with_jinja(expression: str) -> bytes:
    """The biên bản with *expression* (Jinja) in place of its title."""
    return rewritten(builtin(), replace=("<w:t>BIÊN BẢN</w:t>", f"<w:t>{expression}</w:t>"))
