"""A real SMTP server for the tests (aiosmtpd on 127.0.0.1): what the site sends, as a mail
server receives it. Used by the partners' e-mail tests and the public's alert tests."""

from __future__ import annotations

import email
import email.policy
import socket
from email.message import Message

from aiosmtpd.controller import Controller


class Sink:
    """An aiosmtpd handler that keeps what it receives."""

    def __init__(self) -> None:
        self.received: list[tuple[list[str], str]] = []

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        self.received.append((list(envelope.rcpt_tos), envelope.content.decode()))
        return "250 OK"

    def messages(self, to: str | None = None) -> list[Message]:
        """The messages received (for one recipient), parsed (headers unfolded; a long header
        folded before its first word reads with a leading space, which mail clients drop)."""
        return [
            email.message_from_string(text, policy=email.policy.default)
            for tos, text in self.received
            if to is None or to in tos
        ]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def smtp_settings(port: int) -> dict[str, object]:
    """The settings that send the site's e-mail to the test server on this port."""
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": port,
        "EMAIL_TIMEOUT": 5,
    }


def start_server(sink: Sink, port: int) -> Controller:
    """Start the server (stop it with .stop())."""
    server = Controller(sink, hostname="127.0.0.1", port=port)
    server.start()
    return server
