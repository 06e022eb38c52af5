"""`chibo admin`: organisations, users, tokens and passwords from the command line."""

from __future__ import annotations

import pytest

from service import create_app
from service.cli import main
from tests.support import people


@pytest.fixture(name="env")
def _env(tmp_path, monkeypatch):
    """The settings every admin command and the app below share."""
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1/0")
    return {"TESTING": True, "DATA_DIR": str(tmp_path / "var"), "REDIS_URL": "redis://127.0.0.1:1/0"}


def test_first_run_steps_give_a_token_that_works(env, capsys):
    """org, org --parent, user, token: the printed token opens the API for that user."""
    assert main(["admin", "org", "Đảng bộ xã A", "--kind", "dang_bo"]) == 0
    assert main(["admin", "org", "Chi bộ thôn 1", "--kind", "chi_bo", "--parent", "Đảng bộ xã A"]) == 0
    assert main(["admin", "user", "bithu", "--role", "chi_bo", "--org", "Chi bộ thôn 1"]) == 0
    assert "chỉ hiện một lần" in capsys.readouterr().out
    assert main(["admin", "token", "bithu", "--name", "máy"]) == 0
    token = capsys.readouterr().out.strip()
    client = people.as_user(create_app(env).test_client(), token)
    assert client.get("/api/v1/jobs/" + "0" * 32).status_code == 404  # signed in: not 401


def test_every_kind_of_unit_is_made_under_its_dang_bo(env, capsys):
    """--kind takes the four unit kinds of the documents: each made under the đảng bộ, named by
    its Vietnamese kind; a secretary's account fits a đảng bộ cơ sở; a unit without a đảng bộ is refused."""
    main(["admin", "org", "Đảng bộ phường A", "--kind", "dang_bo"])
    capsys.readouterr()
    made = {"chi_bo_truc_thuoc": "chi bộ", "chi_bo_co_so": "chi bộ", "dang_bo_co_so": "đảng bộ cơ sở",
            "dang_bo_bo_phan": "đảng bộ bộ phận"}
    for kind, label in made.items():
        assert main(["admin", "org", f"Đơn vị {kind}", "--kind", kind, "--parent", "Đảng bộ phường A"]) == 0
        assert f"Đã tạo {label} “Đơn vị {kind}”" in capsys.readouterr().out
    assert main(["admin", "user", "bt", "--role", "chi_bo", "--org", "Đơn vị dang_bo_co_so"]) == 0
    main(["admin", "list"])
    listed = capsys.readouterr().out
    assert listed.count("(thuộc ") == 4 and "dang_bo_co_so" in listed and "dang_bo_bo_phan" in listed
    assert main(["admin", "org", "Đảng bộ lẻ", "--kind", "dang_bo_co_so"]) == 1
    assert "Đảng bộ cơ sở phải thuộc một đảng bộ" in capsys.readouterr().err


def test_a_user_of_the_wrong_kind_of_organisation_is_refused(env, capsys):
    """A chi_bo user must belong to a chi bộ: a đảng bộ is refused with a Vietnamese reason."""
    main(["admin", "org", "Đảng bộ xã A", "--kind", "dang_bo"])
    assert main(["admin", "user", "x", "--role", "chi_bo", "--org", "Đảng bộ xã A"]) == 1
    assert "phải gắn với một tổ chức loại chi_bo" in capsys.readouterr().err


def test_password_reset_and_lock_out(env, capsys):
    """`password` prints a new one once; `--disable` makes the user's tokens useless."""
    main(["admin", "user", "root2", "--role", "admin"])
    main(["admin", "token", "root2"])
    token = capsys.readouterr().out.strip().splitlines()[-1]
    assert main(["admin", "password", "root2"]) == 0
    assert "Đã đặt mật khẩu mới cho root2:" in capsys.readouterr().out
    assert main(["admin", "password", "root2", "--disable"]) == 0
    client = people.as_user(create_app(env).test_client(), token)
    assert client.get("/api/v1/jobs/" + "0" * 32).status_code == 401
