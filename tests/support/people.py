"""Organisations, users and tokens for tests: who is calling."""

from __future__ import annotations

import uuid

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from service import accounts, extensions

DANG_BO = "Đảng bộ xã Tân Phong (thử)"


def organisation(app: Flask, name: str, kind: str, parent: str | None = None) -> str:
    """The id of the organisation *name*, made if missing."""
    with app.app_context(), extensions.session_scope() as session:
        found = session.scalars(select(accounts.Organisation)
                                .where(accounts.Organisation.name == name)).first()
        if found is None:
            above = accounts.find_organisation(session, parent) if parent else None
            found = accounts.create_organisation(session, name, kind, above)
        return found.id


def token(app: Flask, role: str = "dang_uy", org: str | None = DANG_BO,
          password: str | None = None, username: str | None = None) -> str:
    """A new user of *role* in *org* (a đảng bộ for dang_uy, a chi bộ under DANG_BO for chi_bo)."""
    if org is not None:
        if role == "chi_bo":
            organisation(app, DANG_BO, "dang_bo")
            organisation(app, org, "chi_bo", DANG_BO)
        else:
            organisation(app, org, "dang_bo")
    with app.app_context(), extensions.session_scope() as session:
        place = accounts.find_organisation(session, org) if org else None
        user = accounts.create_user(session, username or f"u-{uuid.uuid4().hex[:8]}", role, place,
                                    password)
        return accounts.create_token(session, user, "test")


def as_user(client: FlaskClient, bearer: str) -> FlaskClient:
    """*client*, sending the token with every request."""
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {bearer}"
    return client


def client(app: Flask) -> FlaskClient:
    """A test client of *app* signed in as a đảng ủy office user of DANG_BO."""
    return as_user(app.test_client(), token(app))
