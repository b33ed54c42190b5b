"""Backups: a Parquet snapshot of every table (DuckDB EXPORT DATABASE) and its restore.

A backup holds only the rows present when it is made: data erased before is not in it.
`compact` rewrites the database file from a fresh export, so nothing erased survives in
free pages of the file either.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import duckdb

from opp import clock
from opp.errors import OppError
from opp.store.db import Store
from opp.store.migrations import current_version

MANIFEST = "manifest.json"


def _quoted(path: Path) -> str:
    """A path as a SQL string literal (EXPORT/IMPORT take no parameters)."""
    return "'" + str(path).replace("'", "''") + "'"


def table_counts(cur: duckdb.DuckDBPyConnection) -> dict[str, int]:
    names = [
        r[0]
        for r in cur.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'main' ORDER BY table_name"
        ).fetchall()
    ]
    return {name: cur.execute(f'SELECT count(*) FROM "{name}"').fetchall()[0][0] for name in names}


def backup(store: Store, target_root: Path) -> Path:
    """Write `target_root/opp-backup-<UTC time>/` with the Parquet files and a manifest."""
    store.checkpoint()
    stamp = clock.now().strftime("%Y%m%d-%H%M%S-%f")
    target = Path(target_root) / f"opp-backup-{stamp}"
    target.parent.mkdir(parents=True, exist_ok=True)
    cur = store.cursor()
    cur.execute(f"EXPORT DATABASE {_quoted(target)} (FORMAT parquet)")
    manifest = {
        "created_at": clock.now().isoformat(),
        "schema_version": current_version(cur),
        "source": store.path,
        "tables": table_counts(cur),
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return target


def read_manifest(backup_dir: Path) -> dict[str, Any]:
    try:
        return json.loads((Path(backup_dir) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise OppError("BACKUP_INVALID", value=str(backup_dir)) from exc


def restore(backup_dir: Path, database: Path) -> dict[str, Any]:
    """Create `database` from a backup (refuses to overwrite an existing file)."""
    manifest = read_manifest(backup_dir)
    database = Path(database)
    if database.exists():
        raise OppError("BACKUP_TARGET_EXISTS", value=str(database))
    database.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(database))
    try:
        con.execute(f"IMPORT DATABASE {_quoted(Path(backup_dir))}")
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return manifest


def compact(database: Path, work_dir: Path) -> Path:
    """Rewrite the file from a fresh export (the app must be stopped)."""
    from opp.store.db import open_store

    database = Path(database)
    store = open_store(database)
    try:
        snapshot = backup(store, work_dir)
    finally:
        store.close()
    fresh = database.with_suffix(".compact.duckdb")
    if fresh.exists():
        fresh.unlink()
    restore(snapshot, fresh)
    shutil.move(str(fresh), str(database))
    wal = database.with_name(database.name + ".wal")
    if wal.exists():
        wal.unlink()
    shutil.rmtree(snapshot)
    return database
