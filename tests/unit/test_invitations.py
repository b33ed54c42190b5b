"""Finding organisations among tens of thousands and inviting a whole filière at once."""

from __future__ import annotations

import datetime as dt

import pytest

from opp import clock
from opp.access.viewer import Role, Viewer
from opp.services import campaigns, invitations, organisations, reads
from opp.store import questionnaires
from opp.store.db import Store

pytestmark = pytest.mark.both_backends

ADMIN = Viewer(role=Role.ADMIN, account_id="admin")
COORD_CIRQUE = Viewer(role=Role.COORDINATEUR, filiere="cirque", account_id="coord")


def _orgs(store: Store) -> dict[str, str]:
    made = {}
    for name, filiere, commune in (
        ("Cirque du Vent", "cirque", "31555"),
        ("Cirque 100% Toile", "cirque", "34172"),
        ("Cirque_Bleu", "cirque", "31555"),
        ("Marionnettes d'Oc", "marionnette", "31555"),
    ):
        org = organisations.create(
            store,
            ADMIN,
            name=name,
            structure_type="compagnie",
            filieres=[filiere],
            commune=commune,
        )
        made[name] = org.id
    return made


def _campaign(store: Store, make_questionnaire) -> str:
    q = make_questionnaire(id="q_cirque", filiere="cirque")
    questionnaires.publish(store, q)
    return campaigns.create(
        store,
        ADMIN,
        filiere="cirque",
        questionnaire_id="q_cirque",
        questionnaire_version=q.version,
        reference_year=2026,
        title_fr="Cirque 2026",
        title_en=None,
        opens_on=clock.today(),
        closes_on=clock.today() + dt.timedelta(days=30),
    ).id


def test_search__matches_name_in_any_case_and_counts_all(tmp_store):
    _orgs(tmp_store)
    found, total = organisations.search(tmp_store, ADMIN, "cirque", limit=2)
    assert [o.name for o in found] == ["Cirque 100% Toile", "Cirque du Vent"]
    assert total == 3


def test_search__percent_and_underscore_are_plain_characters(tmp_store):
    _orgs(tmp_store)
    assert [o.name for o in organisations.search(tmp_store, ADMIN, "100%")[0]] == [
        "Cirque 100% Toile"
    ]
    assert [o.name for o in organisations.search(tmp_store, ADMIN, "e_b")[0]] == ["Cirque_Bleu"]
    assert organisations.search(tmp_store, ADMIN, "%")[1] == 1


def test_search__by_commune_code(tmp_store):
    _orgs(tmp_store)
    found, total = organisations.search(tmp_store, ADMIN, "34172")
    assert total == 1
    assert found[0].name == "Cirque 100% Toile"


def test_search__coordinator_sees_only_their_filiere(tmp_store):
    _orgs(tmp_store)
    found, total = organisations.search(tmp_store, COORD_CIRQUE, "")
    assert total == 3
    assert all("cirque" in o.filieres for o in found)
    assert organisations.search(tmp_store, COORD_CIRQUE, "Marionnettes")[1] == 0
    assert organisations.search(tmp_store, Viewer(role=Role.COREPS), "") == ([], 0)


def test_invite_all__invites_the_filiere_once_and_leaves_others(tmp_store, make_questionnaire):
    made = _orgs(tmp_store)
    campaign_id = _campaign(tmp_store, make_questionnaire)
    assert invitations.invite(tmp_store, COORD_CIRQUE, campaign_id, [made["Cirque du Vent"]]) == 1
    _, remaining = organisations.search(
        tmp_store, COORD_CIRQUE, filiere="cirque", not_invited_to=campaign_id
    )
    assert remaining == 2
    assert invitations.invite_all(tmp_store, COORD_CIRQUE, campaign_id) == 2
    assert invitations.invite_all(tmp_store, COORD_CIRQUE, campaign_id) == 0
    invited = {row["name"] for row in invitations.for_campaign(tmp_store, ADMIN, campaign_id)}
    assert invited == {"Cirque du Vent", "Cirque 100% Toile", "Cirque_Bleu"}
    assert invitations.status_counts(tmp_store, ADMIN, campaign_id) == {"non_commence": 3}
    logged = reads.audit_entries(tmp_store, ADMIN, action="campaign.invite")
    assert [e["detail"]["count"] for e in logged][:2] == [0, 2]
