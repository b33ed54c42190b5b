"""Requests for an account sent from a network's public link (persistence only; rules
in `opp.services.requests`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

from opp import clock
from opp.store.db import Store

_COLUMNS = (
    "id, filiere, email, display_name, commune, message, language, client_key, created_at, "
    "status, decided_by, decided_at, reason, account_id"
)


@dataclass(frozen=True)
class AccountRequest:
    id: str
    filiere: str
    email: str
    display_name: str
    commune: str | None
    message: str | None
    language: str
    client_key: str
    created_at: dt.datetime
    status: str
    decided_by: str | None
    decided_at: dt.datetime | None
    reason: str | None
    account_id: str | None


def insert(cur: duckdb.DuckDBPyConnection, request: AccountRequest) -> None:
    cur.execute(
        f"INSERT INTO account_requests ({_COLUMNS}) VALUES "
        "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        list(request.__dict__.values()),
    )


def get(store: Store, request_id: str) -> AccountRequest | None:
    rows = (
        store.cursor()
        .execute(f"SELECT {_COLUMNS} FROM account_requests WHERE id = ?", [request_id])
        .fetchall()
    )
    return AccountRequest(*rows[0]) if rows else None


def listed(store: Store, *, filiere: str | None, status: str = "pending") -> list[AccountRequest]:
    sql = f"SELECT {_COLUMNS} FROM account_requests WHERE status = ?"
    params: list[str] = [status]
    if filiere is not None:
        sql += " AND filiere = ?"
        params.append(filiere)
    rows = store.cursor().execute(sql + " ORDER BY created_at", params).fetchall()
    return [AccountRequest(*row) for row in rows]


def pending_for_email(store: Store, filiere: str, email: str) -> bool:
    row = (
        store.cursor()
        .execute(
            "SELECT count(*) FROM account_requests WHERE filiere = ? AND lower(email) = ? "
            "AND status = 'pending'",
            [filiere, email],
        )
        .fetchone()
    )
    return bool(row and row[0])


def recent_from(store: Store, client_key: str, since: dt.datetime) -> int:
    row = (
        store.cursor()
        .execute(
            "SELECT count(*) FROM account_requests WHERE client_key = ? AND created_at >= ?",
            [client_key, since],
        )
        .fetchone()
    )
    return int(row[0]) if row else 0


def decide(
    cur: duckdb.DuckDBPyConnection,
    request_id: str,
    status: str,
    by: str,
    reason: str | None,
    account_id: str | None,
) -> bool:
    rows = cur.execute(
        "UPDATE account_requests SET status = ?, decided_by = ?, decided_at = ?, reason = ?, "
        "account_id = ? WHERE id = ? AND status = 'pending' RETURNING id",
        [status, by, clock.now(), reason, account_id, request_id],
    ).fetchall()
    return bool(rows)
