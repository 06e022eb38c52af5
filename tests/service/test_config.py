"""Settings: their defaults, the environment, and the table of docs/operations.md that mirrors them."""

from __future__ import annotations

import os
import re

from service.config import DEFAULTS, PROJECT_ROOT, from_env, load_env


def _setting_rows() -> dict[str, str]:
    """The rows of docs/operations.md's settings tables (any section), by each name they give."""
    rows = {}
    for line in (PROJECT_ROOT / "docs" / "operations.md").read_text(encoding="utf-8").splitlines():
        if match := re.match(r"\| ((?:`[A-Z0-9_]+`(?:, )?)+) \| ([^|]*) \|", line):
            for name in re.findall(r"`([A-Z0-9_]+)`", match.group(1)):
                rows[name] = match.group(2).strip()
    return rows


def test_every_setting_is_in_the_operations_table():
    """Each name of DEFAULTS has a row in docs/operations.md, and each row there is a setting."""
    rows = _setting_rows()
    assert [name for name in DEFAULTS if name not in rows] == []
    assert [name for name in rows if name not in DEFAULTS] == []


def test_the_table_gives_each_plain_default():
    """A setting whose default is a number or a word shows that default in its row."""
    rows = _setting_rows()
    for name, default in DEFAULTS.items():
        if isinstance(default, bool):
            assert rows[name].startswith(f"`{str(default).lower()}`"), name
        elif isinstance(default, int) or (isinstance(default, str) and default and "/" not in default):
            assert rows[name].startswith(f"`{default}`"), (name, rows[name])


def test_s3_settings_are_typed_from_the_environment():
    """Booleans and numbers of the S3 settings come out of strings typed."""
    config = dict(DEFAULTS)
    load_env(config, {"STORAGE_BACKEND": "s3", "S3_PRESIGNED_DOWNLOADS": "true",
                      "S3_CREATE_BUCKET": "0", "S3_URL_SECONDS": "60"})
    assert (config["STORAGE_BACKEND"], config["S3_PRESIGNED_DOWNLOADS"], config["S3_CREATE_BUCKET"],
            config["S3_URL_SECONDS"]) == ("s3", True, False, 60)


def test_data_dir_and_secret_key_are_private_whatever_the_umask(tmp_path):
    """Under umask 022 DATA_DIR (and its missing parents) is 0700 and the secret key 0600."""
    previous = os.umask(0o022)
    try:
        from_env({"DATA_DIR": str(tmp_path / "a" / "var")})
    finally:
        os.umask(previous)
    assert (tmp_path / "a").stat().st_mode & 0o777 == 0o700
    assert (tmp_path / "a" / "var").stat().st_mode & 0o777 == 0o700
    assert (tmp_path / "a" / "var" / "secret-key").stat().st_mode & 0o777 == 0o600


def test_an_open_data_dir_of_this_user_is_closed(tmp_path):
    """A DATA_DIR made 0755 by an older version is closed to group and others at start."""
    (tmp_path / "var").mkdir(mode=0o755)
    (tmp_path / "var").chmod(0o755)
    from_env({"DATA_DIR": str(tmp_path / "var")})
    assert (tmp_path / "var").stat().st_mode & 0o777 == 0o700
