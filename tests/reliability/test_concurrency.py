"""Concurrency: many sessions submitting at once through the process's single Store.

The app shares one Store (one DuckDB connection) between every browser session; each
session's thread gets its own cursor. 16 threads submitting 50 responses each must leave
exactly 800 submitted responses: none lost, none duplicated, every answer row in place.

On PostgreSQL several app servers share one database: the same 16 sessions spread over two
processes (app_process.py), and one response submitted from several processes at once
(optimistic concurrency across processes). The races between the sessions of one process
(`both_backends` tests) run on a DuckDB file and on PostgreSQL.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path
from typing import Any

import duckdb
import psycopg
import pytest
from app_process import CAMPAIGNS, ORGANISATIONS_PER_SESSION, contribute, organisation_id
from submission_stream import (
    answers_for,
    expected_values,
    index_of,
    open_campaign,
    organisation_name,
)

from opp import clock
from opp.access.viewer import Role, Viewer
from opp.questionnaire.model import Questionnaire
from opp.services import responses as response_store
from opp.store import Store, bulk
from opp.store.engine_pg import PgStore

THREADS = 16
WAIT = 300  # seconds an app process may take (never a pass: the test fails)
APP_PROCESS = Path(__file__).with_name("app_process.py")


def _open_campaigns_and_organisations(store: Store, questionnaire: Questionnaire) -> None:
    for year, campaign_id in zip((2024, 2025), CAMPAIGNS, strict=True):
        open_campaign(store, questionnaire, campaign_id, reference_year=year)
    bulk.insert_organisations(
        store,
        [
            {
                "id": organisation_id(index),
                "name": organisation_name(index),
                "structure_type": "compagnie",
                "commune": "31555",
                "departement": "31",
                "filieres": ["cirque"],
                "created_at": clock.now(),
            }
            for index in range(THREADS * ORGANISATIONS_PER_SESSION)
        ],
    )


def _check_every_submission(store: Store) -> None:
    """Exactly 800 submitted responses: none lost, none duplicated, every answer row in place."""
    cur = store.cursor()
    expected = THREADS * ORGANISATIONS_PER_SESSION * len(CAMPAIGNS)
    assert cur.execute("SELECT status, count(*) FROM responses GROUP BY status").fetchall() == [
        ("submitted", expected)
    ]
    # One response per (organisation, campaign), for exactly the organisations created.
    pairs = cur.execute(
        "SELECT o.name, r.campaign_id, count(*) FROM responses r "
        "JOIN organisations o ON o.id = r.organisation_id GROUP BY o.name, r.campaign_id"
    ).fetchall()
    assert len(pairs) == expected
    assert {count for *_, count in pairs} == {1}
    names = Counter(name for name, *_ in pairs)
    assert set(names.values()) == {len(CAMPAIGNS)}
    assert {index_of(name) for name in names} == set(range(THREADS * ORGANISATIONS_PER_SESSION))
    assert cur.execute("SELECT count(*) FROM organisations").fetchone()[0] == len(names)

    # Every response holds exactly the rows, and values, of what its session sent.
    stored: dict[str, dict[tuple[str, int], Any]] = {}
    for response_id, question_id, item, *values in cur.execute(
        "SELECT response_id, question_id, item, value_num, value_text, value_date FROM answers"
    ).fetchall():
        [value] = [v for v in values if v is not None]
        stored.setdefault(response_id, {})[question_id, item] = value
    owners = cur.execute(
        "SELECT r.id, o.name FROM responses r JOIN organisations o ON o.id = r.organisation_id"
    ).fetchall()
    for response_id, name in owners:
        sent = expected_values(answers_for(index_of(name)))
        assert stored.pop(response_id, None) == sent, name
    assert stored == {}  # no answer row belongs to anything else
    # Each submission left its one audit line.
    submits = cur.execute(
        "SELECT count(*), count(DISTINCT object_id) FROM audit_log WHERE action = 'response.submit'"
    ).fetchone()
    assert submits == (expected, expected)


@pytest.mark.slow
def test_concurrency__sixteen_sessions_submit_at_once_nothing_lost_or_duplicated(
    tmp_store, make_questionnaire
):
    _open_campaigns_and_organisations(tmp_store, make_questionnaire())
    barrier = threading.Barrier(THREADS)
    problems: list[dict[str, Any]] = []
    threads = [
        threading.Thread(target=contribute, args=(tmp_store, n, barrier, problems))
        for n in range(THREADS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # No session saw an error: no raw DuckDB exception, and no "modified elsewhere"
    # conflict either (nobody else touched these responses).
    assert problems == [], problems
    _check_every_submission(tmp_store)


def _app_processes(*commands: list[str]) -> list[list[str]]:
    """Start one app process (app_process.py) per command, release them together once all
    have opened their store, and return what each printed."""
    procs = [
        subprocess.Popen(
            [sys.executable, str(APP_PROCESS), *command],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for command in commands
    ]
    try:
        for proc in procs:
            assert proc.stdout is not None
            assert proc.stdout.readline().strip() == "ready", "an app process did not start"
        for proc in procs:
            assert proc.stdin is not None
            proc.stdin.write("go\n")
            proc.stdin.flush()
        printed = [proc.communicate(timeout=WAIT)[0].splitlines() for proc in procs]
        assert [proc.returncode for proc in procs] == [0] * len(procs), printed
        return printed
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()


@pytest.mark.slow
def test_concurrency__sixteen_sessions_over_two_app_servers_on_postgresql(
    pg_database, make_questionnaire
):
    """The same 16 x 50 submissions, the sessions spread over two app processes, each with
    its own `PgStore` on one PostgreSQL database (two app servers behind a proxy)."""
    store = PgStore(pg_database)
    try:
        _open_campaigns_and_organisations(store, make_questionnaire())
        half = THREADS // 2
        printed = _app_processes(
            ["submit", pg_database, "0", str(half)],
            ["submit", pg_database, str(half), str(THREADS - half)],
        )
        problems = [
            problem
            for lines in printed
            for line in lines
            if line.startswith("problems ")
            for problem in json.loads(line.removeprefix("problems "))
        ]
        assert sum(line.startswith("problems ") for lines in printed for line in lines) == 2
        assert problems == [], problems  # no error, no conflict: nobody else touched them
        _check_every_submission(store)
    finally:
        store.close()


@pytest.mark.slow
def test_concurrency__same_response_saved_from_several_app_servers_one_wins(
    pg_database, make_questionnaire
):
    """Optimistic concurrency across processes: three app servers submit the same response,
    all opened at version 1, at the same moment; one wins, the others are told that
    nothing was overwritten, and the winner's answers are the ones stored."""
    store = PgStore(pg_database)
    try:
        campaign_id = open_campaign(store, make_questionnaire(), "concurrence-2025")
        org = organisation_id(1)
        bulk.insert_organisations(
            store,
            [
                {
                    "id": org,
                    "name": organisation_name(1),
                    "structure_type": "compagnie",
                    "filieres": ["cirque"],
                    "created_at": clock.now(),
                }
            ],
        )
        viewer = Viewer(role=Role.CONTRIBUTEUR, organisation_id=org, filiere="cirque")
        meta = response_store.start(store, viewer, campaign_id)
        assert meta.row_version == 1
        printed = _app_processes(*(["save", pg_database, meta.id, org, str(n)] for n in range(3)))
        outcomes = [line for lines in printed for line in lines]
        winners = [int(line.split()[1]) for line in outcomes if line.startswith("saved ")]
        refused = [line for line in outcomes if line.startswith("refused ")]
        assert len(winners) == 1, outcomes
        assert len(refused) == 2, outcomes
        for line in refused:  # told, in French, that nothing was written
            assert line.split()[1] == "CONFLICT", line
            assert "Rien n'a été écrasé" in line, line
        assert response_store.load_answers(store, viewer, meta.id) == answers_for(winners[0])
        assert response_store.get(store, viewer, meta.id).row_version == 2
        assert store.cursor().execute(
            "SELECT count(*) FROM audit_log WHERE object_id = ? AND action = 'response.submit'",
            [meta.id],
        ).fetchone() == (1,)
    finally:
        store.close()


def _race(count: int, work: Any) -> tuple[list[Any], list[BaseException]]:
    """Run `work(n)` in `count` threads released at the same moment."""
    barrier = threading.Barrier(count)
    results: list[Any] = []
    errors: list[BaseException] = []

    def run(n: int) -> None:
        barrier.wait()
        try:
            results.append(work(n))
        except Exception as exc:  # noqa: BLE001 — the test inspects every failure
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


def _raise_raw(errors: list[BaseException]) -> None:
    """A raw database exception reaching the caller is the bug: let it fail the test."""
    raw = [e for e in errors if isinstance(e, duckdb.Error | psycopg.Error)]
    if raw:
        raise raw[0]


@pytest.mark.slow
@pytest.mark.both_backends
def test_concurrency__same_response_saved_by_many_sessions_at_once_one_wins(
    make_questionnaire, make_response, tmp_store
):
    made = make_response(make_questionnaire())
    viewer, meta = made["viewer"], made["response"]

    def submit(n: int) -> int:
        response_store.save(
            tmp_store, viewer, meta.id, answers_for(n), expected_version=1, submit=True
        )
        return n

    winners, errors = _race(8, submit)
    _raise_raw(errors)
    assert len(winners) == 1
    assert len(errors) == 7
    for error in errors:  # every other session is told, in French, that nothing was written
        assert getattr(error, "code", None) == "CONFLICT", error
        assert "Rien n'a été écrasé" in error.message("fr")
    assert response_store.load_answers(tmp_store, viewer, meta.id) == answers_for(winners[0])
    assert response_store.get(tmp_store, viewer, meta.id).row_version == 2
    cur = tmp_store.cursor()
    assert cur.execute(
        "SELECT count(*) FROM audit_log WHERE object_id = ? AND action = 'response.submit'",
        [meta.id],
    ).fetchone() == (1,)


@pytest.mark.slow
@pytest.mark.both_backends
def test_concurrency__same_organisation_opens_its_response_in_many_sessions_at_once(
    make_questionnaire, make_response, tmp_store
):
    made = make_response(make_questionnaire())  # publishes, opens the campaign
    campaign_id = made["campaign"].id
    for round_number in range(10):
        org_id = f"org-meme-{round_number}"
        bulk.insert_organisations(
            tmp_store,
            [
                {
                    "id": org_id,
                    "name": organisation_name(round_number),
                    "structure_type": "compagnie",
                    "filieres": ["cirque"],
                    "created_at": clock.now(),
                }
            ],
        )
        viewer = Viewer(role=Role.CONTRIBUTEUR, organisation_id=org_id, filiere="cirque")
        opened, errors = _race(
            8, lambda _n, v=viewer: response_store.start(tmp_store, v, campaign_id).id
        )
        _raise_raw(errors)
        assert errors == []  # every session gets the form
        assert len(set(opened)) == 1  # …of one and the same response
        assert tmp_store.cursor().execute(
            "SELECT count(*) FROM responses WHERE organisation_id = ?", [org_id]
        ).fetchone() == (1,)


@pytest.mark.slow
@pytest.mark.both_backends
def test_concurrency__consent_changed_in_many_sessions_at_once(
    make_questionnaire, make_response, tmp_store
):
    made = make_response(make_questionnaire(), answers_for(1), submit=True)
    viewer, meta = made["viewer"], made["response"]
    for _ in range(5):
        done, errors = _race(
            6,
            lambda n: (
                response_store.set_consent(
                    tmp_store, viewer, meta.id, ("reseau", "ouvert")[n % 2]
                ).consent
            ),
        )
        _raise_raw(errors)
        for error in errors:  # a refused change says so clearly, and changes nothing
            assert getattr(error, "code", None) == "WRITE_CONFLICT", error
            assert "rien n'a été enregistré" in error.message("fr")
        assert done  # at least one change went through
        history = response_store.consent_history(tmp_store, viewer, meta.id)
        current = response_store.get(tmp_store, viewer, meta.id).consent
        assert history[-1]["to_level"] == current  # the history ends on the stored level
