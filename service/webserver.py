"""gunicorn's thread worker, with connections that send nothing waiting in its poller, not a thread.

gunicorn's own ``gthread`` (27.x) hands every accepted connection to a thread, which waits up to
5 s for its first bytes before giving it back to the poller: 200 idle connections kept the 16
threads of two processes waiting in turn and normal requests took 17–48 s (issue #31, point 6).
Here a new connection goes straight to the poller (as one kept alive between requests does) and
reaches a thread only once its first bytes arrived; it is closed after ``keepalive`` seconds of
silence. A connection that sent part of a request and stalls holds one thread for at most
``READ_SECONDS`` per read, then is closed.

The roles run it as ``--worker-class service.webserver.IdleSafeWorker`` (``service.roles``).
"""

from __future__ import annotations

import errno
import selectors
import socket
import time
from functools import partial
from typing import Any

from gunicorn.workers.gthread import TConn, ThreadWorker  # type: ignore[import-untyped]

READ_SECONDS = 20.0  # one read or write of a connection that started a request, at most


class BoundedSocket(socket.socket):
    """A client socket whose blocking mode waits at most ``READ_SECONDS`` per call."""

    __slots__ = ()

    def setblocking(self, flag: bool) -> None:
        """Blocking means "with a timeout" here: a stalled client frees its thread."""
        if flag:
            self.settimeout(READ_SECONDS)
        else:
            super().setblocking(False)


def bounded(client: socket.socket) -> BoundedSocket:
    """*client* as a ``BoundedSocket`` (the same connection; *client* is detached)."""
    return BoundedSocket(client.family, client.type, client.proto, fileno=client.detach())


class IdleSafeWorker(ThreadWorker):  # type: ignore[misc]  # gunicorn has no type hints
    """``gthread`` whose new connections wait for their first bytes in the poller."""

    def accept(self, listener: socket.socket) -> None:
        """Accept one connection and let the poller wait for its request."""
        try:
            client, address = listener.accept()
        except OSError as exc:
            if exc.errno not in (errno.EAGAIN, errno.ECONNABORTED, errno.EWOULDBLOCK):
                raise
            return
        self.nr_conns += 1
        conn: Any = TConn(self.cfg, bounded(client), address, listener.getsockname())
        # the same deadline as the connections gunicorn defers itself, so the queue it closes
        # them from stays in order
        conn.timeout = time.monotonic() + self.cfg.keepalive
        self.pending_conns.append(conn)
        self.poller.register(conn.sock, selectors.EVENT_READ,
                             partial(self.on_pending_socket_readable, conn))
