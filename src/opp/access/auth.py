"""Local accounts: sign-in with rate limiting, invitations, password resets, sessions.

Passwords are hashed with argon2 (argon2-cffi). Invitation and reset links carry a random
token; only its SHA-256 is stored, it expires and can be used once. Failed sign-ins are
limited per account and per client. Demo accounts only work on the demo database.
Every sign-in, failure, invitation and reset is written to the audit log.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
import uuid
from dataclasses import dataclass

import duckdb
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from opp import clock
from opp.access.policy import forbidden
from opp.access.viewer import Role, Viewer
from opp.errors import OppError
from opp.store import accounts, audit, bulk
from opp.store import organisations as org_store
from opp.store.db import Store
from opp.store.records import Account, Token

MIN_PASSWORD = 12
SESSION_TIMEOUT = dt.timedelta(minutes=30)
INVITATION_VALIDITY = dt.timedelta(days=14)
RESET_VALIDITY = dt.timedelta(days=2)
LOCK_WINDOW = dt.timedelta(minutes=15)
MAX_ACCOUNT_FAILURES = 5
MAX_CLIENT_FAILURES = 20
EMAIL_RE = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,255}\.[^@\s]{2,63}$")

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


def sign_in(store: Store, email: str, password: str, *, client: str = "inconnu") -> Viewer:
    """Check credentials and limits; returns the viewer or raises a clear OppError."""
    email_key = (email or "").strip().lower()[:320]
    since = clock.now() - LOCK_WINDOW
    if (
        accounts.failures_since(store, since, account_key=email_key) >= MAX_ACCOUNT_FAILURES
        or accounts.failures_since(store, since, client_key=client) >= MAX_CLIENT_FAILURES
    ):
        _audit_failure(store, email_key, "locked")
        raise OppError("AUTH_LOCKED", minutes=int(LOCK_WINDOW.total_seconds() // 60))
    account = accounts.by_email(store, email_key) if email_key else None
    try:
        _hasher.verify(
            account.password_hash if account and account.password_hash else _DUMMY, password or ""
        )
        valid = account is not None and account.password_hash is not None
    except (VerificationError, InvalidHashError):
        valid = False
    if not valid or account is None:
        accounts.record_attempt(store, email_key, client, False)
        _audit_failure(store, email_key, "bad_credentials")
        raise OppError("AUTH_FAILED")
    if account.status == "disabled":
        accounts.record_attempt(store, email_key, client, False)
        _audit_failure(store, email_key, "disabled")
        raise OppError("AUTH_DISABLED")
    if account.demo and bulk.get_meta(store, "demo") != "true":
        _audit_failure(store, email_key, "demo_off")
        raise OppError("AUTH_DEMO_OFF")
    accounts.record_attempt(store, email_key, client, True)
    viewer = viewer_of(account)
    _record_login(store, viewer, account.id, "password")
    return viewer


def sign_in_sso(store: Store, email: str) -> Viewer:
    """Single sign-on: the identity provider vouched for `email`; it must have an account."""
    account = accounts.by_email(store, (email or "").strip().lower())
    if account is None:
        _audit_failure(store, email, "sso_unknown")
        raise OppError("AUTH_SSO_UNKNOWN", value=(email or "")[:80])
    if account.status == "disabled":
        raise OppError("AUTH_DISABLED")
    viewer = viewer_of(account)
    _record_login(store, viewer, account.id, "sso")
    return viewer


def _record_login(store: Store, viewer: Viewer, account_id: str, method: str) -> None:
    """Time of sign-in and audit line; the same account signing in from several places
    at once (a shared coordination account at a meeting) must not fail on the row's
    write conflict, so this bookkeeping is retried."""

    def record(cur: duckdb.DuckDBPyConnection) -> None:
        accounts.touch_login(cur, account_id)
        audit.record(cur, viewer, "auth.login", "account", account_id, {"method": method})

    store.retrying(record)


def _audit_failure(store: Store, email: str, reason: str) -> None:
    anonymous = Viewer(role=Role.CONTRIBUTEUR, account_id="anonyme")
    with store.transaction() as cur:
        audit.record(cur, anonymous, "auth.failure", "account", email[:320], {"reason": reason})


def sign_out(store: Store, viewer: Viewer) -> None:
    with store.transaction() as cur:
        audit.record(cur, viewer, "auth.logout", "account", viewer.account_id)


@dataclass
class Session:
    """What the app keeps between requests for a signed-in user."""

    viewer: Viewer
    last_seen: dt.datetime

    def expired(self, now: dt.datetime | None = None) -> bool:
        return (now or clock.now()) - self.last_seen > SESSION_TIMEOUT

    def touch(self) -> None:
        self.last_seen = clock.now()


# --- invitations and resets ---------------------------------------------------------------


@dataclass(frozen=True)
class Link:
    account: Account
    token: str  # shown once to the person who created it; never stored in clear
    expires_at: dt.datetime


def invite(
    store: Store,
    viewer: Viewer,
    *,
    email: str,
    display_name: str,
    role: Role = Role.CONTRIBUTEUR,
    organisation_id: str | None = None,
    filiere: str | None = None,
) -> Link:
    """Create an account awaiting its first sign-in and a single-use invitation token.

    Coordinators invite contributors of organisations in their filière; administrators
    invite anyone.
    """
    email = check_email(email)
    display_name = (display_name or "").strip()[:120] or email
    if viewer.role is Role.COORDINATEUR:
        if role is not Role.CONTRIBUTEUR or organisation_id is None:
            raise forbidden(viewer, "invite")
        org = org_store.get(store, viewer, organisation_id)  # refuses other filières
        filiere = viewer.filiere if viewer.filiere in org.filieres else None
        if filiere is None:
            raise forbidden(viewer, "invite")
    elif viewer.role is not Role.ADMIN:
        raise forbidden(viewer, "invite")
    if role is Role.CONTRIBUTEUR and organisation_id is not None and filiere is None:
        org = org_store.get(store, viewer, organisation_id)
        filiere = org.filieres[0] if org.filieres else None
    account = Account(
        id=uuid.uuid4().hex,
        email=email,
        display_name=display_name,
        role=role.value,
        organisation_id=organisation_id,
        filiere=filiere,
        password_hash=None,
        status="invited",
        created_at=clock.now(),
    )
    token = secrets.token_urlsafe(32)
    expires = clock.now() + INVITATION_VALIDITY
    with store.transaction() as cur:
        accounts.insert_account(cur, account)
        accounts.insert_token(cur, _token(token, "invitation", account.id, viewer, expires))
        audit.record(cur, viewer, "account.invite", "account", account.id, {"role": role.value})
    return Link(account, token, expires)


def issue_reset(store: Store, viewer: Viewer, account_id: str) -> Link:
    """A reset link for an account the viewer manages (earlier reset links are revoked)."""
    account = accounts.by_id(store, account_id)
    if account is None:
        raise OppError("NOT_FOUND", what={"fr": "Compte", "en": "Account"}, value=account_id)
    allowed = viewer.role is Role.ADMIN or (
        viewer.role is Role.COORDINATEUR
        and account.role == Role.CONTRIBUTEUR.value
        and account.filiere == viewer.filiere
    )
    if not allowed:
        raise forbidden(viewer, "reset")
    token = secrets.token_urlsafe(32)
    expires = clock.now() + RESET_VALIDITY
    with store.transaction() as cur:
        accounts.revoke_tokens(cur, account.id, "reset")
        accounts.insert_token(cur, _token(token, "reset", account.id, viewer, expires))
        audit.record(cur, viewer, "account.reset_issued", "account", account.id)
    return Link(account, token, expires)


def _token(token: str, kind: str, account_id: str, viewer: Viewer, expires: dt.datetime):
    return Token(
        token_hash=_hash_token(token),
        kind=kind,
        account_id=account_id,
        created_by=viewer.actor,
        created_at=clock.now(),
        expires_at=expires,
    )


def peek(store: Store, token: str, kind: str) -> Account:
    """The account a still-valid link belongs to (to greet the person before they set a
    password); raises TOKEN_INVALID / TOKEN_EXPIRED."""
    found = accounts.token(store, _hash_token(token or ""))
    if found is None or found.kind != kind or found.used_at is not None:
        raise OppError("TOKEN_INVALID")
    if found.expires_at < clock.now():
        raise OppError("TOKEN_EXPIRED", date=found.expires_at.strftime("%d/%m/%Y"))
    account = accounts.by_id(store, found.account_id)
    if account is None or account.status == "disabled":
        raise OppError("TOKEN_INVALID")
    return account


def set_password_with_token(
    store: Store, token: str, kind: str, password: str, confirmation: str
) -> Viewer:
    """Accept an invitation or a reset: choose the password, use the token, sign in."""
    account = peek(store, token, kind)
    check_password(password, confirmation)
    viewer = viewer_of(account)
    digest = hash_password(password)
    with store.transaction() as cur:
        if not accounts.use_token(cur, _hash_token(token)):
            raise OppError("TOKEN_INVALID")
        accounts.set_password(cur, account.id, digest)
        accounts.touch_login(cur, account.id)
        action = "account.activated" if kind == "invitation" else "account.password_reset"
        audit.record(cur, viewer, action, "account", account.id)
    return viewer


def change_password(store: Store, viewer: Viewer, current: str, new: str, confirm: str) -> None:
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
        audit.record(cur, viewer, "account.password_changed", "account", account.id)


def list_accounts(store: Store, viewer: Viewer) -> list[Account]:
    """Administrators see every account, coordinators those of their filière."""
    if viewer.role is Role.ADMIN:
        return accounts.all_accounts(store)
    if viewer.role is Role.COORDINATEUR and viewer.filiere:
        return accounts.all_accounts(store, filiere=viewer.filiere)
    raise forbidden(viewer, "manage_accounts")
