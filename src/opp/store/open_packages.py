"""Published open-data packages (migration 9): the zipped files exactly as published."""

from __future__ import annotations

import datetime as dt

import duckdb
from pydantic import BaseModel

from opp.store.db import Store


class OpenPackage(BaseModel):
    id: str
    campaign_id: str
    release_id: int
    published_at: dt.datetime
    published_by: str
    title: str
    content: bytes


def insert(cur: duckdb.DuckDBPyConnection, row: OpenPackage) -> None:
    cur.execute(
        "INSERT INTO open_packages VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            row.id,
            row.campaign_id,
            row.release_id,
            row.published_at,
            row.published_by,
            row.title,
            row.content,
        ],
    )


_SELECT = (
    "SELECT id, campaign_id, release_id, published_at, published_by, title, content "
    "FROM open_packages"
)


def _one(store: Store, sql: str, params: list) -> OpenPackage | None:
    cur = store.cursor()
    rows = cur.execute(sql, params).fetchall()
    if not rows:
        return None
    names = [d[0] for d in cur.description]
    return OpenPackage.model_validate(dict(zip(names, rows[0], strict=True)))


def latest(store: Store) -> OpenPackage | None:
    return _one(store, f"{_SELECT} ORDER BY published_at DESC, id LIMIT 1", [])


def get(store: Store, package_id: str) -> OpenPackage | None:
    return _one(store, f"{_SELECT} WHERE id = ?", [package_id])


def latest_id(store: Store) -> str | None:
    """The latest package's id (cheap: the page's cache key)."""
    row = (
        store.cursor()
        .execute("SELECT id FROM open_packages ORDER BY published_at DESC, id LIMIT 1")
        .fetchone()
    )
    return row[0] if row else None
