"""Mes données: read my responses, change consent, erase with confirmation, export."""

from __future__ import annotations

import json

from conftest import demo_viewer

from opp.services import responses as response_store
from opp.store import open_store

PAGE = "pages/mes_donnees.py"


def _mine(db):
    viewer = demo_viewer(db, "contrib:cirque")
    store = open_store(db)
    try:
        return viewer, response_store.list_visible(store, viewer)
    finally:
        store.close()


def test_page_mes_donnees__lists_my_responses_with_their_answers(run_app, demo_file):
    _, mine = _mine(demo_file)
    at = run_app(demo_file, PAGE, viewer_key="contrib:cirque")
    assert not at.exception
    assert not at.error
    assert len(at.expander) == len(mine)
    assert any(m.value.startswith("**Nom de la structure**") for m in at.markdown)
    assert len(at.get("download_button")) == 3


def test_page_mes_donnees__consent_change_is_saved(run_app, demo_copy):
    viewer, mine = _mine(demo_copy)
    at = run_app(demo_copy, PAGE, viewer_key="contrib:cirque")
    first = mine[0]
    target = "ouvert" if first.consent != "ouvert" else "reseau"
    at.radio(key=f"consent:{first.id}").set_value(target).run()
    at.button(key=f"consent-save:{first.id}").click().run()
    assert not at.exception
    assert "Choix enregistré." in [s.value for s in at.success]
    store = open_store(demo_copy)
    try:
        assert response_store.get(store, viewer, first.id).consent == target
    finally:
        store.close()


def test_page_mes_donnees__erasure_needs_the_confirmation_word(run_app, demo_copy):
    viewer, mine = _mine(demo_copy)
    at = run_app(demo_copy, PAGE, viewer_key="contrib:cirque")
    first = mine[0]
    words = [t for t in at.text_input if t.label == "Confirmation"]
    words[0].set_value("oui")
    next(b for b in at.button if b.label == "Effacer cette réponse").click().run()
    assert "EFFACER" in at.error[0].value
    store = open_store(demo_copy)
    try:
        assert response_store.get(store, viewer, first.id)  # still there
    finally:
        store.close()
    words = [t for t in at.text_input if t.label == "Confirmation"]
    words[0].set_value("EFFACER")
    next(b for b in at.button if b.label == "Effacer cette réponse").click().run()
    assert not at.exception
    _, after = _mine(demo_copy)
    assert first.id not in {r.id for r in after}


def test_page_mes_donnees__json_export_has_my_answers(demo_file):
    from opp import mydata

    viewer, mine = _mine(demo_file)
    store = open_store(demo_file)
    try:
        data = json.loads(mydata.to_json(mydata.collect(store, viewer)))
    finally:
        store.close()
    assert {r["id"] for r in data["responses"]} == {r.id for r in mine}


def test_page_mes_donnees__not_for_other_roles(run_page_alone, demo_file):
    at = run_page_alone(demo_file, PAGE, viewer_key="coreps")
    assert "structures contributrices" in at.info[0].value
    assert not at.expander
