"""What a đảng ủy office does with the units under it and their secretaries' accounts.

A đảng ủy office (role ``dang_uy``) manages only the units whose parent is its own đảng bộ and
the users of those units; an admin manages every one; a secretary none. Every change is one
audit line (``record``). A one-time sign-in link is a capability: 256 random bits, only their
SHA-256 kept, expiring, used once, revoked when the account is disabled.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import timedelta
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.accounts.models import KIND_LABELS, UNIT_KINDS, Organisation, SignInLink, User
from service.accounts.users import (
    Actor,
    create_organisation,
    create_user,
    disable,
    end_sessions,
    record,
    set_password,
)
from service.database import now
from service.errors import FieldProblem, ForbiddenError, InvalidInputError, NotFoundError
from service.meetings.vnformat import fold_words

_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")
_EMAIL = re.compile(r"^[^@\s]{1,100}@[^@\s]{1,100}\.[^@\s]{1,50}$")


class Manager(Actor, Protocol):
    """Whoever manages units: the request's caller (role and own organisation)."""

    @property
    def role(self) -> str: ...

    @property
    def organisation_id(self) -> str | None: ...


def _office(actor: Manager) -> str | None:
    """The đảng bộ an office manages (None: an admin, every one); a secretary manages none."""
    if actor.role == "admin":
        return None
    if actor.role != "dang_uy" or actor.organisation_id is None:
        raise ForbiddenError("Chỉ văn phòng đảng ủy quản lý các đơn vị trực thuộc và tài khoản của họ.")
    return actor.organisation_id


def managed_units(session: Session, actor: Manager) -> list[Organisation]:
    """The units the actor manages, open ones first, then by name."""
    office = _office(actor)
    query = select(Organisation).where(Organisation.kind.in_(UNIT_KINDS))
    if office is not None:
        query = query.where(Organisation.parent_id == office)
    return sorted(session.scalars(query), key=lambda o: (o.closed_at is not None, fold_words(o.name), o.name))


def unit(session: Session, actor: Manager, unit_id: str) -> Organisation:
    """One unit the actor manages; another's answers NotFoundError, like one that does not exist."""
    office = _office(actor)
    found = session.get(Organisation, unit_id) if re.fullmatch(r"[0-9a-f]{32}", unit_id or "") else None
    if found is None or found.kind not in UNIT_KINDS or (office is not None and found.parent_id != office):
        raise NotFoundError("Không có đơn vị này.")
    return found


def _name(name: object, field: str = "name") -> str:
    text = " ".join(str(name or "").split())
    if not 2 <= len(text) <= 200:
        raise InvalidInputError([FieldProblem(field, "Tên đơn vị có từ 2 đến 200 ký tự.")])
    return text


def create_unit(
    session: Session, actor: Manager, name: object, kind: object, parent_id: str | None = None
) -> Organisation:
    """A new unit under the actor's đảng bộ (an admin names the đảng bộ: *parent_id*)."""
    office = _office(actor) or parent_id
    if kind not in UNIT_KINDS:
        labels = ", ".join(f"{k} ({KIND_LABELS[k]})" for k in UNIT_KINDS)
        raise InvalidInputError([FieldProblem("kind", f"Loại đơn vị là một trong: {labels}.")])
    parent = session.get(Organisation, office) if office else None
    if parent is None or parent.kind != "dang_bo":
        raise InvalidInputError([FieldProblem("parent_id", "Cần đảng bộ cấp trên của đơn vị.")])
    text = _name(name)
    if any(o.name == text for o in parent.children):
        raise InvalidInputError([FieldProblem("name", f"Đảng bộ đã có đơn vị tên “{text}”.")])
    created = create_organisation(session, text, str(kind), parent)
    record(
        session,
        actor,
        "unit-create",
        "organisation",
        created.id,
        created.id,
        f"{KIND_LABELS[created.kind]} “{created.name}”",
    )
    return created


def rename_unit(session: Session, actor: Manager, unit_id: str, name: object) -> Organisation:
    """Give a unit its new name (audited with the old one)."""
    found = unit(session, actor, unit_id)
    before, found.name = found.name, _name(name)
    record(session, actor, "unit-rename", "organisation", found.id, found.id, f"“{before}” → “{found.name}”")
    return found


def close_unit(session: Session, actor: Manager, unit_id: str) -> Organisation:
    """Close a unit (dissolved, merged): it leaves new seasons and its accounts are locked."""
    found = unit(session, actor, unit_id)
    if found.closed_at is None:
        found.closed_at = now()
        for user in session.scalars(select(User).where(User.organisation_id == found.id)):
            disable(session, user)
        record(session, actor, "unit-close", "organisation", found.id, found.id, found.name)
    return found


def managed_users(session: Session, actor: Manager) -> list[User]:
    """The accounts of the units the actor manages."""
    ids = [o.id for o in managed_units(session, actor)]
    return list(session.scalars(select(User).where(User.organisation_id.in_(ids)).order_by(User.username)))


def user(session: Session, actor: Manager, user_id: str) -> User:
    """One account the actor manages (else NotFoundError)."""
    found = session.get(User, user_id) if re.fullmatch(r"[0-9a-f]{32}", user_id or "") else None
    if found is None or found.organisation_id is None:
        raise NotFoundError("Không có tài khoản này.")
    unit(session, actor, found.organisation_id)
    return found


def check_email(email: object) -> str | None:
    """A plausible e-mail address, or None for none; anything else is refused on ``email``."""
    text = str(email or "").strip()
    if not text:
        return None
    if not _EMAIL.fullmatch(text):
        raise InvalidInputError(
            [FieldProblem("email", "Địa chỉ thư điện tử không đúng (vd. bithu@example.vn).")]
        )
    return text


def create_secretary(
    session: Session, actor: Manager, unit_id: str, username: object, email: object = None
) -> tuple[User, str]:
    """A secretary's account for a unit the actor manages; its first password, shown once."""
    found = unit(session, actor, unit_id)
    if found.closed_at is not None:
        raise InvalidInputError([FieldProblem("organisation_id", "Đơn vị đã đóng.")])
    name = str(username or "").strip().lower()
    if not _USERNAME.fullmatch(name):
        raise InvalidInputError(
            [
                FieldProblem(
                    "username",
                    "Tên đăng nhập: 3–64 ký tự a-z, 0-9, dấu chấm, "
                    "gạch ngang, gạch dưới; không dấu, không khoảng trắng.",
                )
            ]
        )
    if session.scalars(select(User.id).where(User.username == name)).first() is not None:
        raise InvalidInputError([FieldProblem("username", f"Tên đăng nhập {name} đã có.")])
    password = secrets.token_urlsafe(12)
    created = create_user(session, name, "chi_bo", found, password)
    created.email = check_email(email)
    record(session, actor, "user-create", "user", created.id, found.id, f"{name} (bí thư {found.name})")
    return created, password


def reset_password(session: Session, actor: Manager, user_id: str) -> tuple[User, str]:
    """A new password for an account (every session ends; a locked account opens); shown once."""
    found = user(session, actor, user_id)
    password = secrets.token_urlsafe(12)
    set_password(found, password)
    found.active = True
    record(session, actor, "password-reset", "user", found.id, found.organisation_id, found.username)
    return found, password


def disable_user(session: Session, actor: Manager, user_id: str) -> User:
    """Lock an account out: sessions, tokens and sign-in links end."""
    found = user(session, actor, user_id)
    revoked = disable(session, found)
    for link in session.scalars(
        select(SignInLink).where(SignInLink.user_id == found.id, SignInLink.used_at.is_(None))
    ):
        link.used_at = now()
    record(
        session,
        actor,
        "user-disable",
        "user",
        found.id,
        found.organisation_id,
        f"{found.username}; {revoked} mã truy cập bị thu hồi",
    )
    return found


def set_email(session: Session, actor: Manager, user_id: str, email: object) -> User:
    """Change the address reminders go to (audited)."""
    found = user(session, actor, user_id)
    found.email = check_email(email)
    record(session, actor, "user-email", "user", found.id, found.organisation_id, found.email or "(không có)")
    return found


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def make_sign_in_link(session: Session, actor: Manager, user_id: str, hours: int) -> tuple[User, str]:
    """A one-time sign-in secret for an account (valid *hours*); the only copy is returned."""
    found = user(session, actor, user_id)
    if not found.active:
        raise InvalidInputError([FieldProblem("user_id", "Tài khoản đang bị khoá: đặt lại mật khẩu trước.")])
    secret = secrets.token_urlsafe(32)
    session.add(
        SignInLink(
            user_id=found.id,
            secret_sha256=_digest(secret),
            created_by=actor.id,
            expires_at=now() + timedelta(hours=hours),
        )
    )
    record(
        session,
        actor,
        "sign-in-link",
        "user",
        found.id,
        found.organisation_id,
        f"{found.username}, hiệu lực {hours} giờ",
    )
    return found, secret


def use_sign_in_link(session: Session, secret: str) -> User | None:
    """The active user a one-time link signs in (the link is spent), or None (unknown, used, expired)."""
    link = session.scalars(
        select(SignInLink).where(SignInLink.secret_sha256 == _digest(secret or ""))
    ).first()
    if link is None or link.used_at is not None or link.expires_at < now():
        return None
    link.used_at = now()
    found = session.get(User, link.user_id)
    if found is None or not found.active:
        return None
    end_sessions(found)  # a link signs in afresh: any stolen cookie of before ends
    record(session, found, "sign-in-link-used", "user", found.id, found.organisation_id)
    return found
