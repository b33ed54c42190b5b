"""What repositories use of a DuckDB cursor, on a PostgreSQL connection (psycopg 3).

Repositories keep one SQL text (DuckDB's dialect) and one set of calls: `execute` (returns
the cursor), `fetchall`/`fetchone`, `description`, `executemany`, `register(name, arrow)`
+ `unregister`, `from_arrow(t).insert_into(table)` and `sql(...).pl()`. Here:
- statements are transpiled by `opp.store.dialect` (cached per text);
- `register` makes a temporary table typed from the Arrow schema, filled with binary
  `COPY`, so that the repository's `INSERT … SELECT … FROM name` runs unchanged;
- `sql(...)` (analytics: DuckDB relations read as Polars frames) runs on PostgreSQL: on
  a relation cursor outside a transaction through ADBC (`pg_arrow`: Arrow built in C,
  the registered Arrow tables it joins sent as temporary tables), else through psycopg;
  DuckDB-only SQL that joins registered tables runs in memory on the tables it names;
- psycopg's errors become the store's vocabulary (`duckdb`'s exception classes, which
  `opp.store.failures` and the repositories already handle): a unique violation is a
  `ConstraintException`, a serialization failure or deadlock a `TransactionException`
  (WRITE_CONFLICT), a lost connection `failures.Unreachable` (STORE_UNAVAILABLE).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from typing import Any

import duckdb
import psycopg
import pyarrow as pa
import sqlglot
from psycopg import errors as pg_errors
from sqlglot import exp

from opp.store import dialect, failures
from opp.store.pg_arrow import ArrowReader

# Arrow type → PostgreSQL column type of a registered table.
_PG_TYPES: list[tuple[Any, str]] = [
    (pa.types.is_boolean, "boolean"),
    (pa.types.is_int8, "smallint"),
    (pa.types.is_int16, "smallint"),
    (pa.types.is_int32, "integer"),
    (pa.types.is_int64, "bigint"),
    (pa.types.is_uint8, "smallint"),
    (pa.types.is_uint16, "integer"),
    (pa.types.is_uint32, "bigint"),
    (pa.types.is_uint64, "numeric(20, 0)"),
    (pa.types.is_floating, "double precision"),
    (pa.types.is_date, "date"),
    (pa.types.is_timestamp, "timestamp"),
    (pa.types.is_binary, "bytea"),
    (pa.types.is_large_binary, "bytea"),
    (pa.types.is_string, "text"),
    (pa.types.is_large_string, "text"),
    (pa.types.is_null, "text"),
]

# PostgreSQL type oid → Arrow type of the rows read back for DuckDB.
_ARROW_TYPES: dict[int, pa.DataType] = {
    16: pa.bool_(),
    17: pa.binary(),
    20: pa.int64(),
    21: pa.int16(),
    23: pa.int32(),
    25: pa.string(),
    114: pa.string(),  # json, read as text like DuckDB's JSON
    700: pa.float32(),
    701: pa.float64(),
    1009: pa.list_(pa.string()),
    1043: pa.string(),
    1082: pa.date32(),
    1114: pa.timestamp("us"),
    1700: pa.uint64(),  # numeric(20, 0): the only numeric OPP has (UBIGINT keys)
    3802: pa.string(),
}


# Typed forms of INSERT … SELECT statements (the schema is the same in every database).
_TYPED_INSERTS: dict[tuple[str, frozenset[str]], str] = {}


def pg_type(arrow: pa.DataType) -> str:
    if pa.types.is_list(arrow) or pa.types.is_large_list(arrow):
        return f"{pg_type(arrow.value_type)}[]"
    for test, name in _PG_TYPES:
        if test(arrow):
            return name
    raise TypeError(f"no PostgreSQL type for Arrow {arrow}")


def translate(exc: psycopg.Error) -> Exception:
    """The store's exception for a psycopg error (see the module docstring)."""
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    if isinstance(exc, psycopg.IntegrityError):
        return duckdb.ConstraintException(f"Constraint Error: {text}")
    if isinstance(exc, pg_errors.SerializationFailure | pg_errors.DeadlockDetected):
        return duckdb.TransactionException(f"Conflict: {text}")
    if isinstance(exc, psycopg.OperationalError) and not isinstance(exc, pg_errors.QueryCanceled):
        return failures.Unreachable(text)
    if isinstance(exc, psycopg.DataError | psycopg.ProgrammingError):
        return duckdb.InvalidInputException(text)
    return duckdb.Error(text)


@contextlib.contextmanager
def translated() -> Iterator[None]:
    try:
        yield
    except psycopg.Error as exc:
        raise translate(exc) from exc


class PgCursor:
    """A thread's cursor on its PostgreSQL connection, with DuckDB's cursor interface."""

    def __init__(self, con: psycopg.Connection[Any], reader: ArrowReader | None = None) -> None:
        self.con = con
        self._reader = reader  # relation cursors: analytics read through ADBC
        self._cur = con.cursor()
        self._registered: dict[str, pa.Table] = {}
        self._memory: duckdb.DuckDBPyConnection | None = None
        self._done = False  # the change count of the last statement was read

    # --- statements ------------------------------------------------------------------
    def execute(self, sql: str, params: Sequence[Any] | None = None) -> PgCursor:
        if self._registered and sql.lstrip()[:6].upper() == "INSERT":
            sql = self._typed_insert(sql)
        statement = dialect.to_postgres(sql)
        with translated():
            self._cur.execute(statement.sql, statement.bind(params))
        self._done = False
        return self

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> PgCursor:
        statement = dialect.to_postgres(sql)
        with translated():
            self._cur.executemany(statement.sql, [statement.bind(r) or {} for r in rows])
        return self

    def _count(self) -> list[tuple[Any, ...]] | None:
        """DuckDB answers INSERT/UPDATE/DELETE with one row: the number of rows changed
        (repositories read it); PostgreSQL with a status. None for a query with rows."""
        if self._cur.description is not None:
            return None
        status = (self._cur.statusmessage or "").split(" ", 1)[0]
        if status in ("INSERT", "UPDATE", "DELETE", "MERGE"):
            return [(self._cur.rowcount,)]
        return []

    def fetchall(self) -> list[tuple[Any, ...]]:
        counted = self._count()
        if counted is not None:
            return [] if self._counted_read() else counted
        with translated():
            return self._cur.fetchall()

    def fetchone(self) -> tuple[Any, ...] | None:
        counted = self._count()
        if counted is not None:
            return None if self._counted_read() or not counted else counted[0]
        with translated():
            return self._cur.fetchone()

    def fetchmany(self, size: int = 1) -> list[tuple[Any, ...]]:
        counted = self._count()
        if counted is not None:
            return [] if self._counted_read() else counted[:size]
        with translated():
            return self._cur.fetchmany(size)

    def _counted_read(self) -> bool:
        """Whether the count of the last statement was already read (then: no rows)."""
        done, self._done = self._done, True
        return done

    @property
    def description(self) -> list[tuple[Any, ...]] | None:
        columns = self._cur.description
        return None if columns is None else [(c.name, c.type_code) for c in columns]

    def close(self) -> None:
        self._cur.close()
        if self._memory is not None:
            self._memory.close()

    # --- Arrow in ----------------------------------------------------------------------
    def register(self, name: str, table: pa.Table) -> PgCursor:
        """`name` as a temporary table holding `table` (dropped at commit in a transaction,
        else replaced by the next registration of the same name). A relation cursor
        outside a transaction only keeps the Arrow table: `sql` sends it with the query."""
        if self._reader is not None and not self._in_transaction():
            self._registered[name] = table
            return self
        columns = ", ".join(f'"{f.name}" {pg_type(f.type)}' for f in table.schema)
        in_tx = self._in_transaction()
        with translated():
            self._cur.execute(f'DROP TABLE IF EXISTS pg_temp."{name}"')
            self._cur.execute(
                f'CREATE TEMP TABLE "{name}" ({columns})' + (" ON COMMIT DROP" if in_tx else "")
            )
        self._copy_in(f'pg_temp."{name}"', table)
        self._registered[name] = table
        return self

    def _in_transaction(self) -> bool:
        return self.con.info.transaction_status != psycopg.pq.TransactionStatus.IDLE

    def unregister(self, name: str) -> PgCursor:
        self._registered.pop(name, None)
        if self.con.info.transaction_status != psycopg.pq.TransactionStatus.INERROR:
            with translated():
                self._cur.execute(f'DROP TABLE IF EXISTS pg_temp."{name}"')
        return self

    def _typed_insert(self, sql: str) -> str:
        """`INSERT INTO t (…) SELECT … FROM registered`, each selected value cast to its
        column's type: DuckDB converts a registered text column into JSON (or an all-null
        Arrow column into a timestamp) by itself, PostgreSQL only when asked."""
        key = (sql, frozenset(self._registered))
        if key in _TYPED_INSERTS:
            return _TYPED_INSERTS[key]
        tree = sqlglot.parse_one(sql, read="duckdb")
        select = tree.expression if isinstance(tree, exp.Insert) else None
        typed = sql
        if isinstance(select, exp.Select) and {t.name for t in select.find_all(exp.Table)} & set(
            self._registered
        ):
            target = tree.this
            table = target.this.name if isinstance(target, exp.Schema) else target.name
            types = self._column_types(table)
            names = (
                [c.name for c in target.expressions]
                if isinstance(target, exp.Schema)
                else list(types)
            )
            values = select.expressions
            if len(values) == len(names) and not any(isinstance(v, exp.Star) for v in values):
                select.set(
                    "expressions",
                    [
                        exp.alias_(exp.cast(v.this if isinstance(v, exp.Alias) else v, types[n]), n)
                        for v, n in zip(values, names, strict=True)
                    ],
                )
                typed = tree.sql(dialect="duckdb")
        _TYPED_INSERTS[key] = typed
        return typed

    def _column_types(self, table: str) -> dict[str, exp.DataType]:
        with translated():
            rows = self._cur.execute(
                "SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a "
                "WHERE a.attrelid = %s::regclass AND a.attnum > 0 AND NOT a.attisdropped "
                "ORDER BY a.attnum",
                [table],
            ).fetchall()
        return {name: exp.DataType.build(kind, dialect="postgres") for name, kind in rows}

    def from_arrow(self, table: pa.Table) -> _ArrowRows:
        return _ArrowRows(self, table)

    def _copy_in(self, target: str, table: pa.Table) -> None:
        names = ", ".join(f'"{f.name}"' for f in table.schema)
        types = [pg_type(f.type).replace("(20, 0)", "") for f in table.schema]
        columns = [table.column(i).to_pylist() for i in range(table.num_columns)]
        with (
            translated(),
            self._cur.copy(f"COPY {target} ({names}) FROM STDIN (FORMAT BINARY)") as copy,
        ):
            copy.set_types(types)
            for row in zip(*columns, strict=True):
                copy.write_row(row)

    # --- Arrow out (analytics) ------------------------------------------------------------
    def arrow(self, sql: str, params: Sequence[Any] | None = None) -> pa.Table:
        """The rows of a (DuckDB-dialect) query run on PostgreSQL, as an Arrow table."""
        self.execute(sql, params)
        described = self._cur.description or []
        rows = self.fetchall()
        arrays = []
        for i, column in enumerate(described):
            kind = _ARROW_TYPES.get(column.type_code)
            values = [row[i] for row in rows]
            arrays.append(pa.array(values, type=kind) if kind else pa.array(values))
        return pa.Table.from_arrays(arrays, names=[c.name for c in described])

    def sql(self, query: str, params: Sequence[Any] | None = None) -> duckdb.DuckDBPyRelation:
        """A DuckDB relation of `query`: run on PostgreSQL when it can be (the rows handed
        to DuckDB as Arrow: through ADBC on a relation cursor outside a transaction, with
        the registered tables it joins; else through psycopg); in memory, on the database
        tables it names read into Arrow, when it is DuckDB-only SQL (`GROUP BY ALL`…) or
        joins registered tables inside a transaction."""
        memory = self._memory_connection()
        tree = sqlglot.parse_one(query, read="duckdb")
        local = {cte.alias for cte in tree.find_all(exp.CTE)}
        tables = {t.name for t in tree.find_all(exp.Table)} - local
        if self._reader is not None and not self._in_transaction():
            with contextlib.suppress(dialect.NotPortable):
                statement = dialect.to_postgres(query)
                if not statement.names:
                    joined = {n: t for n, t in self._registered.items() if n in tables}
                    return memory.from_arrow(self._reader.query(statement, params, joined))
        if not tables & set(self._registered):
            with contextlib.suppress(dialect.NotPortable):
                return memory.from_arrow(self.arrow(query, params))
        for name in tables:
            if name in self._registered:
                memory.register(name, self._registered[name])
            else:  # a table of the database, read whole for DuckDB's in-memory join
                memory.register(name, self.arrow(f'SELECT * FROM "{name}"'))
        return memory.sql(query, params=list(params or ()))

    def _memory_connection(self) -> duckdb.DuckDBPyConnection:
        if self._memory is None:
            self._memory = duckdb.connect(":memory:")
        return self._memory


class _ArrowRows:
    """`cur.from_arrow(table).insert_into(name)`: a binary COPY into the table."""

    def __init__(self, cursor: PgCursor, table: pa.Table) -> None:
        self._cursor, self._table = cursor, table

    def insert_into(self, table: str) -> None:
        self._cursor._copy_in(f'"{table}"', self._table)
