"""Ma structure: members, a colleague invited by mail, approvals, reminders setting."""

from __future__ import annotations

from conftest import demo_viewer

from opp.access.viewer import Role, Viewer
from opp.services import membership
from opp.store import accounts, open_store, outbox

PAGE = "pages/ma_structure.py"
COORD = Viewer(role=Role.COORDINATEUR, filiere="cirque", account_id="coord", name="Coord")


def test_page_ma_structure__lists_members_and_invites_a_colleague(run_app, demo_copy):
    me = demo_viewer(demo_copy, "contrib:cirque")
    at = run_app(demo_copy, PAGE, viewer_key="contrib:cirque")
    assert not at.exception
    members = at.dataframe[0].value
    assert "cirque-carry-forward@demo.opp" in set(members.iloc[:, 1])
    next(t for t in at.text_input if t.label == "Adresse électronique").set_value(
        "collegue@example.org"
    )
    next(t for t in at.text_input if t.label == "Nom de la personne").set_value("Collègue")
    next(b for b in at.button if b.label == "Inviter").click().run()
    assert not at.exception
    assert any("collegue@example.org" in s.value for s in at.success)
    store = open_store(demo_copy)
    try:
        account = accounts.by_email(store, "collegue@example.org")
        assert account.organisation_id == me.organisation_id
        assert account.status == "invited"
        assert outbox.recent(store, kind="account_invitation")[0].account_id == account.id
    finally:
        store.close()


def test_page_ma_structure__a_member_approves_someone_a_coordinator_asked_to_add(
    run_app, demo_copy
):
    me = demo_viewer(demo_copy, "contrib:cirque")
    store = open_store(demo_copy)
    try:
        asked = membership.invite(
            store,
            COORD,
            email="ajout@example.org",
            display_name="Ajout",
            organisation_id=me.organisation_id,
        )
        assert asked.pending
    finally:
        store.close()
    at = run_app(demo_copy, PAGE, viewer_key="contrib:cirque")
    # Escaped for Markdown (backslashes, a word joiner that stops the auto-link).
    shown = [m.value.replace("\\", "").replace("\u2060", "") for m in at.markdown]
    assert any("ajout@example.org" in text for text in shown)
    at.button(key=f"approve:{asked.account.id}").click().run()
    assert not at.exception
    store = open_store(demo_copy)
    try:
        assert accounts.by_id(store, asked.account.id).status == "invited"
    finally:
        store.close()


def test_page_ma_structure__reminders_can_be_turned_off(run_app, demo_copy):
    from opp.mail import campaign as campaign_mail

    me = demo_viewer(demo_copy, "contrib:cirque")
    at = run_app(demo_copy, PAGE, viewer_key="contrib:cirque")
    at.checkbox[0].uncheck()
    next(b for b in at.button if b.label == "Enregistrer").click().run()
    assert "Rappels désactivés pour votre structure." in [s.value for s in at.success]
    store = open_store(demo_copy)
    try:
        assert not campaign_mail.reminders_enabled(store, me)
    finally:
        store.close()


def test_page_ma_structure__only_for_contributors(run_page_alone, demo_file):
    at = run_page_alone(demo_file, PAGE, viewer_key="coreps")
    assert at.info
    assert not at.dataframe
