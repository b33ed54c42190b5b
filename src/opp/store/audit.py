"""Append-only audit log: who did what to which object, never the answer content."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import duckdb
import pyarrow as pa

from opp import clock
from opp.store.db import Store
from opp.store.records import Actor


def record(
    cur: duckdb.DuckDBPyConnection,
    actor: Actor,
    action: str,
    object_type: str | None = None,
    object_id: str | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    """Append one entry inside the caller's transaction."""
    cur.execute(
        "INSERT INTO audit_log (occurred_at, actor, role, action, object_type, object_id, detail) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            clock.now(),
            actor.actor,
            str(actor.role),
            action,
            object_type,
            object_id,
            json.dumps(detail or {}, ensure_ascii=False, default=str),
        ],
    )


def record_many(
    cur: duckdb.DuckDBPyConnection,
    actor: Actor,
    entries: list[tuple[str, str, str, dict[str, Any]]],
) -> None:
    """Append many entries (action, object type, object id, detail) inside the caller's
    transaction as one batch: a directory import audits every structure it touches."""
    if not entries:
        return
    now = clock.now()
    batch = pa.table(
        {
            "occurred_at": [now] * len(entries),
            "actor": [actor.actor] * len(entries),
            "role": [str(actor.role)] * len(entries),
            "action": [e[0] for e in entries],
            "object_type": [e[1] for e in entries],
            "object_id": [e[2] for e in entries],
            "detail": [json.dumps(e[3], ensure_ascii=False, default=str) for e in entries],
        }
    )
    cur.register("_audit_batch", batch)
    try:
        cur.execute(
            "INSERT INTO audit_log (occurred_at, actor, role, action, object_type, object_id, "
            "detail) SELECT occurred_at, actor, role, action, object_type, object_id, detail "
            "FROM _audit_batch"
        )
    finally:
        cur.unregister("_audit_batch")


def recorded_since(
    store: Store, actor: str, action: str, object_id: str, since: dt.datetime
) -> bool:
    row = (
        store.cursor()
        .execute(
            "SELECT count(*) FROM audit_log WHERE actor = ? AND action = ? AND object_id = ? "
            "AND occurred_at >= ?",
            [actor, action, object_id, since],
        )
        .fetchone()
    )
    return bool(row and row[0])


def list_entries(
    store: Store,
    *,
    object_id: str | None = None,
    action: str | None = None,
    limit: int = 500,
) -> list[dict[str, Any]]:
    """Newest entries first (who may read them: `services.reads.audit_entries`)."""
    # Each entry names its person (an account's name and address), not only an id: with
    # several people per organisation, who read or changed what must be plain.
    sql = (
        "SELECT l.id, l.occurred_at, l.actor, l.role, l.action, l.object_type, l.object_id, "
        "l.detail, CASE WHEN a.id IS NULL THEN NULL "
        "ELSE a.display_name || ' <' || a.email || '>' END AS actor_name "
        "FROM audit_log l LEFT JOIN accounts a ON a.id = l.actor"
    )
    clauses: list[str] = []
    params: list[Any] = []
    if object_id is not None:
        clauses.append("l.object_id = ?")
        params.append(object_id)
    if action is not None:
        clauses.append("l.action = ?")
        params.append(action)
    if clauses:
        sql += " WHERE " + " AND ".join(clauses)
    sql += " ORDER BY l.id DESC LIMIT ?"
    params.append(int(limit))
    cur = store.cursor()
    rows = cur.execute(sql, params).fetchall()
    names = [d[0] for d in cur.description]
    out = []
    for row in rows:
        entry = dict(zip(names, row, strict=True))
        entry["detail"] = json.loads(entry["detail"]) if entry["detail"] else {}
        out.append(entry)
    return out


def concerning(store: Store, object_ids: list[str], actors: list[str]) -> list[dict[str, Any]]:
    """Entries about these objects or by these actors (a contributor's own trail)."""
    if not object_ids and not actors:
        return []
    marks_o = ", ".join("?" for _ in object_ids) or "NULL"
    marks_a = ", ".join("?" for _ in actors) or "NULL"
    cur = store.cursor()
    rows = cur.execute(
        "SELECT id, occurred_at, actor, role, action, object_type, object_id, detail "
        f"FROM audit_log WHERE object_id IN ({marks_o}) OR actor IN ({marks_a}) ORDER BY id",
        [*object_ids, *actors],
    ).fetchall()
    names = [d[0] for d in cur.description]
    out = []
    for row in rows:
        entry = dict(zip(names, row, strict=True))
        entry["detail"] = json.loads(entry["detail"]) if entry["detail"] else {}
        out.append(entry)
    return out
