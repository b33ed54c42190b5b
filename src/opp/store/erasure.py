"""Erasure on request: one response, or an organisation with its accounts.

Answers leave the live store at once; their frozen copies in releases are removed by the
next release (`store/releases.py`), which makes a new release due: published figures
change only from one release to the next, never with one structure's erasure. The audit
log keeps a line saying that an erasure happened, by whom and when, never what was
erased. The database is checkpointed so the next backup (`store/backup.py`) no longer
holds the live rows.
"""

from __future__ import annotations

import logging
from typing import Any

import duckdb

from opp.access.policy import Action, Resource, forbidden, require
from opp.access.viewer import Viewer
from opp.errors import OppError
from opp.store import audit, codesign, releases, responses
from opp.store.db import Store

CONFIRMATION_WORDS = ("EFFACER", "ERASE")
log = logging.getLogger("opp.store")


def _checkpoint(store: Store) -> None:
    """Write the erasure into the file itself, so the next backup no longer holds it.

    The erasure is already committed (its transaction is in the write-ahead log): a
    failed checkpoint (a full disk) does not undo it and is not the user's concern. The
    operator's log says so and the store is reopened at the next request (DuckDB
    invalidates the database after a failed checkpoint); the next checkpoint writes it.
    """
    try:
        store.checkpoint()
    except OppError as err:
        log.error(
            "erasure committed, but not yet written into %s (%s): erased rows stay in the "
            "write-ahead log and free pages until the next checkpoint; run python -m opp "
            "compact once the disk has room",
            store.path,
            err.code,
        )


def _confirm(confirmation: str, lang: str) -> None:
    if (confirmation or "").strip().upper() not in CONFIRMATION_WORDS:
        raise OppError("ERASE_CONFIRM", expected="EFFACER" if lang == "fr" else "ERASE")


# Rows about an organisation's mail: contacts, reminder settings, approvals, the outbox.
ORGANISATION_MAIL_TABLES = (
    "campaign_contacts",
    "organisation_mail_prefs",
    "membership_requests",
    "outbox",
)


def forget_organisation_mail(cur: duckdb.DuckDBPyConnection, organisation_id: str) -> None:
    """Delete the rows about an organisation's mail (its erasure, or its deletion): mail
    to its people (addresses are personal data) leaves with them."""
    for table in ORGANISATION_MAIL_TABLES:
        cur.execute(f"DELETE FROM {table} WHERE organisation_id = ?", [organisation_id])


def delete_responses(cur: duckdb.DuckDBPyConnection, response_ids: list[str]) -> None:
    """Remove responses with their answers, consent history and correction requests
    (inside the caller's transaction)."""
    if not response_ids:
        return
    marks = ", ".join("?" for _ in response_ids)
    for table, column in (
        ("answers", "response_id"),
        ("response_marks", "response_id"),
        ("consent_history", "response_id"),
        ("correction_requests", "response_id"),
        ("responses", "id"),
    ):
        cur.execute(f"DELETE FROM {table} WHERE {column} IN ({marks})", response_ids)


def erase_response(
    store: Store, viewer: Viewer, response_id: str, confirmation: str, lang: str = "fr"
) -> None:
    meta = responses.get(store, viewer, response_id)
    require(viewer, Action.ERASE_RESPONSE, Resource(organisation_id=meta.organisation_id))
    _confirm(confirmation, lang)
    with store.transaction() as cur:
        delete_responses(cur, [response_id])
        releases.record_erasure(cur, response_ids=[response_id])
        audit.record(
            cur,
            viewer,
            "response.erase",
            "response",
            response_id,
            {"campaign": meta.campaign_id},
        )
    store.bump()
    _checkpoint(store)


def erase_organisation(
    store: Store,
    viewer: Viewer,
    confirmation: str,
    lang: str = "fr",
    organisation_id: str | None = None,
) -> dict[str, Any]:
    """Erase an organisation, its responses, invitations and accounts.

    A contributor erases their own organisation; the agency may do it on request.
    """
    target = organisation_id or viewer.organisation_id
    if target is None:
        raise forbidden(viewer, Action.ERASE_ORGANISATION)
    require(viewer, Action.ERASE_ORGANISATION, Resource(organisation_id=target))
    _confirm(confirmation, lang)
    cur = store.cursor()
    response_ids = [
        r[0]
        for r in cur.execute(
            "SELECT id FROM responses WHERE organisation_id = ?", [target]
        ).fetchall()
    ]
    accounts = cur.execute(
        "SELECT id, email FROM accounts WHERE organisation_id = ?", [target]
    ).fetchall()
    with store.transaction() as tx:
        delete_responses(tx, response_ids)
        tx.execute("DELETE FROM invitations WHERE organisation_id = ?", [target])
        forget_organisation_mail(tx, target)
        for account_id, _email in accounts:
            tx.execute("DELETE FROM account_tokens WHERE account_id = ?", [account_id])
            tx.execute("DELETE FROM login_attempts WHERE account_key = ?", [f"a:{account_id}"])
            tx.execute("DELETE FROM outbox WHERE account_id = ?", [account_id])
            tx.execute("DELETE FROM account_requests WHERE account_id = ?", [account_id])
            tx.execute("DELETE FROM accounts WHERE id = ?", [account_id])
        codesign.forget_authors(tx, [account_id for account_id, _ in accounts])
        tx.execute("DELETE FROM organisations WHERE id = ?", [target])
        releases.record_erasure(tx, response_ids=response_ids, organisation_id=target)
        audit.record(
            tx,
            viewer,
            "organisation.erase",
            "organisation",
            target,
            {"responses": len(response_ids), "accounts": len(accounts)},
        )
    store.bump()
    _checkpoint(store)
    return {"responses": len(response_ids), "accounts": len(accounts)}
