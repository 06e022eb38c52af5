"""Member lists for the roster tests: CSV in old code pages, registers made by LibreOffice Calc."""

from __future__ import annotations

import subprocess
import unicodedata
from pathlib import Path

from openpyxl import Workbook

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}  # the five tone marks Windows-1258 combines


def cp1258(text: str) -> bytes:
    """*text* as Windows-1258 writes it: base letters precomposed, tone marks combining."""
    out = bytearray()
    for char in unicodedata.normalize("NFC", text):
        try:
            out += char.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", char)
        tones = "".join(c for c in parts if c in _TONES)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
        out += (base + tones).encode("cp1258")
    return bytes(out)


# Mẫu 7-HSĐV, "Sổ danh sách đảng viên": 14 columns (domain §10)
MAU_7 = ["Số TT", "Họ và tên (tên khai sinh)", "Nam/nữ, dân tộc, tôn giáo", "Quê quán",
         "Văn hóa, lý luận, CMNV, ngoại ngữ", "Nghề nghiệp", "Ngày vào Đảng, ngày chính thức",
         "Số thẻ, số lý lịch, số Huy hiệu", "Bộ đội/công an/hưu trí", "Ngày chuyển đi",
         "Ngày chuyển đến", "Ngày từ trần", "Ngày ra khỏi Đảng, hình thức", "Ghi chú"]


def register_workbook(path: Path, *, signed: bool = False) -> Path:
    """A Mẫu 7-HSĐV register as a secretary makes it: merged title rows, the header, a row of numbers;
    *signed*: its foot carries the date line and the signature block (T/M CHI BỘ, BÍ THƯ, the name)
    under the last columns, as a printed register does."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "So DV"
    sheet["A1"] = "ĐẢNG BỘ XÃ TÂN PHONG"
    sheet.merge_cells("A1:N1")
    sheet["A2"] = "SỔ DANH SÁCH ĐẢNG VIÊN – CHI BỘ THÔN ĐÔNG"
    sheet.merge_cells("A2:N2")
    sheet.append([])
    sheet.append(MAU_7)
    sheet.append([f"({n})" for n in range(1, 15)])
    sheet.append([1, "Nguyễn Văn An", "Nam, Kinh, Không", "Hà Tĩnh", "12/12, TC", "Giáo viên",
                  "15/05/1996\n15/05/1997", "01234567, 123, ", "", "", "", "", "", ""])
    sheet.append([2, "Trần Thị Bình", "Nữ, Kinh, Không", "Nghệ An", "12/12", "Nông dân",
                  "03.02.26", "00098765", "", "", "", "", "", ""])
    sheet.append([3, "Lê Văn Cường", "Nam, Kinh, Phật giáo", "Hà Tĩnh", "", "Hưu trí",
                  "10/10/1970 - 10/10/1971", "", "Hưu trí", "01/03/2025", "", "", "", "chuyển đi xã khác"])
    sheet.append([4, "Phạm Văn Dũng", "Nam", "", "", "", "32/13/1990", "", "", "", "", "", "", ""])
    if signed:
        for line in ("", "Tân Phong, ngày 01 tháng 12 năm 2026", "T/M CHI BỘ", "BÍ THƯ", "", "Nguyễn Văn An"):
            sheet.append([""] * 11 + [line])
    book.save(path)
    return path


def through_calc(source: Path, fmt: str, folder: Path) -> Path:
    """*source* opened and saved again by LibreOffice Calc as *fmt* (xlsx, xls), own profile."""
    profile = folder / "lo-profile"
    out = folder / fmt
    out.mkdir(exist_ok=True)
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                    "--convert-to", fmt, "--outdir", str(out), str(source)],
                   check=True, capture_output=True, timeout=180)
    return out / f"{source.stem}.{fmt}"
