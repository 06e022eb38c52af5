"""One way in: a meeting or a workbook sent on the pages or to the API is read and validated once."""

from __future__ import annotations

import io
import json

import pytest

from service.jobs import queue
from service.meetings import figures, validation
from tests.service.http.pages.test_web_pages import csrf, sign_in
from tests.support.factories import meeting_payload, workbook_bytes
from tests.support.fakes import count_calls


@pytest.fixture(name="counted")
def _counted(monkeypatch):
    """Nothing queued; the validations and the figures computed, counted."""
    monkeypatch.setattr(queue, "dispatch", lambda documents, size, **_: 0)
    monkeypatch.setattr(queue, "quiet_for", lambda url: 0.0)
    return count_calls(monkeypatch, validation.parse_meeting), count_calls(monkeypatch, figures.compute)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_json_file_uploaded_on_the_page_is_validated_once(app, anonymous, counted):
    """The secretary's upload: read, validated and its figures computed once, then her job."""
    validated, computed = counted
    sign_in(app, anonymous)
    token = csrf(anonymous, "/")
    validated.clear()
    sent = anonymous.post("/tai-len", data={"csrf_token": token, "file": (
        io.BytesIO(json.dumps(meeting_payload()).encode()), "hoi-nghi.json")})
    assert sent.status_code == 303 and sent.headers["Location"].startswith("/viec/")
    assert len(validated) == 1 and len(computed) == 1


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_workbook_sent_to_the_api_is_read_once_and_never_parsed_again(client, counted):
    """The workbook's đảng bộ is validated by its reader and recorded as it is: no second parse."""
    validated, computed = counted
    response = client.post("/api/v1/batches", data=workbook_bytes(),
                           content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert response.status_code == 202, response.get_json()
    assert len(validated) == 1  # the reader's own, of the whole đảng bộ
    assert len(computed) == len(response.get_json()["chi_bo"])
