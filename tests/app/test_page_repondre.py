"""Answer page: campaign choice, steps, relevance, repeats, drafts, carry forward, submission."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from conftest import click, confirm_empty_step, fill_required, walk_to_review, widget

from opp import clock
from opp.access.viewer import Role, Viewer
from opp.services import reads
from opp.services import responses as response_store
from opp.store import open_store, stats

PAGE = "pages/repondre.py"
QUESTIONNAIRES = [
    "arts_de_la_rue",
    "marionnette",
    "cirque",
    "musiques_actuelles",
    "artistes_musiques_actuelles",
]


def _profile(db, kind: str, questionnaire: str = "cirque") -> dict:
    store = open_store(db)
    try:
        profiles = stats.demo_profiles(store, clock.today())
    finally:
        store.close()
    return next(p for p in profiles if p["kind"] == kind and p["questionnaire_id"] == questionnaire)


def _viewer(profile: dict) -> Viewer:
    return Viewer(role=Role.CONTRIBUTEUR, organisation_id=profile["id"], filiere=profile["filiere"])


def _stored(db, profile: dict, questionnaire: str) -> tuple:
    store = open_store(db)
    try:
        viewer = _viewer(profile)
        mine = [
            r
            for r in response_store.list_visible(store, viewer)
            if r.questionnaire_id == questionnaire
            and r.campaign_id.endswith(str(clock.today().year - 1))
        ]
        assert len(mine) == 1
        answers = response_store.load_answers(store, viewer, mine[0].id)
        entries = reads.audit_entries(store, Viewer(role=Role.ADMIN), object_id=mine[0].id)
        return mine[0], answers, [e["action"] for e in entries]
    finally:
        store.close()


def choose(at, suffix: str, value) -> None:
    """Pick a value in a choice widget, whether drawn as radio buttons or a dropdown."""
    widget([*at.radio, *at.selectbox], suffix).set_value(value).run()


def _step_title(at) -> str:
    title = next(m.value for m in at.markdown if m.value.startswith("### "))[4:]
    return title.replace("\\", "")  # drop the Markdown escapes of opp.ui.text.plain


def test_page_repondre__only_contributors_answer(run_page_alone, demo_file):
    at = run_page_alone(demo_file, PAGE, viewer_key="coreps")
    assert not at.exception
    assert "Seule une structure contributrice" in at.info[0].value


@pytest.mark.parametrize("questionnaire", QUESTIONNAIRES)
def test_page_repondre__fill_and_submit(run_app, demo_copy, questionnaire):
    profile = _profile(demo_copy, "carry_forward", questionnaire)
    at = run_app(demo_copy, PAGE, viewer_key=f"org:{profile['id']}")
    assert not at.exception
    walk_to_review(at)
    assert not at.error, [e.value for e in at.error]
    click(at, "submit:")
    assert not at.exception
    assert "Merci" in at.success[0].value
    meta, answers, actions = _stored(demo_copy, profile, questionnaire)
    assert meta.status == "submitted"
    assert meta.submitted_at is not None
    assert actions[0] == "response.submit"
    assert "response.save_draft" in actions
    assert answers  # the carried-forward and filled answers are stored


def test_page_repondre__carried_answers_are_prefilled_and_saved_as_draft(run_app, demo_copy):
    profile = _profile(demo_copy, "carry_forward")
    at = run_app(demo_copy, PAGE, viewer_key=f"org:{profile['id']}")
    assert not at.exception
    assert "reprises de votre questionnaire" in at.info[0].value
    name = widget(at.text_input, "nom_structure")
    assert name.value == profile["name"]
    assert "à confirmer" in name.label
    click(at, "next:")
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert _step_title(at) == "Emploi"
    meta, answers, _ = _stored(demo_copy, profile, "cirque")
    assert meta.status == "draft"
    assert answers["nom_structure"] == profile["name"]
    assert meta.current_section == "emploi"


def test_page_repondre__opening_the_page_creates_no_draft_the_first_save_does(run_app, demo_copy):
    profile = _profile(demo_copy, "carry_forward")
    viewer = _viewer(profile)

    def mine() -> list:
        store = open_store(demo_copy)
        try:
            return [
                r
                for r in response_store.list_visible(store, viewer)
                if r.questionnaire_id == "cirque"
                and r.campaign_id.endswith(str(clock.today().year - 1))
            ]
        finally:
            store.close()

    at = run_app(demo_copy, PAGE, viewer_key=f"org:{profile['id']}")
    assert not at.exception
    assert widget(at.text_input, "nom_structure").value == profile["name"]  # carried forward
    at.run()  # the page drawn again (any widget change) stores nothing either
    assert mine() == []
    click(at, "next:")
    assert not at.error, [e.value for e in at.error]
    [stored] = mine()
    assert stored.status == "draft"
    _, _, actions = _stored(demo_copy, profile, "cirque")
    assert actions[-1] == "response.create"


def test_page_repondre__relevance_is_applied_live(run_app, demo_copy):
    profile = _profile(demo_copy, "carry_forward")
    at = run_app(demo_copy, PAGE, viewer_key=f"org:{profile['id']}")
    click(at, "next:")
    widget(at.number_input, "effectif_permanent").set_value(0).run()
    assert not [w for w in at.number_input if w.key.endswith(":permanents_cdi")]
    widget(at.number_input, "effectif_permanent").set_value(3).run()
    assert widget(at.number_input, "permanents_cdi").value is None


def test_page_repondre__hidden_answers_are_not_stored(run_app, demo_copy):
    profile = _profile(demo_copy, "carry_forward")
    at = run_app(demo_copy, PAGE, viewer_key=f"org:{profile['id']}")
    click(at, "next:")
    widget(at.number_input, "effectif_permanent").set_value(2).run()
    widget(at.number_input, "permanents_cdi").set_value(2).run()
    widget(at.number_input, "effectif_permanent").set_value(0).run()
    click(at, "next:")
    assert not at.error, [e.value for e in at.error]
    _, answers, _ = _stored(demo_copy, profile, "cirque")
    assert answers["effectif_permanent"] == 0
    assert "permanents_cdi" not in answers


def test_page_repondre__inconsistent_answer_is_shown_next_to_field_and_not_saved(
    run_app, demo_copy
):
    profile = _profile(demo_copy, "carry_forward")
    at = run_app(demo_copy, PAGE, viewer_key=f"org:{profile['id']}")
    click(at, "next:")  # identity step → employment step
    widget(at.number_input, "effectif_permanent").set_value(2).run()
    widget(at.number_input, "permanents_cdi").set_value(5).run()
    click(at, "next:")
    assert not at.exception
    messages = [e.value for e in at.error]
    assert any("rien n'a été enregistré" in m for m in messages)
    assert any("effectif permanent" in m.lower() for m in messages[1:])
    assert _step_title(at) == "Emploi"  # stays on the step
    _, answers, _ = _stored(demo_copy, profile, "cirque")
    assert "permanents_cdi" not in answers


def test_page_repondre__draft_resumes_where_one_stopped(run_app, demo_copy):
    profile = _profile(demo_copy, "carry_forward")
    at = run_app(demo_copy, PAGE, viewer_key=f"org:{profile['id']}")
    click(at, "next:")
    widget(at.number_input, "effectif_permanent").set_value(4).run()
    widget(at.number_input, "permanents_cdi").set_value(4).run()
    click(at, "next:")
    assert _step_title(at) == "Égalité femmes-hommes : équipes et plateaux"
    # A new browser session (the first one was closed): same organisation.
    again = run_app(demo_copy, PAGE, viewer_key=f"org:{profile['id']}")
    assert not again.exception
    assert _step_title(again) == "Égalité femmes-hommes : équipes et plateaux"
    click(again, "prev:")
    assert widget(again.number_input, "effectif_permanent").value == 4
    assert widget(again.number_input, "permanents_cdi").value == 4
    # Carried answers of steps not saved yet stay "à confirmer" across the reload (before:
    # a reload turned them into confirmed answers nobody had looked at)…
    assert "reprises" in again.info[0].value
    assert any("à confirmer" in c.value for c in again.caption)
    # …while those of the identity step, saved with "continue", are confirmed.
    click(again, "prev:")
    assert "à confirmer" not in widget(again.text_input, "nom_structure").label


def test_page_repondre__repeat_items_can_be_added_edited_and_removed(run_app, demo_copy):
    profile = _profile(demo_copy, "carry_forward")
    at = run_app(demo_copy, PAGE, viewer_key=f"org:{profile['id']}")
    choose(at, "type_structure", "compagnie")
    for _ in range(8):
        if _step_title(at).startswith("Diffusion"):
            break
        fill_required(at)
        confirm_empty_step(at)
        at.run()
        click(at, "next:")
    assert _step_title(at).startswith("Diffusion")
    add = next(b for b in at.button if b.key.endswith(":add"))
    add.click().run()
    widget(at.date_input, "rep_date").set_value(dt.date(clock.today().year - 1, 5, 17)).run()
    choose(at, "rep_en_occitanie", True)
    choose(at, "rep_commune", "34172")
    choose(at, "rep_mode_contrat", "cession")
    widget(at.number_input, "rep_prix_cession").set_value(2500.0).run()
    done = next(b for b in at.button if b.key.endswith(":done"))
    done.click().run()
    assert any("Montpellier" in m.value for m in at.markdown)
    assert not at.dataframe  # nothing wider than a phone screen in the form
    assert not at.table
    click(at, "next:")
    assert not at.error, [e.value for e in at.error]
    _, answers, _ = _stored(demo_copy, profile, "cirque")
    items = answers["detail_representations"]
    assert len(items) == 1
    assert items[0]["rep_commune"] == "34172"
    assert items[0]["rep_prix_cession"] == 2500.0
    # Back to the diffusion step: edit, then remove the item.
    click(at, "prev:")
    edit = next(b for b in at.button if b.key.endswith(":e0"))
    edit.click().run()
    widget(at.number_input, "rep_prix_cession").set_value(3000.0).run()
    next(b for b in at.button if b.key.endswith(":done")).click().run()
    click(at, "next:")
    _, answers, _ = _stored(demo_copy, profile, "cirque")
    assert answers["detail_representations"][0]["rep_prix_cession"] == 3000.0
    click(at, "prev:")
    next(b for b in at.button if b.key.endswith(":r0")).click().run()
    click(at, "next:")
    _, answers, _ = _stored(demo_copy, profile, "cirque")
    assert "detail_representations" not in answers


def test_page_repondre__edit_after_submission_is_audited(run_app, demo_copy):
    profile = _profile(demo_copy, "carry_forward")
    at = run_app(demo_copy, PAGE, viewer_key=f"org:{profile['id']}")
    walk_to_review(at)
    click(at, "submit:")
    click(at, "goto:")  # first step
    widget(at.text_input, "nom_structure").set_value("Nouveau nom").run()
    click(at, "next:")
    assert not at.error, [e.value for e in at.error]
    meta, answers, actions = _stored(demo_copy, profile, "cirque")
    assert meta.status == "submitted"
    assert answers["nom_structure"] == "Nouveau nom"
    assert actions[0] == "response.edit"
    store = open_store(demo_copy)
    try:
        entry = reads.audit_entries(store, Viewer(role=Role.ADMIN), object_id=meta.id)[0]
    finally:
        store.close()
    assert entry["detail"]["changed_questions"] == ["nom_structure"]


def test_page_repondre__in_english(run_app, demo_copy):
    profile = _profile(demo_copy, "carry_forward")
    at = run_app(demo_copy, PAGE, viewer_key=f"org:{profile['id']}", lang="en")
    assert not at.exception
    assert at.title[0].value == "Answer the questionnaire"
    assert widget(at.text_input, "nom_structure").label.startswith("Name of the organisation")


def test_page_repondre__shows_what_changed_in_this_version(run_app, demo_file):
    at = run_app(demo_file, "pages/repondre.py", viewer_key="contrib:cirque")
    [news] = [e for e in at.expander if "Nouveautés de cette version" in e.label]
    assert "1.1.0" in news.label
    lines = [m.value for m in news.markdown]
    assert any("ajout de deux questions" in line for line in lines)


def _progress_text(at) -> str:
    return at.get("progress")[0].proto.text


def test_page_repondre__empty_steps_are_named_and_the_submitted_progress_adds_up(
    run_app, demo_copy
):
    profile = _profile(demo_copy, "carry_forward")
    at = run_app(demo_copy, PAGE, viewer_key=f"org:{profile['id']}")
    empty = None
    for _ in range(12):
        fill_required(at)
        at.run()
        click(at, "next:")
        if any("cette étape est vide" in w.value for w in at.warning):
            empty = _step_title(at)  # "continue" saved the draft and stayed on the step
            break
    assert empty is not None
    # The review page (last entry of the steps list) names the step and refuses to submit.
    review = [b for b in at.button if b.key and b.key.startswith("goto:")][-1]
    review.click().run()
    left = next(w.value for w in at.warning if "à terminer" in w.value)
    assert f"« {empty} »" in left.replace("\\", "")
    assert next(b for b in at.button if b.key.startswith("submit:")).disabled
    # Confirmed empty, every other step answered: submitted, and the progress adds up.
    target = next(
        b
        for b in at.button
        if b.key.startswith("goto:") and b.label.replace("\\", "").endswith(f". {empty}")
    )
    target.click().run()
    confirm_empty_step(at)
    at.run()
    walk_to_review(at)
    click(at, "submit:")
    assert "Merci" in at.success[0].value
    assert any(" · envoyée" in c.value for c in at.caption)
    done, total = (int(n) for n in re.findall(r"\d+", _progress_text(at))[:2])
    assert done == total
    assert "rien à déclarer" in " ".join(c.value for c in at.caption)
