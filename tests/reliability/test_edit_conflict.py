"""Two browser sessions of the same contributor editing the same response.

The store-level rule (a stale row version is refused) is tested in
tests/unit/test_store.py; here two real app sessions race through the answering page: the
slower one gets the French conflict message and the faster one's answers stay stored —
on the demo region in a DuckDB file, and in PostgreSQL (`OPP_DATABASE_URL`). The same race
between app servers (separate processes on one PostgreSQL) is
tests/reliability/test_concurrency.py's `…_from_several_app_servers_one_wins`.
"""

from __future__ import annotations

import pytest
from conftest import click, demo_viewer, pg_copy, widget

from opp import clock
from opp.access.viewer import Role, Viewer
from opp.services import reads
from opp.services import responses as response_store
from opp.store import open_store

PAGE = "pages/repondre.py"
KEY = "contrib:cirque"


@pytest.fixture(params=["duckdb", "postgres"])
def demo_db(request, demo_copy, monkeypatch):
    """The demo region: a copy of the demo file, or (`OPP_DATABASE_URL` set for the app and
    every `open_store` of the test) a PostgreSQL database copied from the demo template."""
    if request.param == "postgres":
        copies = pg_copy(
            request.getfixturevalue("pg_cluster"), request.getfixturevalue("pg_demo_template")
        )
        monkeypatch.setenv("OPP_DATABASE_URL", next(copies))
        yield demo_copy
        monkeypatch.delenv("OPP_DATABASE_URL")
        next(copies, None)
        # The sessions wrote to PostgreSQL: in the demo file beside it, the page never
        # even opened the response.
        store = open_store(demo_copy)
        try:
            assert _responses(store, demo_viewer(demo_copy, KEY)) == []
        finally:
            store.close()
    else:
        yield demo_copy


def _step_title(at) -> str:
    title = next(m.value for m in at.markdown if m.value.startswith("### "))[4:]
    return title.replace("\\", "")


def _responses(store, viewer) -> list:
    """The cirque contributor's responses to this year's campaign (one, once opened)."""
    return [
        r
        for r in response_store.list_visible(store, viewer)
        if r.questionnaire_id == "cirque" and r.campaign_id.endswith(str(clock.today().year - 1))
    ]


def _stored(db) -> tuple:
    """The cirque contributor's response to this year's campaign: meta, answers, audit."""
    viewer = demo_viewer(db, KEY)
    store = open_store(db)
    try:
        [meta] = _responses(store, viewer)
        answers = response_store.load_answers(store, viewer, meta.id)
        entries = reads.audit_entries(store, Viewer(role=Role.ADMIN), object_id=meta.id)
        return meta, answers, [e["action"] for e in entries]
    finally:
        store.close()


@pytest.mark.slow
def test_edit_conflict__second_session_is_told_and_first_answers_are_kept(run_app, demo_db):
    demo_copy = demo_db
    first = run_app(demo_copy, PAGE, viewer_key=KEY)
    second = run_app(demo_copy, PAGE, viewer_key=KEY)  # same account, another browser tab
    assert not first.exception
    assert not second.exception
    opened = _step_title(second)

    widget(first.text_input, "nom_structure").set_value("Cirque des Deux Rives").run()
    click(first, "next:")
    assert not first.exception
    assert not first.error, [e.value for e in first.error]
    assert _step_title(first) != opened  # saved, moved on

    widget(second.text_input, "nom_structure").set_value("Cirque de l'Autre Onglet").run()
    click(second, "next:")
    assert not second.exception
    messages = [e.value for e in second.error]
    assert any(
        "modifiée ailleurs depuis que vous l'avez ouverte" in m and "Rien n'a été écrasé" in m
        for m in messages
    ), messages
    assert _step_title(second) == opened  # the slower session stays where it was
    # Insisting does not overwrite either.
    click(second, "next:")
    assert any("Rien n'a été écrasé" in e.value for e in second.error)

    meta, answers, actions = _stored(demo_copy)
    assert answers["nom_structure"] == "Cirque des Deux Rives"
    # Every stored version is the first session's: its autosave of the typed value, then
    # "continue" (the member's own reads are logged too, once an hour).
    writes = [a for a in actions if a != "response.read"]
    assert writes[-1] == "response.create"
    assert set(writes[:-1]) == {"response.save_draft"}
    assert meta.row_version == len(writes) - 1

    # Reloading the page (a new session) shows what the first session saved.
    reloaded = run_app(demo_copy, PAGE, viewer_key=KEY)
    assert not reloaded.exception
    click(reloaded, "prev:")
    assert widget(reloaded.text_input, "nom_structure").value == "Cirque des Deux Rives"
