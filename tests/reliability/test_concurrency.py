"""Concurrency: many sessions submitting at once through the process's single Store.

The app shares one Store (one DuckDB connection) between every browser session; each
session's thread gets its own cursor. 16 threads submitting 50 responses each must leave
exactly 800 submitted responses: none lost, none duplicated, every answer row in place.
"""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any

import duckdb
import pytest
from submission_stream import (
    answers_for,
    expected_values,
    index_of,
    open_campaign,
    organisation_name,
)

from opp import clock
from opp.access.viewer import Role, Viewer
from opp.services import responses as response_store
from opp.store import Store, bulk

THREADS = 16
ORGANISATIONS_PER_THREAD = 25
CAMPAIGNS = ("concurrence-2024", "concurrence-2025")  # 25 organisations x 2 = 50 each


def _organisation_id(index: int) -> str:
    return f"org-{index:04d}"


def _contributor(
    store: Store, thread: int, barrier: threading.Barrier, problems: list[dict[str, Any]]
) -> None:
    """One session's work: its 25 organisations each answer both campaigns (50 submissions)."""
    barrier.wait()  # every thread starts writing at the same moment
    for number in range(ORGANISATIONS_PER_THREAD):
        index = thread * ORGANISATIONS_PER_THREAD + number
        viewer = Viewer(
            role=Role.CONTRIBUTEUR, organisation_id=_organisation_id(index), filiere="cirque"
        )
        try:
            for campaign_id in CAMPAIGNS:
                meta = response_store.start(store, viewer, campaign_id)
                response_store.save(
                    store,
                    viewer,
                    meta.id,
                    answers_for(index),
                    expected_version=meta.row_version,
                    submit=True,
                )
        except Exception as exc:  # noqa: BLE001 — every failure is reported by the test
            problems.append(
                {
                    "thread": thread,
                    "index": index,
                    "type": f"{type(exc).__module__}.{type(exc).__name__}",
                    "code": getattr(exc, "code", None),
                    "raw_duckdb": isinstance(exc, duckdb.Error),
                    "message": str(exc)[:300],
                }
            )


@pytest.mark.slow
def test_concurrency__sixteen_sessions_submit_at_once_nothing_lost_or_duplicated(
    tmp_store, make_questionnaire
):
    questionnaire = make_questionnaire()
    for year, campaign_id in zip((2024, 2025), CAMPAIGNS, strict=True):
        open_campaign(tmp_store, questionnaire, campaign_id, reference_year=year)
    bulk.insert_organisations(
        tmp_store,
        [
            {
                "id": _organisation_id(index),
                "name": organisation_name(index),
                "structure_type": "compagnie",
                "commune": "31555",
                "departement": "31",
                "filieres": ["cirque"],
                "created_at": clock.now(),
            }
            for index in range(THREADS * ORGANISATIONS_PER_THREAD)
        ],
    )
    barrier = threading.Barrier(THREADS)
    problems: list[dict[str, Any]] = []
    threads = [
        threading.Thread(target=_contributor, args=(tmp_store, n, barrier, problems))
        for n in range(THREADS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # No session saw an error: no raw DuckDB exception, and no "modified elsewhere"
    # conflict either (nobody else touched these responses).
    assert problems == [], problems

    cur = tmp_store.cursor()
    expected = THREADS * ORGANISATIONS_PER_THREAD * len(CAMPAIGNS)
    assert cur.execute("SELECT status, count(*) FROM responses GROUP BY ALL").fetchall() == [
        ("submitted", expected)
    ]
    # One response per (organisation, campaign), for exactly the organisations created.
    pairs = cur.execute(
        "SELECT o.name, r.campaign_id, count(*) FROM responses r "
        "JOIN organisations o ON o.id = r.organisation_id GROUP BY ALL"
    ).fetchall()
    assert len(pairs) == expected
    assert {count for *_, count in pairs} == {1}
    names = Counter(name for name, *_ in pairs)
    assert set(names.values()) == {len(CAMPAIGNS)}
    assert {index_of(name) for name in names} == set(range(THREADS * ORGANISATIONS_PER_THREAD))
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
    """A raw DuckDB exception reaching the caller is the bug: let it fail the test."""
    raw = [e for e in errors if isinstance(e, duckdb.Error)]
    if raw:
        raise raw[0]


@pytest.mark.slow
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
