"""Organisations, users, API tokens and the audit log: what is done with them.

An organisation is a đảng bộ or one of its chi bộ. A user has one role:

    admin      manages organisations, users and tokens; sees every organisation
    dang_uy    the đảng ủy office of a đảng bộ: sees the đảng bộ and all its chi bộ
    chi_bo     a chi bộ secretary: sees her chi bộ only

Passwords and API tokens are stored as argon2id hashes. A token reads
``chibo_<token id>_<secret>``: the id finds the row, the secret is checked against the hash,
and the token itself is shown once, when it is made.
"""

from __future__ import annotations

import functools
import hashlib
import secrets
import time
from typing import Protocol

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from service.accounts.models import (
    KIND_LABELS,
    KINDS,
    ROLES,
    UNIT_KINDS,
    ApiToken,
    AuditEvent,
    Organisation,
    User,
)
from service.database import new_id
from service.errors import BadRequestError, NotFoundError

_HASHER = PasswordHasher()
# the secret of a token is 256 random bits: a cheap argon2 is as safe as a dear one
_TOKEN_HASHER = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1)
_VERIFIED: dict[str, tuple[float, str]] = {}  # sha256(token) → (when checked, user id)
_VERIFIED_SECONDS = 60


def create_organisation(session: Session, name: str, kind: str,
                        parent: Organisation | None = None) -> Organisation:
    """A new đảng bộ (no parent) or chi bộ (under a đảng bộ)."""
    if kind not in KINDS:
        raise BadRequestError(f"Loại tổ chức phải là một trong: {', '.join(KINDS)}.")
    if kind in UNIT_KINDS and (parent is None or parent.kind != "dang_bo"):
        raise BadRequestError(f"{KIND_LABELS[kind]} phải thuộc một đảng bộ.")
    organisation = Organisation(id=new_id(), name=name.strip(), kind=kind,
                                parent_id=parent.id if parent else None)
    session.add(organisation)
    session.flush()
    return organisation


def find_organisation(session: Session, ref: str) -> Organisation:
    """An organisation by id or by exact name."""
    found = session.get(Organisation, ref) or session.scalars(
        select(Organisation).where(Organisation.name == ref)).first()
    if found is None:
        raise NotFoundError(f"Không có tổ chức {ref}.")
    return found


def create_user(session: Session, username: str, role: str, organisation: Organisation | None,
                password: str | None = None) -> User:
    """A new user; a dang_uy belongs to a đảng bộ, a chi_bo user to a chi bộ."""
    if role not in ROLES:
        raise BadRequestError(f"Vai trò phải là một trong: {', '.join(ROLES)}.")
    expected = {"dang_uy": ("dang_bo",), "chi_bo": UNIT_KINDS}.get(role)
    if expected and (organisation is None or organisation.kind not in expected):
        raise BadRequestError(f"Vai trò {role} phải gắn với một tổ chức loại {', '.join(expected)}.")
    if session.scalars(select(User).where(User.username == username)).first() is not None:
        raise BadRequestError(f"Tên đăng nhập {username} đã có.")
    user = User(id=new_id(), username=username, role=role,
                organisation_id=organisation.id if organisation else None,
                password_hash=_HASHER.hash(password) if password else None)
    session.add(user)
    session.flush()
    return user


def set_password(user: User, password: str) -> None:
    """Replace the user's password; every session of the user ends (a reset, a change)."""
    user.password_hash = _HASHER.hash(password)
    end_sessions(user)


def end_sessions(user: User) -> None:
    """End every web session of *user* at once: cookies carry the version they were made at."""
    user.session_version = (user.session_version or 1) + 1


def disable(session: Session, user: User) -> int:
    """Lock *user* out: no login, every session ended, every API token revoked for good (a later
    password reset gives the account back, never its old tokens). Returns the tokens revoked."""
    user.active = False
    end_sessions(user)
    tokens = list(session.scalars(select(ApiToken).where(ApiToken.user_id == user.id,
                                                         ApiToken.revoked.is_(False))))
    for token in tokens:
        token.revoked = True
    return len(tokens)


def check_password(session: Session, username: str, password: str) -> User | None:
    """The active user with this username and password, else None (same time either way)."""
    user = session.scalars(select(User).where(User.username == username)).first()
    stored = user.password_hash if user is not None and user.active else None
    try:
        _HASHER.verify(stored or _dummy_hash(), password)
    except (VerificationError, InvalidHashError):
        return None
    return user if stored else None


def create_token(session: Session, user: User, name: str = "") -> str:
    """A new API token for *user*; the returned string is the only copy of its secret."""
    token_id, secret = secrets.token_hex(8), secrets.token_urlsafe(32)
    session.add(ApiToken(id=token_id, user_id=user.id, name=name,
                         secret_hash=_TOKEN_HASHER.hash(secret)))
    return f"chibo_{token_id}_{secret}"


def user_for_token(session: Session, token: str) -> User | None:
    """The active user a presented token belongs to, or None."""
    digest = hashlib.sha256(token.encode()).hexdigest()
    cached = _VERIFIED.get(digest)
    parts = token.split("_", 2)
    if len(parts) != 3 or parts[0] != "chibo":
        return None
    row = session.get(ApiToken, parts[1])
    if row is None or row.revoked:
        _VERIFIED.pop(digest, None)
        return None
    if cached is None or time.monotonic() - cached[0] > _VERIFIED_SECONDS or cached[1] != row.user_id:
        try:
            _TOKEN_HASHER.verify(row.secret_hash, parts[2])
        except (VerificationError, InvalidHashError):
            return None
        _VERIFIED[digest] = (time.monotonic(), row.user_id)
    user = session.get(User, row.user_id)
    return user if user is not None and user.active else None


def visible_organisations(session: Session, user: User) -> set[str] | None:
    """Ids of the organisations *user* may see; None means all of them (admin)."""
    if user.role == "admin":
        return None
    if user.organisation_id is None:
        return set()
    ids = {user.organisation_id}
    if user.role == "dang_uy":
        ids |= set(session.scalars(select(Organisation.id)
                                   .where(Organisation.parent_id == user.organisation_id)))
    return ids


class Actor(Protocol):
    """Whoever acted: a ``User`` row, or the request's ``auth.Caller``."""

    @property
    def id(self) -> str: ...

    @property
    def username(self) -> str: ...


def record(session: Session, user: Actor | None, action: str, object_type: str = "",
           object_id: str = "", organisation_id: str | None = None, detail: str = "") -> None:
    """Add one line to the audit log (*user* None: the system, or someone not signed in)."""
    session.add(AuditEvent(user_id=user.id if user else None, username=user.username if user else "",
                           organisation_id=organisation_id, action=action, object_type=object_type,
                           object_id=object_id, detail=detail[:2000]))


@functools.cache
def _dummy_hash() -> str:
    # checked when the user does not exist, so that both answers take the same time
    return _HASHER.hash(secrets.token_hex(16))


def may_submit(role: str, kind: str) -> bool:
    """Whether a user of *role* may submit a meeting of *kind*: the đảng bộ's summary is the đảng ủy's."""
    return kind != "dang_bo" or role in ("dang_uy", "admin")
