"""The Explorer (`opp.indicators.explore`): every question of every shipped
questionnaire is explorable unless it is text or personal, and the figures entering the
disclosure layer equal a hand computation on a small store."""

from __future__ import annotations

import datetime as dt
import random
import uuid
from typing import Any

import numpy as np
import polars as pl
import pytest
from conftest import ADMIN, publish_release

from opp import clock, geo
from opp.access.viewer import Role, Viewer
from opp.demo.answers import (
    artist_answers,
    core_answers,
    draw_artist,
    draw_traits,
    module_answers,
)
from opp.errors import OppError
from opp.indicators import explore
from opp.indicators.catalogue import load_indicators
from opp.indicators.engine import TOTAL, Filters
from opp.indicators.frames import LazyFrames
from opp.questionnaire.catalogue import load_catalogue
from opp.questionnaire.model import Questionnaire
from opp.questionnaire.question_types import NUMERIC_TYPES
from opp.questionnaire.validation import EvalContext, validate_answers
from opp.services import campaigns as campaign_store
from opp.services import organisations as org_store
from opp.services import responses as response_store
from opp.store import questionnaires

YEAR = 2025
COREPS = Viewer(role=Role.COREPS, account_id="coreps")
SURVEYS = load_catalogue()
NEVER = {"text", "long_text", "note", "calculate"}


# --- a small store where every question has answers ---------------------------------------


def _value(question: Any, rng: random.Random) -> Any:
    kind = question.type
    if kind in NUMERIC_TYPES:
        low = int(question.min if question.min is not None else 0)
        high = int(question.max if question.max is not None else 60)
        high = min(high, low + 60)
        if kind == "money":
            return float(rng.randint(0, 80) * 500)
        if kind == "decimal":
            return round(rng.uniform(low, high), 1)
        return rng.randint(low, high)
    if kind == "yes_no":
        return rng.random() < 0.5
    if kind == "single_choice":
        return rng.choice(question.choice_values)
    if kind == "multiple_choice":
        plain = [c.value for c in question.choices if not c.exclusive]
        return rng.sample(plain, k=min(len(plain), rng.randint(1, 2)))
    if kind == "date":
        return dt.date(YEAR, rng.randint(1, 12), 15)
    if kind == "commune":
        return rng.choice(sorted(geo.communes())[::97])
    if kind == "departement":
        return rng.choice(sorted(geo.DEPARTEMENTS))
    if kind == "region_country":
        return rng.choice(sorted(geo.places_outside())[:6])
    if kind == "text":
        return "réponse"
    return None


def _item(repeat: Any, rng: random.Random) -> dict[str, Any]:
    item = {c.id: v for c in repeat.questions if (v := _value(c, rng)) is not None}
    if "rep_en_occitanie" in item:  # one place: in Occitanie (a commune) or outside
        item.pop("rep_hors_occitanie" if item["rep_en_occitanie"] else "rep_commune", None)
    return item


def _answers(questionnaire: Questionnaire, rng: random.Random, kind: str) -> dict[str, Any]:
    """The demo's consistent answers, then every question they leave blank answered at
    random when the draft validation accepts it."""
    if questionnaire.audience == "artiste":
        answers = artist_answers(rng, draw_artist(rng, "31555"), YEAR)
    else:
        traits = draw_traits(rng, kind, questionnaire.filiere, "31", "31555")
        answers = core_answers(rng, "Compagnie", traits, YEAR, 1.0)
        answers |= module_answers(rng, traits, answers)
    context = EvalContext(reference_year=YEAR, today=clock.today())

    def errors(candidate: dict[str, Any]) -> int:
        return len(validate_answers(questionnaire, candidate, context=context).errors)

    baseline = errors(answers)
    for section in questionnaire.sections:
        for question in section.questions:
            if answers.get(question.id) not in (None, []):
                continue
            if question.type == "repeat":
                options = [[_item(question, rng) for _ in range(rng.randint(1, 3))]]
            else:
                options = [_value(question, rng), 0, 1]
            for value in options:
                if value is None:
                    continue
                if errors({**answers, question.id: value}) <= baseline:
                    answers[question.id] = value
                    break
    return answers


def _valid(questionnaire: Questionnaire, answers: dict[str, Any]) -> dict[str, Any]:
    """What a draft save keeps: answers the validation refuses are left out."""
    context = EvalContext(reference_year=YEAR, today=clock.today())
    for _ in range(20):
        result = validate_answers(questionnaire, answers, context=context, complete=False)
        if result.ok:
            return dict(result.cleaned)
        for error in result.errors:
            answers.pop(error.repeat_id or error.question_id, None)
    raise AssertionError(f"no valid answer set for {questionnaire.id}")


@pytest.fixture(scope="module")
def small(module_store):
    """Five questionnaires × 7 organisations, every question answered (drafts marked
    submitted, as a campaign's submissions), one release; returns the store and the
    answers as stored, by response (on DuckDB, then on PostgreSQL)."""
    store = module_store
    rng = random.Random(17)
    today = clock.today()
    stored: dict[str, tuple[Questionnaire, dict[str, Any]]] = {}
    for questionnaire in SURVEYS.all():
        questionnaires.publish(store, questionnaire)
        campaign = campaign_store.create(
            store,
            ADMIN,
            filiere=questionnaire.filiere,
            questionnaire_id=questionnaire.id,
            questionnaire_version=questionnaire.version,
            reference_year=YEAR,
            title_fr=f"{questionnaire.id} {YEAR}",
            title_en=None,
            opens_on=today - dt.timedelta(days=10),
            closes_on=today + dt.timedelta(days=10),
            campaign_id=f"{questionnaire.id}-{uuid.uuid4().hex[:6]}",
        )
        for index in range(7):
            kind = ("compagnie", "lieu", "festival")[index % 3]
            if questionnaire.audience == "artiste":
                kind = "artiste"
            org = org_store.create(
                store,
                ADMIN,
                name=f"{questionnaire.id} {index}",
                structure_type=kind,
                filieres=[questionnaire.filiere],
                commune=rng.choice(["31555", "34172", "09122", "66136"]),
            )
            viewer = Viewer(
                role=Role.CONTRIBUTEUR, organisation_id=org.id, filiere=questionnaire.filiere
            )
            meta = response_store.start(store, viewer, campaign.id)
            answers = _valid(questionnaire, _answers(questionnaire, rng, kind))
            response_store.save(store, viewer, meta.id, answers, expected_version=meta.row_version)
            stored[meta.id] = (questionnaire, response_store.load_answers(store, ADMIN, meta.id))
    with store.transaction() as cur:  # every draft is a submission of the campaign
        cur.execute("UPDATE responses SET status = 'submitted', submitted_at = now()")
    publish_release(store, seed=17)
    frames = LazyFrames(store, SURVEYS, load_indicators(surveys=SURVEYS))
    return store, frames, stored


# --- which questions -----------------------------------------------------------------------


def test_explore__every_shipped_question_but_text_and_personal_is_explorable():
    for questionnaire in SURVEYS.all():
        shown = {e.question_id for e in explore.explorable(questionnaire)}
        for _section, question, parent in questionnaire.iter_questions():
            never = question.type in NEVER or question.personal
            assert (question.id in shown) is not never, (questionnaire.id, question.id)
            if parent is not None and question.id in shown:
                entry = next(
                    e for e in explore.explorable(questionnaire) if e.question_id == question.id
                )
                assert entry.repeat == parent.id


def test_explore__text_and_personal_questions_are_refused_with_the_reason(small):
    store, frames, _ = small
    filters = Filters(reference_year=YEAR)
    for question_id, reason in (("nom_structure", "texte libre"), ("siret", "personnelle")):
        with pytest.raises(OppError) as refused:
            explore.distribution(store, COREPS, "cirque", question_id, filters, frames=frames)
        assert refused.value.code == "X_NOT_EXPLORABLE"
        assert reason in refused.value.message("fr")
    with pytest.raises(OppError) as unknown:
        explore.distribution(store, COREPS, "cirque", "forme_juridiqe", filters, frames=frames)
    assert "forme_juridique" in unknown.value.message("fr")  # did you mean


def test_explore__signed_out_and_other_filiere_are_refused(small):
    store, frames, _ = small
    filters = Filters(reference_year=YEAR)
    with pytest.raises(OppError) as signed_out:
        explore.distribution(store, None, "cirque", "cir_chapiteau", filters, frames=frames)
    assert signed_out.value.code == "AUTH_REQUIRED"
    coordinator = Viewer(role=Role.COORDINATEUR, account_id="c", filiere="marionnette")
    with pytest.raises(OppError) as other:
        explore.distribution(store, coordinator, "cirque", "cir_chapiteau", filters, frames=frames)
    assert other.value.code == "FORBIDDEN"
    # The common core is everyone's: the coordinator sees it for their own filière.
    mine = explore.distribution(
        store, coordinator, "cirque", "forme_juridique", filters, frames=frames
    )
    assert mine.filters.filiere == "marionnette"
    assert [q.filiere for q in explore.questionnaires_for(coordinator, SURVEYS)] == ["marionnette"]


# --- the figures entering the disclosure layer, by hand -----------------------------------


def _population(stored, questionnaire: Questionnaire, entry: explore.Explorable):
    """The answers of the responses asked this question (the common core: every
    structure; a filière module or the artists' questionnaire: its own)."""
    out = []
    for q, answers in stored.values():
        if q.audience != questionnaire.audience:
            continue
        if not entry.common_core and q.id != questionnaire.id:
            continue
        out.append(answers)
    return out


def _category(question, value) -> str | None:
    if value is None:
        return None
    if question.type == "yes_no":
        return "true" if value else "false"
    if question.type == "commune":
        return geo.communes()[value].departement
    if question.type == "date":
        return f"{value.month:02d}" if isinstance(value, dt.date) else str(value)[5:7]
    return str(value)


def _hand(stored, questionnaire: Questionnaire, entry, measure, indicator) -> dict[Any, dict]:
    """{cell: {"n": contributors, "value": exact figure}} computed from the answers."""
    people = _population(stored, questionnaire, entry)
    question = questionnaire.questions[entry.question_id]
    cells: dict[Any, dict] = {}
    repeat = entry.repeat or (entry.question_id if question.type == "repeat" else None)
    if repeat is None and measure == "shares":
        answered = [a[entry.question_id] for a in people if a.get(entry.question_id) is not None]
        for series in indicator.series:
            cond = series.condition
            if cond.contains is not None:
                hits = sum(cond.contains in a for a in answered)
            elif cond.one_of is not None:
                hits = sum(a in cond.one_of for a in answered)
            else:
                hits = sum(a == cond.equals for a in answered)
            cells[series.id] = {"n": len(answered), "value": hits / len(answered) * 100}
        return cells
    if repeat is None:
        values = [a[entry.question_id] for a in people if a.get(entry.question_id) is not None]
        if not values:
            return {}
        value = float(np.quantile(values, 0.5)) if measure == "quartiles" else float(sum(values))
        return {"valeur": {"n": len(values), "value": value}}
    # Items of the repeat group.
    per_contributor: list[list[dict]] = [a.get(repeat) or [] for a in people]
    if measure == "items":
        counts: dict[Any, list[int]] = {}
        for items in per_contributor:
            mine: dict[Any, int] = {}
            for item in items:
                key = (
                    None
                    if question.type == "repeat"
                    else _category(question, item.get(entry.question_id))
                )
                if question.type != "repeat" and key is None:
                    continue
                mine[key] = mine.get(key, 0) + 1
            for key, count in mine.items():
                counts.setdefault(key, []).append(count)
        return {k: {"n": len(v), "value": float(sum(v))} for k, v in counts.items()}
    values = [
        [item[entry.question_id] for item in items if item.get(entry.question_id) is not None]
        for items in per_contributor
    ]
    contributors = [v for v in values if v]
    flat = [x for v in contributors for x in v]
    if not flat:
        return {}
    value = float(np.quantile(flat, 0.5)) if measure == "quartiles" else float(sum(flat))
    return {"valeur": {"n": len(contributors), "value": value}}


def test_explore__figures_entering_disclosure_equal_a_hand_computation(small):
    """Every measure of every explorable question of every shipped questionnaire."""
    _store, frames, stored = small
    filters = Filters(reference_year=YEAR)
    money = explore.money_questions(SURVEYS)
    checked = 0
    missing = []
    for questionnaire in SURVEYS.all():
        for entry in explore.explorable(questionnaire):
            for measure in entry.measures:
                indicator = explore.indicator_for(entry, questionnaire, measure, money)
                exact = explore.exact(
                    frames, questionnaire.id, entry.question_id, filters, measure
                ).filter(pl.col("group") == TOTAL)
                hand = _hand(stored, questionnaire, entry, measure, indicator)
                where = (questionnaire.id, entry.question_id, measure)
                if not hand:
                    missing.append(where)
                    continue
                got = {
                    (row["category"] if measure == "items" else row["series"]): row
                    for row in exact.iter_rows(named=True)
                }
                assert set(got) == set(hand), where
                for cell, want in hand.items():
                    assert got[cell]["n"] == want["n"], (where, cell)
                    assert got[cell]["value"] == pytest.approx(want["value"]), (where, cell)
                checked += 1
    assert not missing, f"the small store has no answer for {missing}"
    assert checked > 200


def test_explore__published_figures_pass_the_disclosure_layer(small):
    """Small populations are hidden with their reason; shown figures are perturbed."""
    store, frames, _ = small
    filters = Filters(reference_year=YEAR)
    shares = explore.distribution(
        store, COREPS, "cirque", "cir_chapiteau", filters, "departement", frames=frames
    )
    details = shares.table.filter(~pl.col("is_total"))
    # 7 cirque structures in at most 4 départements: no département has 3 of them and
    # differs from the others by 3 or more, so no cell is shown without its reason.
    assert details.filter(pl.col("secret").is_null() & pl.col("value").is_null()).is_empty()
    assert details["secret"].drop_nulls().len() > 0
    quartiles = explore.distribution(
        store, COREPS, "artistes_musiques_actuelles", "art_concerts_total", filters, frames=frames
    )
    assert quartiles.indicator.disclosure.min_contributors == 5  # artists: sensitive
    money = explore.distribution(
        store, COREPS, "cirque", "budget_total", filters, measure="total", frames=frames
    )
    assert money.indicator.disclosure.dominance is not None  # money: dominance and p %
