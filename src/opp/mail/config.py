"""Mail settings: `OPP_SMTP_URL`, `OPP_MAIL_FROM` (and `OPP_BASE_URL` for links).

    smtp://host:25                     plain SMTP (a local relay)
    smtp+starttls://user:pw@host:587   STARTTLS, then login
    smtps://user:pw@host:465           TLS from the first byte, then login

User and password are percent-decoded (write `%40` for an `@` in a user name). Without
`OPP_SMTP_URL` and `OPP_MAIL_FROM`, nothing is sent: messages wait in the outbox.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.headerregistry import Address
from email.utils import parseaddr
from typing import Literal
from urllib.parse import unquote, urlsplit

from opp import settings
from opp.errors import OppError

Security = Literal["plain", "starttls", "ssl"]
_SCHEMES: dict[str, tuple[Security, int]] = {
    "smtp": ("plain", 25),
    "smtp+starttls": ("starttls", 587),
    "smtps": ("ssl", 465),
}


@dataclass(frozen=True)
class MailConfig:
    host: str
    port: int
    security: Security
    username: str | None
    password: str | None
    sender: str  # the From header, e.g. "OPP <opp@example.org>"
    base_url: str
    timeout: float = 30.0

    def describe(self) -> str:
        """What an operator may see (never the password)."""
        who = f"{self.username}@" if self.username else ""
        return f"{self.security} {who}{self.host}:{self.port}, from {self.sender}"


def parse_smtp_url(url: str) -> tuple[str, int, Security, str | None, str | None]:
    """(host, port, security, user, password) from an SMTP URL, or a clear OppError."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise OppError("MAIL_URL_INVALID", value=_masked(url), reason=str(exc)) from None
    if parts.scheme not in _SCHEMES:
        raise OppError(
            "MAIL_URL_INVALID",
            value=_masked(url),
            reason=f"schéma « {parts.scheme} » / scheme '{parts.scheme}'",
        )
    if not parts.hostname:
        raise OppError("MAIL_URL_INVALID", value=_masked(url), reason="hôte manquant / no host")
    security, default_port = _SCHEMES[parts.scheme]
    user = unquote(parts.username) if parts.username else None
    password = unquote(parts.password) if parts.password else None
    return parts.hostname, port or default_port, security, user, password


def _masked(url: str) -> str:
    """The URL as it may be shown: the password replaced by ***."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return "?"
    if parts.password is None:
        return url.strip()[:200]
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return parts._replace(netloc=netloc).geturl()[:200]


def check_sender(value: str) -> str:
    name, address = parseaddr(value)
    if not address or "@" not in address:
        raise OppError("MAIL_FROM_INVALID", value=value[:120])
    try:
        Address(display_name=name, addr_spec=address)
    except (ValueError, IndexError):
        raise OppError("MAIL_FROM_INVALID", value=value[:120]) from None
    return value.strip()


def load() -> MailConfig | None:
    """The configured mail settings; None when mail is not configured (messages wait in
    the outbox); OppError when a setting is present but wrong."""
    url = settings.setting("OPP_SMTP_URL")
    sender = settings.setting("OPP_MAIL_FROM")
    if not url and not sender:
        return None
    if not url:
        raise OppError("MAIL_SETTING_MISSING", setting="OPP_SMTP_URL")
    if not sender:
        raise OppError("MAIL_SETTING_MISSING", setting="OPP_MAIL_FROM")
    host, port, security, user, password = parse_smtp_url(url)
    return MailConfig(
        host=host,
        port=port,
        security=security,
        username=user,
        password=password,
        sender=check_sender(sender),
        base_url=settings.base_url(),
    )


@dataclass(frozen=True)
class MailStatus:
    """Whether mail can leave, for pages and the CLI to say so."""

    state: Literal["configured", "missing", "invalid"]
    config: MailConfig | None = None
    error: OppError | None = None


def status() -> MailStatus:
    try:
        config = load()
    except OppError as err:
        return MailStatus("invalid", error=err)
    if config is None:
        return MailStatus("missing")
    return MailStatus("configured", config=config)
