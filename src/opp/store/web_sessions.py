"""Browser sessions (migration 9): one row per signed-in browser, found by the SHA-256 of
the token its cookie carries. The rules (lifetime, idle time, what ends a session) live
in `opp.services.web_session`; this module only reads and writes rows.
"""

from __future__ import annotations

import datetime as dt

import duckdb
from pydantic import BaseModel

from opp.store.db import Store

_COLUMNS = (
    "id, account_id, epoch, token_hash, handoff_hash, handoff_expires_at, created_at, "
    "last_seen, expires_at, language, ended_at, ended_reason"
)


class WebSession(BaseModel):
    id: str
    account_id: str
    epoch: int
    token_hash: str | None = None
    handoff_hash: str | None = None
    handoff_expires_at: dt.datetime | None = None
    created_at: dt.datetime
    last_seen: dt.datetime
    expires_at: dt.datetime
    language: str | None = None
    ended_at: dt.datetime | None = None
    ended_reason: str | None = None


def _one(store: Store, where: str, value: str) -> WebSession | None:
    cur = store.cursor()
    rows = cur.execute(f"SELECT {_COLUMNS} FROM web_sessions WHERE {where} = ?", [value]).fetchall()
    if not rows:
        return None
    names = [d[0] for d in cur.description]
    return WebSession.model_validate(dict(zip(names, rows[0], strict=True)))


def by_id(store: Store, session_id: str) -> WebSession | None:
    return _one(store, "id", session_id)


def by_token_hash(store: Store, token_hash: str) -> WebSession | None:
    return _one(store, "token_hash", token_hash)


def by_handoff_hash(store: Store, handoff_hash: str) -> WebSession | None:
    return _one(store, "handoff_hash", handoff_hash)


def insert(cur: duckdb.DuckDBPyConnection, row: WebSession) -> None:
    values = row.model_dump()
    cur.execute(
        f"INSERT INTO web_sessions ({_COLUMNS}) VALUES ({', '.join('?' * len(values))})",
        list(values.values()),
    )


def claim(cur: duckdb.DuckDBPyConnection, session_id: str, token_hash: str) -> bool:
    """Give the session its cookie token and spend its one-time handoff."""
    row = cur.execute(
        "UPDATE web_sessions SET token_hash = ?, handoff_hash = NULL, handoff_expires_at = NULL "
        "WHERE id = ? AND handoff_hash IS NOT NULL AND ended_at IS NULL RETURNING id",
        [token_hash, session_id],
    ).fetchone()
    return row is not None


def touch(cur: duckdb.DuckDBPyConnection, session_id: str, now: dt.datetime) -> None:
    cur.execute("UPDATE web_sessions SET last_seen = ? WHERE id = ?", [now, session_id])


def set_epoch(cur: duckdb.DuckDBPyConnection, session_id: str, epoch: int) -> None:
    cur.execute("UPDATE web_sessions SET epoch = ? WHERE id = ?", [epoch, session_id])


def set_language(cur: duckdb.DuckDBPyConnection, session_id: str, language: str) -> None:
    cur.execute("UPDATE web_sessions SET language = ? WHERE id = ?", [language, session_id])


def end(cur: duckdb.DuckDBPyConnection, session_id: str, reason: str, now: dt.datetime) -> None:
    cur.execute(
        "UPDATE web_sessions SET ended_at = ?, ended_reason = ?, handoff_hash = NULL "
        "WHERE id = ? AND ended_at IS NULL",
        [now, reason, session_id],
    )


def end_for_account(
    cur: duckdb.DuckDBPyConnection,
    account_id: str,
    reason: str,
    now: dt.datetime,
    *,
    keep: str | None = None,
) -> int:
    """End every open session of an account (but `keep`); returns how many ended."""
    rows = cur.execute(
        "UPDATE web_sessions SET ended_at = ?, ended_reason = ?, handoff_hash = NULL "
        "WHERE account_id = ? AND ended_at IS NULL AND id IS DISTINCT FROM ? RETURNING id",
        [now, reason, account_id, keep],
    ).fetchall()
    return len(rows)


def open_for_account(store: Store, account_id: str) -> list[WebSession]:
    cur = store.cursor()
    rows = cur.execute(
        f"SELECT {_COLUMNS} FROM web_sessions WHERE account_id = ? AND ended_at IS NULL "
        "ORDER BY created_at",
        [account_id],
    ).fetchall()
    names = [d[0] for d in cur.description]
    return [WebSession.model_validate(dict(zip(names, r, strict=True))) for r in rows]


def purge(cur: duckdb.DuckDBPyConnection, before: dt.datetime) -> None:
    """Forget sessions that ended or expired before `before` (they only served to say
    why a browser was signed out)."""
    cur.execute(
        "DELETE FROM web_sessions WHERE expires_at < ? OR ended_at < ?",
        [before, before],
    )
