"""Whose job a submission is: by id only; a name is a suggestion at most."""

from __future__ import annotations

import pytest

from service import accounts, extensions
from service.errors import InvalidMeetingError
from tests.support import people


@pytest.fixture(name="tree")
def _tree(app):
    """A đảng bộ with two chi bộ, and another đảng bộ with one."""
    ids = {"dang_bo": people.organisation(app, people.DANG_BO, "dang_bo"),
           "dong": people.organisation(app, "Chi bộ thôn Đông", "chi_bo", people.DANG_BO),
           "tay": people.organisation(app, "Chi bộ thôn Tây", "chi_bo", people.DANG_BO),
           "other": people.organisation(app, "Đảng bộ khác", "dang_bo")}
    ids["far"] = people.organisation(app, "Chi bộ xa", "chi_bo", "Đảng bộ khác")
    return ids


def test_a_dang_uy_may_name_its_own_chi_bo_only(app, tree):
    """Its đảng bộ or its chi bộ: yes; another đảng bộ's chi bộ or an unknown id: a 422 on the field."""
    with app.app_context(), extensions.session_scope() as session:
        resolve = lambda wanted: accounts.resolve_owner(session, "dang_uy", tree["dang_bo"], wanted,  # noqa: E731
                                                        "chi_bo[0].organisation_id")
        assert resolve(None) == tree["dang_bo"]
        assert resolve(tree["dong"]) == tree["dong"]
        for wrong in (tree["far"], tree["other"], "0" * 32):
            with pytest.raises(InvalidMeetingError) as caught:
                resolve(wrong)
            assert caught.value.problems[0].field == "chi_bo[0].organisation_id"


def test_a_secretary_owns_her_submissions_whatever_she_names(app, tree):
    """Her own id or none: hers; any other: refused."""
    with app.app_context(), extensions.session_scope() as session:
        assert accounts.resolve_owner(session, "chi_bo", tree["dong"], None) == tree["dong"]
        assert accounts.resolve_owner(session, "chi_bo", tree["dong"], tree["dong"]) == tree["dong"]
        with pytest.raises(InvalidMeetingError):
            accounts.resolve_owner(session, "chi_bo", tree["dong"], tree["tay"])


def test_an_admin_names_any_organisation_that_exists(app, tree):
    """An admin's submission is unowned unless she names an organisation; an unknown one is refused."""
    with app.app_context(), extensions.session_scope() as session:
        assert accounts.resolve_owner(session, "admin", None, None) is None
        assert accounts.resolve_owner(session, "admin", None, tree["far"]) == tree["far"]
        with pytest.raises(InvalidMeetingError):
            accounts.resolve_owner(session, "admin", None, "0" * 32)


def test_a_name_suggests_one_chi_bo_of_the_dang_uy_s_own(app, tree):
    """The one chi bộ whose name reads alike is suggested; none, or another đảng bộ's, suggests nothing."""
    with app.app_context(), extensions.session_scope() as session:
        choices = accounts.chi_bo_choices(session, "dang_uy", tree["dang_bo"])
        assert [org.name for org in choices] == ["Chi bộ thôn Đông", "Chi bộ thôn Tây"]
        assert accounts.suggest_chi_bo(choices, "CHI BỘ THÔN ĐÔNG").id == tree["dong"]
        assert accounts.suggest_chi_bo(choices, "Chi bộ xa") is None
        assert accounts.suggest_chi_bo(choices, "Chi bộ thôn Đông Bắc") is None
