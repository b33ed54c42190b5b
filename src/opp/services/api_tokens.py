"""Personal API tokens: created and revoked by their owner in "Mon compte", shown once,
stored as a SHA-256 digest, expiring. A token acts as its account at the moment of each
request (`auth.viewer_of`): the same role and filière scope as the person's pages, and
nothing once the account is disabled or deleted.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid

from opp import clock
from opp.access.viewer import Viewer
from opp.errors import OppError
from opp.services import auth
from opp.store import accounts, api_tokens, audit, bulk
from opp.store.api_tokens import ApiToken
from opp.store.db import Store

PREFIX = "opp_"
MAX_DAYS = 365
DEFAULT_DAYS = 90
# last_used_at is written at most this often (not a write per request).
USED_EVERY = dt.timedelta(minutes=5)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create(
    store: Store, viewer: Viewer, name: str, days: int = DEFAULT_DAYS
) -> tuple[str, ApiToken]:
    """A new token for the viewer's own account: (the token — shown once, never stored —,
    its record)."""
    name = (name or "").strip()
    if not 1 <= len(name) <= 60:
        raise OppError("API_TOKEN_NAME")
    if not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
        raise OppError("API_TOKEN_DAYS", max=MAX_DAYS)
    if not viewer.account_id:
        raise OppError("AUTH_REQUIRED")
    token = PREFIX + secrets.token_urlsafe(32)
    now = clock.now()
    row = ApiToken(
        id=uuid.uuid4().hex,
        account_id=viewer.account_id,
        name=name,
        prefix=token[: len(PREFIX) + 6],
        token_hash=digest(token),
        created_at=now,
        expires_at=now + dt.timedelta(days=days),
    )
    with store.transaction() as cur:
        api_tokens.insert(cur, row)
        audit.record(cur, viewer, "api_token.created", "api_token", row.id, {"days": days})
    return token, row


def mine(store: Store, viewer: Viewer) -> list[ApiToken]:
    return api_tokens.of_account(store, viewer.account_id or "")


def revoke(store: Store, viewer: Viewer, token_id: str) -> None:
    """Revoke one of one's own tokens (another person's id changes nothing)."""
    with store.transaction() as cur:
        if api_tokens.revoke(cur, token_id, viewer.account_id or "", clock.now()):
            audit.record(cur, viewer, "api_token.revoked", "api_token", token_id)


def authenticate(store: Store, token: str) -> tuple[Viewer, ApiToken]:
    """The viewer a presented token acts as, or the OppError saying why not."""
    found = api_tokens.by_hash(store, digest(token or "")) if token else None
    if found is None:
        raise OppError("API_TOKEN_INVALID")
    now = clock.now()
    if found.revoked_at is not None:
        raise OppError("API_TOKEN_REVOKED", date=found.revoked_at.strftime("%d/%m/%Y"))
    if found.expires_at <= now:
        raise OppError("API_TOKEN_EXPIRED", date=found.expires_at.strftime("%d/%m/%Y"))
    state = accounts.session_state(store, found.account_id)
    if state is None or not state[1] or state[0].status != "active":
        raise OppError("API_TOKEN_ACCOUNT")
    if state[0].demo and bulk.get_meta(store, "demo") != "true":
        raise OppError("API_TOKEN_ACCOUNT")
    if found.last_used_at is None or now - found.last_used_at >= USED_EVERY:
        store.retrying(lambda cur: api_tokens.used(cur, found.id, now))
    return auth.viewer_of(state[0]), found
