"""LibreOffice out of reach of the other users of the machine, tried for real as one of them.

Runs as root (CI does): the worker's LibreOffice runs as OFFICE_USER, and the "attacker" is
``nobody``, switched to with setpriv, asking unoserver's XML-RPC port to convert the service's
secret key (``convert(inpath=…)``, the attack that worked before) from the machine's loopback
and, to test the user separation on its own, from inside LibreOffice's network namespace.
"""

from __future__ import annotations

import io
import json
import os
import pwd
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from docx import Document as WordDocument

from service.config import DEFAULTS, PROJECT_ROOT, from_env
from service.conversion.converter import UnoserverConverter
from service.conversion.office import OfficeProcess, default_unoserver_command, process_tree

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(os.geteuid() != 0, reason="needs root: LibreOffice runs as OFFICE_USER "
                       "only under a root worker, and the attacker is `nobody` (CI runs as root)"),
]

# what `nobody` runs: each attempt's outcome, as JSON on stdout
ATTACK = r"""
import json, socket, sys, xmlrpc.client
port, uno_port, sock, paths = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4:]
out = {}
for path in paths:
    try:
        with xmlrpc.client.ServerProxy(f"http://127.0.0.1:{port}", allow_none=True) as proxy:
            pdf = proxy.convert(path, None, None, "pdf")
        out[path] = "read " + pdf.data[:5].decode("latin-1")
    except xmlrpc.client.Fault as exc:
        out[path] = "refused by LibreOffice: " + exc.faultString[-120:]
    except OSError as exc:
        out[path] = "no connection: " + type(exc).__name__
for name, address in (("uno", ("127.0.0.1", uno_port)), ("socket", sock)):
    family = socket.AF_UNIX if name == "socket" else socket.AF_INET
    try:
        with socket.socket(family) as s:
            s.settimeout(5)
            s.connect(address)
        out[name] = "connected"
    except OSError as exc:
        out[name] = "no connection: " + type(exc).__name__
print(json.dumps(out))
"""


def _docx(text: str) -> bytes:
    document = WordDocument()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _attack(office: OfficeProcess, paths: list[str], *, in_its_network: bool) -> dict[str, str]:
    """Run ATTACK as nobody, from the machine's network or from LibreOffice's own."""
    line = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "/usr/bin/python3",
            "-I", "-c", ATTACK, str(office.port), str(office.uno_port), str(office.socket_path),
            *paths]
    if in_its_network and _own_network(office.pid):  # else its network is the machine's
        line = ["nsenter", f"--net=/proc/{office.pid}/ns/net", *line]
    done = subprocess.run(line, capture_output=True, text=True, timeout=120, cwd="/")
    assert done.returncode == 0, done.stderr
    return dict(json.loads(done.stdout))


def _own_network(pid: int) -> bool:
    return os.readlink(f"/proc/{pid}/ns/net") != os.readlink("/proc/self/ns/net")


@pytest.fixture(name="secret")
def _secret(tmp_path: Path) -> Path:
    """A DATA_DIR as the service makes it, with its secret key (0600, the worker's)."""
    data_dir = tmp_path / "var"
    from_env({"DATA_DIR": str(data_dir)})
    return data_dir / "secret-key"


@pytest.fixture(name="public_text")
def _public_text(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A text file everyone may read: what a conversion by path does when reading is allowed."""
    folder = Path(f"/tmp/chibo-public-{os.getpid()}-{time.monotonic_ns()}")
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    path = folder / "cong-khai.txt"
    path.write_text("Văn bản công khai\n")
    path.chmod(0o644)
    yield path
    path.unlink()
    folder.rmdir()


@pytest.fixture(name="office")
def _office(monkeypatch: pytest.MonkeyPatch) -> Iterator[OfficeProcess]:
    """The worker's LibreOffice, started by a process whose environment holds secrets."""
    monkeypatch.setenv("SECRET_KEY", "bi-mat-cua-dich-vu")
    office = OfficeProcess(default_unoserver_command())
    office.ensure_ready()
    yield office
    office.stop()


def test_libreoffice_runs_as_the_office_user_with_a_private_folder_and_no_secrets(office):
    """Every process is OFFICE_USER's, its folder 0700 and its own, its environment scrubbed."""
    account = pwd.getpwnam(DEFAULTS["OFFICE_USER"])
    tree = process_tree(office.pid)
    names = {(Path("/proc") / str(pid) / "comm").read_text().strip() for pid in tree}
    assert {"unoserver", "soffice.bin"} <= names
    assert {Path(f"/proc/{pid}").stat().st_uid for pid in tree} == {account.pw_uid}
    folder = office.socket_path.parent
    assert folder.stat().st_uid == account.pw_uid and folder.stat().st_mode & 0o777 == 0o700
    assert office.socket_path.stat().st_mode & 0o077 == 0
    for pid in tree:
        environ = Path(f"/proc/{pid}/environ").read_bytes()
        assert b"SECRET_KEY" not in environ and b"bi-mat" not in environ
    office.stop()
    assert not folder.exists()


def test_another_local_user_cannot_read_the_secret_key_through_the_converter(office, secret,
                                                                            public_text):
    """nobody's convert(inpath=secret-key or /etc/shadow) fails; from inside, a public file works."""
    paths = [str(secret), "/etc/shadow", str(public_text)]
    outside = _attack(office, paths, in_its_network=False)
    inside = _attack(office, paths, in_its_network=True)
    assert outside["socket"].startswith("no connection: PermissionError")
    if _own_network(office.pid):  # nothing of LibreOffice is reachable from the machine's loopback
        assert all(outside[key].startswith("no connection") for key in [*paths, "uno"]), outside
    # the user separation alone: even on its own port LibreOffice cannot read the service's files
    assert inside[str(public_text)] == "read %PDF-", inside  # the port works, inpath too
    assert inside[str(secret)].startswith("refused by LibreOffice"), inside
    assert inside["/etc/shadow"].startswith("refused by LibreOffice"), inside
    assert all(not v.startswith("read") for k, v in outside.items() if k != str(public_text))
    # and the worker still converts, through its socket
    pdf = UnoserverConverter(office).to_pdf(_docx("Chi bộ thôn Đông"))
    assert pdf.startswith(b"%PDF-")


def test_the_folder_and_processes_go_when_the_worker_is_killed():
    """kill -9 of the process that owns LibreOffice: its processes and private folder go."""
    code = ("from service.conversion.office import OfficeProcess, default_unoserver_command\n"
            "import time\no = OfficeProcess(default_unoserver_command()); o.ensure_ready()\n"
            "print(o.pid, o.socket_path.parent, flush=True); time.sleep(300)\n")
    owner = subprocess.Popen([sys.executable, "-c", code], cwd=PROJECT_ROOT, stdout=subprocess.PIPE,
                             text=True)
    try:
        pid, folder = owner.stdout.readline().split()
        assert Path(folder).is_dir()
        tree = process_tree(int(pid))
        owner.send_signal(signal.SIGKILL)
        owner.wait(timeout=10)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and (Path(folder).exists() or _alive(tree)):
            time.sleep(0.2)
        assert not Path(folder).exists() and not _alive(tree)
    finally:
        owner.kill()
        owner.wait()


def _alive(pids: list[int]) -> list[int]:
    """The *pids* still running (zombies are not)."""
    alive = []
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            alive.append(pid)
    return alive
