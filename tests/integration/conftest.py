"""Real parts for the integration tests: a Redis server, a Celery worker process with its
own LibreOffice, and an app configured like that worker. Everything started here is
stopped here; nothing touches a Redis or a database the user already runs."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from service import create_app
from service.cli import stack
from service.conversion.combine import convert_one
from service.conversion.converter import UnoserverConverter
from service.conversion.office import OfficeProcess, default_unoserver_command, free_port
from service.errors import BadRequestError
from tests.support import people
from tests.support.postgres import PostgresServer
from tests.support.smtp import SmtpServer

pytestmark = pytest.mark.integration


def environment(config: dict[str, Any]) -> dict[str, str]:
    """This process's environment with *config* as settings (how a worker or web gets them)."""
    return {**os.environ, **{k: str(v) for k, v in config.items()}}


@contextlib.contextmanager
def running_worker(config: dict[str, Any], log: Path, concurrency: int = 1,
                   ) -> Iterator[subprocess.Popen[bytes]]:
    """A real ``celery -A workers worker`` on *config*, stopped after; its log kept on failure."""
    process = stack.start_worker(environment(config), concurrency=concurrency, log=log)
    try:
        yield process
    finally:
        stack.stop(process, timeout=30)
        if process.returncode not in (0, -15):
            shutil.copy(log, Path("/tmp") / f"chibo-{log.stem}-failed.log")


@pytest.fixture(name="converter", scope="session")
def _converter() -> Iterator[UnoserverConverter]:
    """One warm LibreOffice for every test that renders documents in this process."""
    with OfficeProcess(default_unoserver_command()) as office:
        yield UnoserverConverter(office)


AloneKey = tuple[str, int, str, int]  # sample, meeting (0: itself, 1…: its chi bộ), document, part


@pytest.fixture(name="alone_pdfs", scope="session")
def _alone_pdfs() -> dict[AloneKey, bytes]:
    """Each part of each sample's documents converted alone by ``converter``, once for the
    session: the golden texts and the combined conversions' comparison read the same PDFs."""
    return {}


def convert_alone(converter: UnoserverConverter, made: dict[AloneKey, bytes], key: AloneKey,
                  docx: bytes) -> bytes:
    """*docx* (the part *key*) converted alone (``convert_one``), or its PDF converted already."""
    if key not in made:
        made[key] = convert_one(converter, docx)
    return made[key]


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    """The text of a PDF as pdftotext reads it, whitespace folded."""
    path = tmp_path / f"read-{time.monotonic_ns()}.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True,
                         capture_output=True).stdout.decode()
    return " ".join(out.split())


@pytest.fixture(name="stack_dir", scope="session")
def _stack_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The DATA_DIR shared by the worker and the app under test."""
    return tmp_path_factory.mktemp("stack")


@pytest.fixture(name="redis_url", scope="session")
def _redis_url(stack_dir: Path) -> Iterator[str]:
    """A redis-server of our own on a free loopback port."""
    url = f"redis://127.0.0.1:{free_port()}/0"
    process = stack.start_redis(url, stack_dir / "redis")
    yield url
    stack.stop(process)


@pytest.fixture(name="stack_config", scope="session")
def _stack_config(stack_dir: Path, redis_url: str) -> dict[str, Any]:
    """Settings, as the worker gets them from its environment."""
    return {"DATA_DIR": str(stack_dir / "var"), "REDIS_URL": redis_url}


@pytest.fixture(name="worker", scope="session")
def _worker(stack_config: dict[str, Any], stack_dir: Path) -> Iterator[subprocess.Popen[bytes]]:
    """A real ``celery -A workers worker`` process with two children, each with LibreOffice."""
    with running_worker(stack_config, stack_dir / "worker.log", concurrency=2) as process:
        yield process


@pytest.fixture(name="live_client")
def _live_client(stack_config: dict[str, Any], worker: subprocess.Popen[bytes]) -> FlaskClient:
    """A client of an app that shares the worker's database, storage and broker."""
    assert worker.poll() is None, "the worker process died"
    app = create_app({"TESTING": True, **stack_config})
    return people.as_user(app.test_client(), people.token(app))


CHROMIUM = "/usr/bin/chromium"
BROWSER_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--lang=vi-VN",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-quic"]
WEB_PASSWORD = "mật-khẩu-thử-web"  # the password of the office user vp-dang-uy of web_stack


@pytest.fixture(name="web_stack", scope="session")
def _web_stack(stack_config: dict[str, Any], stack_dir: Path, worker: subprocess.Popen[bytes],
               smtp_server: SmtpServer) -> Iterator[str]:
    """The web role (gunicorn) sharing the worker's database, storage and broker, started once
    for every browser test of the session; its address. It sends its e-mail (a season's
    reminders) to the session's local SMTP server. A đảng ủy office user ``vp-dang-uy``
    (WEB_PASSWORD) exists; each module makes its own other users."""
    port = free_port()
    web = stack.start_web(environment({**stack_config, **smtp_server.settings()}), port,
                          log=stack_dir / "web.log")
    base = f"http://127.0.0.1:{port}"
    try:
        stack.wait_until(lambda: stack.web_alive(base), 240, "web")  # LibreOffice may be slow to answer
        with contextlib.suppress(BadRequestError):  # made already
            people.token(create_app({"TESTING": True, **stack_config}), role="dang_uy",
                         password=WEB_PASSWORD, username="vp-dang-uy")
        yield base
    finally:
        stack.stop(web)


@pytest.fixture(name="base_url", scope="session")
def _base_url(web_stack: str) -> str:
    """The address of the session's web role (``web_stack``)."""
    return web_stack


@pytest.fixture(name="browser", scope="module")
def _browser() -> Iterator[Any]:
    """Debian's chromium, headless, through Playwright, launched once a module: each test opens a
    context of its own (its cookies and storage). Not once a session: Playwright's sync API keeps
    an asyncio loop running in the process while it lives, and the signature checks that run later
    in the same test process (pyHanko's ``asyncio.run``) would then fail."""
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is not installed (bash service/run.sh installs it)")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=BROWSER_FLAGS)
        yield browser
        browser.close()


@pytest.fixture(name="pg_stack_config", scope="module")
def _pg_stack_config(stack_dir: Path, redis_url: str, postgres: PostgresServer) -> dict[str, Any]:
    """A second stack's settings: a PostgreSQL database at head, its own storage, and its own
    Redis database, so the SQLite worker never takes its tasks."""
    return {"DATA_DIR": str(stack_dir / "pg-var"), "REDIS_URL": f"{redis_url.rsplit('/', 1)[0]}/1",
            "DATABASE_URL": postgres.url(postgres.create_database())}


@pytest.fixture(name="pg_worker", scope="module")
def _pg_worker(pg_stack_config: dict[str, Any], stack_dir: Path) -> Iterator[subprocess.Popen[bytes]]:
    """A real worker process on PostgreSQL, with one child and its LibreOffice."""
    with running_worker(pg_stack_config, stack_dir / "pg-worker.log") as process:
        yield process


def download_package(client: FlaskClient, link: str, timeout: float = 120) -> bytes:
    """A job's or batch's ZIP or print PDF, once the worker has built it (409 until then)."""
    deadline = time.monotonic() + timeout
    while True:
        response = client.get(link)
        if response.status_code != 409 or time.monotonic() > deadline:
            assert response.status_code == 200, response.get_data(as_text=True)
            return response.get_data()
        time.sleep(0.5)


def wait_until_finished(client: FlaskClient, location: str, timeout: float = 300) -> dict[str, Any]:
    """Poll a job or a batch until it is done or failed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        body = client.get(location).get_json()
        if body["status"] in {"done", "failed", "incomplete"}:
            return dict(body)
        time.sleep(0.5)
    raise AssertionError(f"{location} still {body['status']} after {timeout} s")
