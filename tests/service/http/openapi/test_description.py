"""The OpenAPI description: complete, valid OpenAPI 3.1, and the app answers as it says (schemathesis)."""

from __future__ import annotations

import json
import os
import re

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import ignored_auth
from schemathesis.config import SchemathesisConfig

from service.http.openapi.description import description
from tests.support import people

# Valid by the description is not always accepted: the JSON Schema cannot say that votes must
# add up (422), nor that random bytes are no workbook (400); everything else must be as listed.
# nor that a page cursor is one this service gave (400), nor that a đảng ủy office must name
# one of its chi bộ for a roster (422) and random bytes are no member list (400), nor that random
# bytes are no DOCX template (422), no signed PDF or scan (422), nor that the members named for
# self-review links are members of that review, or its links' last day not past (422); nor that an
# id is one of the office's own units, a username free (422)
_REFUSED_ALTHOUGH_WELL_FORMED = {"createJob": ["422"], "createBatch": ["400", "422"], "listJobs": ["400"],
                                 "listBatches": ["400"], "getRoster": ["422"], "putRoster": ["422"],
                                 "importRoster": ["400", "422"], "uploadTemplate": ["422"],
                                 "previewTemplate": ["400"], "postSignedCopy": ["422"],
                                 "postHandSignedScan": ["422"], "verifyPdf": ["422"],
                                 # an office names the chi bộ: without ?organisation=, 422 as for the roster
                                 "listAssignments": ["422"], "getChiBoYear": ["422"],
                                 "createSelfReviewLinks": ["422"],
                                 # a well-formed id that is none of the caller's units, a name taken
                                 "createUnit": ["422"], "changeUnit": ["422"], "createUser": ["422"],
                                 "changeUser": ["422"], "makeSignInLink": ["422"], "openSeason": ["422"],
                                 "decideInSeason": ["422"], "remindUnits": ["422"]}
_POSITIVE = ["2xx", "3xx", "401", "403", "404", "409"]
# 0: the bounded, repeatable run (10 generated cases an operation and phase, a fixed seed, ~15 s a
# database); CHIBO_FUZZ_EXAMPLES=500 explores further with fresh random cases each run
_EXAMPLES = int(os.environ.get("CHIBO_FUZZ_EXAMPLES", "0"))


def _config() -> SchemathesisConfig:
    return SchemathesisConfig.from_dict({
        "generation": {"max-examples": _EXAMPLES or 10, "with-security-parameters": False},
        "checks": {"positive_data_acceptance": {"expected-statuses": _POSITIVE},
                   "ignored_auth": {"enabled": False}},  # see auth_headers
        "operations": [{"include-operation-id": operation_id,
                        "checks": {"positive_data_acceptance": {"expected-statuses": _POSITIVE + extra}}}
                       for operation_id, extra in _REFUSED_ALTHOUGH_WELL_FORMED.items()],
    })


# the raw workbook body is bytes, sent as they are
schemathesis.serializer.alias("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                              "application/octet-stream")
for _media in ("application/pdf", "image/jpeg", "image/png"):  # signed copies, scans
    schemathesis.serializer.alias(_media, "application/octet-stream")
# the description as the code builds it (a test below checks the app serves the same); each
# generated request is sent to the test's own app (SQLite or PostgreSQL)
schema = schemathesis.openapi.from_dict(json.loads(json.dumps(description())), config=_config())


@pytest.fixture(name="auth_headers")
def _auth_headers(app) -> dict[str, str]:
    """Headers every generated request carries: a đảng ủy office user's token.

    With a token sent, schemathesis's ``ignored_auth`` check also runs: the same request
    without it (or with a wrong one) must not succeed.
    """
    return {"Authorization": f"Bearer {people.token(app)}"}


@pytest.fixture(name="undispatched")
def _undispatched(monkeypatch) -> None:
    """Nothing reaches Celery (no Redis needed)."""
    from service.jobs import queue

    monkeypatch.setattr(queue, "dispatch", lambda documents, size, **_: None)
    monkeypatch.setattr(queue, "preview", lambda version_id, input_key: None)


@pytest.fixture(name="unthrottled")
def _unthrottled(app) -> None:
    """The ignored_auth probes send many wrong tokens: limits no run reaches (throttling has its tests)."""
    app.config.update(LOGIN_LIMITS_ACCOUNT="1000000 per minute", LOGIN_LIMITS_ADDRESS="1000000 per minute")


# on SQLite only: the answers' shapes do not depend on the database, and every API test of
# tests/service/http/api runs on PostgreSQL too (half of this module's two minutes saved)
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@schema.parametrize()
@settings(deadline=None, derandomize=not _EXAMPLES, database=None, suppress_health_check=list(HealthCheck),
          print_blob=True)
def test_the_api_answers_as_described(case, app, auth_headers, undispatched, unthrottled):
    """Generated requests: never a 5xx, every answer (status, type, body, headers) as described."""
    case.operation.schema.app = app  # the probes of ignored_auth (no token) go to this app too
    case.call_and_validate(app=app, headers=auth_headers,
                           additional_checks=[ignored_auth] if auth_headers else [])


def test_the_served_description_is_the_one_tested(client):
    """GET /api/v1/openapi.json is what the schemathesis test ran against."""
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.get_json() == json.loads(json.dumps(description()))


def test_the_description_is_valid_openapi_3_1():
    """The document validates against the OpenAPI 3.1 schema."""
    schema.validate()
    assert schema.raw_schema["openapi"] == "3.1.0"


def test_every_route_of_the_api_is_described(app, client):
    """Each route under /api/v1 (whatever blueprint holds it) is a path and method described."""
    described = client.get("/api/v1/openapi.json").get_json()["paths"]
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/") or rule.rule == "/api/v1/openapi.json":
            continue
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert method.lower() in described.get(path, {}), (method, path)


def test_bearer_auth_is_required_globally_and_401_and_404_are_described(client):
    """bearerAuth applies everywhere but the description itself; 401 on each, 404 on each with an id."""
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http", "scheme": "bearer", "description": "Authorization: Bearer <token>"}
    assert document["security"] == [{"bearerAuth": []}]
    for path, operations in document["paths"].items():
        for operation in operations.values():
            if path.endswith("/openapi.json"):
                assert operation["security"] == []
                continue
            assert "401" in operation["responses"], path
            assert "{" not in path or "404" in operation["responses"], path


def test_problems_are_described_with_the_problem_schema(client):
    """Every problem answer is application/problem+json of Problem (type, title, status, detail, errors)."""
    document = client.get("/api/v1/openapi.json").get_json()
    problem = document["components"]["schemas"]["Problem"]
    assert set(problem["required"]) == {"type", "title", "status", "detail"}
    assert problem["properties"]["errors"]["items"] == {"$ref": "#/components/schemas/FieldProblem"}
    for answer in document["components"]["responses"].values():
        assert list(answer["content"]) == ["application/problem+json"]


def test_uploads_are_described_as_json_multipart_and_xlsx(client):
    """POST /batches takes the đảng bộ as JSON, a multipart file, or the raw workbook."""
    body = client.get("/api/v1/openapi.json").get_json()["paths"]["/api/v1/batches"]["post"]["requestBody"]
    assert set(body["content"]) == {"application/json", "multipart/form-data",
                                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
