"""The web pages without a browser: their files, and every warning of a job and of a batch."""

from __future__ import annotations

import html
import json

import pytest

from tests.support.factories import SAMPLES, dang_bo_payload

INCOMPLETE = json.loads((SAMPLES / "annual_review_2025_incomplete.json").read_text(encoding="utf-8"))


@pytest.fixture(name="dispatched", autouse=True)
def _dispatched(monkeypatch):
    """Nothing goes to Redis: the queue records the documents instead."""
    from service.jobs import queue

    monkeypatch.setattr(queue, "dispatch", lambda documents, size, **_: None)


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def test_job_page_shows_every_warning(client):
    """The job page prints each warning of the meeting (missing member, no votes, quota)."""
    job = client.post("/api/v1/jobs", json=INCOMPLETE).get_json()
    assert len(job["warnings"]) == 3
    page = _text(client.get(f"/viec/{job['id']}"))
    for warning in job["warnings"]:
        assert f'<p class="warning">{warning}</p>' in page


def test_batch_page_shows_each_warning_under_its_chi_bo(client):
    """The batch page shows an incomplete chi bộ's warnings in that chi bộ's section."""
    data = dang_bo_payload()
    incomplete = {**INCOMPLETE, "organisation": {**INCOMPLETE["organisation"],
                                                 "parent": data["chi_bo"][0]["organisation"]["parent"]}}
    data["chi_bo"].append(incomplete)
    batch = client.post("/api/v1/batches", json=data).get_json()
    page = _text(client.get(f"/lo/{batch['id']}"))
    section = page[page.index("Chi bộ thôn Đông Hà – năm 2025</a>"):]  # the chi bộ's heading
    assert '<p class="warning">Đồng chí Lý Văn Sơn chưa có kết quả đánh giá' in section.split("</section>")[0]


@pytest.mark.parametrize(("path", "kind"), [("/static/app.js", "javascript"), ("/static/app.css", "css")])
def test_the_pages_script_and_stylesheet_are_served(anonymous, path, kind):
    """app.js and app.css come from service/http/pages/static, to anyone (the login page needs them)."""
    response = anonymous.get(path)
    assert response.status_code == 200 and kind in response.content_type
