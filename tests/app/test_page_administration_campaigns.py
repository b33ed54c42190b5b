"""Administration → Campagnes: closing asks for confirmation with the number of drafts it
freezes, a closing date can be scheduled, the agency reopens a closed campaign, and a new
campaign is offered the latest published version first."""

from __future__ import annotations

import datetime as dt

from opp import clock
from opp.access.viewer import Role, Viewer
from opp.i18n import ngettext
from opp.services import campaigns, reads
from opp.store import open_store

PAGE = "pages/administration.py"
ADMIN = Viewer(role=Role.ADMIN, account_id="test")


def _open_cirque(db) -> tuple[campaigns.Campaign, int]:
    store = open_store(db)
    try:
        [campaign] = [
            c
            for c in campaigns.list_all(store, ADMIN, questionnaire_id="cirque")
            if c.state(clock.today()) == "open"
        ]
        return campaign, campaigns.drafts_count(store, ADMIN, campaign.id)
    finally:
        store.close()


def _campaign(db, campaign_id):
    store = open_store(db)
    try:
        return campaigns.get(store, ADMIN, campaign_id)
    finally:
        store.close()


def test_campaigns__closing_says_how_many_drafts_freeze_and_waits_for_confirmation(
    run_app, demo_copy
):
    campaign, drafts = _open_cirque(demo_copy)
    assert drafts > 0
    at = run_app(demo_copy, PAGE, viewer_key="coord:cirque")
    at.selectbox(key="camp_manage").set_value(campaign.id).run()
    at.button(key="camp_close_ask").click().run()
    warning = next(w.value for w in at.warning if "brouillon" in w.value)
    assert f"{drafts} brouillons jamais envoyés seront figés" in warning
    assert _campaign(demo_copy, campaign.id).state(clock.today()) == "open"  # not yet
    at.button(key="camp_close_cancel").click().run()
    assert _campaign(demo_copy, campaign.id).state(clock.today()) == "open"
    assert not [b for b in at.button if b.key == "camp_close_confirm"]

    at.button(key="camp_close_ask").click().run()
    at.button(key="camp_close_confirm").click().run()
    assert not at.exception
    closed = ngettext("camp.closed_done", drafts, "fr", drafts=drafts)
    assert closed in [s.value for s in at.success]
    assert _campaign(demo_copy, campaign.id).state(clock.today()) == "closed"
    store = open_store(demo_copy)
    try:
        entry = reads.audit_entries(store, ADMIN, action="campaign.close")[0]
    finally:
        store.close()
    assert (entry["actor"], entry["detail"]["drafts_frozen"]) == ("demo-coord-cirque", drafts)


def test_campaigns__closing_date_can_be_scheduled(run_app, demo_copy):
    campaign, _ = _open_cirque(demo_copy)
    day = clock.today() + dt.timedelta(days=5)
    at = run_app(demo_copy, PAGE, viewer_key="coord:cirque")
    at.selectbox(key="camp_manage").set_value(campaign.id).run()
    at.date_input(key=f"camp_closing:{campaign.id}").set_value(day).run()
    at.button(key="camp_schedule").click().run()
    assert not at.exception
    assert f"La campagne se fermera après le {day:%d/%m/%Y}." in [s.value for s in at.success]
    assert _campaign(demo_copy, campaign.id).closes_on == day


def test_campaigns__the_agency_reopens_a_closed_campaign(run_app, demo_copy):
    store = open_store(demo_copy)
    try:
        closed = next(
            c
            for c in campaigns.list_all(store, ADMIN, questionnaire_id="cirque")
            if c.state(clock.today()) == "closed"
        )
    finally:
        store.close()
    coordinator = run_app(demo_copy, PAGE, viewer_key="coord:cirque")
    coordinator.selectbox(key="camp_manage").set_value(closed.id).run()
    assert "Seule l'agence peut rouvrir" in " ".join(c.value for c in coordinator.caption)
    assert not [b for b in coordinator.button if b.key == "camp_reopen"]

    until = clock.today() + dt.timedelta(days=10)
    at = run_app(demo_copy, PAGE, viewer_key="admin")
    at.selectbox(key="camp_manage").set_value(closed.id).run()
    at.date_input(key=f"camp_reopen_until:{closed.id}").set_value(until).run()
    at.button(key="camp_reopen").click().run()
    assert not at.exception
    assert f"Campagne rouverte jusqu'au {until:%d/%m/%Y}." in [s.value for s in at.success]
    reopened = _campaign(demo_copy, closed.id)
    assert (reopened.state(clock.today()), reopened.closes_on) == ("open", until)


def test_campaigns__version_picker_proposes_the_latest_published_version_first(run_app, demo_copy):
    at = run_app(demo_copy, PAGE, viewer_key="coord:cirque")
    # The questionnaire by its title, not its id (before: "… (cirque)").
    assert at.selectbox(key="camp_questionnaire").options == [
        "Observation participative des arts du cirque"
    ]
    versions = at.selectbox(key="camp_version")
    assert versions.value == "1.1.0"
    assert "dernière version publiée" in versions.options[0]
    assert versions.options[0].startswith("1.1.0")
    assert versions.options[1].startswith("1.0.0")
    next(t for t in at.text_input if t.label == "Titre (français)").set_value("Cirque — 2031")
    next(b for b in at.button if b.label == "Créer la campagne").click().run()
    assert "Campagne créée." in [s.value for s in at.success]
    store = open_store(demo_copy)
    try:
        [created] = [c for c in campaigns.list_all(store, ADMIN) if c.title_fr == "Cirque — 2031"]
    finally:
        store.close()
    assert (created.questionnaire_id, created.questionnaire_version) == ("cirque", "1.1.0")


def test_campaigns__english_states_come_from_the_strings(run_app, demo_file):
    at = run_app(demo_file, PAGE, viewer_key="coord:cirque", lang="en")
    assert not at.exception
    states = set(at.dataframe[0].value["Status"])
    assert states <= {"open", "closed", "upcoming"}
    assert "closed" in states
