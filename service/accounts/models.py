"""Organisations, users, API tokens and the audit log: the tables.

An organisation is a đảng bộ or one of its chi bộ. A user has one role:

    admin      manages organisations, users and tokens; sees every organisation
    dang_uy    the đảng ủy office of a đảng bộ: sees the đảng bộ and all its chi bộ
    chi_bo     a chi bộ secretary: sees her chi bộ only
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.database import Base, new_id, now

ROLES = ("admin", "dang_uy", "chi_bo")
# a đảng bộ whose office signs in (dang_bo); the units under it: chi bộ trực thuộc, đảng bộ bộ
# phận, đảng bộ cơ sở (each led by a secretary with the chi_bo role)
KINDS = ("dang_bo", "chi_bo", "dang_bo_bo_phan", "dang_bo_co_so")
UNIT_KINDS = ("chi_bo", "dang_bo_bo_phan", "dang_bo_co_so")
KIND_LABELS = {"dang_bo": "Đảng bộ", "chi_bo": "Chi bộ", "dang_bo_bo_phan": "Đảng bộ bộ phận",
               "dang_bo_co_so": "Đảng bộ cơ sở"}


class Organisation(Base):
    """A đảng bộ, or a chi bộ under its đảng bộ."""

    __tablename__ = "organisations"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("organisations.id"), default=None,
                                                  index=True)
    created_at: Mapped[datetime] = mapped_column(default=now)
    closed_at: Mapped[datetime | None] = mapped_column(default=None)  # a unit dissolved or merged
    children: Mapped[list[Organisation]] = relationship(order_by="Organisation.name")


class User(Base):
    """Someone who signs in (web) or calls the API (tokens)."""

    __tablename__ = "users"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(200), default=None)
    role: Mapped[str] = mapped_column(String(10))
    organisation_id: Mapped[str | None] = mapped_column(ForeignKey("organisations.id"), default=None)
    active: Mapped[bool] = mapped_column(default=True)
    email: Mapped[str | None] = mapped_column(String(200), default=None)  # reminders go here
    # raised by a logout, a password change or reset and a lock-out: every session cookie
    # carries the version it was made at, and one of an older version is no session any more
    session_version: Mapped[int] = mapped_column(default=1, server_default="1")
    created_at: Mapped[datetime] = mapped_column(default=now)
    organisation: Mapped[Organisation | None] = relationship()


class ApiToken(Base):
    """An API token of a user; only its hash is kept."""

    __tablename__ = "api_tokens"

    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    secret_hash: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=now)
    revoked: Mapped[bool] = mapped_column(default=False)


class AuditEvent(Base):
    """Who did what to which object, when."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(default=now, index=True)
    user_id: Mapped[str | None] = mapped_column(String(32), default=None, index=True)
    username: Mapped[str] = mapped_column(String(100), default="")
    organisation_id: Mapped[str | None] = mapped_column(String(32), default=None, index=True)
    action: Mapped[str] = mapped_column(String(30))
    object_type: Mapped[str] = mapped_column(String(20), default="")
    object_id: Mapped[str] = mapped_column(String(64), default="")
    detail: Mapped[str] = mapped_column(Text, default="")


class SignInLink(Base):
    """A one-time sign-in link of a user: only the SHA-256 of its secret is kept."""

    __tablename__ = "sign_in_links"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    secret_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_by: Mapped[str | None] = mapped_column(String(32), default=None)
    created_at: Mapped[datetime] = mapped_column(default=now)
    expires_at: Mapped[datetime] = mapped_column()
    used_at: Mapped[datetime | None] = mapped_column(default=None)
