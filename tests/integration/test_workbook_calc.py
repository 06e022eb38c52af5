"""The đảng bộ workbook saved again by LibreOffice Calc is read by header, as a secretary's would be."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile

import pytest

from service.errors import InvalidMeetingError
from service.spreadsheets.reader import parse_workbook
from tests.service.spreadsheets.test_reader import swap_columns
from tests.support.factories import workbook_bytes

pytestmark = pytest.mark.integration


def _swapped(book) -> None:
    """Name and post of the members swapped, a second member with a birth date typed as text."""
    sheet = book["Đảng viên"]
    swap_columns(sheet, 3, 5)
    row = [cell.value for cell in sheet[2]]
    row[4], row[2], row[3] = "Lê Thị Cúc", "Phó Bí thư chi bộ", "12.04.78"  # name now in E, post in C
    sheet.append(row)
    swap_columns(book["Chi bộ"], 2, 9)  # the chi bộ's name and its chair


def _wrong_header(book) -> None:
    book["Đảng viên"]["E1"].value = "Chức danh"


@pytest.fixture(name="through_calc", scope="module")
def _through_calc(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """Both workbooks opened and saved as .xlsx by Calc (headless, a profile of its own)."""
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed")
    root = tmp_path_factory.mktemp("calc")
    inputs = {"swapped": _swapped, "wrong": _wrong_header}
    (root / "in").mkdir()
    for name, edit in inputs.items():
        (root / "in" / f"{name}.xlsx").write_bytes(workbook_bytes(edit))
    subprocess.run(["soffice", f"-env:UserInstallation=file://{root}/profile", "--headless",
                    "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(root / "out"),
                    *(str(root / "in" / f"{name}.xlsx") for name in inputs)],
                   check=True, capture_output=True, timeout=180)
    found = {name: (root / "out" / f"{name}.xlsx").read_bytes() for name in inputs}
    assert all(found.values()), "Calc wrote nothing"
    return found


def test_swapped_columns_saved_by_calc_are_read_right(through_calc):
    """Columns swapped and saved by Calc: names, posts, the chi bộ and a typed date are right."""
    review = parse_workbook(through_calc["swapped"])
    chi_bo = review.chi_bo[0]
    assert chi_bo.organisation.name == "Chi bộ Trường Tiểu học Thạch Linh"
    assert chi_bo.chair.name == "Trần Văn Bình"
    assert [(m.name, m.position) for m in chi_bo.members] == [
        ("Trần Văn Bình", "Bí thư chi bộ, Hiệu trưởng"), ("Lê Thị Cúc", "Phó Bí thư chi bộ")]
    assert str(chi_bo.members[1].birth_date) == "1978-04-12"


def test_a_wrong_header_saved_by_calc_is_refused_naming_it(through_calc):
    """"Chức danh" instead of "Chức vụ" is refused at E1, naming the header."""
    with pytest.raises(InvalidMeetingError) as caught:
        parse_workbook(through_calc["wrong"])
    problems = caught.value.problems
    assert [(p.sheet, p.row, p.column) for p in problems] == [("Đảng viên", 1, "Chức danh")]
    assert problems[0].field == "Sheet \"Đảng viên\", ô E1 (tiêu đề \"Chức danh\")"


def test_the_swapped_workbook_was_really_saved_by_calc(through_calc):
    """The file read is Calc's own (its application name in docProps), not the one written."""
    app = zipfile.ZipFile(io.BytesIO(through_calc["swapped"])).read("docProps/app.xml").decode()
    assert "LibreOffice" in app
