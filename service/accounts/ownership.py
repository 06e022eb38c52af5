"""Whose job a submission is: the caller's organisation, or one she names explicitly by id.

A name typed in the data never decides it: a chi bộ's name is often written longer than
its record, and a đảng bộ may be named like one of its chi bộ. A đảng ủy office places a
chi bộ's meeting under that chi bộ only by naming the chi bộ's id (``organisation_id`` in
the data, a column of the workbook, or a choice confirmed at upload); ``suggest_chi_bo``
finds the chi bộ a name looks like, to be shown and confirmed, never applied.
"""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.accounts.models import UNIT_KINDS, Organisation
from service.errors import FieldProblem, InvalidMeetingError
from service.meetings.vnformat import fold_words


def owner_problem(session: Session, role: str, organisation_id: str | None,
                  requested: str | None) -> str | None:
    """Why *requested* may not own a submission of this caller (None: it may)."""
    if requested is None or requested == organisation_id:
        return None
    if not isinstance(requested, str) or not re.fullmatch(r"[0-9a-f]{32}", requested):
        return "Mã tổ chức không đúng định dạng (32 chữ số hệ 16, xem GET /api/v1/organisations)."
    found = session.get(Organisation, requested)
    if role == "admin":
        return None if found is not None else f"Không có tổ chức mã {requested}."
    if role == "dang_uy" and found is not None and found.parent_id == organisation_id:
        return None
    if role == "dang_uy":
        return (f"Mã tổ chức {requested} không phải chi bộ của đảng bộ bạn; xem danh sách chi bộ "
                "ở GET /api/v1/organisations.")
    return "Chi bộ chỉ gửi được hội nghị của chi bộ mình: bỏ trống mã tổ chức hoặc ghi mã chi bộ mình."


def resolve_owner(session: Session, role: str, organisation_id: str | None, requested: str | None,
                  field: str = "organisation_id") -> str | None:
    """The organisation a submission belongs to: *requested* if the caller may name it, else hers.

    A caller who names an organisation she may not use gets ``InvalidMeetingError`` on *field*.
    An admin's submission without one belongs to no organisation (only admins see it).
    """
    problem = owner_problem(session, role, organisation_id, requested)
    if problem is not None:
        raise InvalidMeetingError([FieldProblem(field, problem)])
    return requested or organisation_id


def chi_bo_choices(session: Session, role: str, organisation_id: str | None) -> list[Organisation]:
    """The chi bộ a caller may hand a meeting to: a đảng ủy's own, every one for an admin.

    In the order a Vietnamese reader looks for them (``fold_words``: Đông beside Dương, whatever
    the database's collation).
    """
    query = select(Organisation).where(Organisation.kind.in_(UNIT_KINDS), Organisation.closed_at.is_(None))
    if role == "admin":
        found = list(session.scalars(query))
    elif role == "dang_uy" and organisation_id:
        found = list(session.scalars(query.where(Organisation.parent_id == organisation_id)))
    elif role == "chi_bo" and organisation_id:
        own = session.get(Organisation, organisation_id)
        found = [own] if own is not None else []
    else:
        found = []
    return sorted(found, key=lambda org: (fold_words(org.name), org.name))


def suggest_chi_bo(choices: list[Organisation], name: str) -> Organisation | None:
    """The one chi bộ of *choices* whose name reads like *name* (case and diacritics aside).

    Only a suggestion to show: two alike, or none, suggest nothing.
    """
    wanted = fold_words(name)
    alike = [org for org in choices if fold_words(org.name) == wanted]
    return alike[0] if len(alike) == 1 else None
