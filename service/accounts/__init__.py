"""Who may do what: organisations, users, API tokens, the audit log.

``models`` holds the tables, ``users`` what is done with them; both are re-exported here, so
callers write ``accounts.User`` and ``accounts.create_token``.
"""

from __future__ import annotations

from service.accounts.models import (
    KIND_LABELS,
    KINDS,
    ROLES,
    UNIT_KINDS,
    ApiToken,
    AuditEvent,
    Organisation,
    SignInLink,
    User,
)
from service.accounts.ownership import (
    chi_bo_choices,
    owner_problem,
    resolve_owner,
    suggest_chi_bo,
)
from service.accounts.users import (
    Actor,
    check_password,
    create_organisation,
    create_token,
    create_user,
    disable,
    end_sessions,
    find_organisation,
    may_submit,
    record,
    set_password,
    user_for_token,
    visible_organisations,
)

__all__ = [
    "KINDS",
    "KIND_LABELS",
    "ROLES",
    "UNIT_KINDS",
    "Actor",
    "ApiToken",
    "AuditEvent",
    "Organisation",
    "SignInLink",
    "User",
    "check_password",
    "chi_bo_choices",
    "create_organisation",
    "create_token",
    "create_user",
    "disable",
    "end_sessions",
    "find_organisation",
    "may_submit",
    "owner_problem",
    "record",
    "resolve_owner",
    "set_password",
    "suggest_chi_bo",
    "user_for_token",
    "visible_organisations",
]
