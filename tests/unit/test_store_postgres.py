"""The PostgreSQL store (`OPP_DATABASE_URL`): migrations, the shared generation, errors.

The repositories' behaviour on PostgreSQL is checked by the store and service test modules
marked `both_backends`; here is what only PostgreSQL has: several processes (two `Store`
objects, two connections) on one database, a server that goes away, a URL with a password.
"""

from __future__ import annotations

import datetime as dt
import gc
import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import polars as pl
import psycopg
import pytest
from conftest import pg_copy, publish_release

from opp.errors import OppError
from opp.store import accounts, analytics, dialect, migrations, open_store
from opp.store.db import Store
from opp.store.engine_pg import PgStore, redacted
from opp.store.pg_arrow import APPLICATION
from opp.store.records import Account

ACCOUNT: dict[str, Any] = {
    "id": "a1",
    "email": "lea@example.org",
    "display_name": "Léa",
    "role": "contributor",
    "status": "active",
    "created_at": dt.datetime(2026, 1, 5, 9, 0),
}


def _tables(store: Store) -> dict[str, list[str]]:
    rows = (
        store.cursor()
        .execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema IN ('main', 'public') ORDER BY table_name, ordinal_position"
        )
        .fetchall()
    )
    out: dict[str, list[str]] = {}
    for table, column in rows:
        out.setdefault(str(table), []).append(str(column))
    return out


def test_pg__migrations_record_the_same_version_and_tables_as_duckdb(
    pg_cluster: Any, tmp_path: Path
) -> None:
    with psycopg.connect(pg_cluster.url(), autocommit=True) as admin:
        admin.execute("CREATE DATABASE migrated_from_nothing")
    pg = PgStore(pg_cluster.url("migrated_from_nothing"))
    duck = open_store(tmp_path / "opp.duckdb")
    try:
        versions = "SELECT version, description FROM schema_version ORDER BY version"
        assert (
            pg.cursor().execute(versions).fetchall() == duck.cursor().execute(versions).fetchall()
        )
        assert migrations.current_version(pg.cursor()) == migrations.LATEST
        assert _tables(pg) == _tables(duck)
        # Opening again applies nothing: the version is read back the same way.
        assert migrations.migrate(pg) == []
    finally:
        pg.close()
        duck.close()


def test_pg__a_write_through_one_store_moves_the_others_generation(pg_database: str) -> None:
    first, second = PgStore(pg_database), PgStore(pg_database)
    try:
        before = second.generation
        first.bump()
        assert second.generation == before + 1
        assert first.generation == second.generation
    finally:
        first.close()
        second.close()


def test_pg__a_concurrent_change_of_the_same_row_is_a_write_conflict(pg_database: str) -> None:
    writer, late = PgStore(pg_database), PgStore(pg_database)
    try:
        accounts.insert_account(writer.cursor(), Account(**ACCOUNT))

        def change_after_the_other() -> None:
            with late.transaction() as tx:
                tx.execute("SELECT display_name FROM accounts").fetchall()  # its snapshot
                with writer.transaction() as other:
                    other.execute("UPDATE accounts SET display_name = 'Première' WHERE id = 'a1'")
                tx.execute("UPDATE accounts SET display_name = 'Seconde' WHERE id = 'a1'")

        with pytest.raises(OppError) as caught:
            change_after_the_other()
        assert caught.value.code == "WRITE_CONFLICT"
        row = late.cursor().execute("SELECT display_name FROM accounts").fetchone()
        assert row == ("Première",)  # nothing of the losing transaction was kept
    finally:
        writer.close()
        late.close()


def test_pg__a_duplicate_is_the_same_user_error_as_on_duckdb(pg_database: str) -> None:
    store = PgStore(pg_database)
    try:
        accounts.insert_account(store.cursor(), Account(**ACCOUNT))
        with pytest.raises(OppError) as caught, store.transaction() as tx:
            accounts.insert_account(tx, Account(**{**ACCOUNT, "id": "a2"}))
        assert caught.value.code == "ACCOUNT_EXISTS"
        count = store.cursor().execute("SELECT count(*) FROM accounts").fetchone()
        assert count == (1,)
    finally:
        store.close()


def test_pg__a_lost_connection_is_store_unavailable_then_reconnects(
    pg_cluster: Any, pg_database: str
) -> None:
    store = PgStore(pg_database)
    try:
        pid = store.cursor().execute("SELECT pg_backend_pid()").fetchone()
        with psycopg.connect(pg_cluster.url(), autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", [pid[0] if pid else 0])
        with pytest.raises(OppError) as caught, store.transaction() as tx:
            tx.execute("SELECT 1")
        assert caught.value.code == "STORE_UNAVAILABLE"
        assert store.cursor().execute("SELECT 1 + 1").fetchone() == (2,)  # a new connection
    finally:
        store.close()


def test_pg__the_password_of_the_url_is_never_shown(
    caplog: pytest.LogCaptureFixture,
) -> None:
    url = "postgresql://opp:s3cret-word@127.0.0.1:1/opp"
    caplog.set_level(logging.DEBUG)
    with pytest.raises(OppError) as caught:
        PgStore(url)
    assert caught.value.code == "STORE_CONNECT"
    assert "s3cret-word" not in str(caught.value)
    assert "s3cret-word" not in caplog.text
    assert redacted(url) == "postgresql://opp:***@127.0.0.1:1/opp"


def test_pg__the_setting_chooses_postgresql(
    pg_database: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("OPP_DATABASE_URL", pg_database)
    store = open_store(tmp_path / "unused.duckdb")
    try:
        assert isinstance(store, PgStore)
        assert not (tmp_path / "unused.duckdb").exists()
    finally:
        store.close()
    monkeypatch.setenv("OPP_DATABASE_URL", "mysql://somewhere/opp")
    with pytest.raises(OppError) as caught:
        open_store(tmp_path / "unused.duckdb")
    assert caught.value.code == "STORE_URL"


def test_dialect__placeholders_bind_in_the_order_of_the_text() -> None:
    statement = dialect.to_postgres(
        "SELECT * FROM t WHERE a LIKE 'x?%' AND b = ? AND list_contains(c, ?) LIMIT ?"
    )
    assert statement.placeholders == 3
    assert "LIKE 'x?%%'" in statement.sql
    # PostgreSQL must see the parameter where it can type it (not only in `x IS NULL`).
    assert "COALESCE(%(p2)s = ANY(c), FALSE)" in statement.sql
    assert statement.sql.endswith("LIMIT %(p3)s")  # LIMIT is bound last, as written
    assert statement.bind(["b", "c", 5]) == {"p1": "b", "p2": "c", "p3": 5}
    named = dialect.to_postgres("SELECT x IN ($keep, $drop), $keep FROM t")
    assert named.bind({"keep": 1, "drop": 2}) == {"n_keep": 1, "n_drop": 2}


@pytest.mark.parametrize(
    "sql",
    [
        "INSERT OR IGNORE INTO t VALUES (?)",
        "INSERT INTO t BY NAME SELECT * FROM u",
        "SELECT arg_max(a, b) FROM t",
    ],
)
def test_dialect__duckdb_only_sql_is_refused_not_mistranslated(sql: str) -> None:
    with pytest.raises(dialect.NotPortable):
        dialect.to_postgres(sql)


@pytest.mark.parametrize("tmp_store", ["duckdb", "postgres"], indirect=True)
def test_pg__analytics_read_the_same_frames_from_both_engines(
    tmp_store: Store, make_questionnaire: Any, make_response: Any
) -> None:
    """Releases register Arrow tables and run DuckDB SQL; on PostgreSQL the same SQL runs
    in the database: the frames are the same."""
    questionnaire = make_questionnaire()
    for staff, women in ((4, 2), (7, 0), (0, None)):
        answers = {"effectif": staff, "lieu_type": "salle", "dates": []}
        if women is not None:
            answers["femmes"] = women
        make_response(questionnaire, answers, submit=True)
    release = publish_release(tmp_store)
    dims = analytics.response_dims(tmp_store, release.id)
    assert dims.height == 3
    assert dims["_key"].dtype == pl.UInt64  # the cell key method's 64-bit keys
    frame = analytics.answer_columns(
        tmp_store, dims, {"effectif": "num", "femmes": "num", "lieu_type": "text"}
    )
    assert sorted(frame["effectif"].to_list()) == [0.0, 4.0, 7.0]
    assert sorted(frame["lieu_type"].to_list()) == ["salle"] * 3


def test_pg__a_finished_threads_connection_is_closed(pg_database: str) -> None:
    """Streamlit runs each script in a thread: connections (the thread's, and its
    analytics connection) must not pile up on the server (PostgreSQL refuses clients
    past max_connections)."""
    store = PgStore(pg_database)
    try:

        def page_run() -> None:  # a script run: its queries and an analytics read
            store.cursor().execute("SELECT 1")
            analytics.response_dims(store, 1)

        for _ in range(12):
            worker = threading.Thread(target=page_run)
            worker.start()
            worker.join()
        gc.collect()
        count = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
        count += "AND backend_type = 'client backend'"
        for _ in range(100):  # a closed client's server process exits a moment later
            row = store.cursor().execute(count).fetchone()
            if row == (1,):
                break
            time.sleep(0.05)
        assert row == (1,)  # this thread's
    finally:
        store.close()


def test_pg__two_servers_starting_at_once_migrate_once(pg_cluster: Any) -> None:
    with psycopg.connect(pg_cluster.url(), autocommit=True) as admin:
        admin.execute("CREATE DATABASE two_starts")
    url = pg_cluster.url("two_starts")
    with ThreadPoolExecutor(max_workers=2) as pool:
        starts = [pool.submit(PgStore, url) for _ in range(2)]
    opened = [start.result() for start in starts]  # neither failed
    try:
        rows = opened[0].cursor().execute("SELECT version FROM schema_version").fetchall()
        assert sorted(v for (v,) in rows) == [m.version for m in migrations.MIGRATIONS]
    finally:
        for store in opened:
            store.close()


def test_pg__init_empty_creates_the_instance_in_postgresql(
    pg_database: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from typer.testing import CliRunner

    from opp.cli import app

    monkeypatch.setenv("OPP_DATABASE_URL", pg_database)
    monkeypatch.setenv("OPP_DB", str(tmp_path / "unused.duckdb"))
    outcome = CliRunner().invoke(app, ["init", "--empty"])
    assert outcome.exit_code == 0, outcome.output
    assert f"Instance vide créée dans {pg_database}" in outcome.output
    assert not (tmp_path / "unused.duckdb").exists()
    store = PgStore(pg_database)
    try:
        published = store.cursor().execute("SELECT count(*) FROM questionnaire_versions")
        assert published.fetchone()[0] > 0
        assert store.cursor().execute("SELECT count(*) FROM organisations").fetchone() == (0,)
    finally:
        store.close()


def test_pg__numbers_come_back_as_duckdb_returns_them(pg_database: str) -> None:
    store = PgStore(pg_database)
    try:
        row = (
            store.cursor()
            .execute(
                "SELECT sum(CAST(x AS BIGINT)), avg(x), CAST(18446744073709551615 AS UBIGINT) "
                "FROM (VALUES (1), (2)) AS t(x)"
            )
            .fetchone()
        )
        assert row == (3, 1.5, 2**64 - 1)
        assert [type(v) for v in row or ()] == [int, float, int]
    finally:
        store.close()


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql://opp:s3cr%40t@db:5432/opp", "postgresql://opp:***@db:5432/opp"),
        ("postgresql://opp:pw@db1:5432,db2:5432/opp", "postgresql://opp:***@db1:5432,db2:5432/opp"),
        ("postgresql://opp@db/opp", "postgresql://opp@db/opp"),
        ("postgresql:///opp?host=/run/postgresql", "postgresql:///opp?host=/run/postgresql"),
    ],
)
def test_pg__redacted_urls_never_show_a_password(url, shown):
    assert redacted(url) == shown


@pytest.mark.parametrize("tmp_store", ["duckdb", "postgres"], indirect=True)
def test_pg__analytics_joins_come_back_with_the_same_values_and_types(
    tmp_store: Store, make_questionnaire: Any, make_response: Any
) -> None:
    """On PostgreSQL a release's answers are read through ADBC (the Arrow tables the query
    joins sent as temporary tables, the query run by PostgreSQL): top-level answers and
    repeat items come back with the values and the types the DuckDB file gives."""
    questionnaire = make_questionnaire()
    for staff, fee in ((4, 1200.5), (7, None)):
        items = [{"jour": "2025-03-01", "cachet": fee}, {"jour": "2025-04-02"}]
        make_response(
            questionnaire,
            {"effectif": staff, "lieu_type": "salle", "dates": items},
            submit=True,
        )
    release = publish_release(tmp_store)
    dims = analytics.response_dims(tmp_store, release.id)
    top = analytics.answer_columns(tmp_store, dims, {"effectif": "num", "lieu_type": "text"})
    items = analytics.item_columns(tmp_store, dims, "dates", {"jour": "date", "cachet": "num"})
    assert dims["_key"].dtype == pl.UInt64
    assert dims["reference_year"].dtype == pl.Int32
    assert top.schema == pl.Schema({"effectif": pl.Float64, "lieu_type": pl.String})
    assert sorted(top.rows()) == [(4.0, "salle"), (7.0, "salle")]
    assert items.schema == pl.Schema(
        {"_row": pl.UInt32, "item": pl.Int32, "jour": pl.Date, "cachet": pl.Float64}
    )
    by_staff = dict(zip(top["effectif"].to_list(), range(top.height), strict=True))
    fees = sorted(
        (r["item"], r["jour"].isoformat(), r["cachet"])
        for r in items.filter(pl.col("_row") == by_staff[4.0]).to_dicts()
    )
    assert [(day, fee) for _, day, fee in fees] == [("2025-03-01", 1200.5), ("2025-04-02", None)]


def test_pg__an_analytics_read_reconnects_when_the_server_dropped_it(
    pg_cluster: Any, pg_database: str
) -> None:
    """The server ended the analytics connection (a restart, an operator's
    pg_terminate_backend): the next read opens a new one instead of failing forever."""
    store = PgStore(pg_database)
    try:
        assert analytics.response_dims(store, 1).height == 0  # opens the ADBC connection
        with psycopg.connect(pg_cluster.url(), autocommit=True) as admin:
            ended = admin.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = %s AND application_name = %s",
                [pg_database.rsplit("/", 1)[1], APPLICATION],
            ).fetchone()
        assert ended == (1,)  # the thread's analytics connection, and only it
        assert analytics.response_dims(store, 1).height == 0
    finally:
        store.close()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("SELECT a FROM t WHERE b = ? AND c LIKE 'x%'", "WHERE b = $1 AND c LIKE 'x%'"),
        ("SELECT a FROM t WHERE b = ? LIMIT ?", "LIMIT $2"),
        ("SELECT 'a%' AS s", "'a%'"),
    ],
)
def test_pg_arrow__placeholders_become_libpq_numbers(text: str, expected: str) -> None:
    """ADBC binds libpq's `$n`: psycopg's `%(pn)s` and doubled `%` are turned back."""
    from opp.store.pg_arrow import numbered

    assert expected in numbered(dialect.to_postgres(text))


def test_pg__the_demo_region_is_the_same_on_both_engines(
    demo_file: Path, pg_cluster: Any, pg_demo_template: str
) -> None:
    """The demo region (same generator, same seed) reads back the same frames from the
    DuckDB file and from PostgreSQL: every indicator's rows with their record keys (the
    cell key method's perturbation draws from them), so every published figure of the
    demo is the same on both engines, and tests may compare one engine with the other."""
    from opp.indicators import breakdowns
    from opp.indicators.catalogue import load_indicators
    from opp.indicators.frames import LazyFrames
    from opp.questionnaire.catalogue import load_catalogue

    surveys = load_catalogue()
    indicators = load_indicators(surveys=surveys)
    copies = pg_copy(pg_cluster, pg_demo_template)
    on_server = PgStore(next(copies))
    on_file = open_store(demo_file)
    try:
        duck = LazyFrames(on_file, surveys, indicators)
        pg = LazyFrames(on_server, surveys, indicators)
        assert pg.years() == duck.years()
        differ = {}
        for indicator in indicators.indicators.values():
            a, b = duck.for_indicator(indicator), pg.for_indicator(indicator)
            if a.schema != b.schema:
                differ[indicator.id] = (a.schema, b.schema)
                continue
            columns = a.columns
            a, b = a.sort(columns, nulls_last=True), b.sort(columns, nulls_last=True)
            if not a.equals(b):
                differ[indicator.id] = [c for c in columns if not a[c].equals(b[c])]
        assert not differ
        for question_id, found in breakdowns.known().items():
            column = pg.answer_column(question_id, found.kind)
            assert column.equals(duck.answer_column(question_id, found.kind)), question_id
    finally:
        on_server.close()
        on_file.close()
        next(copies, None)
