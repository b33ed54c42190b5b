"""A real SMTP server for tests (aiosmtpd on a free local port), with modes that make it
refuse, defer, stall or require TLS and a login."""

from __future__ import annotations

import asyncio
import email
import email.policy
import socket
import ssl
import subprocess
import threading
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

USER, PASSWORD = "opp-mailer", "secret du relais"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage

    @property
    def outbox_id(self) -> str:
        return str(self.message["X-OPP-Outbox"])

    def text(self) -> str:
        part = self.message.get_body(("plain",))
        return part.get_content() if part else ""

    def html(self) -> str:
        part = self.message.get_body(("html",))
        return part.get_content() if part else ""


@dataclass
class Handler:
    """Records accepted messages. `mode`: "accept", "defer" (450 on RCPT), "reject" (550
    on RCPT), "reject_data" (554 after DATA), "slow" (waits `delay` before accepting)."""

    mode: str = "accept"
    delay: float = 0.0
    received: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if self.mode == "defer":
            return "450 4.2.0 Mailbox busy, try later"
        if self.mode == "reject":
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        if self.mode == "reject_data":
            return "554 5.6.0 Message refused"
        if self.mode == "slow":
            await asyncio.sleep(self.delay)
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), parsed))
        return "250 Message accepted for delivery"


def _authenticator(server, session, envelope, mechanism, auth_data) -> AuthResult:
    if (
        isinstance(auth_data, LoginPassword)
        and auth_data.login.decode() == USER
        and auth_data.password.decode() == PASSWORD
    ):
        return AuthResult(success=True)
    return AuthResult(success=False, handled=False)


class MailServer:
    """`security`: "plain", "starttls" (STARTTLS required, then login) or "ssl" (TLS from
    the first byte, then login)."""

    def __init__(self, security: str = "plain", cert: tuple[Path, Path] | None = None) -> None:
        self.handler = Handler()
        self.port = free_port()
        self.security = security
        kwargs: dict[str, Any] = {}
        if security != "plain":
            assert cert is not None
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(str(cert[0]), str(cert[1]))
            kwargs |= {"authenticator": _authenticator, "auth_require_tls": True}
            if security == "starttls":
                kwargs |= {"tls_context": context, "require_starttls": True}
            else:
                # TLS from the first byte: aiosmtpd only knows about STARTTLS, so it must
                # be told that AUTH is allowed (the connection is encrypted all the same).
                kwargs |= {"ssl_context": context, "auth_require_tls": False}
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port, **kwargs)

    def start(self) -> MailServer:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()

    @property
    def received(self) -> list[Received]:
        with self.handler.lock:
            return list(self.handler.received)

    def url(self) -> str:
        scheme = {"plain": "smtp", "starttls": "smtp+starttls", "ssl": "smtps"}[self.security]
        login = f"{USER}:{PASSWORD.replace(' ', '%20')}@" if self.security != "plain" else ""
        return f"{scheme}://{login}127.0.0.1:{self.port}"


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 made with the openssl command (Debian's openssl)."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )
    return cert, key
