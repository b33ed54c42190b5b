"""The store on PostgreSQL (`OPP_DATABASE_URL=postgresql://…`): the same `Store` API the
repositories and services use, on psycopg 3.

- One connection per thread (as the DuckDB store has one cursor per thread): a Streamlit
  session's script run, a mail sender, an API request each keep their own; transactions
  are bound to it, so a repository never sees another thread's half-done work.
- Transactions run at REPEATABLE READ: like DuckDB's snapshot isolation, two sessions
  changing the same row conflict, and the loser gets WRITE_CONFLICT (a serialization
  failure) instead of silently overwriting.
- The data generation that makes caches stale is a PostgreSQL sequence (`opp_generation`):
  `bump()` draws the next value (never blocks, never conflicts, outside transactions), and
  `generation` reads it, so every app server sees another's writes.
- The URL's password is never logged nor shown: messages name `redacted(url)`.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import uuid
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, cast
from urllib.parse import urlsplit, urlunsplit

import duckdb
import psycopg
from psycopg.adapt import Loader
from psycopg.types.string import TextLoader

from opp.errors import OppError
from opp.store import failures
from opp.store.db import Cursor, Store
from opp.store.migrations import migrate as run_migrations
from opp.store.pg_arrow import ArrowReader
from opp.store.pg_cursor import PgCursor, translated

log = logging.getLogger("opp.store")
MIGRATION_LOCK = 0x6F7070  # "opp": the advisory lock held while the schema is migrated


def redacted(url: str) -> str:
    """`url` without its password (for messages and logs). The user information is cut
    from the text itself, so that a URL urllib cannot parse (several hosts,
    `db1:5432,db2:5432`, which libpq accepts) never shows its password either."""
    parts = urlsplit(url)
    userinfo, at, hosts = parts.netloc.rpartition("@")
    if not at or ":" not in userinfo:
        return url
    user = userinfo.split(":", 1)[0]
    return urlunsplit(parts._replace(netloc=f"{user}:***@{hosts}"))


class _NumericLoader(Loader):
    """PostgreSQL numerics as DuckDB returns its values: numeric(20, 0) (DuckDB's UBIGINT
    keys) and integral results (`sum` of a bigint) as ints, others (`avg`) as floats."""

    def load(self, data: Any) -> int | float:
        text = bytes(data).decode()
        return int(text) if text.lstrip("-").isdigit() else float(text)


def _connect(url: str) -> psycopg.Connection[Any]:
    try:
        con = psycopg.connect(url, autocommit=True, connect_timeout=10)
    except psycopg.Error as exc:
        reason = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        raise OppError("STORE_CONNECT", value=redacted(url), reason=reason) from None
    # OPP stores naive UTC timestamps (opp.clock): the session's own time zone must not
    # shift what SQL computes from the clock of the server.
    con.execute("SET TIME ZONE 'UTC'")
    # JSON columns read back as text, like DuckDB's (repositories parse them).
    con.adapters.register_loader("json", TextLoader)
    con.adapters.register_loader("jsonb", TextLoader)
    con.adapters.register_loader("numeric", _NumericLoader)
    return con


class PgStore(Store):
    """Owner of the PostgreSQL connections; same interface as the DuckDB `Store`."""

    engine = "postgres"
    multi_process = True

    def __init__(self, url: str, *, migrate: bool = True) -> None:
        # Not Store.__init__: there is no DuckDB file to open.
        self.url = url
        self.path = redacted(url)
        self._local = threading.local()
        self._lock = threading.Lock()
        self._epoch = 0
        # Weak: a thread's connection closes when the thread ends (Streamlit runs each
        # script in a thread of its own); `close()` and `reopen()` close the others.
        self._connections: weakref.WeakSet[psycopg.Connection[Any]] = weakref.WeakSet()
        self._readers: weakref.WeakSet[ArrowReader] = weakref.WeakSet()
        self.invalidated = False
        self.snapshots = {}
        self.campaign_rows = {}
        self._con = None
        con = self._thread_cursor().con
        with translated():
            # Two servers starting at once: one migrates, the other waits, then finds
            # nothing to do (a session lock, released below or with the connection).
            con.execute("SELECT pg_advisory_lock(%s)", [MIGRATION_LOCK])
        try:
            with translated():
                con.execute("CREATE SEQUENCE IF NOT EXISTS opp_generation")
                con.execute("CREATE SEQUENCE IF NOT EXISTS opp_campaigns_changed")
            if migrate:
                run_migrations(self)
        finally:
            with contextlib.suppress(psycopg.Error):
                con.execute("SELECT pg_advisory_unlock(%s)", [MIGRATION_LOCK])

    # The generation lives in the database (see the module docstring).
    @property
    def generation(self) -> int:
        row = (
            self.cursor()
            .execute("SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM opp_generation")
            .fetchone()
        )
        return int(row[0]) if row else 0

    @generation.setter
    def generation(self, value: int) -> None:  # Store.reopen's `+= 1`: draw a value
        self.bump()

    def bump(self) -> None:
        self.cursor().execute("SELECT nextval('opp_generation')").fetchall()

    # Memoised campaign rows are checked against a counter in the database too: a
    # campaign closed through another app server is never read from this one's memory.
    @property
    def campaigns_changed(self) -> int:
        row = (
            self.cursor()
            .execute(
                "SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM opp_campaigns_changed"
            )
            .fetchone()
        )
        return int(row[0]) if row else 0

    @campaigns_changed.setter
    def campaigns_changed(self, value: int) -> None:  # Store's `+= 1`: draw a value
        self.campaigns_written()

    def campaigns_written(self) -> None:
        self.cursor().execute("SELECT nextval('opp_campaigns_changed')").fetchall()

    def forget_rows(self) -> None:
        with self._lock:
            self.snapshots.clear()
            self.campaign_rows.clear()
        self.campaigns_written()

    def _thread_cursor(self) -> PgCursor:
        cur: PgCursor | None = getattr(self._local, "cursor", None)
        if cur is None or self._local.epoch != self._epoch or cur.con.closed:
            con = _connect(self.url)
            with self._lock:
                self._connections.add(con)
                self._local.epoch = self._epoch
            cur = PgCursor(con)
            self._local.cursor = cur
        return cur

    def cursor(self) -> Cursor:
        """This thread's cursor (its own connection)."""
        return cast(Cursor, self._thread_cursor())

    def _thread_reader(self) -> ArrowReader:
        """This thread's ADBC connection for analytics (`pg_arrow`), opened on first use."""
        reader: ArrowReader | None = getattr(self._local, "reader", None)
        if reader is None or self._local.reader_epoch != self._epoch:
            reader = ArrowReader(self.url, self.path)
            with self._lock:
                self._readers.add(reader)
                self._local.reader_epoch = self._epoch
            self._local.reader = reader
        return reader

    @contextmanager
    def relation_cursor(self) -> Iterator[Cursor]:
        cur = PgCursor(self._thread_cursor().con, self._thread_reader())
        try:
            yield cast(Cursor, cur)
        finally:
            cur.close()

    @contextmanager
    def transaction(self) -> Iterator[Cursor]:
        """All-or-nothing block at REPEATABLE READ: commit on success, roll back on any
        exception; conflicts and a lost server become the DuckDB path's errors."""
        cur = self._thread_cursor()
        try:
            with translated():
                cur.con.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
        except duckdb.Error as exc:
            raise self.failed(exc, "begin") from exc
        try:
            yield cast(Cursor, cur)
        except duckdb.Error as exc:
            self._rollback(cur)
            if not failures.is_storage_failure(exc):
                raise
            raise self.failed(exc, "write") from exc
        except BaseException:
            self._rollback(cur)
            raise
        try:
            with translated():
                cur.con.execute("COMMIT")
        except duckdb.Error as exc:
            self._rollback(cur)
            raise self.failed(exc, "commit") from exc

    @staticmethod
    def _rollback(cur: PgCursor) -> None:
        with contextlib.suppress(psycopg.Error):
            cur.con.execute("ROLLBACK")

    def usable(self) -> bool:
        try:
            self.cursor().execute("SELECT 1").fetchall()
        except duckdb.Error:
            return False
        return True

    def reopen(self) -> None:
        """Drop every connection (a thread opens a new one on its next query)."""
        with self._lock:
            self._epoch += 1
        self._close_all()
        self.invalidated = False
        log.warning("storage: connections to %s reopened", self.path)

    def close(self) -> None:
        self._local.cursor = None
        self._local.reader = None
        self._close_all()

    def _close_all(self) -> None:
        with self._lock:
            old, self._connections = list(self._connections), weakref.WeakSet()
            readers, self._readers = list(self._readers), weakref.WeakSet()
        for con in old:
            with contextlib.suppress(psycopg.Error):
                con.close()
        for reader in readers:
            reader.close()

    def checkpoint(self) -> None:
        """PostgreSQL checkpoints by itself; nothing to do."""

    def _connection(self) -> duckdb.DuckDBPyConnection:
        ref = uuid.uuid4().hex[:8]
        log.error("storage: %s has no DuckDB connection (ref %s)", self.path, ref)
        raise OppError("STORE_UNAVAILABLE", ref=ref)
