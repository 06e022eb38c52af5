"""``chibo admin …``: organisations, users, tokens, the audit log and retention.

    chibo admin org NAME --kind dang_bo|chi_bo|KIND_OF_UNIT [--parent ĐẢNG_BỘ]
        (a unit under a đảng bộ: chi_bo_truc_thuoc, chi_bo_co_so, dang_bo_co_so, dang_bo_bo_phan)
    chibo admin user USERNAME --role admin|dang_uy|chi_bo [--org NAME] [--password-stdin]
    chibo admin password USERNAME [--password-stdin] [--disable]   reset a password, or lock out
    chibo admin token USERNAME [--name LABEL]       print a new API token (shown once)
    chibo admin revoke TOKEN_ID
    chibo admin list                                organisations, users and tokens
    chibo admin audit [--limit 50]
    chibo admin purge                               delete jobs older than RETENTION_DAYS

A new user's password is read from stdin with ``--password-stdin``, otherwise generated and
printed once. Every command works on the database of ``DATABASE_URL`` (the same settings as
the service).
"""

from __future__ import annotations

import argparse
import secrets
import sys
from typing import Any

from service.errors import ServiceError

# ``--kind``: the organisations' own kinds, and the unit kinds of the documents (domain §11.3),
# a chi bộ trực thuộc or cơ sở being a chi bộ account (its documents say which in their data)
_ORG_KINDS = {"dang_bo": "dang_bo", "chi_bo": "chi_bo", "chi_bo_truc_thuoc": "chi_bo",
              "chi_bo_co_so": "chi_bo", "dang_bo_co_so": "dang_bo_co_so",
              "dang_bo_bo_phan": "dang_bo_bo_phan"}


def _org(session: Any, args: argparse.Namespace) -> str:
    from service import accounts

    parent = accounts.find_organisation(session, args.parent) if args.parent else None
    organisation = accounts.create_organisation(session, args.name, _ORG_KINDS[args.kind], parent)
    label = accounts.KIND_LABELS[organisation.kind].lower()
    return f"Đã tạo {label} “{organisation.name}” (mã {organisation.id}, loại {organisation.kind})."


def _user(session: Any, args: argparse.Namespace) -> str:
    from service import accounts

    organisation = accounts.find_organisation(session, args.org) if args.org else None
    generated = not args.password_stdin
    password = secrets.token_urlsafe(12) if generated else sys.stdin.readline().rstrip("\n")
    if len(password) < 8:
        raise SystemExit("Mật khẩu phải có ít nhất 8 ký tự.")
    user = accounts.create_user(session, args.username, args.role, organisation, password)
    accounts.record(session, None, "user-create", "user", user.id, user.organisation_id,
                    f"{user.username} ({user.role})")
    shown = f"; mật khẩu (chỉ hiện một lần): {password}" if generated else ""
    return f"Đã tạo người dùng {user.username} ({user.role}){shown}"


def _password(session: Any, args: argparse.Namespace) -> str:
    from service import accounts

    user = _find_user(session, args.username)
    generated = not args.password_stdin
    password = secrets.token_urlsafe(12) if generated else sys.stdin.readline().rstrip("\n")
    if len(password) < 8:
        raise SystemExit("Mật khẩu phải có ít nhất 8 ký tự.")
    accounts.set_password(user, password)  # ends every session of the user
    if args.disable:
        revoked = accounts.disable(session, user)
        accounts.record(session, None, "user-disable", "user", user.id, user.organisation_id,
                        f"{user.username}; {revoked} mã truy cập bị thu hồi")
        return f"Đã khoá tài khoản {user.username} ({revoked} mã truy cập bị thu hồi)."
    user.active = True  # a reset opens a locked account again, never its revoked tokens
    accounts.record(session, None, "password-reset", "user", user.id, user.organisation_id,
                    user.username)
    shown = f": {password} (chỉ hiện một lần)" if generated else ""
    return f"Đã đặt mật khẩu mới cho {user.username}{shown}"


def _find_user(session: Any, username: str) -> Any:
    from sqlalchemy import select

    from service import accounts

    user = session.scalars(select(accounts.User).where(accounts.User.username == username)).first()
    if user is None:
        raise SystemExit(f"Không có người dùng {username}.")
    return user


def _token(session: Any, args: argparse.Namespace) -> str:
    from service import accounts

    user = _find_user(session, args.username)
    token = accounts.create_token(session, user, args.name or "")
    accounts.record(session, None, "token-create", "user", user.id, user.organisation_id,
                    args.name or "")
    return token


def _revoke(session: Any, args: argparse.Namespace) -> str:
    from service import accounts

    row = session.get(accounts.ApiToken, args.token_id)
    if row is None:
        raise SystemExit(f"Không có mã truy cập {args.token_id}.")
    row.revoked = True
    accounts.record(session, None, "token-revoke", "token", row.id)
    return f"Đã thu hồi mã {row.id}."


def _list(session: Any, _: argparse.Namespace) -> str:
    from sqlalchemy import select

    from service import accounts

    lines = ["Tổ chức:"]
    for org in session.scalars(select(accounts.Organisation).order_by(accounts.Organisation.name)):
        lines.append(f"  {org.id}  {org.kind:8} {org.name}" + (f"  (thuộc {org.parent_id})"
                                                              if org.parent_id else ""))
    lines.append("Người dùng:")
    for user in session.scalars(select(accounts.User).order_by(accounts.User.username)):
        lines.append(f"  {user.username:20} {user.role:8} {user.organisation_id or '-'}")
    lines.append("Mã truy cập:")
    names = {uid: name for uid, name in session.execute(select(accounts.User.id, accounts.User.username))}
    for token in session.scalars(select(accounts.ApiToken)):
        lines.append(f"  {token.id}  {names.get(token.user_id, token.user_id)}  {token.name}"
                     + ("  (đã thu hồi)" if token.revoked else ""))
    return "\n".join(lines)


def _audit(session: Any, args: argparse.Namespace) -> str:
    from sqlalchemy import select

    from service import accounts

    rows = session.scalars(select(accounts.AuditEvent).order_by(accounts.AuditEvent.id.desc())
                           .limit(args.limit))
    return "\n".join(f"{e.at:%Y-%m-%d %H:%M:%S}  {e.username or '-':15} {e.action:14} "
                     f"{e.object_type} {e.object_id}  {e.detail}" for e in rows)


def _purge(session: Any, _: argparse.Namespace, app: Any) -> str:
    from service.extensions import get_storage
    from service.jobs import retention

    days = app.config["RETENTION_DAYS"]
    count = retention.purge(session, get_storage(), days)
    return f"Đã xoá {count} công việc quá {days} ngày."


_COMMANDS = {"org": _org, "user": _user, "password": _password, "token": _token, "revoke": _revoke,
             "list": _list, "audit": _audit}


def run(args: argparse.Namespace) -> int:
    """Run one admin command in a transaction of the configured database."""
    from service import create_app, extensions  # here: `chibo` starts without the app (roles, --help)

    app = create_app()
    try:
        with app.app_context(), extensions.session_scope() as session:
            if args.admin == "purge":
                print(_purge(session, args, app))
            else:
                print(_COMMANDS[args.admin](session, args))
    except ServiceError as exc:
        print(f"Lỗi: {exc.detail}", file=sys.stderr)
        return 1
    return 0


def add_parser(commands: Any) -> None:
    """Add ``chibo admin`` and its subcommands."""
    admin = commands.add_parser("admin", help="tổ chức, người dùng, mã truy cập, nhật ký, xoá hết hạn")
    sub = admin.add_subparsers(dest="admin", required=True)
    org = sub.add_parser("org", help="tạo đảng bộ, chi bộ hoặc đảng bộ bộ phận, cơ sở")
    org.add_argument("name")
    org.add_argument("--kind", choices=list(_ORG_KINDS), required=True,
                     help="dang_bo (văn phòng đảng ủy), hoặc loại đơn vị trực thuộc: chi_bo "
                          "(= chi_bo_truc_thuoc), chi_bo_co_so, dang_bo_co_so, dang_bo_bo_phan")
    org.add_argument("--parent", help="đảng bộ (tên hoặc mã) của đơn vị trực thuộc")
    user = sub.add_parser("user", help="tạo người dùng")
    user.add_argument("username")
    user.add_argument("--role", choices=["admin", "dang_uy", "chi_bo"], required=True)
    user.add_argument("--org", help="tổ chức (tên hoặc mã)")
    user.add_argument("--password-stdin", action="store_true", help="đọc mật khẩu từ stdin")
    password = sub.add_parser("password", help="đặt lại mật khẩu (hoặc khoá tài khoản)")
    password.add_argument("username")
    password.add_argument("--password-stdin", action="store_true", help="đọc mật khẩu từ stdin")
    password.add_argument("--disable", action="store_true", help="khoá tài khoản: không đăng nhập, "
                          "mã truy cập không dùng được")
    token = sub.add_parser("token", help="tạo mã truy cập API (chỉ hiện một lần)")
    token.add_argument("username")
    token.add_argument("--name", help="ghi chú: dùng ở đâu")
    revoke = sub.add_parser("revoke", help="thu hồi mã truy cập")
    revoke.add_argument("token_id")
    sub.add_parser("list", help="liệt kê tổ chức, người dùng, mã truy cập")
    audit = sub.add_parser("audit", help="nhật ký: ai tạo, tải, xoá gì")
    audit.add_argument("--limit", type=int, default=50)
    sub.add_parser("purge", help="xoá công việc quá RETENTION_DAYS ngày")
    admin.set_defaults(func=run)
