"""XML-RPC to a unoserver through the Unix socket its launcher (``sandbox.py``) listens on.

unoserver itself only speaks TCP; its launcher relays a Unix socket in LibreOffice's private
folder to unoserver's port inside LibreOffice's own network, so only the worker (and root)
can reach it.
"""

from __future__ import annotations

import http.client
import socket
import xmlrpc.client
from pathlib import Path
from typing import Any


class _UnixConnection(http.client.HTTPConnection):
    """HTTP over the Unix socket ``sandbox.py`` listens on."""

    def __init__(self, path: str, timeout: float | None) -> None:
        super().__init__("localhost", timeout=timeout)
        self.socket_path = path

    def connect(self) -> None:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(self.timeout)
        try:
            sock.connect(self.socket_path)
        except OSError:
            sock.close()
            raise
        self.sock = sock


class _UnixTransport(xmlrpc.client.Transport):
    """XML-RPC to one Unix socket, whatever host the URL names."""

    def __init__(self, path: str, timeout: float | None) -> None:
        super().__init__()
        self.socket_path, self.timeout = path, timeout

    def make_connection(self, host: Any) -> http.client.HTTPConnection:
        self.close()
        connection = _UnixConnection(self.socket_path, self.timeout)
        self._connection = host, connection
        return connection


def rpc_proxy(socket_path: Path, timeout: float | None = None) -> xmlrpc.client.ServerProxy:
    """unoserver's XML-RPC server behind *socket_path* (no timeout: conversions take long)."""
    return xmlrpc.client.ServerProxy("http://office/RPC2", allow_none=True,
                                     transport=_UnixTransport(str(socket_path), timeout))


def answers(socket_path: Path) -> bool:
    """True when unoserver behind *socket_path* answers ``info()``."""
    try:
        with rpc_proxy(socket_path, timeout=10) as proxy:
            proxy.info()
    except (OSError, xmlrpc.client.Error, http.client.HTTPException):
        return False
    return True
