"""Every setting, once, with its default; the environment is read only by ``load_env``.

``create_app`` calls ``load_env`` when no test configuration is given; nothing else in the
code base reads a setting from ``os.environ`` (``service/roles.py`` hands the environment on to
the processes it starts, and reads two variables that are not settings: the entrypoint's
``CHIBO_ROLE_FILE`` and flower's ``FLOWER_PORT``). docs/operations.md's settings table mirrors
``DEFAULTS`` (tests/service/test_config.py checks it).
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Mapping, MutableMapping
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parents[1]

DEFAULTS: dict[str, Any] = {
    # folder for the embedded defaults (SQLite file, stored documents, local Redis data)
    "DATA_DIR": str(PROJECT_ROOT / "var"),
    # SQLAlchemy URL; empty means a SQLite file in DATA_DIR
    "DATABASE_URL": "",
    # bring the database to the newest migration at start (off: run `chibo db upgrade`)
    "DB_AUTO_MIGRATE": True,
    # Celery broker (and the Redis that `chibo up` starts when nothing listens there)
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    # where documents are kept: "local" (a folder on this machine) or "s3" (a bucket that
    # workers on other machines share with the web node)
    "STORAGE_BACKEND": "local",
    # the folder of the local storage; empty means DATA_DIR/storage
    "STORAGE_PATH": "",
    # the bucket of the s3 storage
    "S3_BUCKET": "chibo-docs",
    # the S3 endpoint, e.g. http://10.0.0.5:8333 (SeaweedFS, MinIO: path-style); empty means AWS
    "S3_ENDPOINT_URL": "",
    # the region signed for (and the bucket created in)
    "S3_REGION": "us-east-1",
    # the access key pair; both empty means boto3's default chain (AWS_* variables, profile, role)
    "S3_ACCESS_KEY_ID": "",
    "S3_SECRET_ACCESS_KEY": "",
    # folder-like prefix of every object, e.g. "ha-tinh/" to share a bucket; empty means none
    "S3_PREFIX": "",
    # create the bucket at startup (or on the first write) when it is missing
    "S3_CREATE_BUCKET": True,
    # downloads of single documents redirect to a presigned URL of the store (false: they
    # stream through the web node)
    "S3_PRESIGNED_DOWNLOADS": False,
    # seconds a presigned download URL stays valid
    "S3_URL_SECONDS": 300,
    # the endpoint browsers reach the store at, when not S3_ENDPOINT_URL; presigned URLs are
    # signed for it; empty means S3_ENDPOINT_URL
    "S3_PUBLIC_ENDPOINT_URL": "",
    # unoserver command (shlex-split) run under Debian's python3 (python3-uno); empty: .sysvenv + unoloader.py
    "UNOSERVER_COMMAND": "",
    # the system user a worker running as root runs LibreOffice and unoserver as (made by
    # `bash service/run.sh install` as root); it must not be able to read DATA_DIR. Ignored when
    # the worker is not root (LibreOffice then runs as the worker's user); empty: root too
    "OFFICE_USER": "chibo-office",
    # "host:port" of an already running unoserver; empty means each worker starts its own
    "UNOSERVER_ADDRESS": "",
    # seconds one conversion may take before LibreOffice is killed and restarted
    "CONVERSION_TIMEOUT": 120,
    # seconds one task (a group of up to BATCH_CHUNK_SIZE documents) may run before it is
    # stopped; a soft limit 30 s earlier lets it give up cleanly and be retried
    "TASK_TIME_LIMIT": 360,
    # seconds after which a task taken by a worker that died (kill -9, power loss) is
    # delivered again; keep it above TASK_TIME_LIMIT
    "BROKER_VISIBILITY_TIMEOUT": 900,
    # seconds a queued or running document may sit with no message left for it in Redis
    # before it is reported lost (batch status "incomplete"; `retry` queues it again)
    "LOST_AFTER_SECONDS": 60,
    # seconds between two looks of the beat's `recover_lost` task for documents with no message
    # left in Redis (a Redis that came back empty); it queues them again (0: never)
    "LOST_CHECK_SECONDS": 20,
    # seconds a document may stay queued or running before /healthz reports it stuck
    "STUCK_AFTER_SECONDS": 1800,
    # seconds a package (a job's or batch's ZIP) may wait to be built before /healthz is red;
    # one whose build failed is red at once (docs/operations.md)
    "PACKAGE_STALL_SECONDS": 300,
    # /healthz says "queue: lỗi" when documents have waited this long while no worker started or
    # finished any (the workers gone, or none consuming): red within a minute or two of the fault
    "QUEUE_STALL_SECONDS": 90,
    # /healthz says "disk: lỗi" when DATA_DIR (or the local storage) has less free space than this
    "DISK_MIN_FREE_MB": 200,
    # worker processes a document may take down (killed mid-task: out of memory, a signal)
    # before it is set aside as poison-document
    "WORKER_CRASH_LIMIT": 2,
    # attempts of a document that died with their whole worker (killed, restarted; no fault of the
    # document: counted apart from the crashes above) before it is set aside as interrupted
    "WORKER_INTERRUPTION_LIMIT": 5,
    # seconds a worker keeps retrying a storage write that fails for a transient reason
    # (read-only or full filesystem, S3 5xx or throttling), backing off up to 8 s a try,
    # before the task's own retries take over (0: no waiting)
    "STORAGE_RETRY_SECONDS": 120,
    # restart a worker's LibreOffice after this many conversions (0: never)
    "OFFICE_RECYCLE_AFTER": 500,
    # restart a worker's LibreOffice when it uses more memory than this, in MiB (0: no limit)
    "OFFICE_MEMORY_LIMIT_MB": 1024,
    # what LibreOffice writes: "pdfa-2b" (PDF/A-2b: archival, fonts embedded, XMP identification)
    # or "pdf" (plain PDF); never form fields, never encrypted
    "PDF_FORMAT": "pdfa-2b",
    # hours a conversion is remembered by its content (DOCX parts + PDF settings) in the store's
    # conversions/ folder, so that a correction converts only the documents that changed and a
    # document rendered twice is laid out once; 0: off (this process's memory only)
    "CONVERSION_CACHE_HOURS": 24,
    # the print PDF pads each document to an even number of pages (a blank back), so that each
    # starts on a front side when printed on both sides
    "PRINT_DUPLEX": True,
    # PEM files (separated by ":") of the certificate roots trusted for signed copies (the VGCA
    # roots); empty: a signature is checked but its certificate reported "not verified"
    "SIGNING_TRUST_ROOTS": "",
    # empty signature fields (pyHanko) at the BÍ THƯ / CHỦ TRÌ and THƯ KÝ blocks of each PDF, for
    # Adobe and Foxit users; off: the PDF as LibreOffice made it
    "SIGNATURE_FIELDS": False,
    # minutes a document's signing upload link ("Ký số", for the VGCA Sign Service) is valid
    "SIGNING_LINK_MINUTES": 30,
    # where the signing tool fetches the PDF and posts the signed copy: empty derives it from the
    # request the page came in by (its scheme and host, X-Forwarded-* behind TRUSTED_PROXIES); set
    # it (https://chibo.example.vn) only when the secretary's computer reaches the service otherwise
    "SIGNING_BASE_URL": "",
    # the VGCA Sign Service's own address on the secretary's computer (its WebSocket, the
    # "SignApproved" call of the Ban Cơ yếu's vgcaplugin); change only for another version of it
    "SIGNING_PLUGIN_URL": "wss://127.0.0.1:8987/SignApproved",
    # days a member's personal self-review link is valid when the secretary sets no date, and the most
    "SELF_REVIEW_LINK_DAYS": 30,
    "SELF_REVIEW_LINK_MAX_DAYS": 180,
    # largest scanned hand-signed copy (PDF, JPEG, PNG) accepted, in bytes
    "SCAN_MAX_BYTES": 8 * 1024 * 1024,
    # largest DOCX the secretary edited in Word and uploads as a document's new revision, in bytes
    # (unpacked, it is held to TEMPLATE_MAX_UNPACKED, TEMPLATE_MAX_ENTRIES, TEMPLATE_MAX_PART)
    "EDITED_DOCX_MAX_BYTES": 8 * 1024 * 1024,
    # largest request body accepted, in bytes
    "MAX_CONTENT_LENGTH": 8 * 1024 * 1024,
    # a PDF to verify (/api/v1/verify, "Kiểm tra tài liệu") is refused before it is parsed when it
    # has more revisions (%%EOF markers: a co-signed, timestamped copy has a handful), objects or
    # pages than these (the size limit is MAX_CONTENT_LENGTH)
    "VERIFY_MAX_REVISIONS": 40,
    "VERIFY_MAX_OBJECTS": 200_000,
    "VERIFY_MAX_PAGES": 5_000,
    # a PDF verified and an uploaded template checked run in a child process of the web role with
    # at most this much memory (address space, MiB) and these seconds; and at most CHECKS_AT_ONCE
    # of them at once per web process (the next waits as long, then answers 503)
    "CHECK_MEMORY_MB": 1024,
    "CHECK_SECONDS": 30,
    "CHECKS_AT_ONCE": 2,
    # deepest nesting of arrays and objects accepted in JSON (a meeting nests 6 deep; 1,000
    # would crash the parser)
    "JSON_MAX_DEPTH": 32,
    # most rows a sheet of an uploaded workbook may have below its header (a đảng bộ of
    # ~10,000 members fills one row each); checked on the sheet's declared size before reading
    "WORKBOOK_MAX_ROWS": 20_000,
    # most sheets an uploaded workbook may have (the blank one has 6)
    "WORKBOOK_MAX_SHEETS": 20,
    # most members a chi bộ's roster may hold (PUT and import alike)
    "ROSTER_MAX_MEMBERS": 2000,
    # largest member-list file (.xlsx, .xls, .csv) the roster import reads, in bytes
    "ROSTER_MAX_BYTES": 4 * 1024 * 1024,
    # Flask secret that signs the session cookies; empty means a random one kept in
    # DATA_DIR/secret-key (give every web node the same value when there are several)
    "SECRET_KEY": "",
    # send the session cookie over HTTPS only (turn on behind TLS)
    "SESSION_COOKIE_SECURE": False,
    # hours a web login lasts at most, however busy
    "SESSION_HOURS": 12,
    # minutes a web login lasts without a request (a form kept across it comes back after login)
    "SESSION_IDLE_MINUTES": 60,
    # wrong passwords (and refused API tokens) one account may have before it must wait:
    # each window full refuses every attempt, the right password too, until it empties
    "LOGIN_LIMITS_ACCOUNT": "5 per minute; 10 per 15 minutes; 20 per hour",
    # the same per client address (an office behind one address has several users)
    "LOGIN_LIMITS_ADDRESS": "20 per minute; 100 per hour",
    # where the throttle counts (a limits storage URI, e.g. redis://…, memory://); empty: REDIS_URL
    "THROTTLE_STORAGE_URI": "",
    # reverse proxies in front of the web role that set X-Forwarded-For (0: none; the client's
    # address is then the connection's)
    "TRUSTED_PROXIES": 0,
    # days a job and its documents are kept before they are deleted (0: forever)
    "RETENTION_DAYS": 90,
    # the operator's SMTP server for reminders; empty host: no e-mail (notices on the home page only)
    "SMTP_HOST": "",
    "SMTP_PORT": 587,
    # the login of the SMTP server; empty: no login
    "SMTP_USER": "",
    "SMTP_PASSWORD": "",
    # "starttls" (port 587), "ssl" (port 465) or "none" (a relay on this machine or network)
    "SMTP_TLS": "starttls",
    # the From of every reminder
    "SMTP_FROM": "chibo-docs <no-reply@localhost>",
    # days before a season's deadline from which units not done are reminded daily (0: never)
    "REMINDER_DAYS_BEFORE": 3,
    # the address of the site as users reach it, for links in e-mails sent by the daily run
    # (a click on the board uses the address it was made at); empty: http://localhost:8000
    "PUBLIC_URL": "",
    # hours a one-time sign-in link made by a đảng ủy office stays valid
    "SIGN_IN_LINK_HOURS": 72,
    # largest draft (meeting data saved unfinished, "Lưu nháp") kept, in bytes of its JSON
    "DRAFT_MAX_BYTES": 1024 * 1024,
    # the Celery remote-control commands a worker obeys (comma-separated): /healthz and the worker
    # role's health check use "ping" and "offices"; every other (shutdown, revoke, pool_restart,
    # rate_limit…) is refused by the workers. Flower's pages need "stats,active,reserved,
    # scheduled,registered,active_queues,conf,revoked,query_task" too
    "WORKER_CONTROL_COMMANDS": "ping,offices",
    # worker processes `chibo up` and the worker role start (one LibreOffice each)
    "WORKER_CONCURRENCY": 2,
    # host:port the web role's gunicorn listens on (`chibo up` uses 127.0.0.1:--port; the
    # Docker image sets 0.0.0.0:8000)
    "WEB_BIND": "127.0.0.1:8000",
    # gunicorn processes of the web role
    "WEB_WORKERS": 2,
    # threads of each web process (service.webserver, gunicorn's gthread): requests served at
    # once per process; a connection that sends nothing holds none, a stalled one at most one
    "WEB_THREADS": 8,
    # documents of one type rendered into one DOCX, converted once and split back, per task
    "BATCH_CHUNK_SIZE": 20,
    # seconds a /healthz answer is reused
    "HEALTH_CACHE_SECONDS": 5,
    # days after today a meeting (or a document date) may lie: the draft report goes out at
    # least 3 working days before the meeting and the ballots are printed before it; a date
    # further ahead is a typing mistake (a wrong year or month) and is refused
    "MEETING_DAYS_AHEAD": 10,
    # prometheus-client multiprocess folder the workers write to; empty means DATA_DIR/metrics
    "METRICS_DIR": "",
    # a chi bộ's own uploaded templates are used (else only its đảng bộ's, and the built-in)
    "CHI_BO_OWN_TEMPLATES": False,
    # largest uploaded DOCX template, in bytes, and what it may hold unpacked
    "TEMPLATE_MAX_BYTES": 5 * 1024 * 1024,
    "TEMPLATE_MAX_UNPACKED": 40 * 1024 * 1024,
    # most files inside an uploaded DOCX template (a Word document has 10 to 30)
    "TEMPLATE_MAX_ENTRIES": 300,
    # largest single file inside an uploaded DOCX template, unpacked (a body with pictures inline
    # is a few MB)
    "TEMPLATE_MAX_PART": 16 * 1024 * 1024,
}


def _coerce(default: Any, raw: str) -> Any:
    if isinstance(default, bool):
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(default, int):
        return int(raw)
    return raw


def load_env(config: MutableMapping[str, Any], environ: Mapping[str, str] | None = None) -> None:
    """Override the defaults in *config* with the environment variables of the same names."""
    environ = os.environ if environ is None else environ
    for name, default in DEFAULTS.items():
        if name in environ:
            config[name] = _coerce(default, environ[name])


def from_env(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Every setting as ``create_app`` would have it, for commands that need no app."""
    config = dict(DEFAULTS)
    load_env(config, environ)
    finish(config)
    return config


def finish(config: MutableMapping[str, Any]) -> None:
    """Fill the settings whose defaults derive from others."""
    data_dir = Path(config["DATA_DIR"])
    if not config.get("DATABASE_URL"):
        private_folder(data_dir)
        config["DATABASE_URL"] = f"sqlite:///{data_dir / 'chibo.sqlite3'}"
    if not config.get("STORAGE_PATH"):
        config["STORAGE_PATH"] = str(data_dir / "storage")
    if not config.get("SECRET_KEY"):
        config["SECRET_KEY"] = _local_secret(data_dir / "secret-key")
    if not config.get("METRICS_DIR"):
        config["METRICS_DIR"] = str(data_dir / "metrics")


# the umask of every process of the service (service.roles, `chibo`, docker/entrypoint.sh):
# what it writes (database, secret key, logs, documents, Redis' data) is its user's only
PRIVATE_UMASK = 0o077


def private_folder(path: Path) -> Path:
    """*path* as a folder only its owner can enter: made 0700 (parents too) or, when this
    user owns it already, closed to group and others (a DATA_DIR made before was 0755)."""
    missing = [folder for folder in (path, *path.parents) if not folder.exists()]
    for folder in reversed(missing):
        with contextlib.suppress(FileExistsError):  # a second process made it just now
            folder.mkdir(mode=0o700)
    info = path.stat()
    if info.st_uid == os.geteuid() and info.st_mode & 0o077:
        path.chmod(info.st_mode & 0o700)
    return path


def _local_secret(path: Path) -> str:
    """The secret kept in *path*, made (readable by its owner only) on first use."""
    private_folder(path.parent)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_hex(32))
    return path.read_text().strip()
