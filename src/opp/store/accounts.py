"""Accounts, their single-use tokens and login attempts (persistence only).

Rules (who may invite whom, rate limits, expiry) live in `opp.services.auth`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import duckdb

from opp import clock
from opp.errors import OppError
from opp.i18n import language as i18n_language
from opp.store.db import Store
from opp.store.records import Account, Token, fetch_all, fetch_one

_ACCOUNT = (
    "id, email, display_name, role, organisation_id, filiere, password_hash, status, demo, "
    "created_at, last_login_at, coalesce(language, 'fr') AS language, "
    "coalesce(session_epoch, 0) AS session_epoch"
)
_INSERT = (
    "id, email, display_name, role, organisation_id, filiere, password_hash, status, demo, "
    "created_at, last_login_at, language, session_epoch"
)
_LINK_COLUMNS = "token_hash, kind, account_id, created_by, created_at, expires_at, used_at"


def insert_account(cur: duckdb.DuckDBPyConnection, account: Account) -> None:
    try:
        cur.execute(
            f"INSERT INTO accounts ({_INSERT}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            list(account.model_dump().values()),
        )
    except duckdb.ConstraintException as exc:
        raise OppError("ACCOUNT_EXISTS", value=account.email) from exc


def insert_many(cur: duckdb.DuckDBPyConnection, new: list[Account]) -> None:
    """Insert many accounts in one statement (addresses checked unique by the caller)."""
    if not new:
        return
    import pyarrow as pa

    names = _INSERT.split(", ")
    rows = [a.model_dump() for a in new]
    batch = pa.Table.from_pylist([{n: r[n] for n in names} for r in rows])
    cur.register("_accounts_batch", batch)
    try:
        cur.execute(f"INSERT INTO accounts ({_INSERT}) SELECT {_INSERT} FROM _accounts_batch")
    except duckdb.ConstraintException as exc:
        raise OppError("ACCOUNT_EXISTS", value="?") from exc
    finally:
        cur.unregister("_accounts_batch")


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


def by_id_in(cur: duckdb.DuckDBPyConnection, account_id: str) -> Account | None:
    """The account, read inside the caller's transaction."""
    return fetch_one(cur, Account, f"SELECT {_ACCOUNT} FROM accounts WHERE id = ?", [account_id])


def active_in(cur: duckdb.DuckDBPyConnection, organisation_id: str) -> list[Account]:
    """Active accounts of an organisation, read inside the caller's transaction."""
    return fetch_all(
        cur,
        Account,
        f"SELECT {_ACCOUNT} FROM accounts WHERE organisation_id = ? AND status = 'active'",
        [organisation_id],
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
    """`account_key` is "a:<account id>" or a keyed hash, never what was typed."""
    store.cursor().execute(
        "INSERT INTO login_attempts VALUES (?, ?, ?, ?)",
        [clock.now(), account_key[:80], client_key[:200], success],
    )


def attempts_since(
    store: Store,
    since: dt.datetime,
    *,
    account_key: str | None = None,
    client_key: str | None = None,
) -> list[tuple[dt.datetime, str, str, bool]]:
    """Attempts on an account key (or from a client) since `since`, oldest first."""
    column, value = ("account_key", account_key) if account_key else ("client_key", client_key)
    return (
        store.cursor()
        .execute(
            f"SELECT occurred_at, account_key, client_key, success FROM login_attempts "
            f"WHERE {column} = ? AND occurred_at >= ? ORDER BY occurred_at LIMIT 5000",
            [value, since],
        )
        .fetchall()
    )


def succeeded_from(store: Store, account_key: str, client_key: str, since: dt.datetime) -> bool:
    row = (
        store.cursor()
        .execute(
            "SELECT count(*) FROM login_attempts WHERE account_key = ? AND client_key = ? "
            "AND success AND occurred_at >= ?",
            [account_key, client_key, since],
        )
        .fetchone()
    )
    return bool(row and row[0])


def purge_attempts(store: Store, before: dt.datetime) -> None:
    store.cursor().execute("DELETE FROM login_attempts WHERE occurred_at < ?", [before])


def bump_epoch(cur: duckdb.DuckDBPyConnection, account_id: str) -> int:
    """End every session of the account started before now; returns the new epoch."""
    row = cur.execute(
        "UPDATE accounts SET session_epoch = coalesce(session_epoch, 0) + 1 WHERE id = ? "
        "RETURNING session_epoch",
        [account_id],
    ).fetchone()
    return int(row[0]) if row else 0


def revoke_all_tokens(cur: duckdb.DuckDBPyConnection, account_id: str) -> None:
    cur.execute(
        "UPDATE account_tokens SET used_at = ? WHERE account_id = ? AND used_at IS NULL",
        [clock.now(), account_id],
    )


def session_state(store: Store, account_id: str) -> tuple[Account, bool] | None:
    """The account and whether its organisation still exists (one point lookup)."""
    cur = store.cursor()
    rows = cur.execute(
        f"SELECT {_ACCOUNT}, (organisation_id IS NULL OR EXISTS (SELECT 1 FROM organisations o "
        "WHERE o.id = accounts.organisation_id)) AS org_ok FROM accounts WHERE id = ?",
        [account_id],
    ).fetchall()
    if not rows:
        return None
    names = [d[0] for d in cur.description]
    values = dict(zip(names, rows[0], strict=True))
    org_ok = bool(values.pop("org_ok"))
    return Account.model_validate(values), org_ok


def set_language(cur: duckdb.DuckDBPyConnection, account_id: str, language: str) -> None:
    cur.execute(
        "UPDATE accounts SET language = ? WHERE id = ?",
        [i18n_language(language), account_id],
    )


def members(store: Store, organisation_id: str) -> list[Account]:
    """Accounts of an organisation, pending ones included."""
    return fetch_all(
        store.cursor(),
        Account,
        f"SELECT {_ACCOUNT} FROM accounts WHERE organisation_id = ? ORDER BY created_at",
        [organisation_id],
    )


def delete_account(cur: duckdb.DuckDBPyConnection, account_id: str) -> None:
    cur.execute("DELETE FROM account_tokens WHERE account_id = ?", [account_id])
    cur.execute("DELETE FROM accounts WHERE id = ?", [account_id])
