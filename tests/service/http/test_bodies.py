"""Deep or huge JSON is a 400 problem (or a 413), never a 500."""

from __future__ import annotations

import io
import shutil

import pytest

from service.http import bodies

DEEP = ("[" * 1000 + "]" * 1000).encode()
DEEP_OBJECT = ('{"a":' * 1000 + "1" + "}" * 1000).encode()


@pytest.fixture(name="database_url")
def _sqlite_only(tmp_path, sqlite_template):
    """SQLite only: what is tested here does not depend on the database."""
    shutil.copyfile(sqlite_template, tmp_path / "chibo.sqlite3")  # at head, as the app fixture expects
    return f"sqlite:///{tmp_path / 'chibo.sqlite3'}"


@pytest.fixture(autouse=True)
def _no_dispatch(monkeypatch):
    """Nothing reaches Celery."""
    from service.jobs import queue

    monkeypatch.setattr(queue, "dispatch", lambda documents, size, **_: 0)


@pytest.mark.parametrize("path", ["/api/v1/jobs", "/api/v1/jobs?draft=1", "/api/v1/batches"])
@pytest.mark.parametrize("body", [DEEP, DEEP_OBJECT, b'{"a":' * 40 + b"1" + b"}" * 40],
                         ids=["array-1000", "object-1000", "object-40"])
def test_json_nested_too_deep_is_a_400_problem(client, path, body):
    """1,000 (or 40) levels of nesting: 400 problem+json in Vietnamese, never a 500."""
    response = client.post(path, data=body, content_type="application/json")
    assert response.status_code == 400, response.get_data(as_text=True)[:200]
    assert response.mimetype == "application/problem+json" and "JSON" in response.get_json()["detail"]


def test_a_deep_json_put_is_a_400_problem(client):
    """A correction (PUT) nested 1,000 deep is refused the same way."""
    response = client.put("/api/v1/jobs/" + "a" * 32, data=DEEP, content_type="application/json")
    assert response.status_code in (400, 404) and response.mimetype == "application/problem+json"


@pytest.mark.parametrize("body", [b"[" + b"1," * 1_000_000 + b"1]", b'{"x": ' + b"9" * 5000 + b"}",
                                  b'"' + b"a" * 3_000_000 + b'"'],
                         ids=["long-array", "huge-number", "long-string"])
def test_huge_json_within_the_body_limit_is_a_4xx(client, body):
    """A million-item array, a 5,000-digit number, a 3 MB string: a 4xx problem, never a 500."""
    response = client.post("/api/v1/jobs", data=body, content_type="application/json")
    assert 400 <= response.status_code < 500 and response.mimetype == "application/problem+json"


def test_json_above_the_body_limit_is_a_413(client):
    """A body above MAX_CONTENT_LENGTH: 413 problem."""
    body = b"[" + b"0," * (5 * 1024 * 1024) + b"0]"
    response = client.post("/api/v1/jobs", data=body, content_type="application/json")
    assert response.status_code == 413 and response.mimetype == "application/problem+json"


def test_an_uploaded_json_file_nested_too_deep_is_refused_on_the_page(app):
    """The web upload of a .json file nested 1,000 deep shows the page with 400, not a 500."""
    from tests.support import people

    page = people.as_user(app.test_client(), people.token(app, role="chi_bo", org="Chi bộ thôn 1"))
    form = page.get("/").get_data(as_text=True)
    csrf = form.split('name="csrf_token" value="')[1].split('"')[0] if 'name="csrf_token"' in form else ""
    response = page.post("/tai-len", data={"file": (io.BytesIO(DEEP), "hoi-nghi.json"), "csrf_token": csrf},
                         content_type="multipart/form-data")
    assert response.status_code == 400 and "JSON" in response.get_data(as_text=True)


def test_depth_counts_without_recursion():
    """depth() of 100,000 nested lists answers (no RecursionError); scalars are 0."""
    value: list = []
    for _ in range(100_000):
        value = [value]
    assert bodies.depth(value) == 100_001 and bodies.depth(3) == 0 and bodies.depth({"a": [1]}) == 2
