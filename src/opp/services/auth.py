"""Local accounts: sign-in with progressive delays, sessions, links, passwords.

Passwords are hashed with argon2 (argon2-cffi). Invitation and reset links carry a random
token minted when the mail that carries it is sent (`mint_link`); only its SHA-256 is
stored, it expires and can be used once. Links reach people only by mail, at the
account's own address — never another person's screen. Sign-in limits live in
`opp.access.throttle`; what is typed in the e-mail field is stored as the account's id
or a keyed hash, never in clear. Every sign-in, failure, link and password change is
written to the audit log. Demo accounts only work on the demo database.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
import uuid
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from opp import clock, settings
from opp.access import throttle
from opp.access.viewer import Role, Viewer
from opp.errors import OppError
from opp.i18n import language as i18n_language
from opp.mail import queue
from opp.store import accounts, audit, bulk, outbox
from opp.store.db import Cursor, Store
from opp.store.records import Account, AccountStatus, Token, TokenKind

MIN_PASSWORD = 12
SESSION_TIMEOUT = dt.timedelta(minutes=30)
INVITATION_VALIDITY = dt.timedelta(days=14)
RESET_VALIDITY = dt.timedelta(days=2)
RESET_INTERVAL = dt.timedelta(minutes=5)  # at most one reset mail per account meanwhile
ALERT_INTERVAL = dt.timedelta(hours=1)  # at most one sign-in alert per account meanwhile
EMAIL_RE = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,255}\.[^@\s]{2,63}$")
ANONYMOUS = Viewer(role=Role.CONTRIBUTEUR, account_id="anonyme")

_hasher = PasswordHasher()
# A fixed hash to verify against when the account does not exist: same cost either way.
_DUMMY = _hasher.hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def viewer_of(account: Account) -> Viewer:
    return Viewer(
        role=Role(account.role),
        account_id=account.id,
        organisation_id=account.organisation_id,
        filiere=account.filiere,
        name=account.display_name,
    )


def check_password(password: str, confirmation: str | None = None) -> None:
    if confirmation is not None and password != confirmation:
        raise OppError("PASSWORD_MISMATCH")
    if len(password) < MIN_PASSWORD:
        raise OppError("PASSWORD_WEAK", min=MIN_PASSWORD)


def check_email(email: str) -> str:
    email = (email or "").strip().lower()
    if not EMAIL_RE.match(email):
        raise OppError("EMAIL_INVALID", value=email[:80])
    return email


# --- sign-in ------------------------------------------------------------------------------


def _secret(store: Store) -> bytes:
    """The key of the keyed hash: `OPP_SECRET_KEY`, else a random key kept in the store."""
    configured = settings.setting("OPP_SECRET_KEY")
    if configured:
        return configured.encode()
    key = bulk.get_meta(store, "login_hash_key")
    if key is None:
        bulk.add_meta(store, "login_hash_key", secrets.token_hex(32))
        key = bulk.get_meta(store, "login_hash_key") or ""
    return key.encode()


def attempt_key(store: Store, typed: str, account: Account | None) -> str:
    """How the attempt is recorded: the account's id, or a keyed hash of what was typed."""
    if account is not None:
        return f"a:{account.id}"
    return throttle.keyed_hash(_secret(store), typed)


def _attempts(rows: list[tuple]) -> list[throttle.Attempt]:
    return [throttle.Attempt(*row) for row in rows]


def sign_in(store: Store, email: str, password: str, *, client: str = "inconnu") -> Viewer:
    """Check credentials and limits; returns the viewer or raises a clear OppError."""
    typed = (email or "").strip().lower()[:320]
    now = clock.now()
    account = accounts.by_email(store, typed) if typed and EMAIL_RE.match(typed) else None
    key = attempt_key(store, typed, account)
    since = now - throttle.WINDOW
    wait = throttle.seconds_to_wait(
        now=now,
        account_attempts=_attempts(accounts.attempts_since(store, since, account_key=key)),
        client_attempts=_attempts(accounts.attempts_since(store, since, client_key=client)),
        client=client,
        known_client=accounts.succeeded_from(store, key, client, now - throttle.KNOWN_CLIENT),
    )
    if wait > 0:
        _audit_failure(store, account, "delayed")
        raise OppError("AUTH_DELAYED", seconds=wait)
    try:
        _hasher.verify(
            account.password_hash if account and account.password_hash else _DUMMY, password or ""
        )
        valid = account is not None and account.password_hash is not None
    except (VerificationError, InvalidHashError):
        valid = False
    if not valid or account is None:
        accounts.record_attempt(store, key, client, False)
        _audit_failure(store, account, "bad_credentials")
        if account is not None:
            _maybe_alert(store, account, key)
        raise OppError("AUTH_FAILED")
    if account.status == "disabled":
        accounts.record_attempt(store, key, client, False)
        _audit_failure(store, account, "disabled")
        raise OppError("AUTH_DISABLED")
    if account.demo and bulk.get_meta(store, "demo") != "true":
        _audit_failure(store, account, "demo_off")
        raise OppError("AUTH_DEMO_OFF")
    accounts.record_attempt(store, key, client, True)
    viewer = viewer_of(account)
    _record_login(store, viewer, account.id, "password")
    return viewer


def _maybe_alert(store: Store, account: Account, key: str) -> None:
    """Tell the owner when delays start on their account (once an hour at most)."""
    now = clock.now()
    failures = throttle.account_failures(
        _attempts(accounts.attempts_since(store, now - throttle.WINDOW, account_key=key)), now=now
    )
    if len(failures) != throttle.FREE_ACCOUNT_FAILURES:
        return
    if outbox.sent_recently(
        store, kind="signin_alert", account_id=account.id, since=now - ALERT_INTERVAL
    ):
        return
    with store.transaction() as cur:
        queue.to_account(
            cur,
            account,
            "signin_alert",
            {"count": len(failures)},
            created_by="system",
            path="signin",
        )


def sign_in_sso(store: Store, email: str, *, email_verified: bool = False) -> Viewer:
    """Single sign-on: the identity provider vouched for `email` — only if it says the
    address was verified — and it must belong to an OPP account."""
    if not email_verified:
        _audit_failure(store, None, "sso_unverified")
        raise OppError("AUTH_SSO_UNVERIFIED")
    account = accounts.by_email(store, (email or "").strip().lower())
    if account is None:
        _audit_failure(store, None, "sso_unknown")
        raise OppError("AUTH_SSO_UNKNOWN", value=(email or "")[:80])
    if account.status in ("disabled", "pending"):
        # invited accounts may sign in this way: the provider vouches for the address
        _audit_failure(store, account, account.status)
        raise OppError("AUTH_DISABLED" if account.status == "disabled" else "AUTH_NOT_ACTIVATED")
    viewer = viewer_of(account)
    _record_login(store, viewer, account.id, "sso")
    return viewer


def _record_login(store: Store, viewer: Viewer, account_id: str, method: str) -> None:
    """Time of sign-in and audit line; the same account signing in from several places
    at once (a shared coordination account at a meeting) must not fail on the row's
    write conflict, so this bookkeeping is retried."""

    def record(cur: Cursor) -> None:
        accounts.touch_login(cur, account_id)
        audit.record(cur, viewer, "auth.login", "account", account_id, {"method": method})

    store.retrying(record)


def _audit_failure(store: Store, account: Account | None, reason: str) -> None:
    """A failed sign-in: the account's id when the address was an account's, else
    "inconnu" — never what was typed (it may be a password)."""

    def record(cur: Cursor) -> None:
        target = account.id if account else "inconnu"
        audit.record(cur, ANONYMOUS, "auth.failure", "account", target, {"reason": reason})

    store.retrying(record)


def sign_out(store: Store, viewer: Viewer) -> None:
    with store.transaction() as cur:
        audit.record(cur, viewer, "auth.logout", "account", viewer.account_id)


# --- sessions -----------------------------------------------------------------------------


@dataclass
class Session:
    """What the app keeps between requests for a signed-in user. `epoch` is the account's
    session epoch at sign-in: a password change or a disabled account increments it in
    the store, which ends every session started before (a rule kept in the store, so it
    holds wherever sessions are kept)."""

    viewer: Viewer
    last_seen: dt.datetime
    epoch: int = 0
    # The browser session row behind it (`opp.services.web_session`), None for a session
    # kept only in the tab's memory (page tests).
    web_id: str | None = None

    def expired(self, now: dt.datetime | None = None) -> bool:
        return (now or clock.now()) - self.last_seen > SESSION_TIMEOUT

    def touch(self) -> None:
        self.last_seen = clock.now()


def start_session(store: Store, viewer: Viewer) -> Session:
    account = accounts.by_id(store, viewer.account_id or "")
    return Session(
        viewer=viewer, last_seen=clock.now(), epoch=account.session_epoch if account else 0
    )


def check_session(store: Store, session: Session) -> Viewer:
    """The session's viewer, refreshed from its account (one point lookup per request);
    OppError SESSION_ENDED when the account is gone, disabled, or its password changed."""
    found = accounts.session_state(store, session.viewer.account_id or "")
    if found is None or not found[1]:
        raise OppError("SESSION_ENDED_GONE")
    account = found[0]
    if account.status == "disabled":
        raise OppError("SESSION_ENDED_DISABLED")
    if account.session_epoch != session.epoch:
        raise OppError("SESSION_ENDED_CHANGED")
    if account.demo and bulk.get_meta(store, "demo") != "true":
        raise OppError("SESSION_ENDED_GONE")
    viewer = viewer_of(account)
    if viewer != session.viewer:
        session.viewer = viewer  # role, scope or name changed: the new ones apply now
    return viewer


# --- links --------------------------------------------------------------------------------


def mint_token(
    store: Store, account_id: str, kind: TokenKind, *, created_by: str = "mail"
) -> tuple[str, dt.datetime]:
    """A new single-use token for `account_id` (a new reset link revokes older ones);
    returns the token — to be put in a mail at once, never stored — and its expiry."""
    token = secrets.token_urlsafe(32)
    expires = clock.now() + (INVITATION_VALIDITY if kind == "invitation" else RESET_VALIDITY)
    record = Token(
        token_hash=_hash_token(token),
        kind=kind,
        account_id=account_id,
        created_by=created_by,
        created_at=clock.now(),
        expires_at=expires,
    )

    def write(cur: Cursor) -> None:
        if kind == "reset":
            accounts.revoke_tokens(cur, account_id, "reset")
        accounts.insert_token(cur, record)

    store.retrying(write)
    return token, expires


def mint_link(store: Store, account_id: str, kind: TokenKind, base_url: str) -> str:
    """The link a mail carries (called by the sender, when the mail leaves)."""
    token, _ = mint_token(store, account_id, kind)
    parameter = "invitation" if kind == "invitation" else "reinitialisation"
    return f"{base_url}/connexion?{parameter}={token}"


def request_reset(store: Store, email: str) -> None:
    """ "Forgot your password?": a reset mail to the account's own address if there is
    such an account — the visitor is told the same thing either way."""
    try:
        address = check_email(email)
    except OppError:
        return
    account = accounts.by_email(store, address)
    if account is None or account.status in ("disabled", "pending") or account.demo:
        return
    queue_reset(store, ANONYMOUS, account, quiet=True)


def queue_reset(
    store: Store, viewer: Viewer, account: Account, *, quiet: bool = False
) -> int | None:
    """Queue a reset mail (an invitation mail again for an account never activated);
    at most one per account every few minutes."""
    invited = account.status == "invited"
    kind = "account_invitation" if invited else "password_reset"
    if outbox.sent_recently(
        store, kind=kind, account_id=account.id, since=clock.now() - RESET_INTERVAL
    ):
        if quiet:
            return None
        raise OppError("RESET_TOO_SOON", minutes=int(RESET_INTERVAL.total_seconds() // 60))
    with store.transaction() as cur:
        if invited:
            from opp.services.membership import invitation_params

            message = queue.to_account(
                cur,
                account,
                "account_invitation",
                invitation_params(store, viewer, account),
                created_by=viewer.actor,
                link_kind="invitation",
            )
        else:
            message = queue.to_account(
                cur,
                account,
                "password_reset",
                {"hours": int(RESET_VALIDITY.total_seconds() // 3600)},
                created_by=viewer.actor,
                link_kind="reset",
            )
        audit.record(
            cur,
            viewer,
            "account.invitation_resent" if invited else "account.reset_sent",
            "account",
            account.id,
        )
    return message


def peek(store: Store, token: str, kind: str) -> Account:
    """The account a still-valid link belongs to (to greet the person before they set a
    password); raises TOKEN_INVALID / TOKEN_EXPIRED."""
    found = accounts.token(store, _hash_token(token or ""))
    if found is None or found.kind != kind or found.used_at is not None:
        raise OppError("TOKEN_INVALID")
    if found.expires_at < clock.now():
        raise OppError("TOKEN_EXPIRED", date=found.expires_at.strftime("%d/%m/%Y"))
    account = accounts.by_id(store, found.account_id)
    if account is None or account.status in ("disabled", "pending"):
        raise OppError("TOKEN_INVALID")
    return account


def set_password_with_token(
    store: Store, token: str, kind: str, password: str, confirmation: str, *, language: str = ""
) -> Session:
    """Accept an invitation or a reset: choose the password, use the token, sign in.
    Every other session of the account ends and every other link it had is revoked."""
    account = peek(store, token, kind)
    check_password(password, confirmation)
    viewer = viewer_of(account)
    digest = hash_password(password)
    with store.transaction() as cur:
        if not accounts.use_token(cur, _hash_token(token)):
            raise OppError("TOKEN_INVALID")
        accounts.set_password(cur, account.id, digest)
        accounts.revoke_all_tokens(cur, account.id)
        epoch = accounts.bump_epoch(cur, account.id)
        accounts.touch_login(cur, account.id)
        if language and kind == "invitation":
            accounts.set_language(cur, account.id, language)
        action = "account.activated" if kind == "invitation" else "account.password_reset"
        audit.record(cur, viewer, action, "account", account.id)
    return Session(viewer=viewer, last_seen=clock.now(), epoch=epoch)


def change_password(store: Store, viewer: Viewer, current: str, new: str, confirm: str) -> int:
    """Change one's password: other sessions end, outstanding links are revoked. Returns
    the new session epoch (the session that changed it stays signed in)."""
    account = accounts.by_id(store, viewer.account_id or "")
    if account is None or not account.password_hash:
        raise OppError("AUTH_FAILED")
    try:
        _hasher.verify(account.password_hash, current or "")
    except (VerificationError, InvalidHashError):
        raise OppError("AUTH_FAILED") from None
    check_password(new, confirm)
    with store.transaction() as cur:
        accounts.set_password(cur, account.id, hash_password(new))
        accounts.revoke_all_tokens(cur, account.id)
        epoch = accounts.bump_epoch(cur, account.id)
        audit.record(cur, viewer, "account.password_changed", "account", account.id)
    return epoch


def set_language(store: Store, viewer: Viewer, language: str) -> None:
    """The language of the mails one receives."""
    if viewer.account_id is None:
        return
    with store.transaction() as cur:
        accounts.set_language(cur, viewer.account_id, language)


def new_account(
    *,
    email: str,
    display_name: str,
    role: Role,
    organisation_id: str | None,
    filiere: str | None,
    status: AccountStatus,
    language: str,
) -> Account:
    return Account(
        id=uuid.uuid4().hex,
        email=email,
        display_name=display_name,
        role=role.value,
        organisation_id=organisation_id,
        filiere=filiere,
        password_hash=None,
        status=status,
        created_at=clock.now(),
        language=i18n_language(language),
    )
