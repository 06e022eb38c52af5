"""`chibo batch --local`: a whole đảng bộ built here, every warning named by its chi bộ."""

from __future__ import annotations

import json

from service.cli import main
from tests.service.cli.test_cli import fake_office
from tests.support.factories import SAMPLES, dang_bo_payload


def test_local_batch_names_the_chi_bo_of_each_warning(tmp_path, monkeypatch, capsys):
    """A chi bộ with a member left unrated: its warning is printed under that chi bộ's name."""
    fake_office(monkeypatch)
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "var"))
    data = dang_bo_payload()
    incomplete = json.loads((SAMPLES / "annual_review_2025_incomplete.json").read_text(encoding="utf-8"))
    incomplete["organisation"]["parent"] = data["chi_bo"][0]["organisation"]["parent"]
    data["chi_bo"].append(incomplete)
    path = tmp_path / "dang-bo.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert main(["batch", str(path), "--local", "-o", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    assert ("Lưu ý (Chi bộ thôn Đông Hà – năm 2025): Đồng chí Lý Văn Sơn chưa có kết quả đánh giá"
            in out)


def test_local_batch_names_a_wrong_header_and_writes_nothing(tmp_path, monkeypatch, capsys):
    """A workbook with a header of no column: exit 2, the sheet and the header cell printed."""
    from tests.support.factories import workbook_bytes

    fake_office(monkeypatch)
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "var"))
    path = tmp_path / "dang-bo.xlsx"
    path.write_bytes(workbook_bytes(lambda book: book["Đảng viên"].cell(row=1, column=5, value="Chức danh")))
    assert main(["batch", str(path), "--local", "-o", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert ("Sheet \"Đảng viên\", ô E1 (tiêu đề \"Chức danh\"): Tiêu đề cột \"Chức danh\" không phải "
            "cột") in err
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
