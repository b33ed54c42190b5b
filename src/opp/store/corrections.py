"""Correction requests after a campaign closed, and the edit window they open.

Repository only: who may ask or decide, and the mail that follows, are in
`opp.services.corrections`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from opp.store.db import Cursor, Store
from opp.store.records import CorrectionRequest, fetch_all, fetch_one

_COLUMNS = (
    "id, response_id, organisation_id, requested_by, message, status, created_at, "
    "decided_by, decided_at, decision_reason"
)
# Columns a scope condition may name (the policy's `sql_scope` is given these).
SCOPE_COLUMNS = {"organisation": "q.organisation_id", "filiere": "c.filiere"}


def insert(cur: Cursor, item: CorrectionRequest) -> None:
    cur.execute(
        f"INSERT INTO correction_requests ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        list(item.model_dump().values()),
    )


def by_id(store: Store, request_id: str) -> CorrectionRequest | None:
    return fetch_one(
        store.cursor(),
        CorrectionRequest,
        f"SELECT {_COLUMNS} FROM correction_requests WHERE id = ?",
        [request_id],
    )


def in_scope(store: Store, scope: str, params: list[Any]) -> list[CorrectionRequest]:
    """Requests matching a scope condition on `SCOPE_COLUMNS`, newest first."""
    columns = ", ".join("q." + c.strip() for c in _COLUMNS.split(","))
    sql = (
        f"SELECT {columns} FROM correction_requests q"
        " LEFT JOIN responses r ON r.id = q.response_id"
        " LEFT JOIN campaigns c ON c.id = r.campaign_id"
        f" WHERE {scope} ORDER BY q.created_at DESC"
    )
    return fetch_all(store.cursor(), CorrectionRequest, sql, params)


def set_decision(
    cur: Cursor,
    request_id: str,
    status: str,
    *,
    decided_by: str,
    decided_at: dt.datetime,
    reason: str | None,
) -> None:
    cur.execute(
        "UPDATE correction_requests SET status = ?, decided_by = ?, decided_at = ?, "
        "decision_reason = ? WHERE id = ?",
        [status, decided_by, decided_at, reason, request_id],
    )


def open_edit_window(cur: Cursor, response_id: str, until: dt.date) -> None:
    """The response may be edited until `until` although its campaign is closed."""
    cur.execute("UPDATE responses SET edit_until = ? WHERE id = ?", [until, response_id])
