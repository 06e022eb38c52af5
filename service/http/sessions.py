"""Web sessions that end, and the failures of tokens: the parts of ``auth`` about their life.

A session cookie holds the user's id, the user's *session version* when it was made (``v``),
when it was made (``at``) and when it was last used (``seen``). It is a login while the user is
active, the version is still the user's (a logout, a password change or reset and a lock-out
raise it: every session of the user ends at once, copies of the cookie too), it is younger than
``SESSION_HOURS`` and was used less than ``SESSION_IDLE_MINUTES`` ago.
"""

from __future__ import annotations

import time
from typing import Any

from flask import current_app, session

from service import accounts
from service.errors import TooManyAttemptsError
from service.http import throttle

_SEEN_EVERY = 30  # seconds: how often a session's last use is written back into its cookie


def token_user(db_session: Any, presented: str) -> accounts.User | None:
    """The user of an API token. A valid token is never refused by a lock; refused tokens are
    counted against the token's id and the address, and once those are full answer 429."""
    user = accounts.user_for_token(db_session, presented)
    if user is not None:
        return user
    counters = (throttle.token(presented.split("_")[1] if presented.count("_") >= 2 else "?"),
                throttle.address())
    wait = throttle.retry_after(*counters)
    if wait:
        raise TooManyAttemptsError(wait)
    failed(db_session, throttle.count_failure(*counters), "token-refused", presented[:22])
    return None


def failed(db_session: Any, taken: throttle.Attempt, action: str, who: str, *, audited: bool = False) -> None:
    """Audit a failure (its place is already taken) and the lock it may have brought about."""
    if not audited:
        accounts.record(db_session, None, action, "user", who[:64], None, throttle.address().who)
    for lock in throttle.failed(taken):
        accounts.record(db_session, None, "login-locked", "user", who[:64], None, lock)


def session_user(db_session: Any) -> accounts.User | None:
    """The user of the session cookie while the session lives, else None (and the cookie is
    emptied): the user is active, the cookie carries the user's current session version (a
    logout, a password change or reset and a lock-out raise it), it is younger than
    ``SESSION_HOURS`` and was used less than ``SESSION_IDLE_MINUTES`` ago."""
    user: accounts.User | None = db_session.get(accounts.User, str(session["user_id"]))
    now, config = time.time(), current_app.config
    started, seen = _number(session.get("at")), _number(session.get("seen"))
    alive = (user is not None and user.active and session.get("v") == user.session_version
             and now - started < config["SESSION_HOURS"] * 3600
             and now - seen < config["SESSION_IDLE_MINUTES"] * 60)
    if not alive:
        session.clear()
        return None
    if now - seen > _SEEN_EVERY:  # not on every request: the cookie would change each time
        session["seen"] = now
    return user


def _number(value: Any) -> float:
    return float(value) if isinstance(value, int | float) else 0.0


def start(user_id: str, version: int) -> None:
    """A fresh session for the signed-in user (no session fixation), at *version*."""
    session.clear()  # no session fixation: a new session for the signed-in user
    session.update(user_id=user_id, v=version, at=time.time(), seen=time.time())
    session.permanent = True


