"""Analytical reads on PostgreSQL, as Arrow built in C (ADBC's PostgreSQL driver).

Dashboards read a release's answers: hundreds of thousands of long rows per page at ×100.
Through psycopg each value becomes a Python object, then an Arrow array again: 12–61×
slower than the DuckDB file and gigabytes of memory (docs/PERFORMANCE.md, first run of
issue 20). `adbc-driver-postgresql` reads the result with libpq's binary COPY straight
into Arrow buffers, and sends the small Arrow tables a query joins (the release's row
numbers, the wanted questions) the same way, as temporary tables of its session: the
query runs in PostgreSQL, on its indexes, and only the wanted rows travel.

Each thread has its own ADBC connection (like its psycopg one), in autocommit: these
reads see committed data only, which is all analytics ever read (frozen releases). A
query run inside the thread's open transaction does not come here (`PgCursor.sql`).
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import adbc_driver_manager
import adbc_driver_postgresql.dbapi as adbc
import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from opp.errors import OppError
from opp.store import dialect, failures

_PSYCOPG_MARKS = re.compile(r"%%|%\((p\d+)\)s")
_PG_TYPE = b"POSTGRESQL:type"
APPLICATION = "opp analytics"


def numbered(statement: dialect.Statement) -> str:
    """The statement's text with libpq's `$n` placeholders instead of psycopg's
    `%(pn)s` (and `%%` back to `%`), scanned left to right so a literal `%` stays one."""

    def mark(match: re.Match[str]) -> str:
        return "%" if match.group(0) == "%%" else f"${match.group(1)[1:]}"

    return _PSYCOPG_MARKS.sub(mark, statement.sql) if statement.placeholders else statement.sql


def _ingestable(table: pa.Table) -> pa.Table:
    """PostgreSQL has no unsigned integers: widen them (values are row and column
    positions, far below the signed limits)."""
    fields = [
        pa.field(f.name, pa.int64())
        if pa.types.is_unsigned_integer(f.type)
        else pa.field(f.name, f.type)
        for f in table.schema
    ]
    return table.cast(pa.schema(fields))


def _plain(column: pa.ChunkedArray, field: pa.Field) -> pa.ChunkedArray:
    """A column as DuckDB reads it on the DuckDB file: numeric(20, 0) keys as UBIGINT
    (other numerics as doubles), JSON and other extension types as their text."""
    kind = (field.metadata or {}).get(_PG_TYPE, b"")
    if isinstance(column.type, pa.ExtensionType):
        column = pa.chunked_array([c.storage for c in column.chunks], type=column.type.storage_type)
    if kind == b"numeric":
        try:
            return pc.cast(column, pa.uint64())
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            return pc.cast(column, pa.float64())
    return column


def normalised(table: pa.Table, registered: Mapping[str, pa.Table]) -> pa.Table:
    """`table` without PostgreSQL's field metadata and extension types; a column named
    like a column of a joined Arrow table gets that table's type back (a `_row` sent as
    UInt32 comes back as bigint from PostgreSQL)."""
    known = {f.name: f.type for t in registered.values() for f in t.schema}
    columns, names = [], []
    for field, column in zip(table.schema, table.columns, strict=True):
        plain = _plain(column, field)
        if field.name in known and plain.type != known[field.name]:
            with contextlib.suppress(pa.ArrowInvalid, pa.ArrowNotImplementedError):
                plain = pc.cast(plain, known[field.name])
        columns.append(plain)
        names.append(field.name)
    return pa.Table.from_arrays(columns, names=names)


@contextlib.contextmanager
def translated() -> Iterator[None]:
    """ADBC's errors in the store's vocabulary (see `pg_cursor.translate`)."""
    try:
        yield
    except adbc_driver_manager.OperationalError as exc:
        raise failures.Unreachable(_first_line(exc)) from exc
    except adbc_driver_manager.IntegrityError as exc:
        raise duckdb.ConstraintException(f"Constraint Error: {_first_line(exc)}") from exc
    except adbc_driver_manager.Error as exc:
        raise duckdb.Error(_first_line(exc)) from exc


def _first_line(exc: Exception) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


class ArrowReader:
    """A thread's ADBC connection to the store's database (opened on first use)."""

    def __init__(self, url: str, shown: str) -> None:
        self.url, self.shown = url, shown
        self._con: Any = None

    def _connection(self) -> Any:
        if self._con is None:
            try:
                con = adbc.connect(self.url, autocommit=True)
            except adbc_driver_manager.Error as exc:
                raise OppError(
                    "STORE_CONNECT", value=self.shown, reason=_first_line(exc)[:200]
                ) from None
            with translated(), con.cursor() as cur:
                cur.execute("SET TIME ZONE 'UTC'")
                # Named in pg_stat_activity: an operator tells dashboard reads apart.
                cur.execute(f"SET application_name = '{APPLICATION}'")
            self._con = con
        return self._con

    def query(
        self,
        statement: dialect.Statement,
        params: Sequence[Any] | None,
        joined: Mapping[str, pa.Table],
    ) -> pa.Table:
        """The rows of `statement` (its `?` bound to `params`), the Arrow tables it joins
        sent first as temporary tables (analysed, so the planner knows their size). A
        read is retried once on a new connection when the server dropped this one (it
        restarted, an operator ended the session): it changes nothing, so it is safe."""
        try:
            return self._query(statement, params, joined)
        except failures.Unreachable:
            self.close()
        return self._query(statement, params, joined)

    def _query(
        self,
        statement: dialect.Statement,
        params: Sequence[Any] | None,
        joined: Mapping[str, pa.Table],
    ) -> pa.Table:
        bound = list(params or ())
        with translated(), self._connection().cursor() as cur:
            for name, table in joined.items():
                cur.adbc_ingest(name, _ingestable(table), mode="replace", temporary=True)
                cur.execute(f'ANALYZE pg_temp."{name}"')
            try:
                if bound:
                    cur.execute(numbered(statement), bound)
                else:
                    cur.execute(numbered(statement))
                return normalised(cur.fetch_arrow_table(), joined)
            finally:
                for name in joined:
                    cur.execute(f'DROP TABLE IF EXISTS pg_temp."{name}"')

    def __del__(self) -> None:  # a thread that ended: its connection goes with it
        self.close()

    def close(self) -> None:
        if self._con is not None:
            with contextlib.suppress(adbc_driver_manager.Error):
                self._con.close()
            self._con = None
