"""People waiting to join an organisation that already has members (persistence only).

Rules (who may ask, who approves) live in `opp.services.membership`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

from opp import clock
from opp.store.db import Store


@dataclass(frozen=True)
class Request:
    account_id: str
    organisation_id: str
    requested_by: str
    requested_by_name: str
    requested_at: dt.datetime
    status: str
    decided_by: str | None
    decided_at: dt.datetime | None


_COLUMNS = (
    "account_id, organisation_id, requested_by, requested_by_name, requested_at, status, "
    "decided_by, decided_at"
)


def insert(
    cur: duckdb.DuckDBPyConnection, account_id: str, organisation_id: str, by: str, name: str
) -> None:
    cur.execute(
        f"INSERT INTO membership_requests ({_COLUMNS}) "
        "VALUES (?, ?, ?, ?, ?, 'pending', NULL, NULL)",
        [account_id, organisation_id, by, name, clock.now()],
    )


def get(store: Store, account_id: str) -> Request | None:
    rows = (
        store.cursor()
        .execute(f"SELECT {_COLUMNS} FROM membership_requests WHERE account_id = ?", [account_id])
        .fetchall()
    )
    return Request(*rows[0]) if rows else None


def pending(store: Store, organisation_id: str | None = None) -> list[Request]:
    sql = f"SELECT {_COLUMNS} FROM membership_requests WHERE status = 'pending'"
    params: list[str] = []
    if organisation_id is not None:
        sql += " AND organisation_id = ?"
        params.append(organisation_id)
    rows = store.cursor().execute(sql + " ORDER BY requested_at", params).fetchall()
    return [Request(*row) for row in rows]


def decide(cur: duckdb.DuckDBPyConnection, account_id: str, status: str, by: str) -> bool:
    rows = cur.execute(
        "UPDATE membership_requests SET status = ?, decided_by = ?, decided_at = ? "
        "WHERE account_id = ? AND status = 'pending' RETURNING account_id",
        [status, by, clock.now(), account_id],
    ).fetchall()
    return bool(rows)
