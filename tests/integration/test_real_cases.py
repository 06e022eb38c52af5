"""Issue 25's real cases, read back from the PDFs: citations by date, votes that fall short, a đảng
bộ's own signing line and code, reasons not to rate, and the small wording fixes.

Two meetings rendered once each through LibreOffice; every assertion reads ``pdftotext``.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from service.documents import instances
from service.documents.rendering import DocxRenderer
from service.jobs.pipeline import build
from service.meetings.validation import parse_meeting
from tests.support.factories import dang_bo_payload, meeting_payload, monthly_payload

pytestmark = pytest.mark.integration


def _texts(meeting, converter, tmp_path: Path, wanted: set[str]) -> dict[str, str]:
    """Each wanted document's PDF text, its runs of white space folded (lines joined)."""
    found: dict[str, str] = {}
    for instance in instances(meeting):
        if instance.doc_type.id not in wanted or instance.doc_type.id in found:
            continue  # the first of each type (one member's self-review stands for all)
        path = tmp_path / f"{instance.name}.pdf"
        path.write_bytes(build(meeting, instance, DocxRenderer(), converter).pdf)
        text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True,
                              capture_output=True).stdout.decode()
        found[instance.doc_type.id] = " ".join(text.split())
    return found


def test_an_october_2025_review_of_a_dang_bo_co_so(converter, tmp_path):
    """15/10/2025, before HD 43: QĐ 366 alone, its exact title; a đảng bộ cơ sở signs T/M ĐẢNG ỦY,
    numbered -BB/ĐU; 6 votes of 10 printed as 06/10; a guest typed "Đồng chí" once; no dự bị note;
    a reason not to rate printed; the report goes to the đảng ủy; the counting team's posts."""
    data = meeting_payload(start="2025-10-15T14:00:00", end="2025-10-15T17:00:00", document_date=None,
                           guests=[{"name": "Đồng chí Hà Văn Sơn", "position": "Đảng ủy viên"}])
    data["organisation"].update(kind="dang_bo_co_so", name="Đảng bộ Trường Tiểu học Thạch Linh")
    data["members"] = [{**m, "attendance": "present"} for m in data["members"]
                       if m.get("membership") != "du_bi"]
    names = {m["name"] for m in data["members"]}
    data["ratings"] = [r for r in data["ratings"] if r["member"] in names]
    data["members"][-1]["not_rated_reason"] = "ốm đau dài ngày"
    data["ratings"] = [r for r in data["ratings"] if r["member"] != data["members"][-1]["name"]]
    data.pop("check", None)
    voters = len(data["members"])
    data["ballot_count"].update(issued=voters, returned=voters, invalid=0)
    data["ballot_count"]["committee"][0]["position"] = "Đảng ủy viên"
    for rating in data["ratings"]:
        rating["votes"] = {"tot": voters}
    data["ratings"][1]["votes"] = {"tot": 6}
    data["chi_bo_rating"]["votes"] = {"tot": voters}
    # what the secretary typed speaks of the đảng bộ too: every "chi bộ" left is the service's
    typed = json.dumps({k: v for k, v in data.items() if k != "organisation"}, ensure_ascii=False)
    for old, new in (("chi bộ", "đảng bộ"), ("Chi bộ", "Đảng bộ"), ("chi ủy", "đảng ủy")):
        typed = typed.replace(old, new)
    data.update(json.loads(typed))
    head = data["members"][0]
    first = next(r for r in data["ratings"] if r["member"] in (head["name"], head.get("id")))
    first["decision"] = {"level": "hoan_thanh", "by": "Ban Thường vụ Đảng ủy phường Thành Sen",
                         "note": "vượt tỷ lệ"}
    meeting = parse_meeting(data)
    short = data["members"][1]["name"]
    text = _texts(meeting, converter, tmp_path, {"bien_ban_kiem_diem", "bao_cao_kiem_diem",
                                                 "bien_ban_kiem_phieu", "ban_kiem_diem_ca_nhan",
                                                 "phieu_danh_gia_chi_bo"})
    for kind, body in text.items():  # the đảng bộ's own word everywhere in its own documents
        left = re.findall(r".{0,80}chi (?:bộ|ủy).{0,40}", body, re.IGNORECASE)
        assert "chi bộ" not in body.casefold() and "chi ủy" not in body.casefold(), (kind, left)
    minutes = text["bien_ban_kiem_diem"]
    assert ("Căn cứ Quy định số 366-QĐ/TW, ngày 30/8/2025 của Bộ Chính trị về việc kiểm điểm và đánh giá, "
            "xếp loại chất lượng đối với tập thể, cá nhân trong hệ thống chính trị;") in minutes
    assert "43-HD/BTCTW" not in minutes and "hằng năm đối với tập thể" not in minutes
    assert "-BB/ĐU" in minutes and "T/M ĐẢNG ỦY" in minutes and "T/M CHI BỘ" not in minutes
    assert f"Đồng chí {short}: ghi nhận {6:02d}/{voters:02d} phiếu hợp lệ" in minutes
    assert "Đồng chí Hà Văn Sơn – Đảng ủy viên" in minutes and "Đồng chí Đồng chí" not in minutes
    assert "dự bị không biểu quyết" not in minutes
    assert "không đánh giá, xếp loại: đồng chí " in minutes and "(ốm đau dài ngày)" in minutes
    report = text["bao_cao_kiem_diem"]
    assert "Đảng ủy phường Thành Sen (để báo cáo)" in report and "T/M ĐẢNG ỦY" in report
    assert "hằng năm đối với tập thể" not in report
    assert "a) Đối với tập thể đảng bộ:" in minutes and "Tổng số đảng viên của đảng bộ:" in minutes
    assert "Đảng bộ đề nghị cấp trên xếp loại chất lượng đảng bộ" in minutes
    assert "Đảng bộ đề nghị xếp loại" in minutes  # the results table's head
    assert "- Đảng viên trong đảng bộ, - Lưu đảng bộ." in report
    assert "xếp loại chất lượng tập thể đảng ủy năm 2025" in report
    assert "NHẬN XÉT, ĐÁNH GIÁ CỦA ĐẢNG BỘ" in text["ban_kiem_diem_ca_nhan"]
    assert ('Đảng bộ đề nghị xếp loại: "Hoàn thành tốt nhiệm vụ". Ban Thường vụ Đảng ủy phường Thành Sen '
            'quyết định xếp loại: "Hoàn thành nhiệm vụ" (vượt tỷ lệ).') in text["ban_kiem_diem_ca_nhan"]
    assert "quyết định xếp loại" not in minutes  # the minutes keep what the meeting proposed
    assert "PHIẾU ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG ĐẢNG BỘ NĂM 2025" in text["phieu_danh_gia_chi_bo"]
    count = text["bien_ban_kiem_phieu"]
    assert "2. Kết quả đánh giá, xếp loại chất lượng đảng bộ" in count
    assert "Tổ trưởng, Đảng ủy viên" in count and f"ghi nhận {6:02d}/{voters:02d} phiếu hợp lệ" in count


def test_an_october_2025_monthly_meeting(converter, tmp_path):
    """7/10/2025: Chỉ thị 50 alone, then the đảng ủy's công văn; a resolution voted 10 of 19 printed so."""
    members = [{"name": f"Đảng viên {i:02d}"} for i in range(1, 20)]
    meeting = parse_meeting(monthly_payload(
        month=10, start="2025-10-07T19:30:00", end="2025-10-07T21:30:00", preparation=None, resolution=None,
        members=members, check=None, minutes_vote=None,
        resolutions=[{"text": "Thông qua kế hoạch tháng 11.", "agree": 10}],
        local_basis=[{"kind": "Công văn", "number": "98-CV/ĐU", "date": "2025-10-01",
                      "issuer": "Đảng ủy phường Thành Sen", "subject": "về sinh hoạt chi bộ tháng 10"}]))
    minutes = _texts(meeting, converter, tmp_path, {"bien_ban_sinh_hoat"})["bien_ban_sinh_hoat"]
    assert ("Thực hiện Chỉ thị số 50-CT/TW, ngày 23/7/2025 của Ban Bí thư về tiếp tục đổi mới và nâng cao "
            "chất lượng sinh hoạt chi bộ trong giai đoạn mới và Công văn số 98-CV/ĐU, ngày 01/10/2025 của "
            "Đảng ủy phường Thành Sen về sinh hoạt chi bộ tháng 10") in minutes
    assert "42-HD" not in minutes
    assert "Số đồng chí biểu quyết: 10/19; 09 đồng chí chưa biểu quyết." in minutes
    assert "dự bị không biểu quyết" not in minutes


def test_a_summary_whose_tochuc_co_so_are_not_rated_says_so(converter, tmp_path):
    """The đảng bộ summary, read back: a đảng bộ cơ sở and a chi bộ cơ sở both newly formed leave
    their pool with nothing rated: said in words ("chưa có … nào được xếp loại"), never 00/00."""
    data = dang_bo_payload()
    data["chi_bo"][0]["organisation"].update(kind="dang_bo_co_so", name="Đảng bộ Trường Tiểu học Thạch Linh")
    data["chi_bo"][2]["organisation"]["kind"] = "chi_bo_co_so"
    for index in (0, 2):
        data["chi_bo"][index]["chi_bo_rating"].update(votes={}, not_rated_reason="mới thành lập")
    text = _texts(parse_meeting(data), converter, tmp_path, {"tong_hop_xep_loai"})["tong_hop_xep_loai"]
    assert ("Trong đó tổ chức cơ sở đảng (01 chi bộ cơ sở và 01 đảng bộ cơ sở): chưa có tổ chức cơ sở đảng "
            "nào được xếp loại (không tính tỷ lệ).") in text
    assert "00/00" not in text and "(–)" not in text
