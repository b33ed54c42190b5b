"""Backups: one Parquet file per table, a manifest with their SHA-256 checksums; and the
restore, which never executes anything found in the backup folder. The same format on
the DuckDB file and on PostgreSQL (`opp.store.backup_pg` reads and loads PostgreSQL);
a backup taken on either engine restores into either.

A backup holds only the rows present when it is made: data erased before is not in it.
Restoring builds the schema from OPP's own migrations (up to the backup's schema
version), checks every Parquet file against the checksum written at backup time and its
columns against the table, loads the rows, then applies the newer migrations. A folder
edited since (a statement added to a file, a modified Parquet file, an unknown table) is
refused or its extra files ignored, with a message naming the file. `compact` rewrites
the database file from a fresh backup, so nothing erased survives in its free pages.

Backups are private: folders 0700, files 0600 (they hold personal data).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
from pathlib import Path
from typing import Any

import duckdb

from opp import clock
from opp.errors import OppError
from opp.store.db import Store, private_file
from opp.store.migrations import LATEST, current_version, migrate
from opp.store.records import single

MANIFEST = "manifest.json"
FORMAT = 2  # 1: DuckDB's EXPORT DATABASE (schema.sql + load.sql), no checksums
_TABLE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def _quoted(path: Path) -> str:
    """A path as a SQL string literal (COPY … TO takes no parameter)."""
    return "'" + str(path).replace("'", "''") + "'"


def _tables(cur: duckdb.DuckDBPyConnection) -> list[str]:
    names = [
        r[0]
        for r in cur.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' "
            "ORDER BY table_name"
        ).fetchall()
    ]
    for name in names:  # table names become file names and SQL identifiers
        if not _TABLE.match(name):
            raise OppError("BACKUP_TABLE_UNKNOWN", value="", table=name, version="?")
    return names


def _columns(cur: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    return [
        r[0]
        for r in cur.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = ? "
            "ORDER BY ordinal_position",
            [table],
        ).fetchall()
    ]


def table_counts(cur: duckdb.DuckDBPyConnection) -> dict[str, int]:
    return {
        name: cur.execute(f'SELECT count(*) FROM "{name}"').fetchall()[0][0]
        for name in _tables(cur)
    }


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        for block in iter(lambda: source.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _private_dir(path: Path) -> None:
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.chmod(0o700)


def backup(store: Store, target_root: Path) -> Path:
    """Write `target_root/opp-backup-<UTC time>/`: one Parquet file per table (one
    consistent snapshot) and `manifest.json` with row counts, checksums and sequences.
    The same format on both engines: a backup restores into either (`restore`)."""
    store.checkpoint()
    stamp = clock.now().strftime("%Y%m%d-%H%M%S-%f")
    root = Path(target_root)
    if not root.exists():
        _private_dir(root)
    target = root / f"opp-backup-{stamp}"
    _private_dir(target)
    try:
        _write_backup(store, target)
    except (duckdb.Error, OSError) as exc:  # a full disk, a lost server: no half backup
        shutil.rmtree(target, ignore_errors=True)
        raise store.failed(exc, "backup") from exc
    return target


def _write_backup(store: Store, target: Path) -> dict[str, Any]:
    if store.engine == "postgres":
        from opp.store import backup_pg

        content = backup_pg.dump(store, target, _tables)
    else:
        content = _dump(store, target)
    for entry in content["files"].values():
        entry["sha256"] = sha256(target / entry["file"])
    manifest = {
        "format": FORMAT,
        "created_at": clock.now().isoformat(),
        "engine": store.engine,
        "schema_version": content["schema_version"],
        "source": store.path,
        "tables": content["tables"],
        "files": content["files"],
        "sequences": content["sequences"],
    }
    _write_private(target / MANIFEST, json.dumps(manifest, indent=2))
    return manifest


def _dump(store: Store, target: Path) -> dict[str, Any]:
    """The DuckDB file's tables as Parquet, written by DuckDB's COPY."""
    cur = store.cursor()
    cur.begin()  # every table from the same snapshot
    try:
        counts = table_counts(cur)
        files: dict[str, dict[str, Any]] = {}
        for table in counts:
            path = target / f"{table}.parquet"
            cur.execute(f'COPY (SELECT * FROM "{table}") TO {_quoted(path)} (FORMAT parquet)')
            private_file(path)
            files[table] = {"file": path.name, "columns": _columns(cur, table)}
        sequences = dict(
            cur.execute("SELECT sequence_name, last_value FROM duckdb_sequences()").fetchall()
        )
        version = current_version(cur)
    finally:
        cur.rollback()
    return {"schema_version": version, "tables": counts, "files": files, "sequences": sequences}


def _write_private(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)


def read_manifest(backup_dir: Path) -> dict[str, Any]:
    try:
        manifest = json.loads((Path(backup_dir) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise OppError("BACKUP_INVALID", value=str(backup_dir)) from exc
    if not isinstance(manifest, dict):
        raise OppError("BACKUP_INVALID", value=str(backup_dir))
    return manifest


def _checked_files(backup_dir: Path, manifest: dict[str, Any]) -> dict[str, Path]:
    """The Parquet file of each table, each checked against its recorded checksum."""
    where = str(backup_dir)
    if manifest.get("format") != FORMAT or not isinstance(manifest.get("files"), dict):
        raise OppError("BACKUP_OLD_FORMAT", value=where)
    version = manifest.get("schema_version")
    if not isinstance(version, int) or not 1 <= version <= LATEST:
        raise OppError("BACKUP_SCHEMA", value=where, found=version, supported=LATEST)
    out: dict[str, Path] = {}
    for table, entry in manifest["files"].items():
        if not _TABLE.match(str(table)) or not isinstance(entry, dict):
            raise OppError(
                "BACKUP_TABLE_UNKNOWN", value=where, table=str(table)[:80], version=version
            )
        # The file is named after the table, inside the folder: never a path of the
        # manifest's choosing.
        path = Path(backup_dir) / f"{table}.parquet"
        if entry.get("file") != path.name:
            raise OppError("BACKUP_FILE_MISSING", value=where, file=str(entry.get("file"))[:80])
        if not path.is_file() or path.is_symlink():
            raise OppError("BACKUP_FILE_MISSING", value=where, file=path.name)
        if sha256(path) != entry.get("sha256"):
            raise OppError("BACKUP_CHECKSUM", value=where, file=path.name)
        out[table] = path
    return out


def ignored_files(backup_dir: Path, manifest: dict[str, Any]) -> list[str]:
    """Files of the folder the restore does not read (e.g. schema.sql of an export)."""
    known = {MANIFEST} | {f"{t}.parquet" for t in manifest.get("files", {})}
    return sorted(p.name for p in Path(backup_dir).iterdir() if p.name not in known)


def is_database_url(target: str | Path) -> bool:
    """Whether a restore target names a PostgreSQL database rather than a file."""
    return isinstance(target, str) and target.startswith(("postgresql://", "postgres://"))


def restore(backup_dir: Path, database: Path | str) -> dict[str, Any]:
    """Create `database` from a backup (refuses to overwrite an existing file); a
    `postgresql://` URL restores into that database instead (`backup_pg.load`: it must
    hold no data).

    Nothing of the folder is executed: the schema comes from OPP's migrations, the rows
    from checksummed Parquet files. Built in a side file renamed at the end, so a refused
    or failed restore leaves nothing behind. Returns the manifest, with the names of the
    folder's files that were ignored under "ignored"."""
    backup_dir = Path(backup_dir)
    if is_database_url(database):
        from opp.store import backup_pg

        return backup_pg.load(backup_dir, str(database))
    manifest = read_manifest(backup_dir)
    files = _checked_files(backup_dir, manifest)
    database = Path(database)
    if database.exists():
        raise OppError("BACKUP_TARGET_EXISTS", value=str(database))
    partial = database.with_name(database.name + ".restoring")
    _remove(partial)
    try:
        _load(partial, backup_dir, manifest, files)
        private_file(partial)
        partial.replace(database)
    finally:
        _remove(partial)
    return {**manifest, "ignored": ignored_files(backup_dir, manifest)}


def _load(path: Path, backup_dir: Path, manifest: dict[str, Any], files: dict[str, Path]) -> None:
    where = str(backup_dir)
    version = manifest["schema_version"]
    store = Store(path, migrate=False)
    try:
        migrate(store, target=version)
        cur = store.cursor()
        tables = set(_tables(cur))
        for table in sorted(set(files) - tables):
            raise OppError("BACKUP_TABLE_UNKNOWN", value=where, table=table, version=version)
        for table in sorted(tables - set(files)):
            raise OppError("BACKUP_TABLE_MISSING", value=where, table=table, version=version)
        with store.transaction() as tx:
            tx.execute("DELETE FROM schema_version")  # the backup's own history replaces it
            for table, parquet in sorted(files.items()):
                _load_table(tx, where, table, parquet, manifest)
            for name, value in (manifest.get("sequences") or {}).items():
                known = single(
                    tx.execute(
                        "SELECT count(*) FROM duckdb_sequences() WHERE sequence_name = ?", [name]
                    ).fetchone()
                )[0]
                if known and isinstance(value, int):
                    tx.execute("SELECT setval(?, ?)", [name, value])
        migrate(store)  # a backup of an older schema comes back at today's
        store.checkpoint()
    finally:
        store.close()


def _load_table(
    tx: duckdb.DuckDBPyConnection, where: str, table: str, parquet: Path, manifest: dict
) -> None:
    def problem(text: str) -> OppError:
        return OppError("BACKUP_CONTENT", value=where, file=parquet.name, table=table, problem=text)

    try:
        described = tx.execute("DESCRIBE SELECT * FROM read_parquet(?)", [str(parquet)])
        columns = [r[0] for r in described.fetchall()]
    except duckdb.Error as exc:
        raise problem(str(exc).splitlines()[0][:120]) from exc
    expected = _columns(tx, table)
    if sorted(columns) != sorted(expected):
        extra = sorted(set(columns) - set(expected))
        missing = sorted(set(expected) - set(columns))
        raise problem(f"colonnes en trop {extra}, manquantes {missing}")
    try:
        tx.execute(f'INSERT INTO "{table}" BY NAME SELECT * FROM read_parquet(?)', [str(parquet)])
    except duckdb.Error as exc:
        raise problem(str(exc).splitlines()[0][:120]) from exc
    rows = single(tx.execute(f'SELECT count(*) FROM "{table}"').fetchone())[0]
    if rows != (manifest.get("tables") or {}).get(table):
        raise problem(f"{rows} lignes au lieu de {manifest['tables'].get(table)}")


def _remove(path: Path) -> None:
    for leftover in (path, path.with_name(path.name + ".wal")):
        with contextlib.suppress(FileNotFoundError):
            leftover.unlink()


def compact(database: Path, work_dir: Path) -> Path:
    """Rewrite the file from a fresh backup (the app must be stopped)."""
    from opp.store.db import open_store

    database = Path(database)
    store = open_store(database)
    try:
        if store.engine != "duckdb":  # PostgreSQL frees its pages itself (VACUUM FULL)
            raise OppError("COMPACT_POSTGRES")
        snapshot = backup(store, work_dir)
    finally:
        store.close()
    fresh = database.with_suffix(".compact.duckdb")
    _remove(fresh)
    restore(snapshot, fresh)
    shutil.move(str(fresh), str(database))
    wal = database.with_name(database.name + ".wal")
    if wal.exists():
        wal.unlink()
    shutil.rmtree(snapshot)
    return database
