"""One backup format for both engines: `opp backup` on a DuckDB file or on PostgreSQL,
`opp restore` into a new DuckDB file or an empty PostgreSQL database, in any direction,
gives back the same rows; a restore into a database holding data, or of a schema this
version does not know, is refused and changes nothing; sequences go on after the
restored ids on PostgreSQL.

The CLI round trip DuckDB → PostgreSQL → DuckDB of the whole demo region is
tests/reliability/test_backup_cli.py.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from conftest import ADMIN, pg_admin

from opp.errors import OppError
from opp.store import audit, open_store, outbox
from opp.store.backup import backup, restore, table_counts
from opp.store.db import Store
from opp.store.engine_pg import PgStore

pytestmark = pytest.mark.both_backends


def rows(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows, sorted, as Python values (the same on both engines)."""
    cur = store.cursor()
    out = {}
    for table in table_counts(cur):
        if store.engine == "postgres":
            data = cur.arrow(f'SELECT * FROM "{table}"')  # type: ignore[attr-defined]
        else:
            data = cur.sql(f'SELECT * FROM "{table}"').to_arrow_table()
        names = sorted(data.column_names)
        values = [tuple(row[n] for n in names) for row in data.to_pylist()]
        out[table] = sorted(values, key=repr)
    return out


@pytest.fixture
def empty_pg(pg_cluster: Any) -> Iterator[str]:
    """The URL of a new PostgreSQL database without any table (as `createdb` makes it)."""
    name = f"r_{uuid.uuid4().hex[:12]}"
    with pg_admin(pg_cluster) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    yield pg_cluster.url(name)
    with pg_admin(pg_cluster) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def filled(make_response, make_questionnaire, tmp_store: Store) -> Store:
    """A store with a submitted response, audit lines and a queued mail."""
    make_response(make_questionnaire(), {"effectif": 3, "femmes": 1}, submit=True)
    with tmp_store.transaction() as cur:
        audit.record(cur, ADMIN, "test.line", "test", "x")
        outbox.enqueue(
            cur,
            kind="invitation",
            recipient="a@example.org",
            language="fr",
            params={"name": "A"},
            created_by=None,
        )
    return tmp_store


def _tables_in(url: str) -> dict[str, int]:
    with psycopg.connect(url) as con:
        names = [
            r[0]
            for r in con.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = 'public' ORDER BY 1"
            ).fetchall()
        ]
        return {n: con.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}


def test_backup__restored_into_a_new_duckdb_file_gives_the_same_rows(filled, tmp_path):
    folder = backup(filled, tmp_path / "backups")
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["engine"] == filled.engine
    assert manifest["format"] == 2
    restore(folder, tmp_path / "restored.duckdb")
    restored = open_store(tmp_path / "restored.duckdb")
    try:
        assert rows(restored) == rows(filled)
        assert table_counts(restored.cursor())["outbox"] == 1
    finally:
        restored.close()


def test_backup__restored_into_an_empty_postgres_database_gives_the_same_rows(
    filled, tmp_path, empty_pg
):
    folder = backup(filled, tmp_path / "backups")
    result = restore(folder, empty_pg)
    assert result["ignored"] == []
    restored = PgStore(empty_pg)
    try:
        assert rows(restored) == rows(filled)
        before = rows(filled)["audit_log"]
        # Every sequence goes on after the restored ids (audit log, outbox).
        with restored.transaction() as cur:
            audit.record(cur, ADMIN, "test.after", "test", "y")
            outbox.enqueue(
                cur,
                kind="invitation",
                recipient="b@example.org",
                language="fr",
                params={"name": "B"},
                created_by=None,
            )
        cur = restored.cursor()
        ids = [r[0] for r in cur.execute("SELECT id FROM audit_log ORDER BY id").fetchall()]
        assert len(ids) == len(before) + 1 == len(set(ids))
        assert ids[-1] > max(ids[:-1])
        mail_ids = [r[0] for r in cur.execute("SELECT id FROM outbox ORDER BY id").fetchall()]
        assert len(mail_ids) == 2 == len(set(mail_ids))
    finally:
        restored.close()


def test_backup__a_migrated_empty_postgres_database_accepts_a_restore(filled, tmp_path, empty_pg):
    PgStore(empty_pg).close()  # the app started once on it: today's schema, no data
    restore(backup(filled, tmp_path / "backups"), empty_pg)
    restored = PgStore(empty_pg)
    try:
        assert rows(restored) == rows(filled)
    finally:
        restored.close()


def test_backup__a_postgres_database_holding_data_is_refused_and_unchanged(
    filled, tmp_path, empty_pg
):
    folder = backup(filled, tmp_path / "backups")
    restore(folder, empty_pg)
    before = _tables_in(empty_pg)
    with pytest.raises(OppError) as info:
        restore(folder, empty_pg)
    assert info.value.code == "BACKUP_TARGET_NOT_EMPTY"
    message = info.value.message("fr")
    assert "contient déjà des données" in message
    assert "rien n'a été modifié" in message
    assert "already holds data" in info.value.message("en")
    assert _tables_in(empty_pg) == before


def test_backup__a_schema_from_the_future_is_refused_and_the_database_untouched(
    filled, tmp_path, empty_pg
):
    folder = backup(filled, tmp_path / "backups")
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["schema_version"] = 999
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(OppError) as info:
        restore(folder, empty_pg)
    assert info.value.code == "BACKUP_SCHEMA"
    assert "version d'OPP à jour" in info.value.message("fr")
    assert _tables_in(empty_pg) == {}


def test_backup__a_modified_file_is_refused_before_postgres_is_touched(filled, tmp_path, empty_pg):
    folder = backup(filled, tmp_path / "backups")
    with (folder / "audit_log.parquet").open("ab") as out:
        out.write(b"\0")
    with pytest.raises(OppError) as info:
        restore(folder, empty_pg)
    assert info.value.code == "BACKUP_CHECKSUM"
    assert _tables_in(empty_pg) == {}


def _opp(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in ("OPP_DATABASE_URL", "OPP_DB")}
    return subprocess.run(
        [sys.executable, "-m", "opp", *args],
        capture_output=True,
        text=True,
        check=False,
        env={**clean, **env},
    )


def test_restore_cli__into_the_database_of_opp_database_url(filled, tmp_path, empty_pg):
    folder = backup(filled, tmp_path / "backups")
    done = _opp("restore", str(folder), env={"OPP_DATABASE_URL": empty_pg})
    assert done.returncode == 0, done.stderr
    assert "Base restaurée dans postgresql://" in done.stdout
    restored = PgStore(empty_pg)
    try:
        assert rows(restored) == rows(filled)
    finally:
        restored.close()
    again = _opp("restore", str(folder), env={"OPP_DATABASE_URL": empty_pg})
    assert again.returncode == 2
    assert "contient déjà des données" in again.stderr
    assert "Traceback" not in again.stderr


@pytest.mark.duckdb_only
def test_restore_cli__without_a_target_says_where_to_restore(filled, tmp_path):
    folder = backup(filled, tmp_path / "backups")
    done = _opp("restore", str(folder), env={"OPP_LANG": "en"})
    assert done.returncode == 2
    assert "does not know where to restore" in done.stderr or "où restaurer" in done.stderr
    assert "Traceback" not in done.stderr


def test_compact__on_postgres_says_vacuum_full(pg_database, tmp_path, monkeypatch):
    from opp.store.backup import compact

    monkeypatch.setenv("OPP_DATABASE_URL", pg_database)
    with pytest.raises(OppError) as info:
        compact(tmp_path / "unused.duckdb", tmp_path / "work")
    assert info.value.code == "COMPACT_POSTGRES"
    assert "VACUUM FULL" in info.value.message("fr")
    assert not (tmp_path / "work").exists()


def test_backup__every_postgres_column_type_has_an_arrow_type(pg_database):
    """A migration adding a column of a type the backup cannot write to Parquet with a
    known type fails here, not in the operator's nightly backup."""
    from opp.store.pg_cursor import _ARROW_TYPES

    with psycopg.connect(pg_database) as con:
        found = con.execute(
            "SELECT DISTINCT k.relname, a.attname, format_type(a.atttypid, a.atttypmod), "
            "a.atttypid FROM pg_attribute a JOIN pg_class k ON k.oid = a.attrelid "
            "JOIN pg_namespace n ON n.oid = k.relnamespace WHERE n.nspname = 'public' "
            "AND k.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped"
        ).fetchall()
    assert len(found) > 50
    unmapped = [(t, c, kind) for t, c, kind, oid in found if oid not in _ARROW_TYPES]
    assert unmapped == []
