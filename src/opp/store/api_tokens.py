"""Personal API tokens (migration 9): rows only; the rules live in `opp.services.api_tokens`."""

from __future__ import annotations

import datetime as dt

import duckdb
from pydantic import BaseModel

from opp.store.db import Store

_COLUMNS = (
    "id, account_id, name, prefix, token_hash, created_at, expires_at, revoked_at, last_used_at"
)


class ApiToken(BaseModel):
    id: str
    account_id: str
    name: str
    prefix: str
    token_hash: str
    created_at: dt.datetime
    expires_at: dt.datetime
    revoked_at: dt.datetime | None = None
    last_used_at: dt.datetime | None = None


def _rows(store: Store, where: str, params: list) -> list[ApiToken]:
    cur = store.cursor()
    rows = cur.execute(
        f"SELECT {_COLUMNS} FROM api_tokens WHERE {where} ORDER BY created_at DESC", params
    ).fetchall()
    names = [d[0] for d in cur.description]
    return [ApiToken.model_validate(dict(zip(names, r, strict=True))) for r in rows]


def by_hash(store: Store, token_hash: str) -> ApiToken | None:
    found = _rows(store, "token_hash = ?", [token_hash])
    return found[0] if found else None


def of_account(store: Store, account_id: str) -> list[ApiToken]:
    return _rows(store, "account_id = ?", [account_id])


def insert(cur: duckdb.DuckDBPyConnection, row: ApiToken) -> None:
    values = row.model_dump()
    cur.execute(
        f"INSERT INTO api_tokens ({_COLUMNS}) VALUES ({', '.join('?' * len(values))})",
        list(values.values()),
    )


def revoke(
    cur: duckdb.DuckDBPyConnection, token_id: str, account_id: str, now: dt.datetime
) -> bool:
    row = cur.execute(
        "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND account_id = ? "
        "AND revoked_at IS NULL RETURNING id",
        [now, token_id, account_id],
    ).fetchone()
    return row is not None


def used(cur: duckdb.DuckDBPyConnection, token_id: str, now: dt.datetime) -> None:
    cur.execute("UPDATE api_tokens SET last_used_at = ? WHERE id = ?", [now, token_id])
