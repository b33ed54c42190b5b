"""Administration: campaigns, invitations and accounts of a filière; the agency's audit log."""

from __future__ import annotations

from conftest import link_token

from opp import clock
from opp.access.viewer import Role, Viewer
from opp.i18n import ngettext
from opp.services import auth, membership, reads
from opp.store import (
    accounts,
    campaigns,
    invitations,
    open_store,
    organisations,
    outbox,
    releases,
)

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
            opens_on=clock.today(),
            closes_on=clock.today(),
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
        assert reads.audit_entries(store, ADMIN, action="campaign.create")[0]["actor"] == (
            "demo-coord-cirque"
        )
    finally:
        store.close()


def _org_without_accounts(db) -> tuple[str, str]:
    store = open_store(db)
    try:
        row = (
            store.cursor()
            .execute(
                "SELECT id, name FROM organisations o WHERE list_contains(filieres, 'cirque') "
                "AND NOT EXISTS (SELECT 1 FROM accounts a WHERE a.organisation_id = o.id) "
                "ORDER BY name LIMIT 1"
            )
            .fetchone()
        )
        return row[0], row[1]
    finally:
        store.close()


def _invite_person(at, organisation_name: str, email: str):
    at.text_input(key="account_search").set_value(organisation_name).run()
    next(t for t in at.text_input if t.label == "Adresse électronique").set_value(email)
    next(t for t in at.text_input if t.label == "Nom de la personne").set_value("Nouvelle")
    next(b for b in at.button if b.label == "Envoyer l'invitation par courriel").click().run()


def test_page_administration__invitation_goes_by_mail_never_on_screen(run_app, demo_copy):
    org_id, org_name = _org_without_accounts(demo_copy)
    at = run_app(demo_copy, PAGE, viewer_key="coord:cirque")
    _invite_person(at, org_name, "nouvelle.personne@example.org")
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    assert any("nouvelle.personne@example.org" in s.value for s in at.success)
    assert any("pas configuré" in w.value for w in at.warning)  # the mail waits, it says so
    assert not any("invitation=" in c.value for c in at.code)  # no link on anyone's screen
    store = open_store(demo_copy)
    try:
        account = accounts.by_email(store, "nouvelle.personne@example.org")
        assert (account.status, account.filiere, account.organisation_id) == (
            "invited",
            "cirque",
            org_id,
        )
        (mail,) = outbox.recent(store, kind="account_invitation")
        assert mail.recipient == "nouvelle.personne@example.org"
        assert mail.state == "queued"
    finally:
        store.close()


def test_page_administration__joining_an_organisation_with_members_waits_for_them(
    run_app, demo_copy
):
    store = open_store(demo_copy)
    try:
        org_id, org_name = _org_without_accounts(demo_copy)
        member = membership.invite(
            store, ADMIN, email="membre@example.org", display_name="Membre", organisation_id=org_id
        ).account
        token = link_token(store, member.id)
        auth.set_password_with_token(store, token, "invitation", "x" * 14, "x" * 14)
    finally:
        store.close()
    at = run_app(demo_copy, PAGE, viewer_key="coord:cirque")
    _invite_person(at, org_name, "coordination-perso@example.org")
    assert not at.exception
    assert any("déjà des membres" in s.value for s in at.success)
    store = open_store(demo_copy)
    try:
        assert accounts.by_email(store, "coordination-perso@example.org").status == "pending"
        (asked,) = outbox.recent(store, kind="member_approval")
        assert asked.recipient == "membre@example.org"
    finally:
        store.close()


def test_page_administration__a_reset_link_is_mailed_to_the_account_not_shown(run_app, demo_copy):
    """Before: the page displayed the reset link to whoever asked for it."""
    at = run_app(demo_copy, PAGE, viewer_key="admin")
    at.selectbox(key="manage_account").set_value("demo-coreps").run()
    next(b for b in at.button if b.key == "reset_button").click().run()
    assert not at.exception
    assert any("coreps@demo.opp" in s.value for s in at.success)
    assert not any("reinitialisation=" in c.value for c in at.code)
    store = open_store(demo_copy)
    try:
        entry = reads.audit_entries(store, ADMIN, object_id="demo-coreps")[0]
        assert entry["action"] == "account.reset_sent"
    finally:
        store.close()


def test_page_administration__agency_disables_and_enables_an_account(run_app, demo_copy):
    at = run_app(demo_copy, PAGE, viewer_key="admin")
    at.selectbox(key="manage_account").set_value("demo-coreps").run()
    next(b for b in at.button if b.key == "disable_button").click().run()
    assert not at.exception
    assert any("désactivé" in s.value for s in at.success)
    store = open_store(demo_copy)
    try:
        assert accounts.by_id(store, "demo-coreps").status == "disabled"
    finally:
        store.close()
    at.selectbox(key="manage_account").set_value("demo-coreps").run()
    next(b for b in at.button if b.key == "enable_button").click().run()
    store = open_store(demo_copy)
    try:
        assert accounts.by_id(store, "demo-coreps").status == "active"
    finally:
        store.close()


def test_page_administration__agency_invites_a_coordinator_with_their_filiere(run_app, demo_copy):
    at = run_app(demo_copy, PAGE, viewer_key="admin")
    at.selectbox(key="invite_role").set_value(Role.COORDINATEUR).run()
    at.selectbox(key="invite_filiere").set_value("marionnette").run()
    next(t for t in at.text_input if t.label == "Adresse électronique").set_value(
        "coord.m@example.org"
    )
    next(b for b in at.button if b.label == "Envoyer l'invitation par courriel").click().run()
    assert not at.exception
    store = open_store(demo_copy)
    try:
        account = accounts.by_email(store, "coord.m@example.org")
        assert (account.role, account.filiere) == ("coordinateur", "marionnette")
    finally:
        store.close()


def test_page_administration__mail_tab_shows_the_outbox_and_queues_failed_again(run_app, demo_copy):
    store = open_store(demo_copy)
    try:
        made = membership.invite(
            store, ADMIN, email="echec@example.org", display_name="E", role=Role.COREPS
        )
        with store.transaction() as cur:
            outbox.mark_failed(cur, made.message_id, "550 5.1.1 No such user")
    finally:
        store.close()
    at = run_app(demo_copy, PAGE, viewer_key="admin")
    assert not at.exception
    assert any("OPP_SMTP_URL" in w.value for w in at.warning)
    table = next(d.value for d in at.dataframe if "Destinataire" in d.value.columns)
    assert "echec@example.org" in set(table["Destinataire"])
    at.multiselect(key="mail_requeue").set_value([made.message_id]).run()
    next(b for b in at.button if b.key == "mail_requeue_button").click().run()
    assert "1 message remis en file." in [s.value for s in at.success]
    store = open_store(demo_copy)
    try:
        assert outbox.get(store, made.message_id).state == "queued"
    finally:
        store.close()


def test_page_administration__campaign_mail_reminders_and_where_each_one_stands(run_app, demo_copy):
    fresh = _fresh_cirque_campaign(demo_copy, 2032)
    org_id, org_name = _org_without_accounts(demo_copy)
    store = open_store(demo_copy)
    try:
        store.cursor().execute(
            "UPDATE organisations SET email = 'annuaire@example.org' WHERE id = ?", [org_id]
        )
    finally:
        store.close()
    at = run_app(demo_copy, PAGE, viewer_key="coord:cirque")
    assert at.selectbox(key="invite_campaign").value == fresh.id
    at.text_input(key="invite_search").set_value(org_name).run()
    at.multiselect(key="invite_orgs").set_value([org_id]).run()
    next(b for b in at.button if b.key == "invite_orgs_button").click().run()
    assert not at.exception
    assert any("courriels en file : 1" in s.value for s in at.success), [
        s.value for s in at.success
    ]
    next(b for b in at.button if b.key == "remind_button").click().run()
    assert any("Structures contactées par courriel : 1" in s.value for s in at.success)
    table = next(d.value for d in at.dataframe if "Rappels" in d.value.columns)
    row = table[table["Structure"] == org_name]
    assert row["Rappels"].iloc[0] == f"{clock.today():%d/%m/%Y}"
    assert not at.error, [e.value for e in at.error]


def test_page_administration__coordinator_invites_organisations_to_a_campaign(run_app, demo_copy):
    fresh = _fresh_cirque_campaign(demo_copy, 2030)
    at = run_app(demo_copy, PAGE, viewer_key="coord:cirque")
    assert at.selectbox(key="invite_campaign").value == fresh.id  # newest first
    chooser = at.multiselect(key="invite_orgs")
    chooser.set_value(chooser.options[:2]).run()
    next(b for b in at.button if b.key == "invite_orgs_button").click().run()
    assert not at.exception
    assert any(s.value.startswith("2 structures invitées.") for s in at.success)
    store = open_store(demo_copy)
    try:
        assert len(invitations.for_campaign(store, ADMIN, fresh.id)) == 2
    finally:
        store.close()


def test_page_administration__agency_reads_the_audit_log(run_app, demo_file):
    at = run_app(demo_file, PAGE, viewer_key="admin")
    assert not at.exception
    assert len(at.tabs) == 9
    log = next(d.value for d in at.dataframe if "Action" in d.value.columns)
    # Actions in words, dates as dates, details as "clé : valeur" (before: raw codes,
    # "2026-10-16 00:00:00" and Python dictionaries).
    assert "Données de démonstration créées" in set(log["Action"])
    assert list(log.columns) == ["Date", "Personne", "Rôle", "Action", "Objet", "Détail"]
    assert not any(str(v).startswith("{") for v in log["Détail"])
    # Questionnaire versions by name, never `cirque@1.0.0`.
    assert not any("@1." in str(v) for v in log["Objet"])
    assert all(len(str(v)) == len("16/10/2026 09:05") for v in log["Date"])


def _admin_texts(at) -> str:
    """Every cell of every table on the Administration page, as text."""
    return "\n".join(
        str(value) for d in at.dataframe for column in d.value.columns for value in d.value[column]
    )


def test_page_administration__tables_show_labels_and_dates_not_codes(run_app, demo_file):
    at = run_app(demo_file, PAGE, viewer_key="admin")
    assert not at.exception
    columns = {str(c) for d in at.dataframe for c in d.value.columns}
    assert not columns & {"name", "structure_type", "invited_at", "status"}
    cells = _admin_texts(at)
    for raw in ("ecole", "bureau_production", "non_commence", "submitted", "00:00:00", "NaT"):
        assert raw not in cells.split("\n"), raw
    assert "00:00:00" not in cells
    assert "None" not in cells.split("\n")
    campaigns_table = at.dataframe[0].value
    assert all(len(v) == len("16/10/2026") and v[2] == "/" for v in campaigns_table["Ouverture"])
    # Releases name their campaigns ("Cirque 2025"), not their ids ("cirque-2025").
    releases_table = next(d.value for d in at.dataframe if "Campagnes" in d.value.columns)
    assert "Cirque 2024" in releases_table["Campagnes"][0]
    assert "cirque-2024" not in releases_table["Campagnes"][0]
    # Lists to choose from speak French, never Streamlit's "No options to select".
    for box in at.multiselect:
        assert box.proto.placeholder in ("Choisissez…", "Aucune campagne ouverte"), box.label
    english = run_app(demo_file, PAGE, viewer_key="admin", lang="en")
    # en_GB writes the day as French does (opp.i18n): 16/10/2026
    assert english.dataframe[0].value["Opens"][0] == campaigns_table["Ouverture"][0]
    assert {box.proto.placeholder for box in english.multiselect} <= {"Choose…", "No open campaign"}


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
        assert reads.audit_entries(store, ADMIN, object_id=str(after.id))[0]["action"] == (
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
    invited = ngettext("admin.invited", filiere_size, "fr")
    assert any(s.value.startswith(invited) for s in at.success)
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
    next(b for b in at.button if b.label == "Envoyer l'invitation par courriel").click().run()
    assert not at.exception
    assert "Aucune structure choisie" in at.error[0].value


def test_page_administration__the_agency_downloads_a_campaign_data_package(run_app, demo_file):
    at = run_app(demo_file, PAGE, viewer_key="admin")
    assert not at.exception
    at.button(key="opendata_package").click().run()
    assert not at.exception
    assert any("Paquet prêt" in s.value for s in at.success)
    [button] = [b for b in at.get("download_button") if b.proto.id.endswith("opendata_package_zip")]
    assert button.proto.label == "Télécharger le paquet (zip)"


def test_page_administration__a_coordinator_gets_no_data_package(run_app, demo_file):
    at = run_app(demo_file, PAGE, viewer_key="coord:cirque")
    assert not at.exception
    assert not [b for b in at.button if b.key == "opendata_package"]


def test_page_administration__open_records_report_names_questions_by_label(run_app, demo_file):
    at = run_app(demo_file, PAGE, viewer_key="admin")
    at.button(key="opendata_records").click().run()
    assert not at.exception
    report = next(i.value for i in at.info if "jamais publiées" in i.value)
    # Before: "annee_creation, art_annee_naissance, …".
    assert "annee_creation" not in report
    assert "« " in report
