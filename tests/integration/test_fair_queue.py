"""Fair queuing through the real worker: one submitter's many documents do not hold another's meeting."""

from __future__ import annotations

import uuid

import pytest

from tests.integration.conftest import wait_until_finished
from tests.support import people
from tests.support.factories import meeting_payload

pytestmark = pytest.mark.integration
ONE = "/api/v1/jobs?documents=bien_ban_kiem_diem"
MANY = "/api/v1/jobs?documents=ban_kiem_diem_ca_nhan"  # a self-review for each of its 12 members


def _named(name: str) -> dict:
    """The sample meeting of a chi bộ called *name*."""
    payload = meeting_payload()
    payload["organisation"] = {**payload["organisation"], "name": name}
    return payload


def test_a_meeting_sent_behind_another_s_long_queue_is_made_before_most_of_it(live_client):
    """Issue #31, 10a (5 s → 204 s): a đảng ủy office queues 6 meetings, then a chi bộ sends one.

    First in, first out made the chi bộ's last; its submitter had nothing waiting, so its task
    goes ahead of the office's waiting ones: 3 of the office's at least still wait when it is done.
    """
    app = live_client.application
    # each meeting many documents of its own (its name in every header, unique to this run):
    # identical ones would come from the conversion cache at once, and one document a meeting is
    # made by a warm worker as fast as it is sent
    run = uuid.uuid4().hex[:8]
    office = [live_client.post(MANY, json=_named(f"Chi bộ hàng đợi {number} ({run})")).get_json()["id"]
              for number in range(1, 7)]
    chi_bo = people.as_user(app.test_client(), people.token(app, role="chi_bo", org="Chi bộ thôn Hàng đợi"))
    response = chi_bo.post(ONE, json=_named(f"Chi bộ thôn Hàng đợi ({run})"))
    assert response.status_code == 202, response.get_json()
    mine = wait_until_finished(chi_bo, response.headers["Location"], timeout=120)
    assert mine["status"] == "done"
    waiting = [job_id for job_id in office
               if live_client.get(f"/api/v1/jobs/{job_id}").get_json()["status"] in ("queued", "running")]
    for job_id in office:  # what is left of the office's is not needed: the worker drops it
        assert live_client.delete(f"/api/v1/jobs/{job_id}").status_code == 204
    assert len(waiting) >= 3, f"only {len(waiting)} of the office's 6 were not made before the chi bộ's"
