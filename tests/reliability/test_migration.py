"""Upgrading: a database written by the previous schema version, opened by this OPP (a
DuckDB file, and a PostgreSQL database).

tests/unit/test_store.py checks the mechanism with a one-column test migration; here a
realistic file at schema LATEST-1 (the demo region plus rows in every table) is opened
with `open_store`, which applies the real latest migration: every row survives, identical.
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import duckdb
import psycopg
import pytest
from conftest import demo_viewer, pg_copy

from opp import answering, clock
from opp.demo.generator import build_demo
from opp.questionnaire import edits
from opp.services import api_tokens, auth, codesign, organisations, web_session
from opp.store import migrations, open_store
from opp.store.db import Store
from opp.store.engine_pg import PgStore

PREVIOUS = migrations.LATEST - 1
# The tables the latest migration creates (the others must keep every row and column).
NEW_TABLES = set(
    re.findall(
        r"CREATE TABLE (?:IF NOT EXISTS )?(\w+)", " ".join(migrations.MIGRATIONS[-1].statements)
    )
)


def _previous_version_file(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A store as the previous OPP left it: demo data and a few rows in every table."""
    _fill_previous_version(Store(path, migrate=False), monkeypatch, path.stem, "main")


def _fill_previous_version(
    store: Store, monkeypatch: pytest.MonkeyPatch, catalog: str, schema: str
) -> None:
    """Migrate `store` (not migrated yet) to the previous version and fill every table."""
    # Today's demo seeding goes through today's services (which read the latest schema):
    # the previous version's co-design rows are written as that version stored them.
    monkeypatch.setattr("opp.demo.generator.seed_codesign", lambda _store: 0)
    try:
        assert migrations.migrate(store, target=PREVIOUS) == list(range(1, PREVIOUS + 1))
        build_demo(store)
        cur = store.cursor()
        submitted, organisation = cur.execute(
            "SELECT id, organisation_id FROM responses WHERE status = 'submitted' "
            "ORDER BY id LIMIT 1"
        ).fetchone()
        account = cur.execute("SELECT id FROM accounts ORDER BY email LIMIT 1").fetchone()[0]
        now = clock.now()
        cur.execute(
            "INSERT INTO correction_requests VALUES (?, ?, ?, ?, ?, 'pending', ?, NULL, NULL, "
            "NULL), (?, ?, ?, ?, ?, 'declined', ?, 'coord', ?, 'Campagne clôturée depuis 2 ans')",
            [
                "corr-1",
                submitted,
                organisation,
                "account:contrib",
                "Nous avons oublié deux dates de tournée en Ariège.",
                now,
                "corr-2",
                submitted,
                organisation,
                "account:contrib",
                "Budget corrigé par l'expert-comptable",
                now,
                now,
            ],
        )
        cur.execute(
            "INSERT INTO account_tokens VALUES ('h-invite', 'invitation', ?, 'admin', ?, ?, NULL), "
            "('h-reset', 'reset', ?, 'admin', ?, ?, ?)",
            [account, now, now, account, now, now, now],
        )
        cur.execute("INSERT INTO release_erasures VALUES ('erased-response', NULL, ?)", [now])
        cur.execute(
            "INSERT INTO login_attempts VALUES (?, 'agence@demo.opp', 'client-1', false), "
            "(?, 'agence@demo.opp', 'client-1', true)",
            [now, now],
        )
        cur.execute(
            "INSERT INTO proposals VALUES ('p-1', 'cirque', 'cirque', '1.1.0', 'reword', "
            "'cir_chapiteau', '{}', 'Plus clair.', ?, 'Cie', ?, 'declined', 'coord', "
            "'Coordination', ?, 'Déjà clair.', NULL)",
            [account, now, now],
        )
        cur.execute(
            "INSERT INTO proposal_comments VALUES ('c-1', 'p-1', ?, 'Cie', 'Pour.', ?)",
            [account, now],
        )
        cur.execute("INSERT INTO proposal_votes VALUES ('p-1', ?, 'pour', ?)", [account, now])
        cur.execute(
            "INSERT INTO questionnaire_drafts SELECT questionnaire_id, version, definition, ?, "
            "'coord' FROM questionnaire_versions WHERE questionnaire_id = 'marionnette' "
            "ORDER BY published_at DESC LIMIT 1",
            [now],
        )
        # Tables of migration 8 (mail, approvals, account requests).
        campaign = cur.execute("SELECT id FROM campaigns ORDER BY id LIMIT 1").fetchone()[0]
        cur.execute(
            "INSERT INTO outbox (kind, recipient, account_id, language, params, state, "
            "created_at, next_attempt_at) VALUES ('password_reset', 'a@example.org', ?, 'fr', "
            "'{}', 'sent', ?, ?)",
            [account, now, now],
        )
        cur.execute(
            "INSERT INTO campaign_contacts VALUES (?, ?, 'invitation', ?, ?, 'coord', 1)",
            [campaign, organisation, now.date(), now],
        )
        cur.execute("INSERT INTO campaign_reminders VALUES (?, 7, 'coord', NULL, NULL)", [campaign])
        cur.execute(
            "INSERT INTO organisation_mail_prefs VALUES (?, false, ?, 'contrib')",
            [organisation, now],
        )
        cur.execute(
            "INSERT INTO membership_requests VALUES (?, ?, 'contrib', 'Camille', ?, 'pending', "
            "NULL, NULL)",
            [account, organisation, now],
        )
        cur.execute(
            "INSERT INTO account_requests (id, filiere, email, display_name, language, "
            "client_key, created_at, status) VALUES ('req-1', 'cirque', 'new@example.org', "
            "'Nouvelle Cie', 'fr', 'k', ?, 'pending')",
            [now],
        )
        # Tables of migration 9 (browser sessions, API tokens, open-data packages).
        cur.execute(
            "INSERT INTO web_sessions VALUES ('ws-1', ?, 0, 'h-token', NULL, NULL, ?, ?, ?, "
            "'fr', NULL, NULL)",
            [account, now, now, now],
        )
        cur.execute(
            "INSERT INTO api_tokens VALUES ('t-1', ?, 'Tableur', 'opp_abcd', 'h-api', ?, ?, "
            "NULL, NULL)",
            [account, now, now],
        )
        cur.execute(
            "INSERT INTO open_packages VALUES ('pkg-1', ?, 1, ?, 'admin', 'Paquet', ?)",
            [campaign, now, b"PK"],
        )
        # Table of migration 10 (the steps of a response marked empty or to confirm).
        cur.execute(
            "INSERT INTO response_marks VALUES (?, 'empty', 'section_diffusion')", [submitted]
        )
        counts = {
            table: cur.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
            for table in _tables(cur, catalog, schema)
        }
        assert "responses" in counts, counts  # the tables were found
        assert all(counts.values()), counts  # every table of that version holds rows
    finally:
        store.close()


def _tables(con: Any, catalog: str, schema: str = "main") -> dict[str, list[str]]:
    """Every table of an attached database (or a PostgreSQL database's `public` schema),
    with its column names in order."""
    rows = con.execute(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_catalog = ? AND table_schema = ? "
        "ORDER BY table_name, ordinal_position",
        [catalog, schema],
    ).fetchall()
    tables: dict[str, list[str]] = {}
    for table, column in rows:
        tables.setdefault(table, []).append(column)
    return tables


@pytest.mark.slow
def test_migration__previous_version_file_keeps_every_row_and_works(tmp_path, run_app, monkeypatch):
    path = tmp_path / "opp.duckdb"
    _previous_version_file(path, monkeypatch)
    shutil.copy(path, tmp_path / "before.duckdb")

    open_store(path).close()  # this OPP opens the file: the missing migration is applied

    con = duckdb.connect(str(path))
    try:
        con.execute(f"ATTACH '{tmp_path / 'before.duckdb'}' AS before (READ_ONLY)")
        old = _tables(con, "before")
        new = _tables(con, path.stem)
        versions = con.execute("SELECT version FROM schema_version ORDER BY version").fetchall()
        assert [v[0] for v in versions] == [m.version for m in migrations.MIGRATIONS]
        added = con.execute(
            "SELECT version FROM main.schema_version "
            "EXCEPT SELECT version FROM before.schema_version"
        ).fetchall()
        assert added == [(migrations.LATEST,)]
        assert set(new) - set(old) == NEW_TABLES
        for table, columns in old.items():
            assert new[table][: len(columns)] == columns, table
            names = ", ".join(f'"{c}"' for c in columns)
            for left, right in (("before", "main"), ("main", "before")):
                if table == "schema_version" and left == "main":
                    continue  # checked above: exactly the new version's row was added
                differ = con.execute(
                    f'SELECT count(*) FROM (SELECT {names} FROM {left}."{table}" '
                    f'EXCEPT ALL SELECT {names} FROM {right}."{table}")'
                ).fetchone()[0]
                assert differ == 0, f"{table}: {differ} rows of {left} not in {right}"
    finally:
        con.close()

    _app_works_after_upgrade(path, run_app)


def _app_works_after_upgrade(path: Path, run_app: Any) -> None:
    # The app works on the upgraded store: a contributor saves an answer and files a
    # co-design proposal, the directory gets a SIRET (the columns the migration added),
    # the home page shows the figures.
    viewer = demo_viewer(path, "contrib:cirque")
    store = open_store(path)
    try:
        [campaign] = [
            c for c in answering.campaigns_for(store, viewer) if c.questionnaire_id == "cirque"
        ]
        session = answering.open_session(store, viewer, campaign.id)
        answers = {**session.answers, "nom_structure": "Cirque après la mise à jour"}
        saved = answering.save(store, viewer, session, answers)
        assert saved.answers["nom_structure"] == "Cirque après la mise à jour"
        # The table migration 10 added: a step confirmed empty survives a reload.
        saved.empty_sections.add("economie")
        answering.save(store, viewer, saved, saved.answers)
        resumed = answering.open_session(store, viewer, campaign.id)
        assert resumed.empty_sections == {"economie"} or "economie" not in {
            s.id for s in resumed.questionnaire.sections
        }
        edit = {"kind": "reword", "question_id": "cir_chapiteau", "label": {"fr": "Un chapiteau ?"}}
        proposal = codesign.propose(
            store, viewer, "cirque", edits.parse_edit(edit), "Plus court à lire."
        )
        found = {d.proposal.id for d in codesign.discussions(store, viewer, "cirque")}
        assert found == {proposal.id, "p-1"}
        admin = demo_viewer(path, "admin")
        updated = organisations.update(
            store, admin, viewer.organisation_id, siret="35600000000048", email="cie@example.org"
        )
        assert organisations.get(store, admin, updated.id).siret == "35600000000048"
        # The tables migration 9 added: a sign-in starts a browser session, a token reads.
        tab = auth.start_session(store, viewer)
        web_session.begin(store, tab)
        assert web_session.check(store, tab).account_id == viewer.account_id
        token, _ = api_tokens.create(store, viewer, "après la mise à jour")
        assert api_tokens.authenticate(store, token)[0].account_id == viewer.account_id
        submitted = (
            store.cursor()
            .execute("SELECT count(*) FROM responses WHERE status = 'submitted'")
            .fetchone()[0]
        )
    finally:
        store.close()
    at = run_app(path)
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    published = metrics["Réponses publiées"].replace(" ", "").replace("\u202f", "")
    assert published == str(submitted)  # the draft saved above is no published response


@pytest.mark.slow
def test_migration__previous_version_postgresql_database_keeps_every_row_and_works(
    pg_cluster, tmp_path, run_app, monkeypatch
):
    """The same upgrade on PostgreSQL: an empty database migrated only up to the previous
    version (`PgStore(url, migrate=False)` + `migrate(target=…)`) and filled, then opened by
    this OPP (`OPP_DATABASE_URL`): the latest migration is applied, every row survives."""
    copies = pg_copy(pg_cluster, "template0")
    url = next(copies)
    try:
        database = url.rsplit("/", 1)[1]
        _fill_previous_version(PgStore(url, migrate=False), monkeypatch, database, "public")
        old, old_rows = _pg_rows(url)

        PgStore(url).close()  # this OPP opens the database: the missing migration is applied

        new, new_rows = _pg_rows(url, old)
        with psycopg.connect(url) as con:
            versions = con.execute("SELECT version FROM schema_version ORDER BY version")
            assert [v[0] for v in versions] == [m.version for m in migrations.MIGRATIONS]
        assert set(new) - set(old) == NEW_TABLES
        for table, columns in old.items():
            assert new[table][: len(columns)] == columns, table
            if table == "schema_version":  # checked above: the new version's row was added
                assert old_rows[table] <= new_rows[table]
                continue
            assert new_rows[table] == old_rows[table], table

        monkeypatch.setenv("OPP_DATABASE_URL", url)  # the app (and demo_viewer) use it
        _app_works_after_upgrade(tmp_path / "unused.duckdb", run_app)
    finally:
        next(copies, None)


def _pg_rows(
    url: str, columns_of: dict[str, list[str]] | None = None
) -> tuple[dict[str, list[str]], dict[str, Counter[str]]]:
    """Every table of a PostgreSQL database (columns in order), and its rows as text over
    the columns of `columns_of` (the tables before the upgrade; default: its own)."""
    with psycopg.connect(url) as con:
        tables = _tables(_Qmark(con), url.rsplit("/", 1)[1], "public")
        rows: dict[str, Counter[str]] = {}
        for table, columns in (columns_of or tables).items():
            names = ", ".join(f'"{c}"' for c in columns)
            rows[table] = Counter(
                r[0] for r in con.execute(f'SELECT ROW({names})::text FROM "{table}"')
            )
    return tables, rows


class _Qmark:
    """A psycopg connection that takes DuckDB's `?` placeholders (for `_tables`)."""

    def __init__(self, con: psycopg.Connection[Any]) -> None:
        self.con = con

    def execute(self, sql: str, params: list[Any]) -> Any:
        return self.con.execute(sql.replace("?", "%s"), params)


@pytest.mark.slow
def test_migration__releases_publish_first_what_the_dashboards_showed(tmp_path, monkeypatch):
    """A database from before releases (schema 5) gets, with migration 6, one release of
    every submitted response (open campaigns provisional), so its figures stay on the
    pages; nothing else changes."""
    path = tmp_path / "opp.duckdb"
    store = Store(path, migrate=False)
    monkeypatch.setattr("opp.demo.generator._publish_releases", lambda *_args: 0)
    # Co-design seeding reads today's accounts table (later columns): not this test's.
    monkeypatch.setattr("opp.demo.generator.seed_codesign", lambda _store: 0)
    try:
        migrations.migrate(store, target=5)
        build_demo(store)
        submitted = (
            store.cursor()
            .execute("SELECT count(*) FROM responses WHERE status = 'submitted'")
            .fetchone()[0]
        )
        migrations.migrate(store)
        cur = store.cursor()
        assert cur.execute("SELECT id, reason, responses FROM releases").fetchall() == [
            (1, "migration", submitted)
        ]
        assert cur.execute("SELECT count(*) FROM frozen_responses").fetchone()[0] == submitted
        assert (
            cur.execute("SELECT count(*) FROM frozen_answers").fetchone()[0]
            == cur.execute(
                "SELECT count(*) FROM answers a JOIN responses r ON r.id = a.response_id "
                "WHERE r.status = 'submitted'"
            ).fetchone()[0]
        )
        assert cur.execute(
            "SELECT action FROM audit_log WHERE action LIKE 'release.%'"
        ).fetchall() == [("release.publish",)]
    finally:
        store.close()
