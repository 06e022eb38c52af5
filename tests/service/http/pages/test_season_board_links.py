"""The season's board links each unit to its monthly meetings and resolutions (the ledger)."""

from __future__ import annotations

import pytest

from tests.service.http.pages.test_web_pages import sign_in, text
from tests.support import people


@pytest.fixture(autouse=True)
def _no_dispatch(monkeypatch):
    """Nothing reaches Celery."""
    from service.jobs import queue

    monkeypatch.setattr(queue, "dispatch", lambda documents, size, **_: 0)


def test_each_unit_of_the_board_links_to_its_ledger_of_the_season_s_year(app, anonymous):
    """The office opens the board; a unit's ledger link opens with that unit and year."""
    office = sign_in(app, anonymous, username="vp", role="dang_uy", org=people.DANG_BO)
    unit = office.post("/api/v1/organisations", json={"name": "Chi bộ thôn Bắc", "kind": "chi_bo"}).get_json()
    season = office.post("/api/v1/seasons", json={"year": 2026, "deadline": "2026-12-20",
                                                  "organisation_ids": [unit["id"]]}).get_json()
    board = text(anonymous.get(f"/theo-doi/{season['id']}"))
    link = f"/theo-doi-nghi-quyet?organisation={unit['id']}&amp;nam=2026"
    assert link in board
    ledger = anonymous.get(link.replace("&amp;", "&"))
    assert ledger.status_code == 200 and "Chi bộ thôn Bắc" in text(ledger)
