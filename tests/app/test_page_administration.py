"""Administration: campaigns, invitations and accounts of a filière; the agency's audit log."""

from __future__ import annotations

import datetime as dt

from opp.access import auth
from opp.access.viewer import Role, Viewer
from opp.store import accounts, audit, campaigns, invitations, open_store, organisations, releases

PAGE = "pages/administration.py"
ADMIN = Viewer(role=Role.ADMIN, account_id="test")


def _fresh_cirque_campaign(db, year: int):
    """A new cirque campaign (open today, nobody invited yet): the newest in the list."""
    store = open_store(db)
    try:
        return campaigns.create(
            store,
            ADMIN,
            filiere="cirque",
            questionnaire_id="cirque",
            questionnaire_version="1.0.0",
            reference_year=year,
            title_fr=f"Cirque {year}",
            title_en=None,
            opens_on=dt.date.today(),
            closes_on=dt.date.today(),
        )
    finally:
        store.close()


def test_page_administration__coordinator_sees_only_their_filiere(run_app, demo_file):
    at = run_app(demo_file, PAGE, viewer_key="coord:cirque")
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    assert len(at.tabs) == 6  # no audit log for coordinators
    campaigns_shown = at.dataframe[0].value
    assert all("cirque" in title.lower() for title in campaigns_shown.iloc[:, 0])
    people = next(d.value for d in at.dataframe if "Rôle" in d.value.columns)
    assert set(people.iloc[:, 4]) <= {"Arts du cirque"}


def test_page_administration__coordinator_opens_and_closes_a_campaign(run_app, demo_copy):
    at = run_app(demo_copy, PAGE, viewer_key="coord:cirque")
    form_title = next(t for t in at.text_input if t.label == "Titre (français)")
    form_title.set_value("Cirque — enquête flash")
    next(b for b in at.button if b.label == "Créer la campagne").click().run()
    assert not at.exception
    assert "Campagne créée." in [s.value for s in at.success]
    store = open_store(demo_copy)
    try:
        created = [
            c for c in campaigns.list_all(store, ADMIN) if c.title_fr == "Cirque — enquête flash"
        ]
        assert len(created) == 1
        assert created[0].filiere == "cirque"
        assert audit.list_entries(store, ADMIN, action="campaign.create")[0]["actor"] == (
            "demo-coord-cirque"
        )
    finally:
        store.close()


def test_page_administration__invitation_link_for_a_contributor(run_app, demo_copy):
    at = run_app(demo_copy, PAGE, viewer_key="coord:cirque")
    email = next(t for t in at.text_input if t.label == "Adresse électronique")
    email.set_value("nouvelle.personne@example.org")
    next(t for t in at.text_input if t.label == "Nom de la personne").set_value("Nouvelle")
    next(b for b in at.button if b.label == "Créer le lien d'invitation").click().run()
    assert not at.exception
    link = at.code[0].value
    assert "/connexion?invitation=" in link
    token = link.split("invitation=")[1]
    store = open_store(demo_copy)
    try:
        account = auth.peek(store, token, "invitation")
        assert account.email == "nouvelle.personne@example.org"
        assert account.filiere == "cirque"
        assert accounts.by_email(store, account.email).status == "invited"
    finally:
        store.close()


def test_page_administration__coordinator_invites_organisations_to_a_campaign(run_app, demo_copy):
    fresh = _fresh_cirque_campaign(demo_copy, 2030)
    at = run_app(demo_copy, PAGE, viewer_key="coord:cirque")
    assert at.selectbox(key="invite_campaign").value == fresh.id  # newest first
    chooser = at.multiselect(key="invite_orgs")
    chooser.set_value(chooser.options[:2]).run()
    next(b for b in at.button if b.key == "invite_orgs_button").click().run()
    assert not at.exception
    assert "2 structure(s) invitée(s)." in [s.value for s in at.success]
    store = open_store(demo_copy)
    try:
        assert len(invitations.for_campaign(store, ADMIN, fresh.id)) == 2
    finally:
        store.close()


def test_page_administration__agency_reads_the_audit_log(run_app, demo_file):
    at = run_app(demo_file, PAGE, viewer_key="admin")
    assert not at.exception
    assert len(at.tabs) == 8
    log = next(d.value for d in at.dataframe if "action" in d.value.columns)
    assert "demo.build" in set(log["action"])


def test_page_administration__agency_publishes_a_release_coordinators_cannot(run_app, demo_copy):
    store = open_store(demo_copy)
    try:
        before = releases.latest(store)
    finally:
        store.close()
    at = run_app(demo_copy, PAGE, viewer_key="admin")
    tab = next(t for t in at.tabs if t.label == "Publications")
    assert "à jour" in tab.success[0].value  # nothing changed since the demo's release
    listed = tab.dataframe[0].value
    assert listed["N°"].to_list() == list(range(before.id, 0, -1))
    # The open campaigns the latest release holds provisionally are proposed again.
    chosen = tab.multiselect[0]
    assert set(chosen.value) == {c.id for c in before.campaigns if c.provisional}
    tab.button[0].click().run()  # without the confirmation: refused, nothing published
    tab = next(t for t in at.tabs if t.label == "Publications")
    assert "Cochez la confirmation" in tab.error[0].value
    tab.checkbox[0].check()
    tab.button[0].click().run()
    assert not at.exception
    tab = next(t for t in at.tabs if t.label == "Publications")
    assert f"Publication n° {before.id + 1} faite" in tab.success[-1].value
    store = open_store(demo_copy)
    try:
        after = releases.latest(store)
        assert after.id == before.id + 1
        assert after.responses == before.responses
        assert audit.list_entries(store, ADMIN, object_id=str(after.id))[0]["action"] == (
            "release.publish"
        )
    finally:
        store.close()
    coordinator = run_app(demo_copy, PAGE, viewer_key="coord:cirque")
    assert "Publications" not in [t.label for t in coordinator.tabs]


def test_page_administration__others_are_turned_away(run_page_alone, demo_file):
    at = run_page_alone(demo_file, PAGE, viewer_key="coreps")
    assert "réservée aux coordinations" in at.info[0].value
    assert not at.dataframe


def test_page_administration__search_narrows_and_invite_all_invites_the_rest(run_app, demo_copy):
    fresh = _fresh_cirque_campaign(demo_copy, 2031)
    store = open_store(demo_copy)
    try:
        some = next(o for o in organisations.list_visible(store, ADMIN, filiere="cirque"))
        filiere_size = len(organisations.list_visible(store, ADMIN, filiere="cirque"))
    finally:
        store.close()
    at = run_app(demo_copy, PAGE, viewer_key="coord:cirque")
    assert at.selectbox(key="invite_campaign").value == fresh.id
    at.text_input(key="invite_search").set_value(some.name).run()
    options = at.multiselect(key="invite_orgs").options
    assert options
    assert all(some.name in option for option in options)
    invite_all = next(b for b in at.button if b.key == "invite_all_button")
    assert f"({filiere_size})" in invite_all.label
    invite_all.click().run()
    assert not at.exception
    assert f"{filiere_size} structure(s) invitée(s)." in [s.value for s in at.success]
    assert at.metric[0].value == str(filiere_size)  # invited, not started
    store = open_store(demo_copy)
    try:
        assert len(invitations.for_campaign(store, ADMIN, fresh.id)) == filiere_size
    finally:
        store.close()


def test_page_administration__account_needs_an_organisation(run_app, demo_copy):
    at = run_app(demo_copy, PAGE, viewer_key="coord:cirque")
    at.text_input(key="account_search").set_value("aucune structure ne porte ce nom").run()
    next(t for t in at.text_input if t.label == "Adresse électronique").set_value("x@example.org")
    next(b for b in at.button if b.label == "Créer le lien d'invitation").click().run()
    assert not at.exception
    assert "aucune structure choisie" in at.error[0].value
    assert not at.code
