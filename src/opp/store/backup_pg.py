"""Backups on PostgreSQL, in the format of the DuckDB file's (opp.store.backup).

- `dump`: every table read into Arrow inside ONE read-only REPEATABLE READ transaction
  (one snapshot for all tables, as the DuckDB backup), written as Parquet by pyarrow,
  with the positions of PostgreSQL's sequences (the audit and outbox ids, and the data
  generation that makes app caches stale).
- `load`: a backup restored into a PostgreSQL database that holds no data. The backup is
  first restored into a private temporary DuckDB file by `opp.store.backup.restore`
  (every check of the folder, the older schema's migrations run there), then every
  table is copied in one transaction: a refused restore changes nothing, a failed copy
  leaves no row (at most OPP's empty schema in a database that had none). A backup
  taken on either engine restores into either.
"""

from __future__ import annotations

import contextlib
import re
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import psycopg
import pyarrow as pa
import pyarrow.parquet as pq

from opp.errors import OppError
from opp.store.db import Store, private_file
from opp.store.migrations import current_version, migrate
from opp.store.pg_cursor import translated

if TYPE_CHECKING:
    from opp.store.engine_pg import PgStore
    from opp.store.pg_cursor import PgCursor

_NEXTVAL = re.compile(r"nextval\('\"?([a-z_][a-z0-9_]*)\"?'")
_ROWS = "opp_restore_rows"
BATCH = (
    50_000  # rows read or written at a time  # the temporary table each table's rows pass through
)


def dump(store: Store, target: Path, tables: Any) -> dict[str, Any]:
    """Write one Parquet file per table of `store` (PostgreSQL) into `target`; returns
    what the manifest records: counts, files, sequences, schema version."""
    cur = cast("PgCursor", store.cursor())
    with translated():  # a lost server: the store's STORE_UNAVAILABLE, not a traceback
        return _dump(cur, target, tables)


def _dump(cur: PgCursor, target: Path, tables: Any) -> dict[str, Any]:
    cur.con.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
    try:
        counts: dict[str, int] = {}
        files: dict[str, dict[str, Any]] = {}
        for table in tables(cur):
            path = target / f"{table}.parquet"
            counts[table] = _write_table(cur, table, path)
            private_file(path)
            files[table] = {"file": path.name, "columns": _columns(cur, table)}
        sequences = {
            name: int(value)
            for name, value in cur.con.execute(
                "SELECT sequencename, last_value FROM pg_sequences "
                "WHERE schemaname = current_schema() AND last_value IS NOT NULL"
            ).fetchall()
        }
        version = current_version(cur)  # type: ignore[arg-type]
    finally:
        with contextlib.suppress(psycopg.Error):
            cur.con.execute("ROLLBACK")
    return {"schema_version": version, "tables": counts, "files": files, "sequences": sequences}


def _write_table(cur: PgCursor, table: str, path: Path) -> int:
    """Stream `table` into a Parquet file, BATCH rows at a time (a server-side cursor:
    a table larger than memory is never held whole); returns its number of rows."""
    schema = cur.arrow(f'SELECT * FROM "{table}" LIMIT 0').schema  # names and types
    written = 0
    with (
        pq.ParquetWriter(path, schema) as out,
        cur.con.cursor(name=f"opp_backup_{table}") as server,
    ):
        server.execute(f'SELECT * FROM "{table}"')
        while batch := server.fetchmany(BATCH):
            columns = [
                pa.array([row[i] for row in batch], type=field.type)
                for i, field in enumerate(schema)
            ]
            out.write_table(pa.Table.from_arrays(columns, schema=schema))
            written += len(batch)
    return written


def _columns(cur: PgCursor, table: str) -> list[str]:
    return [
        r[0]
        for r in cur.con.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = %s "
            "ORDER BY ordinal_position",
            [table],
        ).fetchall()
    ]


def load(backup_dir: Path, url: str) -> dict[str, Any]:
    """Restore `backup_dir` into the (data-less) PostgreSQL database at `url`."""
    from opp.store import backup as backups

    with tempfile.TemporaryDirectory(prefix="opp-restore-") as work:
        staged = Path(work) / "staged.duckdb"
        manifest = backups.restore(backup_dir, staged)  # every check of the folder
        source = Store(staged)
        try:
            _copy(source, url, manifest)
        finally:
            source.close()
    return manifest


def _copy(source: Store, url: str, manifest: dict[str, Any]) -> None:
    from opp.store.backup import table_counts
    from opp.store.engine_pg import PgStore, redacted

    target = PgStore(url, migrate=False)
    try:
        cur = target.cursor()
        if current_version(cur):  # OPP's schema is there: it must hold no data
            for table, rows in table_counts(cur).items():
                if rows and table != "schema_version":
                    raise OppError(
                        "BACKUP_TARGET_NOT_EMPTY", value=redacted(url), table=table, rows=rows
                    )
        migrate(target)  # an empty database gets today's schema, like the staged file's
        src = source.cursor()
        with target.transaction() as tx:
            for table in table_counts(src):
                tx.execute(f'DELETE FROM "{table}"')  # schema_version: the backup's history
                reader = src.sql(f'SELECT * FROM "{table}"').to_arrow_reader(BATCH)
                for batch in reader:
                    rows = _plain(pa.Table.from_batches([batch]))
                    names = ", ".join(f'"{n}"' for n in rows.column_names)
                    tx.register(_ROWS, rows)
                    tx.execute(f'INSERT INTO "{table}" ({names}) SELECT {names} FROM {_ROWS}')
                    tx.unregister(_ROWS)
        _continue_sequences(target, source, manifest)
        target.bump()  # app servers still running drop what they cached
    finally:
        target.close()


def _plain(table: pa.Table) -> pa.Table:
    """`table` with the Arrow types the PostgreSQL cursor maps (no views, extensions)."""
    fields = []
    for field in table.schema:
        kind = field.type
        if isinstance(kind, pa.ExtensionType):
            kind = kind.storage_type
        if kind == pa.string_view():
            kind = pa.string()
        fields.append(pa.field(field.name, kind))
    return table.cast(pa.schema(fields))


def _continue_sequences(target: PgStore, source: Store, manifest: dict[str, Any]) -> None:
    """Every sequence of the database goes on after the restored values: past the
    position the backup recorded, the staged file's, and the largest id of the columns
    it numbers (a PostgreSQL sequence is not part of the transaction: set after it)."""
    cur = cast("PgCursor", target.cursor())
    positions: dict[str, int] = {
        name: int(value)
        for name, value in (manifest.get("sequences") or {}).items()
        if isinstance(value, int)
    }
    for name, value in (
        source.cursor()
        .execute("SELECT sequence_name, last_value FROM duckdb_sequences()")
        .fetchall()
    ):
        if value is not None:
            positions[name] = max(positions.get(name, 0), int(value))
    for table, column, default in cur.con.execute(
        "SELECT table_name, column_name, column_default FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND column_default LIKE 'nextval(%%'"
    ).fetchall():
        found = _NEXTVAL.match(default)
        if found:
            row = cur.con.execute(f'SELECT max("{column}") FROM "{table}"').fetchone()
            top = int(row[0]) if row and row[0] is not None else 0
            positions[found[1]] = max(positions.get(found[1], 0), top)
    for (name,) in cur.con.execute(
        "SELECT sequencename FROM pg_sequences WHERE schemaname = current_schema()"
    ).fetchall():
        if positions.get(name, 0) > 0:
            cur.con.execute("SELECT setval(%s::regclass, %s)", [name, positions[name]])
