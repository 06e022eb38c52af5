"""Login throttling: wrong passwords and wrong tokens, counted per account and per address.

Each password attempt first *takes a place* (``attempt``) in every window of its account and of
its address (``LOGIN_LIMITS_ACCOUNT``, ``LOGIN_LIMITS_ADDRESS``: a few a minute, more per quarter
hour, more per hour — so the wait grows with the failures), all at once or none: one Redis Lua
script per attempt (``THROTTLE_STORAGE_URI``, empty meaning ``REDIS_URL``), so forty attempts
sent at the same moment against a limit of five have five passwords checked, not seventeen.
While a window is full every attempt is refused before any password is checked — the right
password too — with 429 and ``Retry-After``; the moment an account or address is locked is
audited (``login-locked``). A success gives its place back: the account's count is cleared,
the address forgets that attempt. The password-change form takes places the same way.

API tokens are different: a token that is valid is never refused by a lock (an office behind
one address must not lose its integrations to someone else's guesses); a refused token takes a
place of its token id and of the address, and once they are full the refused ones get 429.

When Redis does not answer, the counts go on in this process's memory (logged): throttling
never stops logins. Behind a reverse proxy the client's address is the proxy's unless
``TRUSTED_PROXIES`` says how many proxies set ``X-Forwarded-For``.
"""

from __future__ import annotations

import logging
import math
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, current_app, request
from limits import RateLimitItem, parse_many
from redis import Redis
from werkzeug.middleware.proxy_fix import ProxyFix

logger = logging.getLogger(__name__)
_RETRY_STORE = 30  # seconds before a store that did not answer is asked again
PREFIX = "chibo:throttle:"
# KEYS: one sorted set per window; ARGV: now (ms), the attempt's id, then window (ms) and amount
# per key. Takes a place in every window, or in none and answers the wait (ms) until all have one.
_TAKE = """
local now = tonumber(ARGV[1])
local wait = 0
for i, key in ipairs(KEYS) do
  local window, amount = tonumber(ARGV[1 + 2 * i]), tonumber(ARGV[2 + 2 * i])
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  local count = redis.call('ZCARD', key)
  if count >= amount then
    local first = redis.call('ZRANGE', key, count - amount, count - amount, 'WITHSCORES')
    wait = math.max(wait, tonumber(first[2]) + window - now)
  end
end
if wait > 0 then return wait end
for i, key in ipairs(KEYS) do
  redis.call('ZADD', key, now, ARGV[2])
  redis.call('PEXPIRE', key, tonumber(ARGV[1 + 2 * i]))
end
return 0
"""


@dataclass(frozen=True)
class Counter:
    """What is counted: ``account``/``token``/``address``, and whose."""

    kind: str
    who: str

    @property
    def key(self) -> str:
        """The key in the store (one per window is made from it)."""
        return f"{self.kind}:{self.who}"


@dataclass
class Attempt:
    """One attempt's places: its id, and the seconds to wait when it got none (0: it got them)."""

    id: str
    wait: int
    counters: tuple[Counter, ...] = field(default_factory=tuple)


def account(username: str) -> Counter:
    """The failures of the account *username* (case aside)."""
    return Counter("account", username.strip().casefold()[:100])


def token(token_id: str) -> Counter:
    """The failures of the API token *token_id*."""
    return Counter("token", token_id[:32])


def address() -> Counter:
    """The failures of this request's client address."""
    return Counter("address", request.remote_addr or "127.0.0.1")


def _limits(counter: Counter) -> list[RateLimitItem]:
    setting = "LOGIN_LIMITS_ADDRESS" if counter.kind == "address" else "LOGIN_LIMITS_ACCOUNT"
    return parse_many(current_app.config[setting])


def _windows(counters: tuple[Counter, ...]) -> list[tuple[str, int, int]]:
    """(key, window in ms, amount) of every window of *counters*."""
    return [(f"{PREFIX}{c.key}:{item.get_expiry()}", item.get_expiry() * 1000, item.amount)
            for c in counters for item in _limits(c)]


class _Memory:
    """The same windows in this process (tests, ``memory://``, a Redis that does not answer)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.entries: dict[str, list[tuple[float, str]]] = {}

    def take(self, windows: list[tuple[str, int, int]], now: float, member: str) -> float:
        with self.lock:
            wait = 0.0
            for key, window, amount in windows:
                kept = [e for e in self.entries.get(key, []) if e[0] > now - window]
                self.entries[key] = kept
                if len(kept) >= amount:
                    wait = max(wait, kept[len(kept) - amount][0] + window - now)
            if wait > 0:
                return wait
            for key, _, _ in windows:
                self.entries[key].append((now, member))
            return 0.0

    def forget(self, keys: list[str], member: str | None) -> None:
        with self.lock:
            for key in keys:
                if member is None:
                    self.entries.pop(key, None)
                else:
                    self.entries[key] = [e for e in self.entries.get(key, []) if e[1] != member]


def _store() -> tuple[Redis | None, _Memory]:
    extension = current_app.extensions["throttle"]
    state = extension["down-until"]
    redis = extension["redis"] if redis_up(state) else None
    return redis, extension["memory"]


def redis_up(state: list[float]) -> bool:
    """False while a store that did not answer is left alone."""
    return time.monotonic() >= state[0]


def _down(exc: Exception) -> None:
    logger.warning("throttle store unavailable (%s: %s); counting in memory for %d s",
                   type(exc).__name__, exc, _RETRY_STORE)
    current_app.extensions["throttle"]["down-until"][0] = time.monotonic() + _RETRY_STORE


def _take(counters: tuple[Counter, ...], member: str) -> float:
    """Places for *member* in every window of *counters* (0), or the seconds until there are."""
    windows = _windows(counters)
    now_ms = time.time() * 1000
    redis, memory = _store()
    if redis is not None:
        try:
            script = current_app.extensions["throttle"]["script"]
            args: list[Any] = [int(now_ms), member]
            for _, window, amount in windows:
                args += [window, amount]
            return float(script(keys=[w[0] for w in windows], args=args, client=redis)) / 1000
        except Exception as exc:  # the store is down: count in this process rather than not at all
            _down(exc)
    return memory.take(windows, now_ms, member) / 1000


def _wait(seconds: float) -> int:
    return max(1, math.ceil(seconds)) if seconds > 0 else 0


def attempt(*counters: Counter) -> Attempt:
    """Take a place for one attempt in every window of *counters*, atomically; ``wait`` if none."""
    member = secrets.token_hex(8)
    return Attempt(member, _wait(_take(counters, member)), counters)


def retry_after(*counters: Counter) -> int:
    """Seconds until every one of *counters* has a place (0: now), taking none."""
    windows = _windows(counters)
    now_ms = time.time() * 1000
    redis, memory = _store()
    if redis is not None:
        try:
            wait = 0.0
            for key, window, amount in windows:
                redis.zremrangebyscore(key, "-inf", now_ms - window)
                first = redis.zrange(key, -amount, -amount, withscores=True) if amount else []
                if redis.zcard(key) >= amount and first:
                    wait = max(wait, float(first[0][1]) + window - now_ms)
            return _wait(wait / 1000)
        except Exception as exc:
            _down(exc)
    with memory.lock:
        wait = 0.0
        for key, window, amount in windows:
            kept = [e for e in memory.entries.get(key, []) if e[0] > now_ms - window]
            if len(kept) >= amount:
                wait = max(wait, kept[len(kept) - amount][0] + window - now_ms)
    return _wait(wait / 1000)


def _forget(counters: tuple[Counter, ...], member: str | None) -> None:
    keys = [w[0] for w in _windows(counters)]
    redis, memory = _store()
    if redis is not None:
        try:
            for key in keys:
                if member is None:
                    redis.delete(key)
                else:
                    redis.zrem(key, member)
            return
        except Exception as exc:
            _down(exc)
    memory.forget(keys, member)


def failed(taken: Attempt) -> list[str]:
    """After a failed *taken* attempt (its places kept): the counters it has just filled, described."""
    locked = []
    for counter in taken.counters:
        full = [f"{item.amount} lần sai trong {item.get_expiry()} giây" for item in _limits(counter)
                if _full(counter, item)]
        if full:
            locked.append(f"{counter.kind} {counter.who}: {', '.join(full)}")
    return locked


def _full(counter: Counter, item: RateLimitItem) -> bool:
    """True when the window *item* of *counter* is full."""
    key = f"{PREFIX}{counter.key}:{item.get_expiry()}"
    now_ms = time.time() * 1000
    redis, memory = _store()
    if redis is not None:
        try:
            redis.zremrangebyscore(key, "-inf", now_ms - item.get_expiry() * 1000)
            return int(redis.zcard(key)) >= item.amount
        except Exception as exc:
            _down(exc)
    with memory.lock:
        kept = [e for e in memory.entries.get(key, []) if e[0] > now_ms - item.get_expiry() * 1000]
    return len(kept) >= item.amount


def succeeded(taken: Attempt) -> None:
    """A success: the account's (or token's) count cleared, the address forgets this attempt."""
    _forget(tuple(c for c in taken.counters if c.kind != "address"), None)
    _forget(tuple(c for c in taken.counters if c.kind == "address"), taken.id)


def count_failure(*counters: Counter) -> Attempt:
    """A refused token: one place taken in each window of *counters* (the full ones are left)."""
    member = secrets.token_hex(8)
    for counter in counters:
        _take((counter,), member)
    return Attempt(member, 0, counters)


def init_app(app: Flask) -> None:
    """The store on ``THROTTLE_STORAGE_URI`` (or ``REDIS_URL``), and the proxies trusted."""
    uri = app.config["THROTTLE_STORAGE_URI"] or app.config["REDIS_URL"]
    redis = Redis.from_url(uri, socket_connect_timeout=1, socket_timeout=1) \
        if uri.startswith(("redis://", "rediss://", "unix://")) else None
    app.extensions["throttle"] = {"redis": redis, "memory": _Memory(), "down-until": [0.0],
                                  "script": redis.register_script(_TAKE) if redis is not None else None}
    if redis is None:
        app.extensions["throttle"]["down-until"][0] = float("inf")
    proxies = app.config["TRUSTED_PROXIES"]
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies,  # type: ignore[method-assign]
                                x_host=proxies)
