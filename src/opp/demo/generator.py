"""A deterministic, plausible Occitanie: structures, campaigns and answers.

`build_demo(store, scale=1)` creates about 800 structures of the four filières across the
13 départements (weighted towards Haute-Garonne and Hérault) and 160 musicians, three
campaigns per filière questionnaire (the latest open today, so the demo can be answered)
and about 800 responses, some of them drafts. Same seed, scale and date → same data.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from opp import clock, geo
from opp.access.viewer import SYSTEM
from opp.demo.accounts import create_demo_accounts
from opp.demo.answers import (
    Traits,
    artist_answers,
    core_answers,
    draw_artist,
    draw_traits,
    module_answers,
)
from opp.demo.codesign import seed_codesign
from opp.demo.names import (
    artist_name,
    pick_commune,
    pick_departement,
    structure_name,
)
from opp.errors import OppError
from opp.questionnaire.answers import to_columns
from opp.questionnaire.catalogue import SurveyCatalogue, load_catalogue
from opp.questionnaire.diff import earlier_versions
from opp.questionnaire.model import Questionnaire
from opp.questionnaire.validation import EvalContext, validate_answers
from opp.referentiel import FILIERES
from opp.services import releases
from opp.store import bulk

DEFAULT_SEED = 42
N_STRUCTURES = 800
N_ARTISTS = 160
ARTIST_QUESTIONNAIRE = "artistes_musiques_actuelles"

FILIERE_WEIGHTS = {
    "musiques_actuelles": 0.32,
    "arts_de_la_rue": 0.24,
    "cirque": 0.22,
    "marionnette": 0.22,
}
TYPE_WEIGHTS = {
    "compagnie": 64,
    "lieu": 11,
    "festival": 9,
    "bureau_production": 8,
    "ecole": 3,
    "collectivite": 3,
    "reseau": 2,
}
TYPE_WEIGHTS_MUSIC = {**TYPE_WEIGHTS, "compagnie": 45, "lieu": 24, "festival": 14}
CONSENT_WEIGHTS = {"agrege": 70, "reseau": 22, "ouvert": 8}


@dataclass
class DemoSummary:
    organisations: int = 0
    campaigns: int = 0
    responses: int = 0
    submitted: int = 0
    drafts: int = 0
    answer_rows: int = 0
    proposals: int = 0  # co-design discussions seeded
    releases: int = 0  # releases of the figures published


@dataclass
class _Org:
    id: str
    name: str
    filiere: str
    traits: Any
    propensity: float
    artist: bool = False


def reference_years(as_of: dt.date) -> list[int]:
    """The three reference years of the demo, the latest being last year."""
    latest = as_of.year - 1
    return [latest - 2, latest - 1, latest]


def campaign_window(as_of: dt.date, reference_year: int) -> tuple[dt.date, dt.date]:
    """The latest campaign is open today; earlier ones ran at the same season."""
    years_back = as_of.year - 1 - reference_year
    opens = as_of - dt.timedelta(days=45) - dt.timedelta(days=365 * years_back)
    closes = as_of + dt.timedelta(days=75) - dt.timedelta(days=365 * years_back)
    return opens, closes


def build_demo(
    store: Any,
    *,
    scale: float = 1.0,
    seed: int = DEFAULT_SEED,
    as_of: dt.date | None = None,
    validate: bool = True,
    catalogue: SurveyCatalogue | None = None,
    progress: Callable[..., None] | None = None,
) -> DemoSummary:
    """Fill an empty store with the demo region (see module docstring).

    `progress(msgid, n, **params)` is told how far it got: a message id of the command
    line's catalogue (`cli.<msgid>`, a plural on `n`), written by the caller in its
    operator's language."""
    if not isinstance(scale, int | float) or not 0.01 <= scale <= 200:
        raise OppError("DEMO_SCALE", value=scale)
    as_of = as_of or clock.today()
    catalogue = catalogue or load_catalogue()
    rng = random.Random(seed)
    say = progress or (lambda _msgid, _n, **_params: None)
    summary = DemoSummary()

    versions = _versions(catalogue)
    bulk.publish_catalogue(
        store, [v for history in versions.values() for v in reversed(history)], FILIERES
    )
    campaigns = _campaigns(versions, as_of)
    bulk.insert_campaigns(store, campaigns)
    summary.campaigns = len(campaigns)

    orgs = _organisations(rng, scale)
    bulk.insert_organisations(store, [_org_row(o, as_of) for o in orgs])
    summary.organisations = len(orgs)
    say("demo_organisations", len(orgs))

    by_filiere: dict[str, list[_Org]] = {}
    for org in orgs:
        by_filiere.setdefault("artiste" if org.artist else org.filiere, []).append(org)
    writer = bulk.ResponseWriter(store)
    for campaign in campaigns:
        questionnaire = next(
            v
            for v in versions[campaign["questionnaire_id"]]
            if v.version == campaign["questionnaire_version"]
        )
        artist = campaign["questionnaire_id"] == ARTIST_QUESTIONNAIRE
        members = by_filiere.get("artiste" if artist else campaign["filiere"], [])
        is_open = campaign["closes_on"] >= as_of
        invited_at = dt.datetime.combine(campaign["opens_on"], dt.time(8))
        bulk.insert_invitations(
            store,
            [
                {"campaign_id": campaign["id"], "organisation_id": o.id, "invited_at": invited_at}
                for o in members
            ],
        )
        for org in members:
            _maybe_answer(rng, org, campaign, questionnaire, is_open, validate, writer, summary)
        say("demo_campaign", summary.responses, campaign=campaign["id"])
    writer.flush()
    summary.answer_rows = writer.rows
    create_demo_accounts(store, as_of)
    summary.proposals = seed_codesign(store)
    bulk.initial_consent_history(store)
    bulk.set_meta(
        store,
        {
            "demo": "true",
            "demo_seed": str(seed),
            "demo_scale": str(scale),
            "demo_as_of": as_of.isoformat(),
        },
    )
    bulk.audit(store, SYSTEM, "demo.build", {"scale": scale, "seed": seed})
    summary.releases = _publish_releases(store, campaigns, as_of, random.Random(seed))
    store.bump()
    return summary


def _publish_releases(
    store: Any, campaigns: list[dict[str, Any]], as_of: dt.date, keys: random.Random
) -> int:
    """The releases an agency would have published: one the day after each closing date
    (the campaigns closed by then, final), then one today with the open campaigns as
    provisional figures, so the demo's dashboards show every year."""
    closings = sorted({c["closes_on"] for c in campaigns if c["closes_on"] < as_of})
    for closed in closings:
        day = closed + dt.timedelta(days=1)
        releases.publish(
            store,
            SYSTEM,
            reason="campaign_closed",
            today=day,
            published_at=dt.datetime.combine(day, dt.time(9)),
            keys=keys,
        )
    open_ids = [c["id"] for c in campaigns if c["opens_on"] <= as_of <= c["closes_on"]]
    releases.publish(
        store,
        SYSTEM,
        include_open=open_ids,
        reason="agency",
        today=as_of,
        published_at=dt.datetime.combine(as_of, dt.time(8)),
        keys=keys,
    )
    return len(closings) + 1


def _versions(catalogue: SurveyCatalogue) -> dict[str, list[Questionnaire]]:
    """Each questionnaire with its earlier versions (newest first)."""
    return {q.id: [q, *earlier_versions(q)] for q in catalogue.all()}


def _version_on(history: list[Questionnaire], day: dt.date) -> Questionnaire:
    """The version in force on `day`: the newest published on or before it."""
    for version in history:
        if version.changelog and version.changelog[-1].date <= day:
            return version
    return history[-1]


def _campaigns(versions: dict[str, list[Questionnaire]], as_of: dt.date) -> list[dict[str, Any]]:
    out = []
    for questionnaire_id in sorted(versions):
        years = reference_years(as_of)
        if questionnaire_id == ARTIST_QUESTIONNAIRE:
            years = years[1:]
        for year in years:
            opens, closes = campaign_window(as_of, year)
            q = _version_on(versions[questionnaire_id], opens)
            title = q.title.get("fr")
            out.append(
                {
                    "id": f"{q.id}-{year}",
                    "filiere": q.filiere,
                    "questionnaire_id": q.id,
                    "questionnaire_version": q.version,
                    "reference_year": year,
                    "title_fr": f"{title} — données {year}",
                    "title_en": f"{q.title.get('en')} — {year} data",
                    "opens_on": opens,
                    "closes_on": closes,
                    "created_at": dt.datetime.combine(opens, dt.time(9)),
                }
            )
    return out


def _uuid(rng: random.Random) -> str:
    return uuid.UUID(int=rng.getrandbits(128), version=4).hex


def _organisations(rng: random.Random, scale: float) -> list[_Org]:
    orgs: list[_Org] = []
    filieres = list(FILIERE_WEIGHTS)
    for _ in range(round(N_STRUCTURES * scale)):
        filiere = rng.choices(filieres, [FILIERE_WEIGHTS[f] for f in filieres])[0]
        weights = TYPE_WEIGHTS_MUSIC if filiere == "musiques_actuelles" else TYPE_WEIGHTS
        kind = rng.choices(list(weights), list(weights.values()))[0]
        dep = pick_departement(rng)
        commune = pick_commune(rng, dep)
        city = geo.communes()[commune].nom
        traits = draw_traits(rng, kind, filiere, dep, commune)
        orgs.append(
            _Org(
                id=_uuid(rng),
                name=structure_name(rng, kind, city),
                filiere=filiere,
                traits=traits,
                propensity=rng.betavariate(2.2, 2.6),
            )
        )
    for _ in range(round(N_ARTISTS * scale)):
        dep = pick_departement(rng)
        commune = pick_commune(rng, dep, 0.6)
        orgs.append(
            _Org(
                id=_uuid(rng),
                name=artist_name(rng),
                filiere="musiques_actuelles",
                traits=draw_artist(rng, commune),
                propensity=rng.betavariate(2, 3),
                artist=True,
            )
        )
    return orgs


def _org_row(org: _Org, as_of: dt.date) -> dict[str, Any]:
    commune = org.traits.commune
    return {
        "id": org.id,
        "name": org.name,
        "structure_type": "artiste" if org.artist else org.traits.structure_type,
        "legal_form": None if org.artist else org.traits.legal_form,
        "commune": commune,
        "departement": geo.departement_of(commune),
        "filieres": [org.filiere],
        "created_at": dt.datetime.combine(as_of - dt.timedelta(days=800), dt.time(10)),
    }


def _maybe_answer(
    rng: random.Random,
    org: _Org,
    campaign: dict[str, Any],
    questionnaire: Questionnaire,
    is_open: bool,
    validate: bool,
    writer: bulk.ResponseWriter,
    summary: DemoSummary,
) -> None:
    year = campaign["reference_year"]
    chance = org.propensity * (0.75 if is_open else 0.85)
    if rng.random() >= chance:
        return
    draft = is_open and rng.random() < 0.3
    if org.artist:
        answers = artist_answers(rng, org.traits, year)
    else:
        growth = 1.0 + 0.04 * (year - 2023) + rng.gauss(0, 0.05)
        traits: Traits = org.traits
        answers = core_answers(rng, org.name, traits, year, growth)
        answers |= module_answers(rng, traits, answers)
    # Only what this version asks (earlier versions lack the questions added since).
    answers = {k: v for k, v in answers.items() if k in questionnaire.questions}
    if draft:
        keep = {q.id for s in questionnaire.sections[:2] for q in s.questions}
        answers = {k: v for k, v in answers.items() if k in keep}
    if validate:
        result = validate_answers(
            questionnaire,
            answers,
            context=EvalContext(reference_year=year, today=campaign["closes_on"]),
            complete=not draft,
        )
        if not result.ok:
            first = result.errors[0]
            msg = f"demo answers invalid for {questionnaire.id}: {first.path} {first.message('en')}"
            raise AssertionError(msg)
        answers = result.cleaned
    opens, closes = campaign["opens_on"], campaign["closes_on"]
    span = max(1, (min(closes, clock.today()) - opens).days)
    created = dt.datetime.combine(opens, dt.time(9)) + dt.timedelta(
        days=rng.randint(0, span - 1 if span > 1 else 0), minutes=rng.randint(0, 600)
    )
    updated = created + dt.timedelta(days=rng.randint(0, 12), minutes=rng.randint(1, 300))
    response_id = _uuid(rng)
    writer.add(
        {
            "id": response_id,
            "campaign_id": campaign["id"],
            "organisation_id": org.id,
            "questionnaire_id": questionnaire.id,
            "questionnaire_version": questionnaire.version,
            "status": "draft" if draft else "submitted",
            "consent": rng.choices(list(CONSENT_WEIGHTS), list(CONSENT_WEIGHTS.values()))[0],
            "current_section": questionnaire.sections[1].id if draft else None,
            "created_at": created,
            "updated_at": updated,
            "submitted_at": None if draft else updated,
            "row_version": rng.randint(2, 6),
        },
        to_columns(questionnaire, answers),
    )
    summary.responses += 1
    if draft:
        summary.drafts += 1
    else:
        summary.submitted += 1
