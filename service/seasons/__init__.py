"""Seasons of the đảng ủy ("đợt"): the units taking part, the board computed from their own
documents, the summary rolled up from their reviews, the đảng ủy's decisions, reminders.

Row 4½: above ``jobs`` (whose jobs and documents it reads), below ``migrations``.
"""
