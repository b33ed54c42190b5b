"""The e-mail outbox (persistence only): queued → sending → sent / failed.

A message is inserted in the caller's transaction, so it exists exactly when what caused
it (an invitation, a reminder, a reset…) was committed. A sender *claims* one message
(state `sending`, committed) before talking to the SMTP server and marks it `sent` after:
a sender killed in between leaves a `sending` row whose outcome is unknown, which
`recover` turns into `failed` (reason "interrupted") instead of sending it again —
at-most-once delivery (README, Decisions). Rules (who may queue what, backoff, rendering)
live in `opp.mail`.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

import duckdb

from opp import clock
from opp.i18n import language as i18n_language
from opp.store.db import Store
from opp.store.records import TokenKind

STATES = ("queued", "sending", "sent", "failed", "cancelled")
INTERRUPTED = "interrupted"  # the reason kept for a message whose delivery is unknown
_COLUMNS = (
    "id, kind, recipient, account_id, organisation_id, campaign_id, language, params, "
    "link_kind, state, attempts, created_at, created_by, next_attempt_at, claimed_at, "
    "claimed_by, sent_at, last_error, message_id"
)


@dataclass(frozen=True)
class Message:
    id: int
    kind: str
    recipient: str
    account_id: str | None
    organisation_id: str | None
    campaign_id: str | None
    language: str
    params: dict[str, Any]
    link_kind: TokenKind | None  # the kind of single-use link the mail carries
    state: str
    attempts: int
    created_at: dt.datetime
    created_by: str | None
    next_attempt_at: dt.datetime
    claimed_at: dt.datetime | None
    claimed_by: str | None
    sent_at: dt.datetime | None
    last_error: str | None
    message_id: str | None


def _messages(cur: duckdb.DuckDBPyConnection, sql: str, params: list[Any]) -> list[Message]:
    rows = cur.execute(sql, params).fetchall()
    out = []
    for row in rows:
        values = list(row)
        values[7] = json.loads(values[7]) if values[7] else {}
        out.append(Message(*values))
    return out


def enqueue(
    cur: duckdb.DuckDBPyConnection,
    *,
    kind: str,
    recipient: str,
    language: str,
    params: dict[str, Any],
    created_by: str | None,
    account_id: str | None = None,
    organisation_id: str | None = None,
    campaign_id: str | None = None,
    link_kind: TokenKind | None = None,
) -> int:
    """Queue one message inside the caller's transaction; returns its id."""
    now = clock.now()
    row = cur.execute(
        "INSERT INTO outbox (kind, recipient, account_id, organisation_id, campaign_id, "
        "language, params, link_kind, state, attempts, created_at, created_by, "
        "next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'queued', 0, ?, ?, ?) RETURNING id",
        [
            kind,
            recipient,
            account_id,
            organisation_id,
            campaign_id,
            i18n_language(language),
            json.dumps(params, ensure_ascii=False, default=str),
            link_kind,
            now,
            created_by,
            now,
        ],
    ).fetchone()
    return int(row[0]) if row else 0


def due(store: Store, limit: int) -> list[int]:
    """Ids of queued messages whose time has come, oldest first."""
    rows = (
        store.cursor()
        .execute(
            "SELECT id FROM outbox WHERE state = 'queued' AND next_attempt_at <= ? "
            "ORDER BY next_attempt_at, id LIMIT ?",
            [clock.now(), int(limit)],
        )
        .fetchall()
    )
    return [int(r[0]) for r in rows]


def claim(cur: duckdb.DuckDBPyConnection, message_id: int, sender: str) -> Message | None:
    """Take a queued message for sending (inside the caller's transaction); None if
    another sender took it or it is no longer queued."""
    now = clock.now()
    taken = cur.execute(
        "UPDATE outbox SET state = 'sending', claimed_at = ?, claimed_by = ?, "
        "attempts = attempts + 1 WHERE id = ? AND state = 'queued' AND next_attempt_at <= ? "
        "RETURNING id",
        [now, sender, message_id, now],
    ).fetchall()
    if not taken:
        return None
    found = _messages(cur, f"SELECT {_COLUMNS} FROM outbox WHERE id = ?", [message_id])
    return found[0] if found else None


_NEXT_DUE = (
    "SELECT id FROM outbox WHERE state = 'queued' AND next_attempt_at <= ? "
    "ORDER BY next_attempt_at, id LIMIT 1"
)


def claim_next(cur: duckdb.DuckDBPyConnection, sender: str, *, shared: bool) -> Message | None:
    """Take the oldest due message for sending (inside the caller's transaction); None
    when nothing is due or every due message is being taken by another sender.

    `shared` (several app servers on one PostgreSQL): the row is chosen with `FOR UPDATE
    SKIP LOCKED`, so two servers draining at once take different messages and never wait
    for or conflict with each other. On the DuckDB file (one process) two threads may pick
    the same row: the second one's update conflicts and is retried by `Store.retrying`,
    and the `state = 'queued'` condition then finds nothing. A message is sent once."""
    now = clock.now()
    pick = _NEXT_DUE + (" FOR UPDATE SKIP LOCKED" if shared else "")
    taken = cur.execute(
        "UPDATE outbox SET state = 'sending', claimed_at = ?, claimed_by = ?, "
        f"attempts = attempts + 1 WHERE id = ({pick}) AND state = 'queued' RETURNING id",
        [now, sender, now],
    ).fetchall()
    if not taken:
        return None
    found = _messages(cur, f"SELECT {_COLUMNS} FROM outbox WHERE id = ?", [int(taken[0][0])])
    return found[0] if found else None


def mark_sent(cur: duckdb.DuckDBPyConnection, message_id: int, smtp_id: str) -> None:
    cur.execute(
        "UPDATE outbox SET state = 'sent', sent_at = ?, last_error = NULL, message_id = ? "
        "WHERE id = ?",
        [clock.now(), smtp_id, message_id],
    )


def mark_retry(
    cur: duckdb.DuckDBPyConnection, message_id: int, error: str, at: dt.datetime
) -> None:
    cur.execute(
        "UPDATE outbox SET state = 'queued', next_attempt_at = ?, last_error = ?, "
        "claimed_at = NULL, claimed_by = NULL WHERE id = ?",
        [at, error[:500], message_id],
    )


def mark_cancelled(cur: duckdb.DuckDBPyConnection, message_id: int, reason: str) -> None:
    """Not sent and never will be: what it was for happened meanwhile (`reason`)."""
    cur.execute(
        "UPDATE outbox SET state = 'cancelled', last_error = ?, claimed_at = NULL WHERE id = ?",
        [reason[:500], message_id],
    )


def mark_failed(cur: duckdb.DuckDBPyConnection, message_id: int, error: str) -> None:
    cur.execute(
        "UPDATE outbox SET state = 'failed', last_error = ?, claimed_at = NULL WHERE id = ?",
        [error[:500], message_id],
    )


def recover(store: Store, *, sender: str, lease: dt.timedelta) -> int:
    """Messages left `sending` by a sender that is gone become `failed` with the reason
    "interrupted": their delivery is unknown, so they are never sent again automatically.

    A sender is gone when its lease is older than `lease`; on the DuckDB file, also as
    soon as the message was claimed by another sender id (only one process can hold the
    file, so another id is a process that has ended). On PostgreSQL other app servers
    are alive and sending: only the lease tells."""
    stale = "claimed_at < ?" if store.multi_process else "(claimed_by <> ? OR claimed_at < ?)"
    params = [clock.now() - lease] if store.multi_process else [sender, clock.now() - lease]
    with store.transaction() as cur:
        rows = cur.execute(
            f"UPDATE outbox SET state = 'failed', last_error = ? "
            f"WHERE state = 'sending' AND {stale} RETURNING id",
            [INTERRUPTED, *params],
        ).fetchall()
    return len(rows)


def requeue(cur: duckdb.DuckDBPyConnection, message_ids: list[int]) -> int:
    """Failed messages queued again (an operator's decision, e.g. after fixing settings)."""
    if not message_ids:
        return 0
    marks = ", ".join("?" for _ in message_ids)
    rows = cur.execute(
        f"UPDATE outbox SET state = 'queued', next_attempt_at = ?, attempts = 0 "
        f"WHERE state = 'failed' AND id IN ({marks}) RETURNING id",
        [clock.now(), *message_ids],
    ).fetchall()
    return len(rows)


def get(store: Store, message_id: int) -> Message | None:
    found = _messages(store.cursor(), f"SELECT {_COLUMNS} FROM outbox WHERE id = ?", [message_id])
    return found[0] if found else None


def states(store: Store, message_ids: list[int]) -> dict[int, str]:
    if not message_ids:
        return {}
    marks = ", ".join("?" for _ in message_ids)
    rows = (
        store.cursor()
        .execute(f"SELECT id, state FROM outbox WHERE id IN ({marks})", message_ids)
        .fetchall()
    )
    return {int(i): s for i, s in rows}


def recent(
    store: Store, *, state: str | None = None, limit: int = 200, kind: str | None = None
) -> list[Message]:
    clauses, params = [], []
    if state:
        clauses.append("state = ?")
        params.append(state)
    if kind:
        clauses.append("kind = ?")
        params.append(kind)
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    return _messages(
        store.cursor(),
        f"SELECT {_COLUMNS} FROM outbox{where} ORDER BY id DESC LIMIT ?",
        [*params, int(limit)],
    )


def counts(store: Store) -> dict[str, int]:
    rows = store.cursor().execute("SELECT state, count(*) FROM outbox GROUP BY state").fetchall()
    return {s: int(n) for s, n in rows}


def sent_recently(store: Store, *, kind: str, account_id: str | None, since: dt.datetime) -> bool:
    """Was a message of this kind queued for this account since `since` (anti-flood)?"""
    row = (
        store.cursor()
        .execute(
            "SELECT count(*) FROM outbox WHERE kind = ? AND account_id = ? AND created_at >= ?",
            [kind, account_id, since],
        )
        .fetchone()
    )
    return bool(row and row[0])


def for_accounts(store: Store, account_ids: list[str]) -> list[Message]:
    """Messages sent to these accounts (a contributor's data export)."""
    if not account_ids:
        return []
    marks = ", ".join("?" for _ in account_ids)
    return _messages(
        store.cursor(),
        f"SELECT {_COLUMNS} FROM outbox WHERE account_id IN ({marks}) ORDER BY id",
        account_ids,
    )


def purge(store: Store, older_than: dt.datetime) -> int:
    """Sent, failed and cancelled messages older than `older_than` leave the outbox (addresses are
    personal data; what a campaign needs is kept in `campaign_contacts`)."""
    with store.transaction() as cur:
        rows = cur.execute(
            "DELETE FROM outbox WHERE state IN ('sent', 'failed', 'cancelled') "
            "AND created_at < ? RETURNING id",
            [older_than],
        ).fetchall()
    return len(rows)


_BATCH_COLUMNS = (
    "kind",
    "recipient",
    "account_id",
    "organisation_id",
    "campaign_id",
    "language",
    "params",
    "link_kind",
    "created_by",
)


def enqueue_many(cur: duckdb.DuckDBPyConnection, rows: list[dict[str, Any]]) -> int:
    """Queue many messages in one statement (a campaign's thousands of invitations);
    each row has the keys of `enqueue`. Inside the caller's transaction."""
    if not rows:
        return 0
    import pyarrow as pa

    now = clock.now()
    batch = pa.table(
        {
            name: [
                json.dumps(r[name], ensure_ascii=False, default=str)
                if name == "params"
                else i18n_language(r.get(name))
                if name == "language"
                else r.get(name)
                for r in rows
            ]
            for name in _BATCH_COLUMNS
        },
        schema=pa.schema([(name, pa.string()) for name in _BATCH_COLUMNS]),
    )
    cur.register("_outbox_batch", batch)
    try:
        columns = ", ".join(_BATCH_COLUMNS)
        cur.execute(
            f"INSERT INTO outbox ({columns}, state, attempts, created_at, next_attempt_at) "
            f"SELECT {columns}, 'queued', 0, ?, ? FROM _outbox_batch",
            [now, now],
        )
    finally:
        cur.unregister("_outbox_batch")
    return len(rows)
