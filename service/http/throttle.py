"""Login throttling: wrong passwords and wrong tokens, counted per account and per address.

Flask-Limiter (its ``limits`` windows, on the same Redis as the queue: ``THROTTLE_STORAGE_URI``,
empty meaning ``REDIS_URL``) counts **failures only**: every wrong password counts against
the account named and against the client's address, every refused API token against the
token's id and the address. While one of their windows is full (``LOGIN_LIMITS_ACCOUNT``,
``LOGIN_LIMITS_ADDRESS``: a few a minute, more per quarter hour, more per hour — so the wait
grows with the failures) every attempt is refused before any password is checked — the
right password too — with 429 and ``Retry-After``; the moment an account or address is locked
is audited (``login-locked``). A success clears its account's count. When Redis does not
answer, the counts go on in this process's memory (logged): throttling never stops logins.

Behind a reverse proxy the client's address is the proxy's unless ``TRUSTED_PROXIES`` says how
many proxies set ``X-Forwarded-For``.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass

from flask import Flask, current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from limits import RateLimitItem, parse_many
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter, RateLimiter
from werkzeug.middleware.proxy_fix import ProxyFix

logger = logging.getLogger(__name__)
_RETRY_STORE = 30  # seconds before a store that did not answer is asked again


@dataclass(frozen=True)
class Counter:
    """What is counted: ``account``/``token``/``address``, and whose."""

    kind: str
    who: str

    @property
    def key(self) -> str:
        """The key in the store."""
        return f"{self.kind}:{self.who}"


def account(username: str) -> Counter:
    """The failures of the account *username* (case aside)."""
    return Counter("account", username.strip().casefold()[:100])


def token(token_id: str) -> Counter:
    """The failures of the API token *token_id*."""
    return Counter("token", token_id[:32])


def address() -> Counter:
    """The failures of this request's client address."""
    return Counter("address", get_remote_address())


def _limits(counter: Counter) -> list[RateLimitItem]:
    setting = "LOGIN_LIMITS_ADDRESS" if counter.kind == "address" else "LOGIN_LIMITS_ACCOUNT"
    return parse_many(current_app.config[setting])


def _strategy() -> RateLimiter:
    limiter: Limiter = current_app.extensions["throttle"]
    return limiter.limiter


def _fallback() -> RateLimiter:
    found: RateLimiter = current_app.extensions["throttle-memory"]
    return found


def _run(action: str, counter: Counter, item: RateLimitItem) -> object:
    state = current_app.extensions["throttle-down-until"]
    if time.monotonic() >= state[0]:
        try:
            return getattr(_strategy(), action)(item, "login", counter.key)
        except Exception as exc:  # the store is down: count in this process rather than not at all
            logger.warning("throttle store unavailable (%s: %s); counting in memory for %d s",
                           type(exc).__name__, exc, _RETRY_STORE)
            state[0] = time.monotonic() + _RETRY_STORE  # not one timeout per window and attempt
    return getattr(_fallback(), action)(item, "login", counter.key)


def retry_after(*counters: Counter) -> int:
    """Seconds until every one of *counters* may try again (0: now)."""
    now, wait = time.time(), 0.0
    for counter in counters:
        for item in _limits(counter):
            if not _run("test", counter, item):
                stats = _run("get_window_stats", counter, item)
                wait = max(wait, float(stats.reset_time) - now)  # type: ignore[attr-defined]
    return max(1, math.ceil(wait)) if wait > 0 else 0


def failed(*counters: Counter) -> list[str]:
    """Count one failure against each of *counters*; the ones it has just locked, described."""
    locked = []
    for counter in counters:
        full = []
        for item in _limits(counter):  # every window counts it, the full ones too
            _run("hit", counter, item)
            if not _run("test", counter, item):
                full.append(f"{item.amount} lần sai trong {item.get_expiry()} giây")
        if full:
            locked.append(f"{counter.kind} {counter.who}: {', '.join(full)}")
    return locked


def succeeded(counter: Counter) -> None:
    """Forget the failures of *counter* (a successful login)."""
    for item in _limits(counter):
        _run("clear", counter, item)


def init_app(app: Flask) -> None:
    """The limiter on ``THROTTLE_STORAGE_URI`` (or ``REDIS_URL``), and the proxies trusted."""
    uri = app.config["THROTTLE_STORAGE_URI"] or app.config["REDIS_URL"]
    options: dict[str, str | int] = ({"socket_connect_timeout": 1, "socket_timeout": 1}
                                     if uri.startswith("redis") else {})
    limiter = Limiter(get_remote_address, app=app, storage_uri=uri, storage_options=options,
                      strategy="moving-window", default_limits=[], key_prefix="chibo")
    app.extensions["throttle"] = limiter
    app.extensions["throttle-memory"] = MovingWindowRateLimiter(MemoryStorage())
    app.extensions["throttle-down-until"] = [0.0]  # monotonic time the store is asked again
    proxies = app.config["TRUSTED_PROXIES"]
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies,  # type: ignore[method-assign]
                                x_host=proxies)
