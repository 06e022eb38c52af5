"""docker/ checked without a Docker engine: the compose file against the Compose
specification's JSON schema (as vendored by check-jsonschema) and the rules of this
deployment, the Dockerfile's instructions and hadolint, the scripts with bash -n and
shellcheck. ``test_entrypoint.py`` runs the entrypoint's roles for real."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from importlib.resources import files
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from service.config import DEFAULTS, PROJECT_ROOT
from service.roles import ROLES

DOCKER = PROJECT_ROOT / "docker"
COMPOSE = DOCKER / "compose.yaml"
DOCKERFILE = DOCKER / "Dockerfile"
ENTRYPOINT = DOCKER / "entrypoint.sh"
INSTALLER = "bash service/run.sh install"
OUR_SERVICES = ("web", "worker", "beat", "flower")


def tool(name: str) -> str:
    """A linter installed with the test extras (a binary in a wheel, next to this Python)."""
    path = Path(sys.executable).parent / name
    found = str(path) if path.exists() else shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed: bash service/run.sh install")
    return found


_VARIABLE = re.compile(r"\$(?:\$|\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\})")


def interpolate(value: Any, environ: dict[str, str]) -> Any:
    """Compose's ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?error} and $$, everywhere."""
    if isinstance(value, dict):
        return {key: interpolate(item, environ) for key, item in value.items()}
    if isinstance(value, list):
        return [interpolate(item, environ) for item in value]
    if not isinstance(value, str):
        return value

    def replace(match: re.Match[str]) -> str:
        if match.group(0) == "$$":
            return "$"
        name, op, arg = match.group("name", "op", "arg")
        current = environ.get(name)
        if op in {":-", "-"} and (current is None or (op == ":-" and current == "")):
            return arg
        if op in {":?", "?"} and not current:
            raise AssertionError(f"${{{name}}} is required: {arg}")
        return current or ""

    rest = _VARIABLE.sub("", value)
    assert "$" not in rest, f"a $ that Compose would not read as a variable: {value!r}"
    return _VARIABLE.sub(replace, value)


@pytest.fixture(name="raw", scope="module")
def _raw() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE.read_text())


PASSWORD = "0123456789abcdef" * 4  # REDIS_PASSWORD, as `openssl rand -hex 32` makes one


@pytest.fixture(name="compose", scope="module")
def _compose(raw: dict[str, Any]) -> dict[str, Any]:
    """The compose file as `docker compose config` reads it with only REDIS_PASSWORD set."""
    return interpolate(raw, {"REDIS_PASSWORD": PASSWORD})


def test_redis_requires_a_password_that_no_command_line_shows(raw, compose):
    """Issue #31, 2: the broker takes commands only with its password, set by the operator."""
    with pytest.raises(AssertionError, match=r"REDIS_PASSWORD\} is required"):
        interpolate(raw, {})  # no default: docker compose refuses to start without one
    redis = compose["services"]["redis"]
    assert redis["environment"]["REDISCLI_AUTH"] == PASSWORD  # the health check's redis-cli
    script = redis["command"][-1]
    assert redis["command"][:2] == ["sh", "-c"] and PASSWORD not in script
    assert script.startswith("printf 'requirepass %s\\n' \"$REDISCLI_AUTH\" | redis-server - ")
    assert "redis-cli ping" in redis["healthcheck"]["test"][1]
    env = compose["x-chibo-environment"]
    assert env["REDIS_URL"] == f"redis://:{PASSWORD}@redis:6379/0"  # every role of the image


def test_every_service_restarts_by_itself(compose):
    """A role that dies is started again by Docker (the supervisor of `chibo up` does it there)."""
    for name, service in compose["services"].items():
        assert service.get("restart") in {"unless-stopped", "always"}, name


def test_compose_file_is_valid_against_the_compose_specification(compose):
    schema_file = files("check_jsonschema") / "builtin_schemas" / "vendor" / "compose-spec.json"
    schema = json.loads(schema_file.read_text())
    assert schema["title"] == "Compose Specification"
    validator = jsonschema.validators.validator_for(schema)(schema)
    errors = [f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
              for error in validator.iter_errors(compose)]
    assert not errors, "\n".join(errors)


def test_every_service_has_a_healthcheck_and_waits_for_healthy_dependencies(compose):
    services = compose["services"]
    assert set(services) >= {"web", "worker", "flower", "redis", "postgres", "minio"}
    for name, service in services.items():
        check = service.get("healthcheck", {})
        assert check.get("test") and not check.get("disable"), f"{name} has no healthcheck"
        for dependency, how in service.get("depends_on", {}).items():
            assert dependency in services, f"{name} depends on unknown {dependency}"
            assert how["condition"] == "service_healthy", f"{name} → {dependency}"
    # the image's own roles check themselves with service/roles.py
    for name in OUR_SERVICES:
        assert services[name]["healthcheck"]["test"] == [
            "CMD", "python", "-m", "service.roles", "health", name]
        assert services[name]["command"] == [name]
        assert name in ROLES


def test_workers_scale_and_the_rest_starts_in_order(compose):
    services = compose["services"]
    worker = services["worker"]
    assert "container_name" not in worker and "ports" not in worker  # --scale worker=4
    assert not any("container_name" in service for service in services.values())
    assert "profiles" not in worker and "profiles" not in services["web"]
    assert services["flower"]["profiles"] == ["monitoring"]
    assert services["flower"]["ports"][0].startswith("127.0.0.1:")  # flower can stop workers
    assert services["web"]["ports"] == ["8000:8000"]
    # workers start once the web role has migrated the database
    assert set(worker["depends_on"]) == {"redis", "postgres", "minio", "web"}
    assert worker["init"] is True  # something reaps what LibreOffice leaves


def test_stores_keep_their_data_and_images_are_pinned(compose):
    services = compose["services"]
    assert "--appendonly yes" in services["redis"]["command"][-1]
    for name, path in (("redis", "/data"), ("postgres", "/var/lib/postgresql/data"),
                       ("minio", "/data")):
        volume = next(v for v in services[name]["volumes"] if v.endswith(f":{path}"))
        assert volume.split(":")[0] in compose["volumes"], name
    assert re.fullmatch(r"postgres:1[56](\.\d+)?-bookworm", services["postgres"]["image"])
    for name in ("redis", "postgres", "minio"):
        image = services[name]["image"]
        assert ":" in image and not image.endswith(":latest"), image


def test_the_app_gets_only_settings_it_knows(compose):
    env = compose["x-chibo-environment"]
    unknown = set(env) - set(DEFAULTS)
    assert not unknown, f"not settings of service/config.py: {unknown}"
    assert env["DATABASE_URL"] == "postgresql+psycopg://chibo:chibo@postgres:5432/chibo"
    assert env["STORAGE_BACKEND"] == "s3" and env["S3_CREATE_BUCKET"] == "true"
    assert env["DB_AUTO_MIGRATE"] == "false"
    for name in OUR_SERVICES:
        assert compose["services"][name]["environment"] == env
        assert compose["services"][name]["build"] == {"context": "..", "dockerfile": "docker/Dockerfile"}
    # the S3 keys MinIO is started with are the ones the app signs with
    minio = compose["services"]["minio"]["environment"]
    assert (minio["MINIO_ROOT_USER"], minio["MINIO_ROOT_PASSWORD"]) == (
        env["S3_ACCESS_KEY_ID"], env["S3_SECRET_ACCESS_KEY"])
    assert len(minio["MINIO_ROOT_PASSWORD"]) >= 8  # MinIO refuses shorter


def test_variables_override_the_defaults(raw):
    compose = interpolate(raw, {"POSTGRES_PASSWORD": "s3cret", "CHIBO_PORT": "80",
                                "WORKER_CONCURRENCY": "8", "REDIS_PASSWORD": PASSWORD})
    env = compose["x-chibo-environment"]
    assert env["DATABASE_URL"] == "postgresql+psycopg://chibo:s3cret@postgres:5432/chibo"
    assert compose["services"]["postgres"]["environment"]["POSTGRES_PASSWORD"] == "s3cret"
    assert compose["services"]["web"]["ports"] == ["80:8000"]
    assert env["WORKER_CONCURRENCY"] == "8"


def dockerfile() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of docker/Dockerfile, continuation lines joined."""
    text = re.sub(r"\\\n", " ", "\n".join(
        line for line in DOCKERFILE.read_text().splitlines() if not line.lstrip().startswith("#")))
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1].strip())
            for line in text.splitlines() if line.strip()]


def test_dockerfile_builds_on_debian_12_slim_with_the_projects_installer():
    instructions = dockerfile()
    args = dict(value.split("=", 1) for op, value in instructions if op == "ARG")
    assert args["BASE_IMAGE"] == "debian:12-slim"
    assert ("FROM", "${BASE_IMAGE}") in instructions
    runs = [value for op, value in instructions if op == "RUN"]
    # the image installs with the command .ci/run runs, in image mode (no test tools)
    assert INSTALLER in (PROJECT_ROOT / ".ci" / "run").read_text()
    assert any(re.search(rf"(^|\s){re.escape(INSTALLER)}(\s|$)", run) for run in runs), runs
    env = " ".join(value for op, value in instructions if op == "ENV")
    assert "CHIBO_INSTALL=image" in env and "DATA_DIR=/data" in env
    assert "WEB_BIND=0.0.0.0:8000" in env
    # no apt-get of its own: the one package list is the installer's
    assert not any("apt-get install" in run for run in runs)


def test_dockerfile_runs_as_uid_10001_with_a_healthcheck_and_the_entrypoint():
    instructions = dockerfile()
    users = [value for op, value in instructions if op == "USER"]
    assert users and users[-1].split(":")[0] not in {"root", "0"}
    assert users[-1] == "10001:10001"
    assert any("useradd --uid 10001" in value and "--home-dir /app" in value
               for op, value in instructions if op == "RUN")
    assert any("-o 10001" in value and "/data" in value for op, value in instructions if op == "RUN")
    checks = [value for op, value in instructions if op == "HEALTHCHECK"]
    assert len(checks) == 1 and 'CMD ["python", "-m", "service.roles", "health"]' in checks[0]
    assert ("ENTRYPOINT", '["/app/docker/entrypoint.sh"]') in instructions
    assert ("CMD", '["web"]') in instructions
    assert os.access(ENTRYPOINT, os.X_OK)
    mode = subprocess.run(["git", "ls-files", "-s", "docker/entrypoint.sh"], cwd=PROJECT_ROOT,
                          capture_output=True, text=True).stdout
    assert not mode or mode.startswith("100755"), mode


def _installed_version(package: str) -> str | None:
    if shutil.which("dpkg-query") is None:
        return None
    out = subprocess.run(["dpkg-query", "-W", "-f=${Version}", package], capture_output=True,
                         text=True)
    return out.stdout.strip() or None


@pytest.mark.parametrize(("arg", "package"), [("LIBREOFFICE_VERSION", "libreoffice-writer-nogui"),
                                              ("FONTS_LIBERATION2_VERSION", "fonts-liberation2")])
def test_the_image_pins_the_libreoffice_and_fonts_the_tests_ran_with(arg, package):
    """An outdated pin also breaks `docker build` (Debian drops superseded versions)."""
    args = dict(value.split("=", 1) for op, value in dockerfile() if op == "ARG")
    installed = _installed_version(package)
    if installed is None:
        pytest.skip(f"{package} is not installed here")
    assert args[arg] == installed, (
        f"docker/Dockerfile pins {package} {args[arg]}, this machine (where the tests ran) has "
        f"{installed}: set ARG {arg}={installed}")


def test_the_installer_pins_those_versions_and_leaves_test_tools_out_of_the_image():
    def packages(**env: str) -> list[str]:
        out = subprocess.run(["bash", "service/run.sh", "packages"], cwd=PROJECT_ROOT, check=True,
                             capture_output=True, text=True, env={**os.environ, **env})
        return out.stdout.split()

    image = packages(CHIBO_INSTALL="image", LIBREOFFICE_VERSION="4:1.2-3",
                     FONTS_LIBERATION2_VERSION="9.9-1")
    assert "libreoffice-writer-nogui=4:1.2-3" in image and "python3-uno=4:1.2-3" in image
    assert "fonts-liberation2=9.9-1" in image and "poppler-utils" in image
    assert "chromium" not in image and "redis-server" not in image
    dev = set(packages(CHIBO_INSTALL="dev"))
    assert "chromium" in dev and "libreoffice-writer-nogui" in dev
    # one list: the image's packages are every machine's, less the test tools
    image_names = {spec.split("=")[0] for spec in image}
    # Calc only for the tests that round-trip spreadsheets through it
    assert image_names <= dev and dev - image_names <= {"chromium", "redis-server", "postgresql",
                                                         "libreoffice-calc-nogui"}


def test_dockerignore_keeps_local_state_out_of_the_build_context():
    ignored = {line.strip() for line in (PROJECT_ROOT / ".dockerignore").read_text().splitlines()
               if line.strip() and not line.startswith("#")}
    assert {".git", ".venv", ".sysvenv", "var", "tests"} <= ignored
    # what the image needs is not ignored
    assert not ignored & {"service", "workers", "doc_templates", "docker", "pyproject.toml",
                          "README.md"}


def test_hadolint_passes_on_the_dockerfile():
    out = subprocess.run([tool("hadolint"), "--no-color", str(DOCKERFILE)], capture_output=True,
                         text=True)
    assert out.returncode == 0, out.stdout + out.stderr


@pytest.mark.parametrize("script", ["docker/entrypoint.sh", "service/run.sh", ".ci/run"])
def test_shell_scripts_pass_bash_n_and_shellcheck(script):
    path = PROJECT_ROOT / script
    subprocess.run(["bash", "-n", str(path)], check=True)
    out = subprocess.run([tool("shellcheck"), "--shell=bash", str(path)], capture_output=True,
                         text=True)
    assert out.returncode == 0, out.stdout + out.stderr


def test_the_image_installs_exactly_the_locks():
    """The image runs the installer, which syncs uv.lock frozen and the hashed requirements."""
    installer = (PROJECT_ROOT / "service" / "run.sh").read_text()
    assert re.search(r"uv sync [^\n]*--frozen", installer)
    assert installer.count("--require-hashes") >= 2  # uv itself and .sysvenv's unoserver
    ignored = {line.strip() for line in (PROJECT_ROOT / ".dockerignore").read_text().splitlines()
               if line.strip() and not line.startswith("#")}
    assert not ignored & {"uv.lock", "service", "service/requirements"}
    for lock in ("uv.lock", "service/requirements/uv.txt", "service/requirements/sysvenv.txt"):
        assert (PROJECT_ROOT / lock).is_file(), lock
