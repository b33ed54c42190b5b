"""One DuckDB connection per process, one cursor per thread, explicit transactions.

DuckDB allows a single writing process per file: opening a file another process holds
raises a clear `OppError` (with the other process id) instead of a traceback.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import duckdb

from opp.errors import OppError
from opp.store import failures
from opp.store.migrations import migrate as run_migrations

log = logging.getLogger("opp.store")

_LOCK_RE = re.compile(r"(?:Could not set lock|Conflicting lock)", re.IGNORECASE)
_PID_RE = re.compile(r"PID (\d+)")
T = TypeVar("T")
RETRY_ATTEMPTS = 8
# What a transaction hands its work: services and mail type their callbacks with it
# without importing duckdb (only the store does).
Cursor = duckdb.DuckDBPyConnection


class Store:
    """Owner of the DuckDB connection; repository functions take it as first argument."""

    engine = "duckdb"  # "postgres" for PgStore: what only a DuckDB file has checks it
    # False: one process holds the DuckDB file, so a mail claimed by another sender id
    # belongs to a process that has ended. True on PostgreSQL, where several app servers
    # share the store (outbox claims skip rows another server holds, leases decide).
    multi_process = False

    def __init__(self, path: str | Path, *, migrate: bool = True) -> None:
        self.path = str(path)
        self._con: duckdb.DuckDBPyConnection | None = _connect(self.path)
        self._local = threading.local()
        self._lock = threading.Lock()
        # Bumped when the connection is replaced (`reopen`): a thread's cursor of an
        # older connection is never used again.
        self._epoch = 0
        # Set by a fatal DuckDB error (the database is then invalidated for the process):
        # the next `revive()` reopens the file instead of failing every later request.
        self.invalidated = False
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
        if cur is None or self._local.epoch != self._epoch:
            with self._lock:
                cur = self._connection().cursor()
                self._local.epoch = self._epoch
            self._local.cursor = cur
        return cur

    def _connection(self) -> duckdb.DuckDBPyConnection:
        if self._con is None:  # a reopen failed (the file is held, the disk is full…)
            ref = uuid.uuid4().hex[:8]
            log.error("storage: %s is closed after a failed reopening (ref %s)", self.path, ref)
            raise OppError("STORE_UNAVAILABLE", ref=ref)
        return self._con

    @contextmanager
    def relation_cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A short-lived cursor for `.sql()` relations (they refuse a cursor that still
        holds an unfinished `execute()` result, which the thread cursor may)."""
        with self._lock:
            cur = self._connection().cursor()
        try:
            yield cur
        finally:
            cur.close()

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """All-or-nothing block: commit on success, roll back on any exception."""
        cur = self.cursor()
        try:
            cur.begin()
        except duckdb.Error as exc:
            raise self.failed(exc, "begin") from exc
        try:
            yield cur
        except duckdb.Error as exc:
            with contextlib.suppress(duckdb.Error):
                cur.rollback()
            if not failures.is_storage_failure(exc):
                raise  # a constraint, or a query the code got wrong: callers decide
            # Another session changed the same rows at the same moment (DuckDB's optimistic
            # concurrency), or the disk failed: nothing of this block is kept; say which.
            raise self.failed(exc, "write") from exc
        except BaseException:
            with contextlib.suppress(duckdb.Error):
                cur.rollback()
            raise
        try:
            cur.commit()
        except duckdb.Error as exc:
            # A full disk shows here (the write-ahead log is written at commit).
            with contextlib.suppress(duckdb.Error):
                cur.rollback()
            raise self.failed(exc, "commit") from exc

    def failed(self, exc: BaseException, action: str) -> OppError:
        """The user's error for a DuckDB failure (the operator's line is logged); a fatal
        one marks the store for reopening."""
        if failures.kind_of(exc) == "fatal":
            self.invalidated = True
        return failures.user_error(exc, path=self.path, action=action)

    def usable(self) -> bool:
        """False once DuckDB has invalidated the database (after a fatal error)."""
        if self.invalidated or self._con is None:
            return False
        try:
            self.cursor().execute("SELECT 1").fetchall()
        except duckdb.Error as exc:
            if failures.kind_of(exc) == "fatal":
                self.invalidated = True
                return False
        return True

    def revive(self) -> None:
        """Reopen the file if a fatal error invalidated the database (DuckDB refuses every
        later query until the database is reopened); otherwise do nothing."""
        if not self.usable():
            self.reopen()

    def reopen(self) -> None:
        """Close the connection (every thread's cursor with it) and open the file again:
        what DuckDB asks after a fatal error. Committed data is all there (the write-ahead
        log is replayed); a failure to reopen leaves the store closed and retried later."""
        with self._lock:
            old, self._con = self._con, None
            self._epoch += 1
            if old is not None:
                with contextlib.suppress(duckdb.Error):
                    old.close()
            self._con = _connect(self.path)
            self.invalidated = False
            self.generation += 1  # results computed before are dropped
        log.warning("storage: %s reopened after a fatal error", self.path)

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
            with contextlib.suppress(duckdb.Error):
                cur.close()
            self._local.cursor = None
        if self._con is not None:
            self._con.close()

    def checkpoint(self) -> None:
        """Write the log into the database file. A failure (full disk) is fatal to
        DuckDB: the store is marked for reopening and the user told which kind it was."""
        try:
            self.cursor().execute("CHECKPOINT")
        except duckdb.Error as exc:
            raise self.failed(exc, "checkpoint") from exc


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


def private_files() -> None:
    """From now on, files and folders this process creates are its owner's only (0600 /
    0700): the database, its write-ahead log, DuckDB's spill files, backups. They hold
    personal data; nobody else on the machine has to read them."""
    os.umask(0o077)


def private_file(path: Path) -> None:
    """Make an existing file of ours readable by its owner only (0600)."""
    if path.exists() and path.stat().st_mode & 0o077:
        path.chmod(0o600)


def _connect(path: str) -> duckdb.DuckDBPyConnection:
    config: dict[str, str | bool | int | float | list[str]] = {}  # duckdb.connect's type
    if path != ":memory:":
        private_files()
        Path(path).parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        config["memory_limit"] = _memory_limit()
        for existing in (Path(path), Path(path + ".wal")):  # made before OPP set 0600
            with contextlib.suppress(OSError):
                private_file(existing)
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
    """Open (and migrate) the store: PostgreSQL when `OPP_DATABASE_URL` is set (the DuckDB
    `path` is then unused), else the DuckDB file at `path`."""
    from opp import settings

    url = settings.database_url()
    if url is not None:
        from opp.store.engine_pg import PgStore  # psycopg only loaded when used

        return PgStore(url)
    return Store(path)
