"""A member's own Mẫu 02 as a PDF from her link: her saved words, through the real worker and
LibreOffice, "DỰ THẢO" until the chi bộ accepts it, and only ever her own form."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from service import create_app
from tests.integration.conftest import pdf_text
from tests.support import people
from tests.support.factories import meeting_payload

pytestmark = pytest.mark.integration
HERS = "Dạy đủ các tiết thao giảng và bồi dưỡng học sinh giỏi cấp huyện."
OTHERS = "Phụ trách thư viện trường, sắp xếp lại tủ sách thiếu nhi."


def _path(link: str) -> str:
    return "/" + link.split("://", 1)[1].split("/", 1)[1]


def _csrf(page) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True)).group(1)


def _pdf(member, path: str, timeout: float = 180) -> bytes:
    """Her "Tải bản PDF": a page that waits (refreshing itself) until the worker has made it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        answer = member.get(path + "/ban-pdf")
        if answer.mimetype == "application/pdf":
            assert answer.headers["Referrer-Policy"] == "no-referrer"
            assert answer.headers["X-Robots-Tag"].startswith("noindex")
            return bytes(answer.data)
        assert answer.status_code == 200, answer.get_data(as_text=True)
        assert 'http-equiv="refresh"' in answer.get_data(as_text=True)  # "Đang tạo bản PDF…"
        time.sleep(0.5)
    raise AssertionError("her PDF was never made")


def test_her_own_pdf_is_her_saved_form_marked_draft_until_accepted(live_client, stack_config,
                                                                   tmp_path: Path):
    app = create_app({"TESTING": True, **stack_config})
    secretary = people.as_user(app.test_client(), people.token(app, "chi_bo", "Chi bộ Trường (bản PDF thử)"))
    job_id = secretary.post("/api/v1/jobs?draft=1", json=meeting_payload(ratings=[])).get_json()["id"]
    made = secretary.post(f"/api/v1/jobs/{job_id}/self-reviews",
                          json={"members": ["Lê Thị Cúc", "Phạm Thị Dung"]}).get_json()["self_reviews"]
    links = {r["member"]: _path(r["link"]) for r in made}
    cuc, dung = app.test_client(), app.test_client()  # two phones, no account
    for member, name, words in ((cuc, "Lê Thị Cúc", HERS), (dung, "Phạm Thị Dung", OTHERS)):
        path = links[name]
        assert "Tải bản PDF" in member.get(path).get_data(as_text=True)
        member.post(path, data={"csrf_token": _csrf(member.get(path)), "strengths": words,
                                "general": "26", "tasks": "57", "self_rating": "tot", "action": "send"})

    text = pdf_text(_pdf(cuc, links["Lê Thị Cúc"]), tmp_path)
    assert HERS in text and "DỰ THẢO" in text and "Lê Thị Cúc" in text and OTHERS not in text
    assert "26/30" in text and "83/100" in text
    assert OTHERS in pdf_text(_pdf(dung, links["Phạm Thị Dung"]), tmp_path)  # hers alone, on her link

    review_id = next(r["id"] for r in made if r["member"] == "Lê Thị Cúc")
    secretary.post(f"/viec/{job_id}/tu-kiem-diem/{review_id}/quyet-dinh", data={"action": "accept"})
    accepted = pdf_text(_pdf(cuc, links["Lê Thị Cúc"]), tmp_path)  # made again: no longer a draft
    assert HERS in accepted and "DỰ THẢO" not in accepted

    secretary.delete(f"/api/v1/jobs/{job_id}/self-reviews/Phạm Thị Dung")
    gone = dung.get(links["Phạm Thị Dung"] + "/ban-pdf")
    assert gone.status_code == 410 and "không còn dùng được" in gone.get_data(as_text=True)
