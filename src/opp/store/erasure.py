"""Deleting what an erasure removes: responses with everything attached to them, an
organisation's mail rows, an organisation with its accounts.

Repository only: who may erase, the confirmation word, the audit line and the checkpoint
are `opp.services.erasure`'s.
"""

from __future__ import annotations

from opp.store.db import Cursor, Store

# Rows about an organisation's mail: contacts, reminder settings, approvals, the outbox.
ORGANISATION_MAIL_TABLES = (
    "campaign_contacts",
    "organisation_mail_prefs",
    "membership_requests",
    "outbox",
)


def forget_organisation_mail(cur: Cursor, organisation_id: str) -> None:
    """Delete the rows about an organisation's mail (its erasure, or its deletion): mail
    to its people (addresses are personal data) leaves with them."""
    for table in ORGANISATION_MAIL_TABLES:
        cur.execute(f"DELETE FROM {table} WHERE organisation_id = ?", [organisation_id])


def delete_responses(cur: Cursor, response_ids: list[str]) -> None:
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


def organisation_holdings(store: Store, organisation_id: str) -> tuple[list[str], list[str]]:
    """The ids of an organisation's responses and of its accounts."""
    cur = store.cursor()
    response_ids = [
        r[0]
        for r in cur.execute(
            "SELECT id FROM responses WHERE organisation_id = ?", [organisation_id]
        ).fetchall()
    ]
    account_ids = [
        r[0]
        for r in cur.execute(
            "SELECT id FROM accounts WHERE organisation_id = ?", [organisation_id]
        ).fetchall()
    ]
    return response_ids, account_ids


def delete_invitations(cur: Cursor, organisation_id: str) -> None:
    cur.execute("DELETE FROM invitations WHERE organisation_id = ?", [organisation_id])


def delete_account(cur: Cursor, account_id: str) -> None:
    """An account with its sign-in tokens, sign-in attempts, mail and account request."""
    cur.execute("DELETE FROM account_tokens WHERE account_id = ?", [account_id])
    cur.execute("DELETE FROM login_attempts WHERE account_key = ?", [f"a:{account_id}"])
    cur.execute("DELETE FROM outbox WHERE account_id = ?", [account_id])
    cur.execute("DELETE FROM account_requests WHERE account_id = ?", [account_id])
    cur.execute("DELETE FROM accounts WHERE id = ?", [account_id])


def delete_organisation(cur: Cursor, organisation_id: str) -> None:
    cur.execute("DELETE FROM organisations WHERE id = ?", [organisation_id])
