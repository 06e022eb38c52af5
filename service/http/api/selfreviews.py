"""``/api/v1/jobs/<id>/self-reviews``: members' personal self-review links of a draft annual review."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, request

from service.errors import BadRequestError, UnsupportedMediaTypeError
from service.http.actions import selfreviews

bp = Blueprint("self_reviews", __name__, url_prefix="/api/v1")


@bp.post("/jobs/<job_id>/self-reviews")
def create(job_id: str) -> tuple[dict[str, Any], int]:
    """A link for each member named (``{"members": [roster id or name…], "expires_on": "YYYY-MM-DD"}``).

    Each link is shown only in this answer; a new link for a member ends her earlier one.
    """
    if not request.is_json:
        raise UnsupportedMediaTypeError("Kiểu nội dung không được hỗ trợ; hãy gửi application/json.")
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise BadRequestError("Nội dung gửi lên phải là một đối tượng JSON có \"members\".")
    made = selfreviews.create_links(job_id, data.get("members"), data.get("expires_on"))
    return {"self_reviews": made}, 201


@bp.get("/jobs/<job_id>/self-reviews")
def states(job_id: str) -> dict[str, Any]:
    """Each member's state: link made, opened, saved, sent, returned, accepted (never the links)."""
    return selfreviews.states(job_id)


@bp.delete("/jobs/<job_id>/self-reviews/<member>")
def revoke(job_id: str, member: str) -> dict[str, Any]:
    """Revoke one member's link (by the self-review's id, her key or her name)."""
    return selfreviews.revoke(job_id, member)
