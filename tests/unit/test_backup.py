"""Backups that can be trusted: restore executes nothing from the folder, refuses a
modified or incomplete backup, and everything written is private (0600 / 0700).

The full round trip on the demo region (every table, index, constraint and sequence
identical) is tests/reliability/test_backup_cli.py; here a small store is enough.
"""

from __future__ import annotations

import json
import shutil
import stat
from pathlib import Path

import duckdb
import pytest
from conftest import ADMIN

from opp.errors import OppError
from opp.store import audit, open_store
from opp.store.backup import backup, restore, sha256, table_counts

# A backup taken on PostgreSQL (second run) is checked the same way when restored.
pytestmark = pytest.mark.both_backends


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def made(make_response, make_questionnaire, tmp_store, tmp_path) -> Path:
    """A backup of a store holding one submitted response and a few audit lines."""
    make_response(make_questionnaire(), {"effectif": 3, "femmes": 1}, submit=True)
    with tmp_store.transaction() as cur:
        audit.record(cur, ADMIN, "test.line", "test", "x")
    return backup(tmp_store, tmp_path / "backups")


def _rows(path: Path) -> dict[str, int]:
    store = open_store(path)
    try:
        return table_counts(store.cursor())
    finally:
        store.close()


def test_backup__restore_ignores_sql_added_to_the_folder(made, tmp_store, tmp_path):
    # What DuckDB's EXPORT DATABASE wrote and IMPORT DATABASE ran: a restore used to
    # execute this file as written, so a statement added to it wrote anywhere on disk.
    written = tmp_path / "written-by-the-backup.csv"
    schema = made / "schema.sql"
    before = schema.read_text(encoding="utf-8") if schema.exists() else ""
    schema.write_text(
        f"{before}\nCOPY (SELECT 42 AS a) TO '{written}' (FORMAT csv);\n", encoding="utf-8"
    )
    result = restore(made, tmp_path / "restored.duckdb")
    assert not written.exists()
    assert "schema.sql" in result["ignored"]
    assert _rows(tmp_path / "restored.duckdb") == table_counts(tmp_store.cursor())


def test_backup__a_modified_parquet_file_is_refused_and_nothing_is_created(made, tmp_path):
    answers = made / "answers.parquet"
    con = duckdb.connect()
    doctored = tmp_path / "doctored.parquet"
    con.execute(
        "COPY (SELECT * REPLACE (value_num * 100 AS value_num) FROM read_parquet(?)) "
        f"TO '{doctored}' (FORMAT parquet)",
        [str(answers)],
    )
    con.close()
    shutil.copy(doctored, answers)
    target = tmp_path / "restored.duckdb"
    with pytest.raises(OppError) as info:
        restore(made, target)
    assert info.value.code == "BACKUP_CHECKSUM"
    assert "answers.parquet" in info.value.message("fr")
    assert "a été modifié depuis la sauvegarde" in info.value.message("fr")
    assert not target.exists()
    assert not list(tmp_path.glob("restored.duckdb*"))


@pytest.mark.parametrize(
    ("edit", "code"),
    [
        # A table the schema does not have (its file and checksum made consistent).
        ("unknown_table", "BACKUP_TABLE_UNKNOWN"),
        # A table of the schema left out.
        ("missing_table", "BACKUP_TABLE_MISSING"),
        # A file name pointing out of the folder.
        ("path_traversal", "BACKUP_FILE_MISSING"),
        # A backup written by DuckDB's EXPORT DATABASE (no checksums).
        ("old_format", "BACKUP_OLD_FORMAT"),
        ("schema_from_the_future", "BACKUP_SCHEMA"),
    ],
)
def test_backup__a_manifest_edited_by_hand_is_refused(made, tmp_path, edit, code):
    manifest = json.loads((made / "manifest.json").read_text(encoding="utf-8"))
    if edit == "unknown_table":
        shutil.copy(made / "meta.parquet", made / "intrus.parquet")
        manifest["files"]["intrus"] = {
            "file": "intrus.parquet",
            "sha256": sha256(made / "intrus.parquet"),
            "columns": [],
        }
    elif edit == "missing_table":
        del manifest["files"]["accounts"]
        (made / "accounts.parquet").unlink()
    elif edit == "path_traversal":
        manifest["files"]["answers"]["file"] = "../../answers.parquet"
    elif edit == "old_format":
        del manifest["format"]
        del manifest["files"]
    else:
        manifest["schema_version"] = 999
    (made / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(OppError) as info:
        restore(made, tmp_path / "restored.duckdb")
    assert info.value.code == code
    assert not list(tmp_path.glob("restored.duckdb*"))


def test_backup__parquet_columns_must_match_the_table(made, tmp_path):
    con = duckdb.connect()
    odd = made / "meta.parquet"
    con.execute(f"COPY (SELECT 1 AS something_else) TO '{odd}' (FORMAT parquet)")
    con.close()
    manifest = json.loads((made / "manifest.json").read_text(encoding="utf-8"))
    manifest["files"]["meta"]["sha256"] = sha256(odd)  # consistent, but not OPP's table
    (made / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(OppError) as info:
        restore(made, tmp_path / "restored.duckdb")
    assert info.value.code == "BACKUP_CONTENT"
    assert "something_else" in info.value.message("fr")


def test_backup__the_audit_sequence_goes_on_after_a_restore(made, tmp_store, tmp_path):
    last = tmp_store.cursor().execute("SELECT max(id) FROM audit_log").fetchone()[0]
    restored = open_store(restore(made, tmp_path / "r.duckdb") and tmp_path / "r.duckdb")
    try:
        with restored.transaction() as cur:
            audit.record(cur, ADMIN, "test.after", "test", "y")
        new = restored.cursor().execute("SELECT max(id) FROM audit_log").fetchone()[0]
        assert new > last
    finally:
        restored.close()


@pytest.mark.duckdb_only  # the database file and its write-ahead log
def test_files__database_wal_backups_and_restores_are_private(made, tmp_store, tmp_path):
    db = Path(tmp_store.path)
    assert _mode(db) == 0o600
    with tmp_store.transaction() as cur:  # a write: DuckDB creates the write-ahead log
        audit.record(cur, ADMIN, "test.wal", "test", "z")
    wal = db.with_name(db.name + ".wal")
    assert wal.exists()
    assert _mode(wal) == 0o600
    assert _mode(made.parent) == 0o700
    assert _mode(made) == 0o700
    assert {_mode(p) for p in made.iterdir()} == {0o600}
    restore(made, tmp_path / "restored.duckdb")
    assert _mode(tmp_path / "restored.duckdb") == 0o600


def test_files__an_existing_database_readable_by_others_is_made_private(tmp_path):
    import os

    path = tmp_path / "old.duckdb"
    old = os.umask(0o022)
    try:
        duckdb.connect(str(path)).close()
    finally:
        os.umask(old)
    assert _mode(path) == 0o644
    open_store(path).close()
    assert _mode(path) == 0o600


def test_backup__of_an_older_schema_is_restored_at_todays(tmp_path):
    from opp.store.db import Store
    from opp.store.migrations import LATEST, current_version, migrate

    old = Store(tmp_path / "old.duckdb", migrate=False)
    try:
        migrate(old, target=LATEST - 1)
        folder = backup(old, tmp_path / "backups")
    finally:
        old.close()
    restore(folder, tmp_path / "restored.duckdb")
    store = open_store(tmp_path / "restored.duckdb")
    try:
        assert current_version(store.cursor()) == LATEST
        rows = store.cursor().execute("SELECT version FROM schema_version").fetchall()
        versions = [r[0] for r in rows]
        assert sorted(versions) == list(range(1, LATEST + 1))
    finally:
        store.close()
