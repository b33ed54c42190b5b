"""Organisations kept by the agency and the networks: create, edit, archive (never delete
while responses exist) and merge duplicates, each audited; archived structures leave the
choosers and running invitations, their past responses stay in figures."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import SMALL, publish_release

from opp import clock
from opp.access.viewer import Role, Viewer
from opp.errors import OppError
from opp.questionnaire.loader import load_text
from opp.services import (
    campaigns,
    invitations,
    membership,
    organisation_archive,
    organisations,
    reads,
    releases,
)
from opp.services import organisation_merge as merging
from opp.services import responses as response_store
from opp.store import accounts, analytics, bulk, questionnaires

pytestmark = pytest.mark.both_backends

ADMIN = Viewer(role=Role.ADMIN, account_id="agence")
COORD = Viewer(role=Role.COORDINATEUR, account_id="coord", filiere="cirque")
SIRET = "44180000000024"


def _org(store, name="Cie", *, filieres=("cirque",), viewer=ADMIN, **extra):
    return organisations.create(
        store,
        viewer,
        name=name,
        structure_type="compagnie",
        filieres=list(filieres),
        commune=extra.pop("commune", "31555"),
        **extra,
    )


def _campaign(store, *, year=2025, closes_in=10):
    q = load_text(SMALL, "small.yaml").questionnaire
    questionnaires.publish(store, q)
    return campaigns.create(
        store,
        ADMIN,
        filiere="cirque",
        questionnaire_id=q.id,
        questionnaire_version=q.version,
        reference_year=year,
        title_fr=f"Cirque {year}",
        title_en=None,
        opens_on=clock.today() - dt.timedelta(days=30),
        closes_on=clock.today() + dt.timedelta(days=closes_in),
    )


def _answer(store, org, campaign, *, submit=True, effectif=3):
    owner = Viewer(role=Role.CONTRIBUTEUR, organisation_id=org.id, account_id=f"acc-{org.id}")
    meta = response_store.start(store, owner, campaign.id)
    return response_store.save(
        store, owner, meta.id, {"effectif": effectif}, expected_version=1, submit=submit
    )


@pytest.fixture
def store(tmp_store):
    bulk.publish_catalogue(tmp_store, [], {"cirque": {"fr": "Cirque"}, "marionnette": {"fr": "M"}})
    return tmp_store


def test_create__checks_every_field_like_the_import(store):
    org = _org(
        store, "  Cie   du Vent ", siret="441 800 000 000 24", email="A@B.FR", labels=["PNC"]
    )
    assert (org.name, org.siret, org.email, org.labels) == (
        "Cie du Vent",
        SIRET,
        "a@b.fr",
        ["pnc"],
    )
    assert org.departement == "31"
    with pytest.raises(OppError) as info:
        _org(store, "Autre", siret=SIRET)
    assert info.value.code == "DIR_SIRET_TAKEN"
    with pytest.raises(OppError) as info:
        _org(store, "=cmd|' /C calc'!A0")
    # The field first, then what is wrong (lower case after the colon).
    assert info.value.message("fr").startswith("Nom de la structure : la cellule")
    assert reads.audit_entries(store, ADMIN, action="organisation.create")[0]["object_id"] == org.id


def test_create__coordinator_for_their_filiere_only(store):
    assert _org(store, "Cie C", viewer=COORD).filieres == ["cirque"]
    with pytest.raises(OppError) as info:
        _org(store, "Cie M", filieres=("marionnette",), viewer=COORD)
    assert info.value.code == "FORBIDDEN"
    for viewer in (Viewer(role=Role.COREPS), Viewer(role=Role.CONTRIBUTEUR, organisation_id="x")):
        with pytest.raises(OppError) as info:
            _org(store, "Cie X", viewer=viewer)
        assert info.value.code == "FORBIDDEN"


def test_update__changed_fields_audited_other_filieres_kept_by_coordinators(store):
    shared = _org(store, "Cie Partagée", filieres=("cirque", "marionnette"))
    changed = organisations.update(store, COORD, shared.id, email="x@y.fr", commune="34172")
    assert changed.departement == "34"
    entry = reads.audit_entries(store, ADMIN, action="organisation.update")[0]
    assert entry["detail"] == {"fields": ["commune", "email"]}
    with pytest.raises(OppError) as info:
        organisations.update(store, COORD, shared.id, filieres=["cirque"])  # drops marionnette
    assert info.value.code == "FORBIDDEN"
    with pytest.raises(OppError) as info:
        organisations.update(store, COORD, shared.id, filieres=["marionnette"])
    assert info.value.code == "ORG_KEEP_FILIERE"
    other = _org(store, "Cie M", filieres=("marionnette",))
    with pytest.raises(OppError) as info:
        organisations.update(store, COORD, other.id, name="Volée")
    assert info.value.code == "FORBIDDEN"
    assert organisations.update(store, ADMIN, shared.id, filieres=["marionnette"]).filieres == [
        "marionnette"
    ]
    unchanged = organisations.update(store, ADMIN, shared.id, name="Cie Partagée")
    assert unchanged.updated_at == organisations.get(store, ADMIN, shared.id).updated_at


def test_archive__leaves_choosers_and_running_invitations_past_figures_stay(store):
    past = _campaign(store, year=2024)
    running = _campaign(store, year=2025)
    org = _org(store, "Cie Qui Ferme")
    fresh = _org(store, "Cie Qui Reste")
    invitations.invite(store, ADMIN, past.id, [org.id])
    _answer(store, org, past)
    invitations.invite(store, ADMIN, running.id, [org.id, fresh.id])
    assert organisation_archive.usage(store, ADMIN, org.id).invitations_pending == 1
    publish_release(store)
    before = analytics.response_dims(store, releases.latest_id(store)).height

    withdrawn = organisation_archive.archive(store, ADMIN, org.id)

    assert withdrawn == 1
    assert organisations.get(store, ADMIN, org.id).archived
    assert [o.name for o in organisations.search(store, ADMIN, "Cie Qui")[0]] == ["Cie Qui Reste"]
    assert [o.name for o in organisations.search(store, ADMIN, "Cie Qui", archived=True)[0]] == [
        "Cie Qui Ferme"
    ]
    assert {i["name"] for i in invitations.for_campaign(store, ADMIN, running.id)} == {
        "Cie Qui Reste"
    }
    assert {i["name"] for i in invitations.for_campaign(store, ADMIN, past.id)} == {"Cie Qui Ferme"}
    publish_release(store)  # the next release still counts its answer
    assert analytics.response_dims(store, releases.latest_id(store)).height == before
    with pytest.raises(OppError) as info:
        invitations.invite(store, ADMIN, running.id, [org.id])
    assert info.value.code == "ORG_ARCHIVED"
    assert invitations.invite_all(store, ADMIN, running.id) == 0
    owner = Viewer(role=Role.CONTRIBUTEUR, organisation_id=org.id)
    with pytest.raises(OppError) as info:
        response_store.start(store, owner, running.id)
    assert info.value.code == "ORG_ARCHIVED"
    assert reads.audit_entries(store, ADMIN, action="organisation.archive")[0]["detail"] == {
        "invitations_withdrawn": 1
    }
    organisation_archive.restore(store, ADMIN, org.id)
    assert not organisations.get(store, ADMIN, org.id).archived
    assert reads.audit_entries(store, ADMIN, action="organisation.restore")


def test_archive__coordinator_only_for_structures_of_their_filiere_alone(store):
    own = _org(store, "Cie Cirque")
    shared = _org(store, "Cie Partagée", filieres=("cirque", "marionnette"))
    organisation_archive.archive(store, COORD, own.id)
    with pytest.raises(OppError) as info:
        organisation_archive.archive(store, COORD, shared.id)
    assert info.value.code == "ORG_ARCHIVE_SHARED"
    assert "Marionnette et théâtre d'objets" in info.value.message("fr")


def test_delete__never_with_responses_or_accounts(store):
    campaign = _campaign(store)
    answered = _org(store, "Cie Répondante")
    _answer(store, answered, campaign)
    with pytest.raises(OppError) as info:
        organisation_archive.delete(store, ADMIN, answered.id)
    assert info.value.code == "ORG_HAS_RESPONSES"
    assert "Archivez-la" in info.value.message("fr")
    member = _org(store, "Cie Avec Compte")
    membership.invite(
        store, ADMIN, email="m@example.org", display_name="M", organisation_id=member.id
    )
    with pytest.raises(OppError) as info:
        organisation_archive.delete(store, ADMIN, member.id)
    assert info.value.code == "ORG_HAS_ACCOUNTS"
    mistake = _org(store, "Cie Importée Par Erreur")
    invitations.invite(store, ADMIN, campaign.id, [mistake.id])
    organisation_archive.delete(store, ADMIN, mistake.id)
    with pytest.raises(OppError):
        organisations.get(store, ADMIN, mistake.id)
    assert reads.audit_entries(store, ADMIN, action="organisation.delete")[0]["object_id"] == (
        mistake.id
    )


def test_merge__moves_everything_to_the_kept_record_after_a_preview(store):
    past = _campaign(store, year=2024)
    running = _campaign(store, year=2025)
    keep = _org(store, "Cirque du Vent", siret=SIRET)
    drop = _org(
        store,
        "CIRQUE DU VENT (doublon)",
        filieres=("cirque", "marionnette"),
        email="vent@example.org",
        labels=["pnc"],
    )
    invitations.invite(store, ADMIN, past.id, [drop.id])
    invitations.invite(store, ADMIN, running.id, [keep.id, drop.id])
    old = _answer(store, drop, past)  # moves
    draft = _answer(store, keep, running, submit=False)  # loses to the submitted one
    submitted = _answer(store, drop, running, effectif=7)
    link = membership.invite(
        store, ADMIN, email="vent@example.org", display_name="V", organisation_id=drop.id
    )

    shown = merging.preview(store, ADMIN, keep.id, drop.id)

    assert (shown.responses, shown.accounts, shown.invitations) == (2, 1, 1)
    [conflict] = shown.conflicts
    assert (conflict.kept, conflict.erased, conflict.kept_owner) == (submitted.id, draft.id, "drop")
    assert shown.filled == {"email": "vent@example.org", "labels": ["pnc"]}
    assert shown.filieres == ["cirque", "marionnette"]

    merging.merge(store, ADMIN, keep.id, drop.id, expected=shown.token)

    merged = organisations.get(store, ADMIN, keep.id)
    assert (merged.siret, merged.email, merged.filieres) == (
        SIRET,
        "vent@example.org",
        ["cirque", "marionnette"],
    )
    with pytest.raises(OppError):
        organisations.get(store, ADMIN, drop.id)
    mine = {r.id for r in response_store.list_visible(store, ADMIN, organisation_id=keep.id)}
    assert mine == {old.id, submitted.id}
    assert accounts.by_id(store, link.account.id).organisation_id == keep.id
    assert {i["name"] for i in invitations.for_campaign(store, ADMIN, past.id)} == {
        "Cirque du Vent"
    }
    assert len(invitations.for_campaign(store, ADMIN, running.id)) == 1
    entry = reads.audit_entries(store, ADMIN, action="organisation.merge")[0]
    assert entry["detail"]["merged"] == drop.id
    assert entry["detail"]["erased_responses"] == [draft.id]


def test_merge__refused_when_the_records_changed_since_the_preview(store):
    campaign = _campaign(store)
    keep, drop = _org(store, "A"), _org(store, "B")
    shown = merging.preview(store, ADMIN, keep.id, drop.id)
    _answer(store, drop, campaign)
    with pytest.raises(OppError) as info:
        merging.merge(store, ADMIN, keep.id, drop.id, expected=shown.token)
    assert info.value.code == "ORG_MERGE_CHANGED"
    assert organisations.get(store, ADMIN, drop.id)


def test_merge__agency_only_and_two_different_records(store):
    keep, drop = _org(store, "A"), _org(store, "B")
    with pytest.raises(OppError) as info:
        merging.preview(store, COORD, keep.id, drop.id)
    assert info.value.code == "FORBIDDEN"
    with pytest.raises(OppError) as info:
        merging.preview(store, ADMIN, keep.id, keep.id)
    assert info.value.code == "ORG_MERGE_SAME"
