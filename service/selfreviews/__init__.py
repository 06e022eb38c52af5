"""Members' own self-reviews (Mẫu 02A/B/C) written from a personal link, and the secretary's steps.

``models`` holds the table, ``links`` the capability and the steps (open, save, send, accept or
return, revoke), ``content`` what she writes, checked, and how it joins the meeting's data.
"""

from __future__ import annotations

from service.selfreviews import content, links
from service.selfreviews.links import missing_counts
from service.selfreviews.models import STATE_LABELS, STATES, SelfReview

__all__ = ["STATES", "STATE_LABELS", "SelfReview", "content", "links", "missing_counts"]
