"""A real SMTP server on this machine (aiosmtpd) that keeps every message it receives."""

from __future__ import annotations

import email
import email.policy
import time
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller

from service.conversion.office import free_port


@dataclass
class Inbox:
    """The messages received, parsed; handler of aiosmtpd."""

    messages: list[EmailMessage] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        """The messages sent to *address*."""
        return [m for m in self.messages if address in m["X-Envelope-To"]]

    def wait_for(self, address: str, timeout: float = 30) -> EmailMessage:
        """The first message to *address*, waiting for it to arrive."""
        deadline = time.monotonic() + timeout
        while not self.to(address):
            if time.monotonic() > deadline:
                raise AssertionError(f"no message to {address}; received: {[m['To'] for m in self.messages]}")
            time.sleep(0.05)
        return self.to(address)[0]


class SmtpServer:
    """aiosmtpd listening on 127.0.0.1 (no TLS, no login: a local relay, ``SMTP_TLS=none``)."""

    def __init__(self) -> None:
        self.inbox = Inbox()
        self.port = free_port()
        self._controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)

    def start(self) -> SmtpServer:
        """Listen."""
        self._controller.start()
        return self

    def stop(self) -> None:
        """Stop listening."""
        self._controller.stop()

    def settings(self) -> dict[str, Any]:
        """The app's settings that send through this server."""
        return {
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": self.port,
            "SMTP_TLS": "none",
            "SMTP_USER": "",
            "SMTP_FROM": "Văn phòng Đảng ủy <vanphong@example.vn>",
        }
