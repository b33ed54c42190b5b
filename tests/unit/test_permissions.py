"""Hand-written spot checks of the permission table at the service level, tampered ids
included: an independent statement of what `opp.access.policy.POLICY` must say (the
generated test, test_permission_cells.py, checks that the store does what the table says;
this one that the table says what we mean)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import polars as pl
import pytest
from conftest import SMALL

from opp import clock
from opp.access.viewer import Role, Viewer
from opp.directory.service import check_file
from opp.errors import OppError
from opp.indicators.engine import Filters
from opp.indicators.model import Indicator
from opp.indicators.service import Frames, result
from opp.mail import admin as mail_admin
from opp.mail import campaign as campaign_mail
from opp.questionnaire.loader import load_text
from opp.services import (
    campaigns,
    invitations,
    membership,
    organisation_archive,
    organisations,
    reads,
    requests,
)
from opp.services import organisation_merge as merging
from opp.services import responses as response_store
from opp.store import account_requests, questionnaires
from opp.store.account_requests import AccountRequest

ADMIN = Viewer(role=Role.ADMIN, account_id="admin")
ROLES = ["contributeur_a", "coordination_cirque", "coordination_marionnette", "coreps", "admin"]


@dataclass
class World:
    store: Any
    viewers: dict[str, Viewer]
    responses: dict[str, str]  # a: own agrégé, b: cirque réseau, c: marionnette réseau
    orgs: dict[str, str]
    campaigns: dict[str, str]
    accounts: dict[str, str]


@pytest.fixture(scope="module")
def world(module_store) -> World:
    store = module_store
    base = load_text(SMALL, "small.yaml").questionnaire
    today = clock.today()
    camp, orgs, resp, viewers, accounts = {}, {}, {}, {}, {}
    for filiere in ("cirque", "marionnette"):
        q = base.model_copy(update={"id": f"q_{filiere}", "filiere": filiere})
        questionnaires.publish(store, q)
        camp[filiere] = campaigns.create(
            store,
            ADMIN,
            filiere=filiere,
            questionnaire_id=q.id,
            questionnaire_version="1.0.0",
            reference_year=2025,
            title_fr=f"Campagne {filiere}",
            title_en=None,
            opens_on=today - dt.timedelta(days=5),
            closes_on=today + dt.timedelta(days=5),
        ).id
    for key, filiere, consent in (
        ("a", "cirque", "agrege"),
        ("b", "cirque", "reseau"),
        ("c", "marionnette", "reseau"),
    ):
        org = organisations.create(
            store,
            ADMIN,
            name=f"Cie {key.upper()}",
            structure_type="compagnie",
            filieres=[filiere],
            commune="31555",
        )
        orgs[key] = org.id
        owner = Viewer(
            role=Role.CONTRIBUTEUR, organisation_id=org.id, filiere=filiere, account_id=f"acc-{key}"
        )
        meta = response_store.start(store, owner, camp[filiere])
        meta = response_store.save(
            store,
            owner,
            meta.id,
            {"effectif": 3, "nom": key},
            expected_version=1,
            submit=True,
            consent=consent,
        )
        resp[key] = meta.id
        invited = membership.invite(
            store, ADMIN, email=f"{key}@example.org", display_name=key, organisation_id=org.id
        )
        accounts[key] = invited.account.id
    viewers["contributeur_a"] = Viewer(
        role=Role.CONTRIBUTEUR, organisation_id=orgs["a"], filiere="cirque", account_id="acc-a"
    )
    viewers["coordination_cirque"] = Viewer(
        role=Role.COORDINATEUR, filiere="cirque", account_id="coord-c"
    )
    viewers["coordination_marionnette"] = Viewer(
        role=Role.COORDINATEUR, filiere="marionnette", account_id="coord-m"
    )
    viewers["coreps"] = Viewer(role=Role.COREPS, account_id="coreps")
    viewers["admin"] = ADMIN
    return World(store, viewers, resp, orgs, camp, accounts)


def _closed_then_reopened(w: World, v: Viewer) -> Any:
    campaign = _new_campaign(w, ADMIN, "cirque")
    campaigns.close(w.store, ADMIN, campaign.id)
    return campaigns.reopen(w.store, v, campaign.id, clock.today() + dt.timedelta(days=5))


def _archive_and_restore(w: World, v: Viewer) -> None:
    org = organisations.create(
        w.store,
        ADMIN,
        name="Cie éphémère",
        structure_type="compagnie",
        filieres=["cirque"],
        commune="31555",
    )
    organisation_archive.archive(w.store, v, org.id)
    organisation_archive.restore(w.store, v, org.id)


DIRECTORY = b"nom;code_commune;filiere;type_structure\nCie Annuaire;31555;cirque;compagnie\n"


def _new_campaign(w: World, v: Viewer, filiere: str) -> Any:
    return campaigns.create(
        w.store,
        v,
        filiere=filiere,
        questionnaire_id=f"q_{filiere}",
        questionnaire_version="1.0.0",
        reference_year=2026,
        title_fr="Nouvelle",
        title_en=None,
        opens_on=clock.today(),
        closes_on=clock.today() + dt.timedelta(days=30),
    )


AGGREGATE = Indicator.model_validate(
    {
        "id": "n",
        "domain": "emploi",
        "label": "N",
        "definition": "N",
        "kind": "sum",
        "question": "effectif",
    }
)


def _aggregates(w: World, v: Viewer, filiere: str | None) -> str | None:
    frame = pl.DataFrame(
        {
            "response_id": ["x"],
            "organisation_id": ["o"],
            "reference_year": [2025],
            "filiere": ["cirque"],
            "departement": ["31"],
            "structure_type": ["compagnie"],
            "size_class": ["1-2"],
            "effectif": [3.0],
        }
    )
    frames = Frames(frame, frame)
    return result(frames, AGGREGATE, Filters(2025, filiere=filiere), None, v).filters.filiere


def _pending_member(w: World) -> str:
    """A person a coordinator asked to add to A (which has members): waits for approval."""
    coordinator = Viewer(role=Role.COORDINATEUR, filiere="cirque", account_id="coord-c")
    made = membership.invite(
        w.store,
        coordinator,
        email=f"attente-{uuid.uuid4().hex[:8]}@example.org",
        display_name="En attente",
        organisation_id=w.orgs["a"],
    )
    assert made.pending
    return made.account.id


def _reset(w: World, v: Viewer) -> Any:
    # one reset mail per account every few minutes: forget earlier ones between cells
    w.store.cursor().execute("DELETE FROM outbox WHERE account_id = ?", [w.accounts["a"]])
    return membership.send_reset(w.store, v, w.accounts["a"])


def _account_request(w: World) -> str:
    request = AccountRequest(
        id=uuid.uuid4().hex,
        filiere="cirque",
        email=f"demande-{uuid.uuid4().hex[:8]}@example.org",
        display_name="Demandeur",
        commune=None,
        message=None,
        language="fr",
        client_key="1.2.3.4",
        created_at=clock.now(),
        status="pending",
        decided_by=None,
        decided_at=None,
        reason=None,
        account_id=None,
    )
    with w.store.transaction() as cur:
        account_requests.insert(cur, request)
    return request.id


# action → (call, the roles allowed). Each call raises OppError FORBIDDEN when denied.
MATRIX: dict[str, tuple[Callable[[World, Viewer], Any], set[str]]] = {
    "lire la réponse de sa structure (consentement agrégé)": (
        lambda w, v: response_store.load_answers(w.store, v, w.responses["a"]),
        {"contributeur_a", "admin"},
    ),
    "lire une réponse « réseau » de la filière cirque (id d'une autre structure)": (
        lambda w, v: response_store.load_answers(w.store, v, w.responses["b"]),
        {"coordination_cirque", "admin"},
    ),
    "lire une réponse « réseau » de la filière marionnette": (
        lambda w, v: response_store.get(w.store, v, w.responses["c"]),
        {"coordination_marionnette", "admin"},
    ),
    "modifier la réponse de sa structure": (
        lambda w, v: response_store.save(
            w.store,
            v,
            w.responses["a"],
            {"effectif": 3, "nom": "a"},
            expected_version=response_store.get(w.store, ADMIN, w.responses["a"]).row_version,
        ),
        {"contributeur_a"},
    ),
    "modifier la réponse d'une autre structure (id falsifié)": (
        lambda w, v: response_store.save(
            w.store, v, w.responses["b"], {"effectif": 9}, expected_version=2
        ),
        set(),
    ),
    "commencer une réponse pour sa structure": (
        lambda w, v: response_store.start(w.store, v, w.campaigns["cirque"]),
        {"contributeur_a"},
    ),
    "voir la fiche de la structure A": (
        lambda w, v: organisations.get(w.store, v, w.orgs["a"]),
        {"contributeur_a", "coordination_cirque", "admin"},
    ),
    "voir la fiche d'une autre structure de la filière (id falsifié)": (
        lambda w, v: organisations.get(w.store, v, w.orgs["b"]),
        {"coordination_cirque", "admin"},
    ),
    "créer une campagne de la filière cirque": (
        lambda w, v: _new_campaign(w, v, "cirque"),
        {"coordination_cirque", "admin"},
    ),
    "clore une campagne de la filière marionnette": (
        lambda w, v: campaigns.close(w.store, v, w.campaigns["marionnette"]),
        {"coordination_marionnette", "admin"},
    ),
    "inviter une structure cirque à une campagne": (
        lambda w, v: invitations.invite(w.store, v, w.campaigns["cirque"], [w.orgs["b"]]),
        {"coordination_cirque", "admin"},
    ),
    "inviter toute la filière cirque à une campagne": (
        lambda w, v: invitations.invite_all(w.store, v, w.campaigns["cirque"]),
        {"coordination_cirque", "admin"},
    ),
    "compter les invitées d'une campagne cirque par statut": (
        lambda w, v: invitations.status_counts(w.store, v, w.campaigns["cirque"]),
        {"coordination_cirque", "admin"},
    ),
    "inviter une personne dans la structure A (un·e collègue pour A)": (
        lambda w, v: membership.invite(
            w.store,
            v,
            email=f"nouveau-{v.account_id}-{clock.now().timestamp()}@example.org",
            display_name="N",
            organisation_id=w.orgs["a"],
        ),
        {"contributeur_a", "coordination_cirque", "admin"},
    ),
    "inviter un compte de coordination, du Coreps ou de l'agence": (
        lambda w, v: membership.invite(
            w.store,
            v,
            email=f"coord-{v.account_id}-{clock.now().timestamp()}@example.org",
            display_name="N",
            role=Role.COORDINATEUR,
            filiere="cirque",
        ),
        {"admin"},
    ),
    "accepter un nouveau membre dans la structure A": (
        lambda w, v: membership.decide_membership(w.store, v, _pending_member(w), approve=True),
        {"contributeur_a", "admin"},
    ),
    "envoyer (par courriel) un lien de réinitialisation au compte de A": (
        _reset,
        {"coordination_cirque", "admin"},
    ),
    "désactiver puis réactiver le compte de A": (
        lambda w, v: (
            membership.set_enabled(w.store, v, w.accounts["a"], enabled=False),
            membership.set_enabled(w.store, v, w.accounts["a"], enabled=True),
        ),
        {"coordination_cirque", "admin"},
    ),
    "répondre à une demande de compte du réseau cirque": (
        lambda w, v: requests.decline(w.store, v, _account_request(w)),
        {"coordination_cirque", "admin"},
    ),
    "écrire aux structures d'une campagne cirque (invitations, rappels)": (
        lambda w, v: campaign_mail.remind(w.store, v, w.campaigns["cirque"]),
        {"coordination_cirque", "admin"},
    ),
    "suivre chaque structure d'une campagne cirque (invitée, relancée, réponse)": (
        lambda w, v: campaign_mail.participation(w.store, v, w.campaigns["cirque"]),
        {"coordination_cirque", "admin"},
    ),
    "refuser les rappels pour sa structure": (
        lambda w, v: campaign_mail.set_reminders(w.store, v, enabled=True),
        {"contributeur_a"},
    ),
    "consulter la boîte d'envoi des courriels": (
        lambda w, v: mail_admin.messages(w.store, v, None),
        {"admin"},
    ),
    "lister les comptes": (
        lambda w, v: membership.list_accounts(w.store, v),
        {"coordination_cirque", "coordination_marionnette", "admin"},
    ),
    "consulter le journal d'audit": (
        lambda w, v: reads.audit_entries(w.store, v),
        {"admin"},
    ),
    "vérifier un annuaire de structures (import)": (
        lambda w, v: check_file(w.store, v, DIRECTORY, "annuaire.csv"),
        {"coordination_cirque", "coordination_marionnette", "admin"},
    ),
    "créer une structure de la filière cirque": (
        lambda w, v: organisations.create(
            w.store,
            v,
            name=f"Cie {v.account_id} {clock.now().timestamp()}",
            structure_type="compagnie",
            filieres=["cirque"],
            commune="31555",
        ),
        {"coordination_cirque", "admin"},
    ),
    "modifier la fiche de la structure A": (
        lambda w, v: organisations.update(w.store, v, w.orgs["a"], email="a@example.org"),
        {"coordination_cirque", "admin"},
    ),
    "archiver puis rétablir une structure cirque": (
        _archive_and_restore,
        {"coordination_cirque", "admin"},
    ),
    "prévisualiser la fusion de deux structures": (
        lambda w, v: merging.preview(w.store, v, w.orgs["a"], w.orgs["b"]),
        {"admin"},
    ),
    "programmer la clôture d'une campagne cirque": (
        lambda w, v: campaigns.schedule_close(
            w.store, v, _new_campaign(w, ADMIN, "cirque").id, clock.today()
        ),
        {"coordination_cirque", "admin"},
    ),
    "rouvrir une campagne close": (
        _closed_then_reopened,
        {"admin"},
    ),
    "voir les chiffres agrégés de la filière cirque": (
        lambda w, v: _aggregates(w, v, "cirque"),
        {"contributeur_a", "coordination_cirque", "coreps", "admin"},
    ),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(MATRIX))
def test_permission__matrix_cell(world, action, role):
    call, allowed = MATRIX[action]
    viewer = world.viewers[role]
    if role in allowed:
        call(world, viewer)
    else:
        with pytest.raises(OppError) as info:
            call(world, viewer)
        assert info.value.code == "FORBIDDEN", info.value.message("fr")
        assert "Accès refusé" in info.value.message("fr")


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("contributeur_a", {"a"}),
        ("coordination_cirque", {"b"}),
        ("coordination_marionnette", {"c"}),
        ("coreps", set()),
        ("admin", {"a", "b", "c"}),
    ],
)
def test_permission__each_role_lists_exactly_its_responses(world, role, expected):
    listed = {r.id for r in response_store.list_visible(world.store, world.viewers[role])}
    assert listed == {world.responses[k] for k in expected}


@pytest.mark.parametrize(
    ("role", "scope"),
    [
        ("contributeur_a", "cirque"),
        ("coordination_cirque", "cirque"),
        ("coreps", None),
        ("admin", None),
    ],
)
def test_permission__cross_filiere_figures_only_for_coreps_and_agency(world, role, scope):
    assert _aggregates(world, world.viewers[role], None) == scope


def test_permission__every_individual_read_by_someone_else_is_audited(world):
    response_store.load_answers(world.store, ADMIN, world.responses["c"])
    entries = reads.audit_entries(world.store, ADMIN, object_id=world.responses["c"])
    assert entries[0]["action"] == "response.read"
    assert entries[0]["actor"] == "admin"


@pytest.mark.parametrize("role", ["coordination_cirque", "admin"])
def test_permission__a_filiere_campaign_never_asks_another_filiere_s_questionnaire(world, role):
    with pytest.raises(OppError) as info:
        campaigns.create(
            world.store,
            world.viewers[role],
            filiere="cirque",
            questionnaire_id="q_marionnette",
            questionnaire_version="1.0.0",
            reference_year=2027,
            title_fr="Cirque sur le questionnaire marionnette",
            title_en=None,
            opens_on=clock.today(),
            closes_on=clock.today() + dt.timedelta(days=30),
        )
    assert info.value.code == "CAMPAIGN_QUESTIONNAIRE_FILIERE"
