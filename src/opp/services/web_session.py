"""Sessions that survive a reload: the rules of the browser session behind a cookie.

A sign-in creates a row (`opp.store.web_sessions`) and a one-time *handoff* token; the
browser is sent to `/session/begin?handoff=…` (`opp.ui.server`), which spends the
handoff, mints the cookie's random token and sets the cookie. Only SHA-256 digests of
both tokens are stored. A reload, a new tab or a bookmark sends the cookie with the
page's WebSocket; `resume` finds the row from it.

A session ends — for good, in every tab — when the person signs out, after
`auth.SESSION_TIMEOUT` without activity, after `LIFETIME` in any case, when the
password changes (other sessions), when the account is disabled or deleted, or when its
organisation is erased (the last three are read from the account on every check,
`auth.check_session`, so they hold whatever page or tab asks).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid

from opp import clock
from opp.errors import OppError
from opp.services import auth
from opp.store import accounts, web_sessions
from opp.store.db import Cursor, Store
from opp.store.web_sessions import WebSession

LIFETIME = dt.timedelta(hours=12)
HANDOFF_VALIDITY = dt.timedelta(minutes=2)
# last_seen is written at most this often (a write per click would be a write per run).
TOUCH_EVERY = dt.timedelta(seconds=60)
# Ended and expired rows are kept this long (to tell a returning browser why), then purged.
KEEP_ENDED = dt.timedelta(days=7)
COOKIE_NAME = "opp_session"

# Why a session ended (stored) → the message the person sees.
REASON_MESSAGES = {
    "signed_out": "SESSION_ENDED_SIGNED_OUT",
    "idle": "SESSION_EXPIRED",
    "lifetime": "SESSION_TOO_OLD",
    "password_changed": "SESSION_ENDED_CHANGED",
    "disabled": "SESSION_ENDED_DISABLED",
    "gone": "SESSION_ENDED_GONE",
}
_REASON_OF_CODE = {code: reason for reason, code in REASON_MESSAGES.items()}


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def ended_error(reason: str) -> OppError:
    code = REASON_MESSAGES.get(reason, "SESSION_ENDED_SIGNED_OUT")
    if code == "SESSION_EXPIRED":
        return OppError(code, minutes=int(auth.SESSION_TIMEOUT.total_seconds() // 60))
    if code == "SESSION_TOO_OLD":
        return OppError(code, hours=int(LIFETIME.total_seconds() // 3600))
    return OppError(code)


def begin(store: Store, session: auth.Session, *, language: str = "fr") -> str:
    """Record `session` as a browser session (sets `session.web_id`); returns the one-time
    handoff token the browser exchanges for its cookie."""
    now = clock.now()
    handoff = secrets.token_urlsafe(32)
    row = WebSession(
        id=uuid.uuid4().hex,
        account_id=session.viewer.account_id or "",
        epoch=session.epoch,
        handoff_hash=digest(handoff),
        handoff_expires_at=now + HANDOFF_VALIDITY,
        created_at=now,
        last_seen=now,
        expires_at=now + LIFETIME,
        language=language if language in ("fr", "en") else "fr",
    )

    def write(cur: Cursor) -> None:
        web_sessions.purge(cur, now - KEEP_ENDED)
        web_sessions.insert(cur, row)

    store.retrying(write)
    session.web_id = row.id
    session.last_seen = now
    return handoff


def claim(store: Store, handoff: str) -> tuple[str, WebSession] | None:
    """Spend a handoff token: the cookie token to set (never stored) and its session, or
    None when the handoff is unknown, already spent, expired or its session ended."""
    if not handoff or len(handoff) > 200:
        return None
    row = web_sessions.by_handoff_hash(store, digest(handoff))
    now = clock.now()
    if row is None or row.ended_at is not None:
        return None
    if row.handoff_expires_at is None or row.handoff_expires_at < now:
        return None
    token = secrets.token_urlsafe(32)
    with store.transaction() as cur:
        if not web_sessions.claim(cur, row.id, digest(token)):
            return None
    return token, row


def resume(store: Store, token: str) -> auth.Session | None:
    """The session a cookie designates, or None (no such session, or one that ended: the
    person was told why when it ended). `check` applies the rules before any use."""
    if not token or len(token) > 200:
        return None
    row = web_sessions.by_token_hash(store, digest(token))
    if row is None or row.ended_at is not None:
        return None
    account = accounts.by_id(store, row.account_id)
    if account is None:
        end(store, row.id, "gone")
        return None
    return auth.Session(
        viewer=auth.viewer_of(account), last_seen=row.last_seen, epoch=row.epoch, web_id=row.id
    )


def language(store: Store, session: auth.Session) -> str | None:
    """The language chosen in this browser session (kept across reloads)."""
    row = web_sessions.by_id(store, session.web_id or "")
    return row.language if row is not None else None


def check(store: Store, session: auth.Session) -> auth.Viewer:
    """The viewer of a live browser session, its activity recorded; raises the OppError
    saying why when the session has ended (and ends it in the store for every tab)."""
    row = web_sessions.by_id(store, session.web_id or "")
    now = clock.now()
    if row is None:
        raise ended_error("gone")
    if row.ended_at is not None:
        raise ended_error(row.ended_reason or "signed_out")
    reason = (
        "lifetime"
        if now >= row.expires_at
        else "idle"
        if now - row.last_seen > auth.SESSION_TIMEOUT
        else None
    )
    if reason:
        end(store, row.id, reason)
        raise ended_error(reason)
    session.epoch = row.epoch
    try:
        viewer = auth.check_session(store, session)
    except OppError as ended:
        end(store, row.id, _REASON_OF_CODE.get(ended.code, "gone"))
        raise
    if now - row.last_seen >= TOUCH_EVERY:
        store.retrying(lambda cur: web_sessions.touch(cur, row.id, now))
    session.last_seen = now
    return viewer


def end(store: Store, session_id: str, reason: str) -> None:
    now = clock.now()
    store.retrying(lambda cur: web_sessions.end(cur, session_id, reason, now))


def keep_after_password_change(store: Store, session: auth.Session, epoch: int) -> None:
    """The session that changed the password stays signed in (cookie included); every
    other session of the account ends now."""
    session.epoch = epoch
    account_id = session.viewer.account_id or ""
    now = clock.now()

    def write(cur: Cursor) -> None:
        if session.web_id:
            web_sessions.set_epoch(cur, session.web_id, epoch)
        web_sessions.end_for_account(cur, account_id, "password_changed", now, keep=session.web_id)

    store.retrying(write)


def set_language(store: Store, session: auth.Session, language: str) -> None:
    if session.web_id and language in ("fr", "en"):
        store.retrying(lambda cur: web_sessions.set_language(cur, session.web_id or "", language))
