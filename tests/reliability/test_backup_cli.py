"""Backup and restore through the documented commands, on a copy of the demo region.

`python -m opp backup --to DIR` then `python -m opp restore BACKUP --to FILE` must give back
a store equal to the original, table by table (tests/unit/test_contributor_space.py tests
the functions on a few tables; this goes through the CLI and compares everything).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from conftest import demo_viewer

from opp import answering
from opp.store import open_store


def _opp(*args: str, db: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "OPP_DB": str(db)} if db else None
    return subprocess.run(
        [sys.executable, "-m", "opp", *args],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )


def _tables(con: duckdb.DuckDBPyConnection, catalog: str) -> dict[str, list[tuple[str, str]]]:
    """Every table of a database with its columns and their types."""
    rows = con.execute(
        "SELECT table_name, column_name, data_type FROM information_schema.columns "
        "WHERE table_catalog = ? AND table_schema = 'main' "
        "ORDER BY table_name, ordinal_position",
        [catalog],
    ).fetchall()
    tables: dict[str, list[tuple[str, str]]] = {}
    for table, column, kind in rows:
        tables.setdefault(table, []).append((column, kind))
    return tables


def _catalog_objects(con: duckdb.DuckDBPyConnection, catalog: str) -> dict[str, set]:
    return {
        "indexes": {
            (r[0], r[1])
            for r in con.execute(
                "SELECT index_name, table_name FROM duckdb_indexes() WHERE database_name = ?",
                [catalog],
            ).fetchall()
        },
        "constraints": {
            (r[0], r[1], tuple(r[2]))
            for r in con.execute(
                "SELECT table_name, constraint_type, constraint_column_names "
                "FROM duckdb_constraints() WHERE database_name = ?",
                [catalog],
            ).fetchall()
        },
        "sequences": {
            r[0]
            for r in con.execute(
                "SELECT sequence_name FROM duckdb_sequences() WHERE database_name = ?", [catalog]
            ).fetchall()
        },
    }


@pytest.mark.slow
def test_backup_cli__restored_store_equals_the_original_table_by_table(demo_copy, tmp_path):
    backups = tmp_path / "backups"
    done = _opp("backup", "--to", str(backups), db=demo_copy)
    assert done.returncode == 0, done.stderr
    [folder] = list(backups.iterdir())
    assert f"Sauvegarde écrite dans {folder}" in done.stdout
    restored = tmp_path / "restored.duckdb"
    done = _opp("restore", str(folder), "--to", str(restored))
    assert done.returncode == 0, done.stderr
    assert f"Base restaurée dans {restored}" in done.stdout

    con = duckdb.connect(str(restored))
    try:
        con.execute(f"ATTACH '{demo_copy}' AS original (READ_ONLY)")
        tables = _tables(con, "restored")
        assert tables == _tables(con, "original")
        assert {"answers", "responses", "organisations", "accounts", "audit_log"} <= set(tables)
        assert _catalog_objects(con, "restored") == _catalog_objects(con, "original")
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        for table in tables:
            counts = [
                con.execute(f'SELECT count(*) FROM {db}.main."{table}"').fetchone()[0]
                for db in ("restored", "original")
            ]
            assert counts[0] == counts[1] == manifest["tables"][table], table
            for left, right in (("original", "restored"), ("restored", "original")):
                missing = con.execute(
                    f'SELECT count(*) FROM (SELECT * FROM {left}.main."{table}" '
                    f'EXCEPT ALL SELECT * FROM {right}.main."{table}")'
                ).fetchone()[0]
                assert missing == 0, f"{table}: {missing} rows of {left} not in {right}"
        assert con.execute("SELECT count(*) FROM answers").fetchone()[0] > 50_000
        last_audit = con.execute("SELECT max(id) FROM audit_log").fetchone()[0]
    finally:
        con.close()

    # The restored file is a working store: a contributor saves, the audit log goes on.
    viewer = demo_viewer(restored, "contrib:cirque")
    store = open_store(restored)
    try:
        [campaign] = [
            c for c in answering.campaigns_for(store, viewer) if c.questionnaire_id == "cirque"
        ]
        session = answering.open_session(store, viewer, campaign.id)
        answers = {**session.answers, "nom_structure": "Après restauration"}
        saved = answering.save(store, viewer, session, answers)
        assert saved.answers["nom_structure"] == "Après restauration"
        new_audit = (
            store.cursor()
            .execute("SELECT min(id) FROM audit_log WHERE object_id = ?", [saved.meta.id])
            .fetchone()[0]
        )
        assert new_audit > last_audit
    finally:
        store.close()

    # A restore never overwrites a file.
    before = restored.stat().st_mtime_ns
    done = _opp("restore", str(folder), "--to", str(restored))
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    assert restored.stat().st_mtime_ns == before
