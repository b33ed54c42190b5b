"""Answer page: campaign choice, steps, carry forward, validation next to fields, saving."""

from __future__ import annotations

from conftest import widget

from opp.access.viewer import Role, Viewer
from opp.store import open_store, stats
from opp.store import responses as response_store

PAGE = "pages/repondre.py"


def _profile(db, kind: str, questionnaire: str = "cirque") -> dict:
    store = open_store(db)
    try:
        import datetime as dt

        profiles = stats.demo_profiles(store, None, dt.date.today())
    finally:
        store.close()
    return next(p for p in profiles if p["kind"] == kind and p["questionnaire_id"] == questionnaire)


def _next(at):
    return next(b for b in at.button if b.key and b.key.startswith("next:"))


def test_page_repondre__only_contributors_answer(run_app, demo_file):
    at = run_app(demo_file, PAGE, viewer_key="coreps")
    assert not at.exception
    assert "Seule une structure contributrice" in at.info[0].value


def test_page_repondre__carried_answers_are_prefilled_and_saved_as_draft(run_app, demo_copy):
    profile = _profile(demo_copy, "carry_forward")
    at = run_app(demo_copy, PAGE, viewer_key=f"org:{profile['id']}")
    assert not at.exception
    assert "reprises de votre questionnaire" in at.info[0].value
    name = widget(at.text_input, "nom_structure")
    assert name.value == profile["name"]
    assert "à confirmer" in name.label
    _next(at).click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert "### Emploi" in [m.value for m in at.markdown]
    store = open_store(demo_copy)
    try:
        viewer = Viewer(role=Role.CONTRIBUTEUR, organisation_id=profile["id"], filiere="cirque")
        mine = response_store.list_visible(store, viewer, status="draft")
        assert len(mine) == 1
        answers = response_store.load_answers(store, viewer, mine[0].id)
        assert answers["nom_structure"] == profile["name"]
        assert mine[0].current_section == "emploi"
    finally:
        store.close()


def test_page_repondre__inconsistent_answer_is_shown_next_to_field_and_not_saved(
    run_app, demo_copy
):
    profile = _profile(demo_copy, "carry_forward")
    at = run_app(demo_copy, PAGE, viewer_key=f"org:{profile['id']}")
    _next(at).click().run()  # identity step → employment step
    widget(at.number_input, "effectif_permanent").set_value(2).run()
    widget(at.number_input, "permanents_cdi").set_value(5).run()
    _next(at).click().run()
    assert not at.exception
    messages = " ".join(e.value for e in at.error)
    assert "rien n'a été enregistré" in messages
    store = open_store(demo_copy)
    try:
        viewer = Viewer(role=Role.CONTRIBUTEUR, organisation_id=profile["id"], filiere="cirque")
        mine = response_store.list_visible(store, viewer, status="draft")
        answers = response_store.load_answers(store, viewer, mine[0].id)
        assert "permanents_cdi" not in answers
    finally:
        store.close()
