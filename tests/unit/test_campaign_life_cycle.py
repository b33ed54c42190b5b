"""Campaign life cycle: closing (drafts frozen, confirmed count), a scheduled closing
evaluated by date, reopening by the agency, the version picker, a filière's campaign on
its own questionnaire only, and a response stored by its first save (not by opening)."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import SMALL

from opp import answering, clock
from opp.access.viewer import Role, Viewer
from opp.errors import OppError
from opp.questionnaire.loader import load_text
from opp.services import campaigns, invitations, organisation_archive, organisations, reads
from opp.services import responses as response_store
from opp.store import questionnaires

pytestmark = pytest.mark.both_backends

ADMIN = Viewer(role=Role.ADMIN, account_id="agence")
COORD = Viewer(role=Role.COORDINATEUR, account_id="coord", filiere="cirque")


@pytest.fixture
def world(tmp_store):
    base = load_text(SMALL, "small.yaml").questionnaire
    for filiere in ("cirque", "marionnette"):
        questionnaires.publish(
            tmp_store, base.model_copy(update={"id": f"q_{filiere}", "filiere": filiere})
        )
    campaign = campaigns.create(
        tmp_store,
        ADMIN,
        filiere="cirque",
        questionnaire_id="q_cirque",
        questionnaire_version="1.0.0",
        reference_year=2025,
        title_fr="Cirque 2025",
        title_en=None,
        opens_on=clock.today() - dt.timedelta(days=10),
        closes_on=clock.today() + dt.timedelta(days=10),
    )
    orgs = [
        organisations.create(
            tmp_store,
            ADMIN,
            name=f"Cie {i}",
            structure_type="compagnie",
            filieres=["cirque"],
            commune="31555",
        )
        for i in range(3)
    ]
    return tmp_store, campaign, orgs


def _owner(org) -> Viewer:
    return Viewer(
        role=Role.CONTRIBUTEUR, organisation_id=org.id, account_id=f"acc-{org.id}", filiere="cirque"
    )


def _draft(store, campaign, org, *, submit=False):
    meta = response_store.start(store, _owner(org), campaign.id)
    return response_store.save(
        store, _owner(org), meta.id, {"effectif": 2}, expected_version=1, submit=submit
    )


def test_close__counts_the_drafts_it_freezes_and_refuses_a_stale_count(world):
    store, campaign, orgs = world
    _draft(store, campaign, orgs[0])
    _draft(store, campaign, orgs[1], submit=True)
    assert campaigns.drafts_count(store, COORD, campaign.id) == 1
    _draft(store, campaign, orgs[2])  # a draft started while the coordinator reads
    with pytest.raises(OppError) as info:
        campaigns.close(store, COORD, campaign.id, expected_drafts=1)
    assert info.value.code == "CAMPAIGN_DRAFTS_CHANGED"
    assert campaigns.get(store, ADMIN, campaign.id).state(clock.today()) == "open"
    closed = campaigns.close(store, COORD, campaign.id, expected_drafts=2)
    assert closed.state(clock.today()) == "closed"
    entry = reads.audit_entries(store, ADMIN, action="campaign.close")[0]
    assert entry["detail"]["drafts_frozen"] == 2
    with pytest.raises(OppError) as info:
        response_store.save(
            store,
            _owner(orgs[0]),
            response_store.find(store, _owner(orgs[0]), campaign.id, orgs[0].id).id,
            {"effectif": 3},
            expected_version=2,
        )
    assert info.value.code == "CAMPAIGN_CLOSED"


def test_schedule_close__the_campaign_closes_by_itself_after_the_date(world):
    store, campaign, orgs = world
    day = clock.today() + dt.timedelta(days=3)
    campaigns.schedule_close(store, COORD, campaign.id, day)
    assert campaigns.get(store, ADMIN, campaign.id).closes_on == day
    entry = reads.audit_entries(store, ADMIN, action="campaign.schedule_close")[0]
    assert entry["detail"]["to"] == day.isoformat()
    try:
        clock.freeze(dt.datetime.combine(day, dt.time(23, 0), tzinfo=clock.PARIS))
        assert campaigns.get(store, ADMIN, campaign.id).state(clock.today()) == "open"
        clock.freeze(
            dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0, 5), tzinfo=clock.PARIS)
        )
        assert campaigns.get(store, ADMIN, campaign.id).state(clock.today()) == "closed"
        with pytest.raises(OppError) as info:
            response_store.start(store, _owner(orgs[0]), campaign.id)
        assert info.value.code == "CAMPAIGN_CLOSED"
    finally:
        clock.freeze(None)
    with pytest.raises(OppError) as info:
        campaigns.schedule_close(store, COORD, campaign.id, clock.today() - dt.timedelta(days=1))
    assert info.value.code == "CAMPAIGN_CLOSE_PAST"


def test_reopen__agency_only_audited_and_drafts_editable_again(world):
    store, campaign, orgs = world
    draft = _draft(store, campaign, orgs[0])
    campaigns.close(store, COORD, campaign.id)
    until = clock.today() + dt.timedelta(days=7)
    with pytest.raises(OppError) as info:
        campaigns.reopen(store, COORD, campaign.id, until)
    assert info.value.code == "FORBIDDEN"
    reopened = campaigns.reopen(store, ADMIN, campaign.id, until)
    assert reopened.state(clock.today()) == "open"
    assert reopened.closes_on == until
    entry = reads.audit_entries(store, ADMIN, action="campaign.reopen")[0]
    assert entry["detail"]["to"] == until.isoformat()
    response_store.save(store, _owner(orgs[0]), draft.id, {"effectif": 5}, expected_version=2)
    with pytest.raises(OppError) as info:
        campaigns.reopen(store, ADMIN, campaign.id, until)
    assert info.value.code == "CAMPAIGN_NOT_CLOSED"


def test_create__a_filiere_campaign_asks_its_own_questionnaire(world):
    store, _, _ = world
    for viewer in (COORD, ADMIN):
        with pytest.raises(OppError) as info:
            campaigns.create(
                store,
                viewer,
                filiere="cirque",
                questionnaire_id="q_marionnette",
                questionnaire_version="1.0.0",
                reference_year=2026,
                title_fr="Détournement",
                title_en=None,
                opens_on=clock.today(),
                closes_on=clock.today() + dt.timedelta(days=30),
            )
        assert info.value.code == "CAMPAIGN_QUESTIONNAIRE_FILIERE"
    assert not [c for c in campaigns.list_all(store, ADMIN) if c.title_fr == "Détournement"]
    with pytest.raises(OppError) as info:
        campaigns.create(
            store,
            ADMIN,
            filiere="cirque",
            questionnaire_id="q_cirque",
            questionnaire_version="1.0.0",
            reference_year=2026,
            title_fr="À l'envers",
            title_en=None,
            opens_on=clock.today(),
            closes_on=clock.today() - dt.timedelta(days=1),
        )
    assert info.value.code == "CAMPAIGN_DATES"


def test_latest_first__newest_version_of_each_questionnaire_first():
    versions = [
        {"questionnaire_id": "cirque", "version": "1.9.0"},
        {"questionnaire_id": "cirque", "version": "1.10.0"},
        {"questionnaire_id": "arts", "version": "2.0.0"},
        {"questionnaire_id": "cirque", "version": "1.2.3"},
    ]
    ordered = questionnaires.latest_first(versions)
    assert [(v["questionnaire_id"], v["version"], v["latest"]) for v in ordered] == [
        ("arts", "2.0.0", True),
        ("cirque", "1.10.0", True),
        ("cirque", "1.9.0", False),
        ("cirque", "1.2.3", False),
    ]


def test_first_save__opening_stores_nothing_the_first_save_stores_the_response(world):
    store, campaign, orgs = world
    invitations.invite(store, ADMIN, campaign.id, [orgs[0].id])
    owner = _owner(orgs[0])
    session = answering.open_session(store, owner, campaign.id)
    again = answering.open_session(store, owner, campaign.id)
    assert not session.stored
    assert response_store.find(store, owner, campaign.id, orgs[0].id) is None
    assert invitations.status_counts(store, ADMIN, campaign.id) == {"non_commence": 1}
    saved = answering.save(store, owner, session, {"effectif": 4}, current_section="s2")
    assert saved.stored
    stored = response_store.find(store, owner, campaign.id, orgs[0].id)
    assert (stored.id, stored.status, stored.current_section) == (session.meta.id, "draft", "s2")
    assert response_store.load_answers(store, owner, stored.id) == {"effectif": 4}
    actions = [e["action"] for e in reads.audit_entries(store, ADMIN, object_id=stored.id)]
    # Newest first; reading it back is attributed to the person (once an hour).
    assert actions == ["response.read", "response.save_draft", "response.create"]
    assert invitations.status_counts(store, ADMIN, campaign.id) == {"draft": 1}
    # The same organisation's other session saves first too: one wins, nothing overwritten.
    with pytest.raises(OppError) as info:
        answering.save(store, owner, again, {"effectif": 9})
    assert info.value.code == "CONFLICT"
    assert response_store.load_answers(store, owner, stored.id) == {"effectif": 4}
    resumed = answering.open_session(store, owner, campaign.id)
    assert resumed.stored
    assert answering.save(store, owner, resumed, {"effectif": 5}).meta.row_version == 2


def test_first_save__can_be_a_submission_and_is_validated(world):
    store, campaign, orgs = world
    owner = _owner(orgs[1])
    session = answering.open_session(store, owner, campaign.id)
    with pytest.raises(OppError) as info:
        answering.save(store, owner, session, {"effectif": -1})
    assert info.value.code == "A_INVALID_SET"
    assert response_store.find(store, owner, campaign.id, orgs[1].id) is None
    session.empty_sections.add("s2")  # "Rien à déclarer" ticked on the touring step
    done = answering.save(store, owner, session, {"effectif": 1}, submit=True, consent="reseau")
    assert (done.meta.status, done.meta.consent) == ("submitted", "reseau")
    assert response_store.consent_history(store, owner, done.meta.id)[0]["to_level"] == "reseau"


def test_first_save__closed_campaign_or_archived_structure_opens_nothing(world):
    store, campaign, orgs = world
    organisation_archive.archive(store, ADMIN, orgs[2].id)
    with pytest.raises(OppError) as info:
        answering.open_session(store, _owner(orgs[2]), campaign.id)
    assert info.value.code == "ORG_ARCHIVED"
    assert answering.campaigns_for(store, _owner(orgs[2])) == []
    campaigns.close(store, ADMIN, campaign.id)
    with pytest.raises(OppError) as info:
        answering.open_session(store, _owner(orgs[0]), campaign.id)
    assert info.value.code == "CAMPAIGN_CLOSED"


def test_submission__an_empty_step_blocks_it_until_confirmed_empty(world):
    store, campaign, orgs = world
    owner = _owner(orgs[0])
    session = answering.open_session(store, owner, campaign.id)
    draft = answering.save(store, owner, session, {"effectif": 3})
    assert answering.steps(draft, draft.answers).states == {"s1": "answered", "s2": "empty"}
    with pytest.raises(OppError) as info:
        answering.save(store, owner, draft, draft.answers, submit=True)
    # Refused with the step named, and nothing submitted.
    assert info.value.code == "A_STEPS_LEFT"
    assert "« Diffusion »" in info.value.message("fr")
    assert "“Touring”" in info.value.message("en")
    assert response_store.find(store, owner, campaign.id, orgs[0].id).status == "draft"
    # Ticked "Rien à déclarer": stored with the draft, kept across a reload.
    draft.empty_sections.add("s2")
    answering.save(store, owner, draft, draft.answers)
    resumed = answering.open_session(store, owner, campaign.id)
    assert resumed.empty_sections == {"s2"}
    progress = answering.steps(resumed, resumed.answers)
    assert progress.states == {"s1": "answered", "s2": "confirmed_empty"}
    assert (progress.done, progress.total, progress.left) == (2, 2, [])
    done = answering.save(store, owner, resumed, resumed.answers, submit=True)
    assert done.meta.status == "submitted"
    after = answering.open_session(store, owner, campaign.id)
    assert answering.steps(after, after.answers).done == 2


def test_submission__carried_answers_stay_to_confirm_across_a_reload(world):
    store, campaign, orgs = world
    owner = _owner(orgs[0])
    session = answering.open_session(store, owner, campaign.id)
    # As if "nom" had been carried forward from last year's response.
    session.carried = {"nom"}
    answers = {"effectif": 2, "nom": "Cie 0", "lieu_type": "rue"}
    draft = answering.save(store, owner, session, answers)
    resumed = answering.open_session(store, owner, campaign.id)
    assert resumed.carried == {"nom"}
    # Before: a step holding answers still to confirm counted as complete.
    assert answering.steps(resumed, resumed.answers).states["s1"] == "to_confirm"
    with pytest.raises(OppError) as info:
        answering.save(store, owner, resumed, resumed.answers, submit=True)
    assert "« Emploi »" in info.value.message("fr")
    section = resumed.questionnaire.sections[0]
    answering.confirm_step(resumed, section)
    assert answering.steps(resumed, resumed.answers).states["s1"] == "answered"
    assert answering.save(store, owner, resumed, resumed.answers, submit=True).meta.status == (
        "submitted"
    )
    assert draft.carried == {"nom"}
