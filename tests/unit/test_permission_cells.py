"""Every cell of the permission table, generated from `opp.access.policy.POLICY`.

For each action, scenarios act through the real store and services, as each viewer, on
real objects whose facts (organisation, filière, consent, author, account…) the scenario
states. What the call must do is what the table says about those facts: the test asks
`policy.require` on the stated facts, and compares with what the store did. Then each
role's cell must have been seen allowed (when the table allows it) and refused (when the
table refuses it, or limits it by a condition): no cell goes untested.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import polars as pl
import pytest
from conftest import SMALL

from opp import clock, datapackage, mydata, restitution
from opp.access.policy import POLICY, Action, Resource, may, require
from opp.access.viewer import Role, Viewer
from opp.directory.service import check_file
from opp.errors import OppError
from opp.indicators.engine import Filters
from opp.indicators.model import Indicator
from opp.indicators.service import Frames, result
from opp.mail import admin as mail_admin
from opp.mail import campaign as campaign_mail
from opp.opendata import open_records
from opp.questionnaire import edits
from opp.questionnaire.loader import load_text
from opp.services import (
    campaigns,
    codesign,
    corrections,
    erasure,
    invitations,
    membership,
    organisation_archive,
    organisations,
    reads,
    releases,
    requests,
)
from opp.services import organisation_merge as merging
from opp.services import questionnaires as questionnaire_reads
from opp.services import responses as response_store
from opp.store import account_requests, questionnaires
from opp.store import organisations as org_repo
from opp.store.account_requests import AccountRequest

ROOT = Viewer(role=Role.ADMIN, account_id="root", name="Racine")
CLOSED = OppError("CAMPAIGN_CLOSED", value="x", closed="x")


@dataclass
class World:
    store: Any
    viewers: dict[str, Viewer]
    orgs: dict[str, str]  # a, b: cirque; c: marionnette
    campaigns: dict[str, str]  # cirque, marionnette (open), closed (cirque)
    responses: dict[str, str]  # a (agrégé), b (réseau), c (réseau), closed_a
    accounts: dict[str, str]  # a, b, c (contributors), coord (cirque), admin
    correction: str  # A's request on its closed response
    questionnaire: Any


def _org(store: Any, name: str, filieres: list[str]) -> str:
    return organisations.create(
        store, ROOT, name=name, structure_type="compagnie", filieres=filieres, commune="31555"
    ).id


def _campaign(store: Any, filiere: str, *, opens: int = 0, year: int = 2026) -> str:
    return campaigns.create(
        store,
        ROOT,
        filiere=filiere,
        questionnaire_id=f"q_{filiere}",
        questionnaire_version="1.0.0",
        reference_year=year,
        title_fr=f"Campagne {filiere} {uuid.uuid4().hex[:6]}",
        title_en=None,
        opens_on=clock.today() + dt.timedelta(days=opens),
        closes_on=clock.today() + dt.timedelta(days=20),
    ).id


def _owner(org_id: str, filiere: str) -> Viewer:
    return Viewer(
        role=Role.CONTRIBUTEUR, organisation_id=org_id, filiere=filiere, account_id=f"o-{org_id}"
    )


def _answer(store: Any, org_id: str, filiere: str, campaign_id: str, consent: str) -> str:
    owner = _owner(org_id, filiere)
    meta = response_store.start(store, owner, campaign_id)
    return response_store.save(
        store,
        owner,
        meta.id,
        {"effectif": 3, "nom": "x"},
        expected_version=meta.row_version,
        submit=True,
        consent=consent,
    ).id


@pytest.fixture(scope="module")
def world(module_store) -> World:
    store = module_store
    base = load_text(SMALL, "small.yaml").questionnaire
    for filiere in ("cirque", "marionnette"):
        text = SMALL.replace("id: petit", f"id: q_{filiere}", 1)
        text = text.replace("filiere: cirque", f"filiere: {filiere}", 1)
        questionnaires.publish(store, load_text(text, f"q_{filiere}.yaml").questionnaire)
    camp = {f: _campaign(store, f, opens=-5) for f in ("cirque", "marionnette")}
    camp["closed"] = _campaign(store, "cirque", opens=-5, year=2024)
    orgs = {"a": _org(store, "Cie A", ["cirque"]), "b": _org(store, "Cie B", ["cirque"])}
    orgs["c"] = _org(store, "Cie C", ["marionnette"])
    resp = {
        "a": _answer(store, orgs["a"], "cirque", camp["cirque"], "agrege"),
        "b": _answer(store, orgs["b"], "cirque", camp["cirque"], "reseau"),
        "c": _answer(store, orgs["c"], "marionnette", camp["marionnette"], "reseau"),
        "closed_a": _answer(store, orgs["a"], "cirque", camp["closed"], "agrege"),
    }
    campaigns.close(store, ROOT, camp["closed"])
    accounts = {
        key: membership.invite(
            store, ROOT, email=f"{key}@example.org", display_name=key, organisation_id=orgs[key]
        ).account.id
        for key in ("a", "b", "c")
    }
    accounts["coord"] = membership.invite(
        store,
        ROOT,
        email="coord@example.org",
        display_name="Coord",
        role=Role.COORDINATEUR,
        filiere="cirque",
    ).account.id
    accounts["admin"] = membership.invite(
        store, ROOT, email="admin@example.org", display_name="Agence", role=Role.ADMIN
    ).account.id
    owner_a = _owner(orgs["a"], "cirque")
    correction = corrections.request(store, owner_a, resp["closed_a"], "Une erreur.").id
    viewers = {
        "contributeur_a": Viewer(
            role=Role.CONTRIBUTEUR,
            organisation_id=orgs["a"],
            filiere="cirque",
            account_id=accounts["a"],
            name="Membre A",
        ),
        "contributeur_sans_structure": Viewer(role=Role.CONTRIBUTEUR, account_id="sans"),
        "coordination_cirque": Viewer(
            role=Role.COORDINATEUR, filiere="cirque", account_id=accounts["coord"], name="Co"
        ),
        "coordination_marionnette": Viewer(
            role=Role.COORDINATEUR, filiere="marionnette", account_id="coord-m", name="Cm"
        ),
        "coordination_sans_filiere": Viewer(role=Role.COORDINATEUR, account_id="coord-x"),
        "coreps": Viewer(role=Role.COREPS, account_id="coreps", name="Coreps"),
        "admin": Viewer(role=Role.ADMIN, account_id=accounts["admin"], name="Agence"),
    }
    return World(store, viewers, orgs, camp, resp, accounts, correction, base)


# --- scenarios ------------------------------------------------------------------------------

Check = tuple[Action, Resource | None, str]  # action, facts, code when refused


@dataclass
class Prepared:
    viewer: Viewer
    checks: list[Check]  # what the store must check, in order
    run: Callable[[], Any]  # raises OppError when refused
    observed: Callable[[Any], bool] | None = None  # when refusal is not an error: allowed?
    also_refused: frozenset[str] = frozenset()  # other codes a refusal may carry


Case = Callable[[World, Viewer], Prepared]


def chk(action: Action, resource: Resource | None = None, code: str = "FORBIDDEN") -> Check:
    return (action, resource, code)


def _org_facts(w: World, key: str) -> Resource:
    return organisations.resource_of(organisations.get(w.store, ROOT, w.orgs[key]))


def _response_facts(w: World, key: str) -> Resource:
    meta = response_store.get(w.store, ROOT, w.responses[key])
    return response_store.resource_of(meta, campaigns.get(w.store, ROOT, meta.campaign_id))


def _member_filieres(w: World, v: Viewer) -> tuple[str, ...]:
    return org_repo.organisation_filieres(w.store, v.organisation_id)


def _codesign_facts(w: World, v: Viewer, filiere: str, author: str | None = None) -> Resource:
    return Resource(filieres=(filiere,), author=author, viewer_filieres=_member_filieres(w, v))


ADD = {
    "kind": "add",
    "section": "s1",
    "after": "effectif",
    "question": {"type": "integer", "label": {"fr": "Chapiteaux", "en": "Big tops"}},
}


def _proposal(w: World, filiere: str, author: Viewer = ROOT) -> str:
    data = ADD | {"question": ADD["question"] | {"id": f"q{uuid.uuid4().hex[:8]}"}}
    who = replace(ROOT, account_id=author.account_id, name=author.name or "x")
    return codesign.propose(w.store, who, f"q_{filiere}", edits.parse_edit(data), "Utile.").id


def simple(run: Callable[[World, Viewer], Any], *checks: Callable[[World, Viewer], Check]) -> Case:
    def case(w: World, v: Viewer) -> Prepared:
        return Prepared(v, [c(w, v) for c in checks], lambda: run(w, v))

    return case


def plain(action: Action, run: Callable[[World, Viewer], Any]) -> Case:
    """An action checked without a resource (the viewer's own scope)."""
    return simple(run, lambda w, v: chk(action))


def read_response(key: str) -> Case:
    return simple(
        lambda w, v: response_store.load_answers(w.store, v, w.responses[key]),
        lambda w, v: chk(Action.READ_RESPONSE, _response_facts(w, key)),
    )


def answer(campaign: str, filiere: str, closed: bool = False) -> Case:
    def case(w: World, v: Viewer) -> Prepared:
        facts = Resource(
            organisation_id=v.organisation_id,
            filieres=(filiere,),
            viewer_filieres=_member_filieres(w, v),
            closed=CLOSED if closed else None,
        )
        target = campaigns.get(w.store, ROOT, w.campaigns[campaign])
        return Prepared(
            v,
            [chk(Action.ANSWER), chk(Action.ANSWER, facts)],
            lambda: response_store.require_may_start(w.store, v, target),
        )

    return case


def edit_response(key: str, closed: bool = False) -> Case:
    def case(w: World, v: Viewer) -> Prepared:
        meta = response_store.get(w.store, ROOT, w.responses[key])
        facts = Resource(organisation_id=meta.organisation_id, closed=CLOSED if closed else None)
        return Prepared(
            v,
            [chk(Action.EDIT_RESPONSE, facts)],
            lambda: response_store.save(
                w.store, v, meta.id, {"effectif": 3, "nom": "x"}, expected_version=meta.row_version
            ),
        )

    return case


def on_response(
    action: Action, key: str, run: Callable[[World, Viewer, str], Any], *, read: bool
) -> Case:
    """A write on a response (`read`: which the viewer must first be able to read)."""

    def case(w: World, v: Viewer) -> Prepared:
        facts = _response_facts(w, key)
        checks = [chk(Action.READ_RESPONSE, facts)] if read else []
        checks.append(chk(action, Resource(organisation_id=facts.organisation_id)))
        return Prepared(v, checks, lambda: run(w, v, w.responses[key]))

    return case


def erase_fresh_response(org: str, filiere: str, consent: str) -> Case:
    def case(w: World, v: Viewer) -> Prepared:
        campaign = _campaign(w.store, filiere)
        response = _answer(w.store, w.orgs[org], filiere, campaign, consent)
        facts = Resource(organisation_id=w.orgs[org], filieres=(filiere,), consent=consent)
        return Prepared(
            v,
            [
                chk(Action.READ_RESPONSE, facts),
                chk(Action.ERASE_RESPONSE, Resource(organisation_id=w.orgs[org])),
            ],
            lambda: erasure.erase_response(w.store, v, response, "EFFACER"),
        )

    return case


def erase_organisation(own: bool) -> Case:
    def case(w: World, v: Viewer) -> Prepared:
        fresh = _org(w.store, f"Cie à effacer {uuid.uuid4().hex[:6]}", ["cirque"])
        who = replace(v, organisation_id=fresh) if own and v.organisation_id else v
        return Prepared(
            who,
            [chk(Action.ERASE_ORGANISATION, Resource(organisation_id=fresh))],
            lambda: erasure.erase_organisation(w.store, who, "EFFACER", organisation_id=fresh),
        )

    return case


class PastTheCheck(Exception):
    """Raised by the stand-ins of what a service uses only once access was granted."""


class _Unreachable:
    def __getattr__(self, name: str) -> Any:
        raise PastTheCheck(name)


def fiche(key: str) -> Case:
    def run(w: World, v: Viewer) -> Any:
        try:
            return restitution.build(w.store, v, _Unreachable(), _Unreachable(), w.responses[key])
        except PastTheCheck:
            return True

    return simple(
        run,
        lambda w, v: chk(Action.READ_RESPONSE, _response_facts(w, key)),
        lambda w, v: chk(Action.READ_FICHE, Resource(organisation_id=w.orgs[key])),
    )


def read_org(key: str) -> Case:
    return simple(
        lambda w, v: organisations.get(w.store, v, w.orgs[key]),
        lambda w, v: chk(Action.READ_ORGANISATION, _org_facts(w, key)),
    )


def on_filiere(action: Action, filiere: str, run: Callable[[World, Viewer], Any]) -> Case:
    return simple(run, lambda w, v: chk(action, Resource(filieres=(filiere,))))


def create_campaign(filiere: str) -> Case:
    return on_filiere(
        Action.MANAGE_CAMPAIGNS,
        filiere,
        lambda w, v: campaigns.create(
            w.store,
            v,
            filiere=filiere,
            questionnaire_id=f"q_{filiere}",
            questionnaire_version="1.0.0",
            reference_year=2027,
            title_fr="Nouvelle",
            title_en=None,
            opens_on=clock.today(),
            closes_on=clock.today() + dt.timedelta(days=30),
        ),
    )


def reopen(w: World, v: Viewer) -> Any:
    campaign = _campaign(w.store, "cirque")
    campaigns.close(w.store, ROOT, campaign)
    return campaigns.reopen(w.store, v, campaign, clock.today() + dt.timedelta(days=5))


DIRECTORY = b"nom;code_commune;filiere;type_structure\nCie Annuaire;31555;cirque;compagnie\n"


def update_org(key: str) -> Case:
    return simple(
        lambda w, v: organisations.update(w.store, v, w.orgs[key], email=f"{key}@example.org"),
        lambda w, v: chk(Action.READ_ORGANISATION, _org_facts(w, key)),
        lambda w, v: chk(Action.MANAGE_ORGANISATION, _org_facts(w, key)),
    )


def create_in(filiere: str) -> Case:
    """A new structure of one filière: who may give it that filière."""
    return simple(
        lambda w, v: organisations.create(
            w.store,
            v,
            name=f"Cie {uuid.uuid4().hex[:8]}",
            structure_type="compagnie",
            filieres=[filiere],
            commune="31555",
        ),
        lambda w, v: chk(Action.MANAGE_ORGANISATION),
        lambda w, v: chk(Action.ASSIGN_FILIERE, Resource(filieres=(filiere,))),
    )


def retire(filieres: list[str]) -> Case:
    def case(w: World, v: Viewer) -> Prepared:
        fresh = _org(w.store, f"Cie éphémère {uuid.uuid4().hex[:6]}", filieres)
        facts = Resource(organisation_id=fresh, filieres=tuple(filieres))

        def run() -> None:
            organisation_archive.archive(w.store, v, fresh)
            organisation_archive.restore(w.store, v, fresh)

        return Prepared(
            v,
            [chk(Action.READ_ORGANISATION, facts), chk(Action.RETIRE_ORGANISATION, facts)],
            run,
            also_refused=frozenset({"ORG_ARCHIVE_SHARED"}),  # a coordinator's shared one
        )

    return case


def invite_person(key: str | None, role: Role) -> Case:
    def case(w: World, v: Viewer) -> Prepared:
        org = w.orgs[key] if key else None
        checks = [chk(Action.INVITE_PERSON)]
        facts = Resource(organisation_id=org, account_role=role)
        if key:
            checks.append(chk(Action.READ_ORGANISATION, _org_facts(w, key)))
            facts = replace(facts, filieres=_org_facts(w, key).filieres)
        checks.append(chk(Action.INVITE_PERSON, facts))
        return Prepared(
            v,
            checks,
            lambda: membership.invite(
                w.store,
                v,
                email=f"n-{uuid.uuid4().hex[:10]}@example.org",
                display_name="Nouveau",
                role=role,
                organisation_id=org,
                filiere="cirque",
            ),
        )

    return case


def add_member_directly(key: str) -> Case:
    """Invite into an organisation that has members: allowed = no approval needed."""

    def case(w: World, v: Viewer) -> Prepared:
        base = invite_person(key, Role.CONTRIBUTEUR)(w, v)
        checks = [
            *base.checks,
            chk(Action.ADD_MEMBER_DIRECTLY, Resource(organisation_id=w.orgs[key])),
        ]
        return replace(base, checks=checks, observed=lambda made: not made.pending)

    return case


def _pending_member(w: World, key: str, filiere: str) -> str:
    coordinator = Viewer(role=Role.COORDINATEUR, filiere=filiere, account_id=f"coord-{filiere}")
    made = membership.invite(
        w.store,
        coordinator,
        email=f"attente-{uuid.uuid4().hex[:8]}@example.org",
        display_name="En attente",
        organisation_id=w.orgs[key],
    )
    assert made.pending
    return made.account.id


def approve(key: str, filiere: str) -> Case:
    def case(w: World, v: Viewer) -> Prepared:
        person = _pending_member(w, key, filiere)
        facts = Resource(organisation_id=w.orgs[key], account_id=person)
        return Prepared(
            v,
            [chk(Action.APPROVE_MEMBER, facts)],
            lambda: membership.decide_membership(w.store, v, person, approve=True),
        )

    return case


def signature(w: World, v: Viewer) -> Prepared:
    account = membership.accounts.by_id(w.store, w.accounts["a"])
    named = replace(v, name="Quelqu'un")
    return Prepared(
        named,
        [chk(Action.SIGN_AS_AGENCY)],
        lambda: membership.invitation_params_for(named, account, "Cie A")["inviter"],
        observed=lambda inviter: inviter == membership.AGENCY_NAME,
    )


def on_account(action: Action, key: str, run: Callable[[World, Viewer, str], Any]) -> Case:
    def case(w: World, v: Viewer) -> Prepared:
        account = membership.accounts.by_id(w.store, w.accounts[key])
        # one reset mail per account every few minutes: forget earlier ones between cases
        w.store.cursor().execute("DELETE FROM outbox WHERE account_id = ?", [account.id])
        return Prepared(
            v,
            [chk(action, membership.account_resource(account))],
            lambda: run(w, v, account.id),
        )

    return case


def disable_and_enable(w: World, v: Viewer, account_id: str) -> None:
    membership.set_enabled(w.store, v, account_id, enabled=False)
    membership.set_enabled(w.store, v, account_id, enabled=True)


def account_request(filiere: str) -> Case:
    def case(w: World, v: Viewer) -> Prepared:
        request = AccountRequest(
            id=uuid.uuid4().hex,
            filiere=filiere,
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
        return Prepared(
            v,
            [chk(Action.DECIDE_REQUEST, Resource(filieres=(filiere,)))],
            lambda: requests.decline(w.store, v, request.id),
        )

    return case


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


def aggregates(filiere: str | None) -> Case:
    def run(w: World, v: Viewer) -> Any:
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
        return result(Frames(frame, frame), AGGREGATE, Filters(2025, filiere=filiere), None, v)

    def case(w: World, v: Viewer) -> Prepared:
        facts = Resource(filieres=(filiere,) if filiere else ())
        return Prepared(
            v,
            [chk(Action.READ_AGGREGATES, facts)],
            lambda: run(w, v),
            # cross-filière figures asked by someone limited to a filière: narrowed to it
            observed=(lambda shown: shown.filters.filiere is None) if filiere is None else None,
        )

    return case


def codesign_read(filiere: str) -> Case:
    return simple(
        lambda w, v: codesign.draft(w.store, v, f"q_{filiere}"),
        lambda w, v: chk(Action.READ_CODESIGN, _codesign_facts(w, v, filiere)),
    )


def propose(filiere: str) -> Case:
    data = ADD | {"question": ADD["question"] | {"id": f"p{uuid.uuid4().hex[:8]}"}}
    return simple(
        lambda w, v: codesign.propose(w.store, v, f"q_{filiere}", edits.parse_edit(data), "Oui."),
        lambda w, v: chk(Action.READ_CODESIGN, _codesign_facts(w, v, filiere)),
        lambda w, v: chk(Action.PROPOSE, _codesign_facts(w, v, filiere)),
    )


def on_proposal(
    action: Action, filiere: str, run: Callable[[World, Viewer, str], Any], own: bool = False
) -> Case:
    def case(w: World, v: Viewer) -> Prepared:
        author = v if own else ROOT
        proposal = _proposal(w, filiere, author)
        facts = _codesign_facts(w, v, filiere, author.actor)
        return Prepared(
            v,
            [chk(Action.READ_CODESIGN, facts, "NOT_FOUND"), chk(action, facts)],
            lambda: run(w, v, proposal),
        )

    return case


def on_draft(action: Action, filiere: str, run: Callable[[World, Viewer, str], Any]) -> Case:
    return simple(
        lambda w, v: run(w, v, f"q_{filiere}"),
        lambda w, v: chk(Action.READ_CODESIGN, _codesign_facts(w, v, filiere)),
        lambda w, v: chk(action, Resource(filieres=(filiere,))),
    )


def import_questionnaire(filiere: str) -> Case:
    def run(w: World, v: Viewer) -> Any:
        new_id = f"imp_{uuid.uuid4().hex[:8]}"
        made = w.questionnaire.model_copy(update={"id": new_id, "filiere": filiere})
        return codesign.import_questionnaire(w.store, v, made)

    return on_filiere(Action.IMPORT_QUESTIONNAIRE, filiere, run)


def correction_decided(w: World, v: Viewer) -> Any:
    w.store.cursor().execute(
        "UPDATE correction_requests SET status = 'pending' WHERE id = ?", [w.correction]
    )
    return corrections.decide(w.store, v, w.correction, accept=False)


def corrections_seen(w: World, v: Viewer) -> Prepared:
    facts = Resource(organisation_id=w.orgs["a"], filieres=("cirque",))
    return Prepared(
        v,
        [chk(Action.READ_CORRECTIONS, facts)],
        lambda: [c.id for c in corrections.visible(w.store, v)],
        observed=lambda ids: w.correction in ids,
    )


SCENARIOS: dict[Action, list[Case]] = {
    Action.READ_CAMPAIGN: [
        plain(Action.READ_CAMPAIGN, lambda w, v: campaigns.get(w.store, v, w.campaigns["cirque"]))
    ],
    Action.READ_QUESTIONNAIRE: [
        plain(
            Action.READ_QUESTIONNAIRE,
            lambda w, v: questionnaire_reads.get(w.store, v, "q_marionnette", "1.0.0"),
        )
    ],
    Action.READ_RESPONSE: [read_response("a"), read_response("b"), read_response("c")],
    Action.ANSWER: [
        answer("cirque", "cirque"),
        answer("marionnette", "marionnette"),
        answer("closed", "cirque", closed=True),
    ],
    Action.EDIT_RESPONSE: [edit_response("a"), edit_response("b"), edit_response("closed_a", True)],
    Action.SET_CONSENT: [
        on_response(
            Action.SET_CONSENT,
            k,
            lambda w, v, r: response_store.set_consent(w.store, v, r, "agrege"),
            read=False,
        )
        for k in ("a", "b")
    ],
    Action.REQUEST_CORRECTION: [
        on_response(
            Action.REQUEST_CORRECTION,
            "closed_a",
            lambda w, v, r: corrections.request(w.store, v, r, "Encore une erreur."),
            read=True,
        )
    ],
    Action.READ_CORRECTIONS: [corrections_seen],
    Action.DECIDE_CORRECTION: [
        on_filiere(Action.DECIDE_CORRECTION, "cirque", correction_decided),
    ],
    Action.ERASE_RESPONSE: [
        erase_fresh_response("a", "cirque", "agrege"),
        erase_fresh_response("c", "marionnette", "reseau"),
    ],
    Action.ERASE_ORGANISATION: [erase_organisation(own=True), erase_organisation(own=False)],
    Action.EXPORT_OWN_DATA: [
        plain(Action.EXPORT_OWN_DATA, lambda w, v: mydata.collect(w.store, v))
    ],
    Action.READ_FICHE: [fiche("a"), fiche("b")],
    Action.READ_ORGANISATION: [read_org("a"), read_org("b"), read_org("c")],
    Action.LIST_MEMBERS: [
        plain(Action.LIST_MEMBERS, lambda w, v: membership.organisation_people(w.store, v))
    ],
    Action.MAIL_PREFERENCES: [
        plain(
            Action.MAIL_PREFERENCES,
            lambda w, v: campaign_mail.set_reminders(w.store, v, enabled=True),
        )
    ],
    Action.MANAGE_CAMPAIGNS: [create_campaign("cirque"), create_campaign("marionnette")],
    Action.INVITE_ORGANISATIONS: [
        on_filiere(
            Action.INVITE_ORGANISATIONS,
            f,
            lambda w, v, f=f, k=k: invitations.invite(w.store, v, w.campaigns[f], [w.orgs[k]]),
        )
        for f, k in (("cirque", "b"), ("marionnette", "c"))
    ],
    Action.MAIL_CAMPAIGN: [
        on_filiere(
            Action.MAIL_CAMPAIGN,
            f,
            lambda w, v, f=f: campaign_mail.participation(w.store, v, w.campaigns[f]),
        )
        for f in ("cirque", "marionnette")
    ],
    Action.REOPEN_CAMPAIGN: [on_filiere(Action.REOPEN_CAMPAIGN, "cirque", reopen)],
    Action.IMPORT_DIRECTORY: [
        plain(
            Action.IMPORT_DIRECTORY,
            lambda w, v: check_file(w.store, v, DIRECTORY, "annuaire.csv"),
        )
    ],
    Action.MANAGE_ORGANISATION: [update_org("a"), update_org("c")],
    Action.ASSIGN_FILIERE: [create_in("cirque"), create_in("marionnette")],
    Action.RETIRE_ORGANISATION: [retire(["cirque"]), retire(["cirque", "marionnette"])],
    Action.MERGE_ORGANISATIONS: [
        plain(
            Action.MERGE_ORGANISATIONS,
            lambda w, v: merging.preview(w.store, v, w.orgs["a"], w.orgs["b"]),
        )
    ],
    Action.INVITE_PERSON: [
        invite_person("a", Role.CONTRIBUTEUR),
        invite_person("c", Role.CONTRIBUTEUR),
        invite_person(None, Role.COORDINATEUR),
    ],
    Action.ADD_MEMBER_DIRECTLY: [add_member_directly("a"), add_member_directly("b")],
    Action.APPROVE_MEMBER: [approve("a", "cirque"), approve("c", "marionnette")],
    Action.SIGN_AS_AGENCY: [signature],
    Action.MANAGE_ACCOUNTS: [
        plain(Action.MANAGE_ACCOUNTS, lambda w, v: membership.list_accounts(w.store, v))
    ],
    Action.RESET_PASSWORD: [
        on_account(Action.RESET_PASSWORD, k, lambda w, v, a: membership.send_reset(w.store, v, a))
        for k in ("a", "c", "coord", "admin")
    ],
    Action.DISABLE_ACCOUNT: [
        on_account(Action.DISABLE_ACCOUNT, k, disable_and_enable)
        for k in ("b", "c", "coord", "admin")
    ],
    Action.DECIDE_REQUEST: [account_request("cirque"), account_request("marionnette")],
    Action.READ_OUTBOX: [
        plain(Action.READ_OUTBOX, lambda w, v: mail_admin.messages(w.store, v, None))
    ],
    Action.READ_AUDIT: [plain(Action.READ_AUDIT, lambda w, v: reads.audit_entries(w.store, v))],
    Action.READ_AGGREGATES: [aggregates("cirque"), aggregates("marionnette"), aggregates(None)],
    Action.EXPORT_OPEN_DATA: [
        plain(Action.EXPORT_OPEN_DATA, lambda w, v: open_records(w.store, v, "cirque"))
    ],
    Action.PUBLISH_RELEASE: [
        plain(Action.PUBLISH_RELEASE, lambda w, v: releases.publish(w.store, v))
    ],
    Action.PUBLISH_OPEN_DATA: [
        plain(
            Action.PUBLISH_OPEN_DATA,
            lambda w, v: datapackage.publish(
                w.store,
                v,
                datapackage.DataPackage({"title": "Paquet", "version": 1}),
                campaigns.get(w.store, ROOT, w.campaigns["cirque"]),
            ),
        )
    ],
    Action.READ_CODESIGN: [codesign_read("cirque"), codesign_read("marionnette")],
    Action.PROPOSE: [propose("cirque"), propose("marionnette")],
    Action.COMMENT: [
        on_proposal(Action.COMMENT, f, lambda w, v, p: codesign.comment(w.store, v, p, "Bien."))
        for f in ("cirque", "marionnette")
    ],
    Action.VOTE: [
        on_proposal(Action.VOTE, f, lambda w, v, p: codesign.vote(w.store, v, p, "pour"))
        for f in ("cirque", "marionnette")
    ],
    Action.WITHDRAW: [
        on_proposal(Action.WITHDRAW, f, lambda w, v, p: codesign.withdraw(w.store, v, p), own=own)
        for f in ("cirque", "marionnette")
        for own in (True, False)
    ],
    Action.DECIDE_PROPOSAL: [
        on_proposal(
            Action.DECIDE_PROPOSAL,
            f,
            lambda w, v, p: codesign.decide(w.store, v, p, accept=False, reason="Non."),
        )
        for f in ("cirque", "marionnette")
    ],
    Action.PUBLISH_QUESTIONNAIRE: [
        on_draft(
            Action.PUBLISH_QUESTIONNAIRE,
            f,
            lambda w, v, q: codesign.discard_draft(w.store, v, q),
        )
        for f in ("cirque", "marionnette")
    ],
    Action.IMPORT_QUESTIONNAIRE: [
        import_questionnaire("cirque"),
        import_questionnaire("marionnette"),
    ],
}


def _expected(viewer: Viewer, checks: list[Check]) -> str | None:
    """What the table says: None (allowed) or the code of the first refusal."""
    for action, facts, code in checks:
        try:
            require(viewer, action, facts)
        except OppError as err:
            return code if err.code == "FORBIDDEN" else err.code
    return None


def _outcome(prepared: Prepared) -> tuple[bool, str | None]:
    try:
        value = prepared.run()
    except OppError as err:
        return False, err.code
    if prepared.observed is not None and not prepared.observed(value):
        return False, None
    return True, None


def test_permission_cells__every_action_has_scenarios():
    assert set(SCENARIOS) == set(Action) == set(POLICY)


@pytest.mark.parametrize("action", list(Action))
def test_permission_cells__store_does_what_the_table_says(world, action):
    allowed_seen: dict[Role, bool] = dict.fromkeys(Role, False)
    refused_seen: dict[Role, bool] = dict.fromkeys(Role, False)
    for name, viewer in world.viewers.items():
        for number, case in enumerate(SCENARIOS[action]):
            prepared = case(world, viewer)
            want = _expected(prepared.viewer, prepared.checks)
            allowed, code = _outcome(prepared)
            where = f"{action} as {name}, case {number}"
            if want is None:
                assert allowed, f"{where}: the table allows it, the store refused ({code})"
            else:
                assert not allowed, f"{where}: the table refuses it ({want}), the store allowed"
                if code is not None:  # an observed refusal has no code
                    assert code in {want} | prepared.also_refused, f"{where}: {code} ≠ {want}"
            own = [c for c in prepared.checks if c[0] is action][-1:]
            if allowed:
                allowed_seen[viewer.role] = True
            elif _expected(prepared.viewer, own) is not None:  # the cell itself refuses it
                refused_seen[viewer.role] = True
    for role in Role:
        rule = POLICY[action].get(role)
        if rule is None:
            assert refused_seen[role], f"{action}/{role}: never seen refused"
            assert not allowed_seen[role], f"{action}/{role}: allowed without a rule"
        else:
            assert allowed_seen[role], f"{action}/{role}: never seen allowed"
            if rule.conditions:
                assert refused_seen[role], f"{action}/{role}: a condition never seen refusing"


@pytest.mark.parametrize(
    "who",
    [
        "contributeur_a",
        "contributeur_sans_structure",
        "coordination_cirque",
        "coordination_marionnette",
        "coordination_sans_filiere",
        "coreps",
        "admin",
    ],
)
def test_permission_cells__list_queries_show_what_the_table_allows(world, who):
    """The SQL form of a rule (`sql_scope`) lists exactly what `may` allows one by one."""
    viewer = world.viewers[who]
    listed = {r.id for r in response_store.list_visible(world.store, viewer)}
    readable = {
        r.id
        for r in response_store.list_visible(world.store, ROOT)
        if may(viewer, Action.READ_RESPONSE, _response_facts_of(world, r.id))
    }
    assert listed == readable
    seen = {o.id for o in organisations.list_visible(world.store, viewer, archived=None)}
    allowed = {
        o.id
        for o in organisations.list_visible(world.store, ROOT, archived=None)
        if may(viewer, Action.READ_ORGANISATION, organisations.resource_of(o))
    }
    assert seen == allowed


def _response_facts_of(w: World, response_id: str) -> Resource:
    meta = response_store.get(w.store, ROOT, response_id)
    return response_store.resource_of(meta, campaigns.get(w.store, ROOT, meta.campaign_id))


@pytest.mark.parametrize("who", ["contributeur_sans_structure", "coordination_sans_filiere"])
def test_permission__a_viewer_limited_to_a_filiere_without_one_sees_no_figures(world, who):
    """Before the single table, a contributor or coordinator whose account had no filière
    saw every filière's figures, like the Coreps; now they are refused."""
    with pytest.raises(OppError) as info:
        aggregates(None)(world, world.viewers[who]).run()
    assert info.value.code == "FORBIDDEN"
