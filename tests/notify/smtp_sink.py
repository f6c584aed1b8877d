"""A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps what it receives, for tests."""

from __future__ import annotations

import time
from dataclasses import dataclass
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import default
from typing import Any

from aiosmtpd.controller import Controller


@dataclass(frozen=True)
class Received:
    """One message as the server got it."""

    sender: str
    recipients: list[str]
    message: EmailMessage


class Inbox:
    """aiosmtpd handler: parses and keeps every message; can refuse recipients."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        self.refuse: set[str] = set()

    async def handle_RCPT(  # aiosmtpd names its hooks after SMTP commands
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        if address in self.refuse:
            return "550 5.1.1 no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = BytesParser(policy=default).parsebytes(envelope.content)
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


class _Controller(Controller):
    def _trigger_server(self) -> None:
        # aiosmtpd 1.4 checks the server by connecting to self.port: with port 0 that must
        # become the port the system chose.
        if self.port == 0 and self.server is not None:
            self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


class SmtpSink:
    """Start, stop and restart (on the same port) an SMTP server that records messages."""

    def __init__(self) -> None:
        self.inbox = Inbox()
        self.port = 0
        self._controller: _Controller | None = None

    def start(self) -> SmtpSink:
        """Listen on 127.0.0.1 (the same port as before after a stop)."""
        self._controller = _Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self._controller.start()
        self.port = self._controller.port
        return self

    def stop(self) -> None:
        """Stop listening; connections are refused until :meth:`start`."""
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    @property
    def messages(self) -> list[EmailMessage]:
        """Every message received so far."""
        return [r.message for r in self.inbox.received]

    def wait_for(self, count: int, timeout: float) -> bool:
        """Poll until ``count`` messages arrived or ``timeout`` seconds passed."""
        deadline = time.monotonic() + timeout
        while len(self.inbox.received) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return len(self.inbox.received) >= count
