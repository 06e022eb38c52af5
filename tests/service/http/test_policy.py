"""Who may correct or delete a job: the one rule the pages' buttons and the API's refusals share."""

from __future__ import annotations

import pytest

from service.http import policy


@pytest.mark.parametrize(("job", "edit", "delete"), [
    ({"kind": "annual_review", "status": "done", "batch_id": None}, True, True),
    ({"kind": "monthly", "status": "failed", "batch_id": None}, True, True),
    ({"kind": "annual_review", "status": "running", "batch_id": None}, False, False),
    ({"kind": "monthly", "status": "queued", "batch_id": None}, False, False),
    ({"kind": "annual_review", "status": "done", "batch_id": "b1"}, True, False),  # its batch counts it
    ({"kind": "dang_bo", "status": "done", "batch_id": "b1"}, False, False),  # made from its chi bộ
    ({"kind": "dang_bo", "status": "done", "batch_id": None}, False, True),  # no form edits a summary
])
def test_the_buttons_follow_the_rule(job, edit, delete):
    """Sửa while nothing is being made, on a kind a form corrects; Xoá outside a batch."""
    assert policy.can_edit(job) is edit
    assert policy.can_delete(job) is delete


def test_the_refusals_say_why_in_vietnamese():
    """A chi bộ is told to correct instead, an office to delete the whole batch; a summary is rebuilt."""
    assert policy.delete_refusal("annual_review", False, "chi_bo") is None
    assert "đề nghị văn phòng đảng ủy xoá cả lô" in policy.delete_refusal("annual_review", True, "chi_bo")
    assert "xoá cả lô tài liệu" in policy.delete_refusal("annual_review", True, "dang_uy")
    assert "biểu tổng hợp của cả lô" in policy.delete_refusal("dang_bo", True, "dang_uy")
    assert "hãy sửa hội nghị của chi bộ" in policy.edit_refusal("dang_bo", True)
    assert policy.edit_refusal("annual_review", True) is None
