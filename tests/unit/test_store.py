"""Store: migrations, transactions, long-format round trip, concurrency guard, locking."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import textwrap
import time

import pytest

from opp import clock
from opp.access.viewer import Role, Viewer
from opp.errors import OppError
from opp.services import campaigns, questionnaires, reads
from opp.services import responses as response_store
from opp.services.responses import InvalidAnswers
from opp.store import audit, bulk, migrations, open_store
from opp.store.migrations import Migration

pytestmark = pytest.mark.both_backends

ANSWERS = {
    "effectif": 4,
    "femmes": 2,
    "nom": "Cie Test",
    "lieu_type": "rue",
    "dates": [
        {"jour": dt.date(2025, 5, 1), "commune": "31555", "cachet": 1500.0},
        {"jour": dt.date(2025, 6, 2)},
    ],
}


def _count(store, table: str) -> int:
    return store.cursor().execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_store__new_file_is_at_latest_schema(tmp_store):
    rows = tmp_store.cursor().execute("SELECT version FROM schema_version").fetchall()
    assert [r[0] for r in rows] == [m.version for m in migrations.MIGRATIONS]


def test_store__reopening_an_older_file_migrates_and_keeps_data(tmp_path, monkeypatch):
    path = tmp_path / "old.duckdb"
    store = open_store(path)
    store.cursor().execute(
        "INSERT INTO organisations (id, name, structure_type, legal_form, commune, "
        "departement, filieres, created_at) VALUES ('o1', 'Cie', 'compagnie', NULL, '31555', "
        "'31', ['cirque'], now())"
    )
    store.close()
    extra = Migration(
        migrations.LATEST + 1,
        "test: add a column",
        ("ALTER TABLE organisations ADD COLUMN test_note VARCHAR",),
    )
    monkeypatch.setattr(migrations, "MIGRATIONS", (*migrations.MIGRATIONS, extra))
    monkeypatch.setattr(migrations, "LATEST", extra.version)
    store = open_store(path)
    try:
        names = store.cursor().execute("SELECT name, test_note FROM organisations").fetchall()
        assert names == [("Cie", None)]
        versions = store.cursor().execute("SELECT max(version) FROM schema_version").fetchone()
        assert versions[0] == extra.version
    finally:
        store.close()


def test_store__file_from_a_newer_opp_is_refused(tmp_path):
    path = tmp_path / "new.duckdb"
    store = open_store(path)
    store.cursor().execute("INSERT INTO schema_version VALUES (999, 'future', now())")
    store.close()
    with pytest.raises(OppError) as info:
        open_store(path)
    assert info.value.code == "STORE_TOO_NEW"


def test_store__submission_round_trips_in_long_format(make_questionnaire, make_response, tmp_store):
    q = make_questionnaire()
    made = make_response(q, ANSWERS, submit=True)
    meta = made["response"]
    assert meta.status == "submitted"
    assert meta.submitted_at is not None
    assert meta.row_version == 2
    loaded = response_store.load_answers(tmp_store, made["viewer"], meta.id)
    assert loaded == ANSWERS
    rows = (
        tmp_store.cursor()
        .execute(
            "SELECT question_id, item, group_id FROM answers WHERE response_id = ? "
            "AND question_id = 'cachet'",
            [meta.id],
        )
        .fetchall()
    )
    assert rows == [("cachet", 1, "dates")]


def test_store__save_returns_exactly_what_is_stored(make_questionnaire, make_response, tmp_store):
    q = make_questionnaire()
    made = make_response(q, {"effectif": 1})
    viewer, first = made["viewer"], made["response"]
    steps = [
        {"section": "identite", "consent": None, "submit": False},
        {"section": None, "consent": "reseau", "submit": True},
        {"section": None, "consent": None, "submit": False},  # an edit after submission
    ]
    meta = first
    for step in steps:
        returned = response_store.save(
            tmp_store,
            viewer,
            meta.id,
            {"effectif": 2},
            expected_version=meta.row_version,
            submit=step["submit"],
            current_section=step["section"],
            consent=step["consent"],
        )
        assert returned == response_store.get(tmp_store, viewer, meta.id)
        assert returned.row_version == meta.row_version + 1
        meta = returned
    assert meta.status == "submitted"
    assert meta.consent == "reseau"
    assert meta.current_section == "identite"


def test_store__invalid_answer_set_is_refused_and_nothing_written(
    make_questionnaire, make_response, tmp_store
):
    q = make_questionnaire()
    made = make_response(q, {"effectif": 1, "nom": "Avant"})
    before = response_store.load_answers(tmp_store, made["viewer"], made["response"].id)
    with pytest.raises(InvalidAnswers) as info:
        response_store.save(
            tmp_store,
            made["viewer"],
            made["response"].id,
            {"effectif": 2, "femmes": 5, "nom": "Après"},
            expected_version=made["response"].row_version,
        )
    assert "rien n'a été enregistré" in info.value.message("fr")
    assert info.value.result.errors[0].question_id == "femmes"
    after = response_store.load_answers(tmp_store, made["viewer"], made["response"].id)
    assert after == before == {"effectif": 1, "nom": "Avant"}


def test_store__failure_inside_transaction_rolls_everything_back(
    make_questionnaire, make_response, tmp_store, monkeypatch
):
    q = make_questionnaire()
    made = make_response(q, {"effectif": 1})
    meta = made["response"]

    def boom(*_args, **_kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(audit, "record", boom)
    with pytest.raises(RuntimeError):
        response_store.save(
            tmp_store, made["viewer"], meta.id, {"effectif": 7}, expected_version=meta.row_version
        )
    monkeypatch.undo()
    fresh = response_store.get(tmp_store, made["viewer"], meta.id)
    assert fresh.row_version == meta.row_version
    assert response_store.load_answers(tmp_store, made["viewer"], meta.id) == {"effectif": 1}


def test_store__stale_version_is_a_conflict_not_an_overwrite(
    make_questionnaire, make_response, tmp_store
):
    q = make_questionnaire()
    made = make_response(q, {"effectif": 1})
    meta = made["response"]
    response_store.save(
        tmp_store, made["viewer"], meta.id, {"effectif": 2}, expected_version=meta.row_version
    )
    with pytest.raises(OppError) as info:
        response_store.save(
            tmp_store, made["viewer"], meta.id, {"effectif": 3}, expected_version=meta.row_version
        )
    assert info.value.code == "CONFLICT"
    assert "Rien n'a été écrasé" in info.value.message("fr")
    assert response_store.load_answers(tmp_store, made["viewer"], meta.id) == {"effectif": 2}


def test_store__another_organisation_cannot_read_or_write(
    make_questionnaire, make_response, tmp_store
):
    q = make_questionnaire()
    made = make_response(q, {"effectif": 1})
    intruder = Viewer(role=Role.CONTRIBUTEUR, organisation_id="someone-else", filiere="cirque")
    for call in (
        lambda: response_store.get(tmp_store, intruder, made["response"].id),
        lambda: response_store.load_answers(tmp_store, intruder, made["response"].id),
        lambda: response_store.save(
            tmp_store, intruder, made["response"].id, {"effectif": 9}, expected_version=2
        ),
    ):
        with pytest.raises(OppError) as info:
            call()
        assert info.value.code == "FORBIDDEN"
    coreps = Viewer(role=Role.COREPS)
    assert response_store.list_visible(tmp_store, coreps) == []


def test_store__closed_campaign_refuses_changes(make_questionnaire, make_response, tmp_store):
    q = make_questionnaire()
    made = make_response(q, {"effectif": 1})
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=30)
    clock.freeze(later)
    try:
        with pytest.raises(OppError) as info:
            response_store.save(
                tmp_store, made["viewer"], made["response"].id, {"effectif": 2}, expected_version=2
            )
    finally:
        clock.freeze(None)
    assert info.value.code == "CAMPAIGN_CLOSED"
    assert "demandez une correction" in info.value.message("fr")


def test_store__edit_after_submission_is_audited_with_changed_questions(
    make_questionnaire, make_response, tmp_store
):
    q = make_questionnaire()
    made = make_response(q, ANSWERS, submit=True)
    meta = made["response"]
    changed = {**ANSWERS, "effectif": 5}
    response_store.save(
        tmp_store, made["viewer"], meta.id, changed, expected_version=meta.row_version
    )
    admin = Viewer(role=Role.ADMIN)
    entries = reads.audit_entries(tmp_store, admin, object_id=meta.id)
    assert [e["action"] for e in entries] == [
        "response.edit",
        "response.submit",
        "response.create",
    ]
    assert entries[0]["detail"]["changed_questions"] == ["effectif"]
    assert "Cie Test" not in str(entries)  # the audit never holds answer content


def test_store__file_held_by_another_process_gives_a_clear_message(tmp_path):
    path = tmp_path / "held.duckdb"
    open_store(path).close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import duckdb, sys, time
                con = duckdb.connect({str(path)!r})
                print("ready", flush=True)
                time.sleep(30)
                """
            ),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "ready"
        with pytest.raises(OppError) as info:
            open_store(path)
        message = info.value.message("fr")
        assert info.value.code == "STORE_LOCKED"
        assert str(holder.pid) in message
        assert "Fermez l'autre instance" in message
    finally:
        holder.kill()
        holder.wait()
    time.sleep(0.1)
    open_store(path).close()  # usable again once the other process is gone


def test_store__bound_parameters_make_injection_inert(make_questionnaire, make_response, tmp_store):
    q = make_questionnaire()
    made = make_response(q, {"effectif": 1, "nom": "x'); DROP TABLE answers; --"})
    assert response_store.load_answers(tmp_store, made["viewer"], made["response"].id)["nom"] == (
        "x'); DROP TABLE answers; --"
    )
    assert isinstance(tmp_store.cursor().execute("SELECT count(*) FROM answers").fetchone()[0], int)
    with pytest.raises(OppError):
        response_store.get(tmp_store, made["viewer"], "' OR 1=1 --")


def test_store__memory_limit_is_applied_and_a_bad_value_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("OPP_DUCKDB_MEMORY_LIMIT", "512MiB")
    store = open_store(tmp_path / "capped.duckdb")
    try:
        limit = store.cursor().execute("SELECT current_setting('memory_limit')").fetchone()[0]
        assert limit == "512.0 MiB"
    finally:
        store.close()
    monkeypatch.setenv("OPP_DUCKDB_MEMORY_LIMIT", "beaucoup")
    with pytest.raises(OppError) as info:
        open_store(tmp_path / "other.duckdb")
    assert info.value.code == "STORE_MEMORY_LIMIT"
    assert "« beaucoup »" in info.value.message("fr")
    assert "512MB" in info.value.message("fr")
    assert not (tmp_path / "other.duckdb").exists()


def test_store__a_campaign_closed_refuses_the_next_save_at_once(
    make_questionnaire, make_response, tmp_store
):
    made = make_response(make_questionnaire(), {"effectif": 1})
    meta = response_store.save(
        tmp_store, made["viewer"], made["response"].id, {"effectif": 2}, expected_version=2
    )  # the campaign has been read (and kept) by this save
    campaigns.close(tmp_store, Viewer(role=Role.ADMIN, account_id="a"), made["campaign"].id)
    with pytest.raises(OppError) as info:
        response_store.save(
            tmp_store, made["viewer"], meta.id, {"effectif": 3}, expected_version=meta.row_version
        )
    assert info.value.code == "CAMPAIGN_CLOSED"
    assert response_store.load_answers(tmp_store, made["viewer"], meta.id) == {"effectif": 2}


def test_store__deleting_every_row_forgets_kept_questionnaires_and_campaigns(
    make_questionnaire, make_response, tmp_store
):
    made = make_response(make_questionnaire())
    campaign = made["campaign"]
    reader = Viewer(role=Role.ADMIN, account_id="a")
    assert campaigns.get(tmp_store, reader, campaign.id) == campaign
    assert questionnaires.get(tmp_store, reader, campaign.questionnaire_id, "1.0.0")
    bulk.reset_data(tmp_store)
    for call in (
        lambda: campaigns.get(tmp_store, reader, campaign.id),
        lambda: questionnaires.get(tmp_store, reader, campaign.questionnaire_id, "1.0.0"),
    ):
        with pytest.raises(OppError) as info:
            call()
        assert info.value.code == "NOT_FOUND"
