"""Delivery through an SMTP server with the standard library (`smtplib`, `ssl`).

Each message goes through MAIL, RCPT and DATA one step at a time so that the outcome is
known precisely: a refusal or a dropped connection before DATA means "not delivered"
(retry on 4xx and network errors, fail on 5xx); a connection lost *during* DATA means
"unknown" — the server may have accepted it — and such a message is never sent again
automatically (at-most-once).
"""

from __future__ import annotations

import contextlib
import smtplib
import ssl
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.utils import parseaddr
from enum import StrEnum
from types import TracebackType

from opp.mail.config import MailConfig


class Outcome(StrEnum):
    SENT = "sent"
    RETRY = "retry"  # certainly not delivered, worth trying again later
    FAILED = "failed"  # certainly not delivered, trying again will not help
    UNKNOWN = "unknown"  # the server may or may not have accepted it
    CANCELLED = "cancelled"  # not sent: pointless by now (e.g. the account was activated)


@dataclass(frozen=True)
class Result:
    outcome: Outcome
    error: str = ""


def _describe(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        text = exc.smtp_error
        if isinstance(text, bytes):
            text = text.decode("utf-8", "replace")
        return f"{exc.smtp_code} {text}".strip()[:300]
    return f"{type(exc).__name__}: {exc}"[:300]


def _by_code(code: int, text: str) -> Result:
    return Result(Outcome.FAILED if 500 <= code < 600 else Outcome.RETRY, text)


class ConnectionFailed(Exception):
    """The server could not be reached or refused the session (before any message)."""

    def __init__(self, result: Result) -> None:
        super().__init__(result.error)
        self.result = result


class Session:
    """One SMTP session for a batch of messages (connect, TLS, login on entry)."""

    def __init__(self, config: MailConfig) -> None:
        self.config = config
        self.smtp: smtplib.SMTP | None = None

    def __enter__(self) -> Session:
        config = self.config
        try:
            if config.security == "ssl":
                self.smtp = smtplib.SMTP_SSL(
                    config.host,
                    config.port,
                    timeout=config.timeout,
                    context=ssl.create_default_context(),
                )
            else:
                self.smtp = smtplib.SMTP(config.host, config.port, timeout=config.timeout)
            self.smtp.ehlo()
            if config.security == "starttls":
                self.smtp.starttls(context=ssl.create_default_context())
                self.smtp.ehlo()
            if config.username:
                self.smtp.login(config.username, config.password or "")
        except smtplib.SMTPResponseException as exc:
            self._drop()
            # A 5xx greeting or a refused login is about the server or the settings, not
            # the message: the message waits (with backoff) until the operator fixes it.
            raise ConnectionFailed(Result(Outcome.RETRY, _describe(exc))) from None
        except (OSError, smtplib.SMTPException) as exc:
            self._drop()
            raise ConnectionFailed(Result(Outcome.RETRY, _describe(exc))) from None
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (OSError, smtplib.SMTPException):
                self._drop()
        self.smtp = None

    def _drop(self) -> None:
        if self.smtp is not None:
            with contextlib.suppress(OSError):
                self.smtp.close()
        self.smtp = None

    @property
    def alive(self) -> bool:
        return self.smtp is not None

    def send(self, message: EmailMessage) -> Result:
        """Send one message on this session and say what became of it."""
        smtp = self.smtp
        if smtp is None:
            return Result(Outcome.RETRY, "connexion SMTP perdue / SMTP connection lost")
        envelope_from = parseaddr(self.config.sender)[1]
        recipient = parseaddr(str(message["To"]))[1]
        options: list[str] = []
        if not (envelope_from + recipient).isascii():
            if not smtp.has_extn("smtputf8"):
                return Result(Outcome.FAILED, "adresse non ASCII sans SMTPUTF8 / non-ASCII address")
            options = ["SMTPUTF8", "BODY=8BITMIME"]
        data = message.as_bytes(policy=policy.SMTPUTF8 if options else policy.SMTP)
        # Before DATA: whatever happens, the server did not take the message.
        try:
            code, text = smtp.mail(envelope_from, options)
            if code != 250:
                self._reset()
                return _by_code(code, f"MAIL FROM: {code} {text!r}")
            code, text = smtp.rcpt(recipient)
            if code not in (250, 251):
                self._reset()
                return _by_code(code, f"RCPT TO: {code} {text!r}")
        except (OSError, smtplib.SMTPException) as exc:
            self._drop()
            return Result(Outcome.RETRY, _describe(exc))
        # DATA: a refusal is certain; a lost connection leaves the outcome unknown.
        try:
            code, text = smtp.data(data)
        except smtplib.SMTPDataError as exc:  # the server refused DATA before the content
            self._reset()
            return _by_code(exc.smtp_code, _describe(exc))
        except (OSError, smtplib.SMTPException) as exc:
            self._drop()
            return Result(Outcome.UNKNOWN, _describe(exc))
        if code != 250:
            self._reset()
            return _by_code(code, f"DATA: {code} {text!r}")
        return Result(Outcome.SENT)

    def _reset(self) -> None:
        try:
            if self.smtp is not None:
                self.smtp.rset()
        except (OSError, smtplib.SMTPException):
            self._drop()
