"""Two browser sessions of the same contributor editing the same response.

The store-level rule (a stale row version is refused) is tested in
tests/unit/test_store.py; here two real app sessions race through the answering page: the
slower one gets the French conflict message and the faster one's answers stay stored.
"""

from __future__ import annotations

import pytest
from conftest import click, demo_viewer, widget

from opp import clock
from opp.access.viewer import Role, Viewer
from opp.services import reads
from opp.services import responses as response_store
from opp.store import open_store

PAGE = "pages/repondre.py"
KEY = "contrib:cirque"


def _step_title(at) -> str:
    title = next(m.value for m in at.markdown if m.value.startswith("### "))[4:]
    return title.replace("\\", "")


def _stored(db) -> tuple:
    """The cirque contributor's response to this year's campaign: meta, answers, audit."""
    viewer = demo_viewer(db, KEY)
    store = open_store(db)
    try:
        [meta] = [
            r
            for r in response_store.list_visible(store, viewer)
            if r.questionnaire_id == "cirque"
            and r.campaign_id.endswith(str(clock.today().year - 1))
        ]
        answers = response_store.load_answers(store, viewer, meta.id)
        entries = reads.audit_entries(store, Viewer(role=Role.ADMIN), object_id=meta.id)
        return meta, answers, [e["action"] for e in entries]
    finally:
        store.close()


@pytest.mark.slow
def test_edit_conflict__second_session_is_told_and_first_answers_are_kept(run_app, demo_copy):
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
