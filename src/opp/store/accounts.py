"""Accounts, their single-use tokens and login attempts (persistence only).

Rules (who may invite whom, rate limits, expiry) live in `opp.access.auth`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import duckdb

from opp import clock
from opp.errors import OppError
from opp.store.db import Store
from opp.store.records import Account, Token, fetch_all, fetch_one

_ACCOUNT = (
    "id, email, display_name, role, organisation_id, filiere, password_hash, status, demo, "
    "created_at, last_login_at"
)
_LINK_COLUMNS = "token_hash, kind, account_id, created_by, created_at, expires_at, used_at"


def insert_account(cur: duckdb.DuckDBPyConnection, account: Account) -> None:
    try:
        cur.execute(
            f"INSERT INTO accounts ({_ACCOUNT}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            list(account.model_dump().values()),
        )
    except duckdb.ConstraintException as exc:
        raise OppError("ACCOUNT_EXISTS", value=account.email) from exc


def by_email(store: Store, email: str) -> Account | None:
    return fetch_one(
        store.cursor(),
        Account,
        f"SELECT {_ACCOUNT} FROM accounts WHERE lower(email) = lower(?)",
        [email.strip()],
    )


def by_id(store: Store, account_id: str) -> Account | None:
    return fetch_one(
        store.cursor(), Account, f"SELECT {_ACCOUNT} FROM accounts WHERE id = ?", [account_id]
    )


def all_accounts(store: Store, *, filiere: str | None = None) -> list[Account]:
    sql = f"SELECT {_ACCOUNT} FROM accounts"
    params: list[Any] = []
    if filiere is not None:
        sql += " WHERE filiere = ?"
        params.append(filiere)
    return fetch_all(store.cursor(), Account, sql + " ORDER BY role, email", params)


def set_password(cur: duckdb.DuckDBPyConnection, account_id: str, password_hash: str) -> None:
    cur.execute(
        "UPDATE accounts SET password_hash = ?, status = 'active' WHERE id = ?",
        [password_hash, account_id],
    )


def set_status(cur: duckdb.DuckDBPyConnection, account_id: str, status: str) -> None:
    cur.execute("UPDATE accounts SET status = ? WHERE id = ?", [status, account_id])


def touch_login(cur: duckdb.DuckDBPyConnection, account_id: str) -> None:
    cur.execute("UPDATE accounts SET last_login_at = ? WHERE id = ?", [clock.now(), account_id])


def insert_token(cur: duckdb.DuckDBPyConnection, token: Token) -> None:
    cur.execute(
        f"INSERT INTO account_tokens ({_LINK_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)",
        list(token.model_dump().values()),
    )


def token(store: Store, token_hash: str) -> Token | None:
    return fetch_one(
        store.cursor(),
        Token,
        f"SELECT {_LINK_COLUMNS} FROM account_tokens WHERE token_hash = ?",
        [token_hash],
    )


def use_token(cur: duckdb.DuckDBPyConnection, token_hash: str) -> bool:
    """Mark a token used; False if it was already used (single use, even under races)."""
    row = cur.execute(
        "UPDATE account_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL "
        "RETURNING token_hash",
        [clock.now(), token_hash],
    ).fetchall()
    return bool(row)


def revoke_tokens(cur: duckdb.DuckDBPyConnection, account_id: str, kind: str) -> None:
    cur.execute(
        "UPDATE account_tokens SET used_at = ? WHERE account_id = ? AND kind = ? "
        "AND used_at IS NULL",
        [clock.now(), account_id, kind],
    )


def record_attempt(store: Store, account_key: str, client_key: str, success: bool) -> None:
    store.cursor().execute(
        "INSERT INTO login_attempts VALUES (?, ?, ?, ?)",
        [clock.now(), account_key.lower()[:320], client_key[:200], success],
    )


def failures_since(
    store: Store,
    since: dt.datetime,
    *,
    account_key: str | None = None,
    client_key: str | None = None,
) -> int:
    """Failed attempts since `since` (after the last success of that account/client)."""
    column, value = (
        ("account_key", account_key.lower()) if account_key else ("client_key", client_key)
    )
    row = (
        store.cursor()
        .execute(
            f"""SELECT count(*) FROM login_attempts
            WHERE {column} = ? AND NOT success AND occurred_at >= ?
              AND occurred_at > coalesce(
                  (SELECT max(occurred_at) FROM login_attempts WHERE {column} = ? AND success),
                  TIMESTAMP '1970-01-01')""",
            [value, since, value],
        )
        .fetchall()
    )
    return int(row[0][0])
