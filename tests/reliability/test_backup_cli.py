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


def _opp(
    *args: str, db: Path | None = None, url: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "OPP_DATABASE_URL"}
    if db:
        env["OPP_DB"] = str(db)
    if url:
        env["OPP_DATABASE_URL"] = url
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


def _assert_same_database(original: Path, restored: Path, folder: Path) -> int:
    """`restored` holds the tables, indexes, constraints, sequences and rows of
    `original` (and the row counts of the backup `folder`); returns its last audit id."""
    copy = restored.stem  # its catalog name
    con = duckdb.connect(str(restored))
    try:
        con.execute(f"ATTACH '{original}' AS original (READ_ONLY)")
        tables = _tables(con, copy)
        assert tables == _tables(con, "original")
        assert {"answers", "responses", "organisations", "accounts", "audit_log"} <= set(tables)
        assert _catalog_objects(con, copy) == _catalog_objects(con, "original")
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        for table in tables:
            counts = [
                con.execute(f'SELECT count(*) FROM {db}.main."{table}"').fetchone()[0]
                for db in (copy, "original")
            ]
            assert counts[0] == counts[1] == manifest["tables"][table], table
            for left, right in (("original", copy), (copy, "original")):
                missing = con.execute(
                    f'SELECT count(*) FROM (SELECT * FROM {left}.main."{table}" '
                    f'EXCEPT ALL SELECT * FROM {right}.main."{table}")'
                ).fetchone()[0]
                assert missing == 0, f"{table}: {missing} rows of {left} not in {right}"
        assert con.execute("SELECT count(*) FROM answers").fetchone()[0] > 50_000
        return int(con.execute("SELECT max(id) FROM audit_log").fetchone()[0])
    finally:
        con.close()


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

    last_audit = _assert_same_database(demo_copy, restored, folder)

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


@pytest.mark.slow
def test_backup_cli__duckdb_to_postgres_and_back_gives_the_same_region(
    demo_copy, tmp_path, pg_cluster
):
    """The move of an instance from the DuckDB file to PostgreSQL (README "Move an
    instance to PostgreSQL"), and back: every table identical at the end."""
    from conftest import pg_admin

    from opp.store.engine_pg import redacted

    with pg_admin(pg_cluster) as admin:
        admin.execute("CREATE DATABASE moved")  # what `createdb moved` makes: no table
    url = pg_cluster.url("moved")
    try:
        done = _opp("backup", "--to", str(tmp_path / "from-file"), db=demo_copy)
        assert done.returncode == 0, done.stderr
        [first] = list((tmp_path / "from-file").iterdir())
        done = _opp("restore", str(first), url=url)
        assert done.returncode == 0, done.stderr
        assert f"Base restaurée dans {redacted(url)}" in done.stdout  # never a password

        done = _opp("backup", "--to", str(tmp_path / "from-pg"), url=url)
        assert done.returncode == 0, done.stderr
        [second] = list((tmp_path / "from-pg").iterdir())
        manifest = json.loads((second / "manifest.json").read_text(encoding="utf-8"))
        assert manifest["engine"] == "postgres"
        back = tmp_path / "back.duckdb"
        done = _opp("restore", str(second), "--to", str(back))
        assert done.returncode == 0, done.stderr
        _assert_same_database(demo_copy, back, second)

        # A second restore into the database now in use is refused, nothing changed.
        done = _opp("restore", str(first), url=url)
        assert done.returncode == 2
        assert "contient déjà des données" in done.stderr
        assert "Traceback" not in done.stderr
        again = _opp("backup", "--to", str(tmp_path / "again"), url=url)
        assert again.returncode == 0, again.stderr
        [third] = list((tmp_path / "again").iterdir())
        counts = json.loads((third / "manifest.json").read_text(encoding="utf-8"))["tables"]
        assert counts == manifest["tables"]
    finally:
        with pg_admin(pg_cluster) as admin:
            admin.execute("DROP DATABASE IF EXISTS moved WITH (FORCE)")


@pytest.mark.slow
@pytest.mark.both_backends
def test_backup__a_full_disk_says_so_and_leaves_no_half_backup(
    make_response, make_questionnaire, tmp_store, small_disk, caplog
):
    """The backups' disk fills up during `opp backup` (a real tmpfs): the operator reads
    "disk full" with a reference, and no incomplete folder is left to be restored."""
    import logging

    from opp.errors import OppError
    from opp.store.backup import backup

    make_response(make_questionnaire(), {"effectif": 3, "femmes": 1}, submit=True)
    backups = small_disk.root / "backups"
    backups.mkdir(mode=0o700)
    small_disk.fill(leave=16_384)  # room for a folder and a file or two, not a backup
    with caplog.at_level(logging.ERROR, logger="opp"), pytest.raises(OppError) as info:
        backup(tmp_store, backups)
    assert info.value.code == "STORE_FULL"
    assert info.value.params["ref"] in " ".join(r.getMessage() for r in caplog.records)
    assert list(backups.iterdir()) == []
    small_disk.free()
    folder = backup(tmp_store, backups)  # space freed: the same command works
    assert (folder / "manifest.json").is_file()
