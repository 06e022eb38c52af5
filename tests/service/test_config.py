"""Settings: their defaults, the environment, and the README table that mirrors them."""

from __future__ import annotations

from service.config import DEFAULTS, PROJECT_ROOT, load_env


def test_every_setting_is_in_the_readme_table():
    """Each name of DEFAULTS has a row in the README's settings table."""
    readme = (PROJECT_ROOT / "README.md").read_text()
    start = readme.index("## Settings")
    table = readme[start:readme.index("\n## ", start)]
    assert [name for name in DEFAULTS if f"`{name}`" not in table] == []


def test_s3_settings_are_typed_from_the_environment():
    """Booleans and numbers of the S3 settings come out of strings typed."""
    config = dict(DEFAULTS)
    load_env(config, {"STORAGE_BACKEND": "s3", "S3_PRESIGNED_DOWNLOADS": "true",
                      "S3_CREATE_BUCKET": "0", "S3_URL_SECONDS": "60"})
    assert (config["STORAGE_BACKEND"], config["S3_PRESIGNED_DOWNLOADS"], config["S3_CREATE_BUCKET"],
            config["S3_URL_SECONDS"]) == ("s3", True, False, 60)
