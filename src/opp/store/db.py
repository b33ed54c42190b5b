"""One DuckDB connection per process, one cursor per thread, explicit transactions.

DuckDB allows a single writing process per file: opening a file another process holds
raises a clear `OppError` (with the other process id) instead of a traceback.
"""

from __future__ import annotations

import contextlib
import os
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import duckdb

from opp.errors import OppError
from opp.store.migrations import migrate as run_migrations

_LOCK_RE = re.compile(r"(?:Could not set lock|Conflicting lock)", re.IGNORECASE)
_PID_RE = re.compile(r"PID (\d+)")
T = TypeVar("T")
RETRY_ATTEMPTS = 8


class Store:
    """Owner of the DuckDB connection; repository functions take it as first argument."""

    def __init__(self, path: str | Path, *, migrate: bool = True) -> None:
        self.path = str(path)
        self._con = _connect(self.path)
        self._local = threading.local()
        self._lock = threading.Lock()
        self.generation = 0  # bumped after every committed write; part of cache keys
        # Parsed published questionnaire versions by (id, version): immutable once
        # published, read on every save; kept per store, as each file has its own.
        self.snapshots: dict[tuple[str, str], Any] = {}
        # Campaign rows by id, each with the value of `campaigns_changed` when it was
        # read: an entry read before a campaign was created or closed is never used.
        self.campaign_rows: dict[str, tuple[int, Any]] = {}
        self.campaigns_changed = 0
        if migrate:
            run_migrations(self)

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """This thread's cursor (DuckDB connections must not be shared across threads)."""
        cur = getattr(self._local, "cursor", None)
        if cur is None:
            with self._lock:
                cur = self._con.cursor()
            self._local.cursor = cur
        return cur

    @contextmanager
    def relation_cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A short-lived cursor for `.sql()` relations (they refuse a cursor that still
        holds an unfinished `execute()` result, which the thread cursor may)."""
        with self._lock:
            cur = self._con.cursor()
        try:
            yield cur
        finally:
            cur.close()

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """All-or-nothing block: commit on success, roll back on any exception."""
        cur = self.cursor()
        cur.begin()
        try:
            yield cur
        except duckdb.TransactionException as exc:
            # Another session changed the same rows at the same moment (DuckDB's optimistic
            # concurrency): nothing of this block is kept; say so instead of a raw error.
            with contextlib.suppress(duckdb.Error):
                cur.rollback()
            raise OppError("WRITE_CONFLICT") from exc
        except BaseException:
            cur.rollback()
            raise
        try:
            cur.commit()
        except duckdb.TransactionException as exc:
            with contextlib.suppress(duckdb.Error):
                cur.rollback()
            raise OppError("WRITE_CONFLICT") from exc

    def retrying(self, work: Callable[[duckdb.DuckDBPyConnection], T]) -> T:
        """`work` in a transaction, run again after a short pause when another session
        wrote the same rows at the same moment.

        Only for writes whose content does not depend on what the other session wrote
        (the time of a sign-in, an audit line): a user's edit must instead report the
        conflict, so that nothing is overwritten unseen."""
        for attempt in range(RETRY_ATTEMPTS):
            try:
                with self.transaction() as cur:
                    return work(cur)
            except OppError as err:
                if err.code != "WRITE_CONFLICT" or attempt == RETRY_ATTEMPTS - 1:
                    raise
                time.sleep(0.01 * 2**attempt)
        raise OppError("WRITE_CONFLICT")  # not reached: the last attempt raises

    def campaigns_written(self) -> None:
        """A campaign was created or closed (after its commit): cached rows are stale."""
        with self._lock:
            self.campaigns_changed += 1

    def forget_rows(self) -> None:
        """Every row was deleted (a demo rebuild): drop the memoised snapshots and rows."""
        with self._lock:
            self.snapshots.clear()
            self.campaign_rows.clear()
            self.campaigns_changed += 1

    def bump(self) -> None:
        """Mark that data changed (cached results computed before are stale)."""
        with self._lock:
            self.generation += 1

    def close(self) -> None:
        cur = getattr(self._local, "cursor", None)
        if cur is not None:
            cur.close()
            self._local.cursor = None
        self._con.close()

    def checkpoint(self) -> None:
        self.cursor().execute("CHECKPOINT")


# DuckDB's buffer pool defaults to 80 % of the machine's memory and keeps the table
# blocks it has read: at ×100 that alone held ~250 MiB more after the dashboards were
# computed. A cap makes it evict (re-reading from the OS page cache is cheap) and spill
# to disk rather than grow; OPP_DUCKDB_MEMORY_LIMIT overrides it (e.g. "2GB").
DEFAULT_MEMORY_LIMIT = "256MB"


_MEMORY_RE = re.compile(r"^\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$|^\d{1,2}%$", re.I)


def _memory_limit() -> str:
    value = os.environ.get("OPP_DUCKDB_MEMORY_LIMIT", DEFAULT_MEMORY_LIMIT).strip()
    if not _MEMORY_RE.match(value):
        raise OppError("STORE_MEMORY_LIMIT", value=value[:40])
    return value


def _connect(path: str) -> duckdb.DuckDBPyConnection:
    config: dict[str, str] = {}
    if path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        config["memory_limit"] = _memory_limit()
    try:
        return duckdb.connect(path, config=config)
    except duckdb.IOException as exc:
        text = str(exc)
        if _LOCK_RE.search(text):
            pid = _PID_RE.search(text)
            raise OppError(
                "STORE_LOCKED", value=path, holder=pid.group(1) if pid else "?"
            ) from None
        raise OppError("STORE_UNREADABLE", value=path, reason=text.splitlines()[0][:200]) from None
    except duckdb.Error as exc:
        raise OppError(
            "STORE_UNREADABLE", value=path, reason=str(exc).splitlines()[0][:200]
        ) from None


def open_store(path: str | Path) -> Store:
    """Open (and migrate) the store at `path`."""
    return Store(path)
