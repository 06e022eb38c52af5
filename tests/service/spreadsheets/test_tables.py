"""Every table a user uploads read as rows of cells (the roster's lists: tests/service/roster)."""

from __future__ import annotations

import pytest

from service.errors import BadRequestError
from service.spreadsheets.tables import read_tables


def test_a_csv_is_one_table_of_clean_cells_cut_after_the_limit():
    """Semicolons found, cells trimmed and composed (NFC), one row past the limit kept to be seen."""
    data = "Họ và tên;Ngày sinh\n Nguye\u0302\u0303n Văn A ;01/02/1970\nB;x\nC;y\n".encode()
    (table,) = read_tables(data, "ds.CSV", max_rows=2)
    assert table.sheet == "CSV"
    assert table.rows == [["Họ và tên", "Ngày sinh"], ["Nguyễn Văn A", "01/02/1970"], ["B", "x"]]


def test_other_files_are_refused_in_vietnamese():
    """Neither a spreadsheet nor a CSV: a 400 that names what is accepted; a broken .xlsx too."""
    with pytest.raises(BadRequestError, match=r"\.xlsx, \.xls hoặc \.csv"):
        read_tables(b"x", "ds.pdf", max_rows=10)
    with pytest.raises(BadRequestError, match="Không đọc được tệp bảng tính"):
        read_tables(b"PK\x03\x04 not a zip", "ds.xlsx", max_rows=10)
