"""Erasure on request: one response, or an organisation with its accounts.

Answers leave the store (and every aggregate computed afterwards); the audit log keeps a
line saying that an erasure happened, by whom and when, never what was erased. The
database is checkpointed so the next backup (`store/backup.py`) no longer holds it.
"""

from __future__ import annotations

from typing import Any

import duckdb

from opp.access.policy import can_edit_response, forbidden
from opp.access.viewer import Role, Viewer
from opp.errors import OppError
from opp.store import audit, codesign, responses
from opp.store.db import Store

CONFIRMATION_WORDS = ("EFFACER", "ERASE")


def _confirm(confirmation: str, lang: str) -> None:
    if (confirmation or "").strip().upper() not in CONFIRMATION_WORDS:
        raise OppError("ERASE_CONFIRM", expected="EFFACER" if lang == "fr" else "ERASE")


def _delete_responses(cur: duckdb.DuckDBPyConnection, response_ids: list[str]) -> None:
    if not response_ids:
        return
    marks = ", ".join("?" for _ in response_ids)
    for table, column in (
        ("answers", "response_id"),
        ("consent_history", "response_id"),
        ("correction_requests", "response_id"),
        ("responses", "id"),
    ):
        cur.execute(f"DELETE FROM {table} WHERE {column} IN ({marks})", response_ids)


def erase_response(
    store: Store, viewer: Viewer, response_id: str, confirmation: str, lang: str = "fr"
) -> None:
    meta = responses.get(store, viewer, response_id)
    if not (
        can_edit_response(viewer, organisation_id=meta.organisation_id) or viewer.role is Role.ADMIN
    ):
        raise forbidden(viewer, "edit_response")
    _confirm(confirmation, lang)
    with store.transaction() as cur:
        _delete_responses(cur, [response_id])
        audit.record(
            cur,
            viewer,
            "response.erase",
            "response",
            response_id,
            {"campaign": meta.campaign_id},
        )
    store.bump()
    store.checkpoint()


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
    allowed = (viewer.role is Role.CONTRIBUTEUR and target == viewer.organisation_id) or (
        viewer.role is Role.ADMIN and target is not None
    )
    if not allowed or target is None:
        raise forbidden(viewer, "edit_response")
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
        _delete_responses(tx, response_ids)
        tx.execute("DELETE FROM invitations WHERE organisation_id = ?", [target])
        for table in ("campaign_contacts", "organisation_mail_prefs", "membership_requests"):
            tx.execute(f"DELETE FROM {table} WHERE organisation_id = ?", [target])
        # Mail to its people (addresses are personal data) leaves with them.
        tx.execute("DELETE FROM outbox WHERE organisation_id = ?", [target])
        for account_id, _email in accounts:
            tx.execute("DELETE FROM account_tokens WHERE account_id = ?", [account_id])
            tx.execute("DELETE FROM login_attempts WHERE account_key = ?", [f"a:{account_id}"])
            tx.execute("DELETE FROM outbox WHERE account_id = ?", [account_id])
            tx.execute("DELETE FROM account_requests WHERE account_id = ?", [account_id])
            tx.execute("DELETE FROM accounts WHERE id = ?", [account_id])
        codesign.forget_authors(tx, [account_id for account_id, _ in accounts])
        tx.execute("DELETE FROM organisations WHERE id = ?", [target])
        audit.record(
            tx,
            viewer,
            "organisation.erase",
            "organisation",
            target,
            {"responses": len(response_ids), "accounts": len(accounts)},
        )
    store.bump()
    store.checkpoint()
    return {"responses": len(response_ids), "accounts": len(accounts)}
