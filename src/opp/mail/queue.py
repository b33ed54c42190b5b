"""Queue a mail inside the caller's transaction — the one place that decides who gets a
message and in which language.

Demo accounts never receive mail (their addresses are not real) and disabled accounts
receive none. The person's own language decides the template's language.
"""

from __future__ import annotations

from typing import Any

from opp.store import outbox
from opp.store.db import Cursor, Store
from opp.store.records import Account, TokenKind

# Pages of the app a mail may link to (url paths of `pages/`).
PATHS = {
    "answer": "/repondre",
    "mydata": "/mes_donnees",
    "organisation": "/ma_structure",
    "codesign": "/coconstruction",
    "signin": "/connexion",
}


def to_account(
    cur: Cursor,
    account: Account,
    kind: str,
    params: dict[str, Any],
    *,
    created_by: str | None,
    link_kind: TokenKind | None = None,
    path: str | None = None,
    campaign_id: str | None = None,
) -> int | None:
    """Queue `kind` for `account`; None when this account gets no mail."""
    if account.demo or account.status == "disabled":
        return None
    values = {"name": account.display_name, **params}
    if path:
        values["path"] = PATHS[path]
    return outbox.enqueue(
        cur,
        kind=kind,
        recipient=account.email,
        language=account.language,
        params=values,
        created_by=created_by,
        account_id=account.id,
        organisation_id=account.organisation_id,
        campaign_id=campaign_id,
        link_kind=link_kind,
    )


def to_address(
    cur: Cursor,
    email: str,
    language: str,
    kind: str,
    params: dict[str, Any],
    *,
    created_by: str | None,
    path: str | None = None,
) -> int:
    """Queue `kind` for someone without an account (e.g. a declined account request)."""
    values = dict(params)
    if path:
        values["path"] = PATHS[path]
    return outbox.enqueue(
        cur,
        kind=kind,
        recipient=email,
        language=language,
        params=values,
        created_by=created_by,
    )


def states(store: Store, message_ids: list[int]) -> dict[int, str]:
    """The state (queued, sending, sent, failed, cancelled) of messages an action just
    queued, to tell the person what became of them."""
    return outbox.states(store, message_ids)
