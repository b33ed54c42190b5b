"""The Explorer: the distribution of any question, through the same disclosure layer.

Contributors answer ~200 questions; dashboards show a few dozen indicators. The Explorer
gives every other answer back, without opening a way around statistical
confidentiality: each explorable question becomes an *indicator built on the fly*
(`indicator_for`) of the kinds the engine already knows — shares of contributors for
choices and yes/no answers, quartiles and totals for numbers, item counts for repeat
groups and their questions — and `distribution` computes it with `engine.compute`
through `service.result`, on the latest release, with the viewer's scope. So the
primary rules, differencing per series, dominance and p % (from the policy, by what
the question is) and the cell key perturbation all apply, and the same variable of the
same population gets the same noise here as on a dashboard (`perturbation` signs a
variable by its questions, not by the indicator that shows it).

Text, long text, notes, calculated values and personal questions are never explorable.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import polars as pl

from opp import geo
from opp.access.viewer import ROLE_LABELS, Viewer
from opp.errors import OppError, did_you_mean
from opp.i18n import LANGUAGES, gettext, month_name, texts
from opp.indicators import service, trends
from opp.indicators.catalogue import IndicatorCatalogue, load_indicators
from opp.indicators.engine import Filters, Result, exact_cells
from opp.indicators.frames import LazyFrames
from opp.indicators.model import Condition, Indicator, Series
from opp.indicators.policy import load_policy
from opp.questionnaire.catalogue import SurveyCatalogue, load_catalogue
from opp.questionnaire.model import L10n, Question, Questionnaire
from opp.questionnaire.question_types import NUMERIC_TYPES
from opp.store.db import Store

Measure = Literal["shares", "quartiles", "total", "items"]
# What each measure is called, and why a question cannot be explored (catalogue
# messages `explore.measure.<measure>`, `explore.never.<reason>`).
MEASURES: dict[str, L10n] = {
    measure: L10n(**texts(f"explore.measure.{measure}"))
    for measure in ("shares", "quartiles", "total", "items")
}
NEVER: dict[str, L10n] = {
    kind: L10n(**texts(f"explore.never.{reason}"))
    for kind, reason in (
        ("text", "free_text"),
        ("long_text", "free_text"),
        ("note", "note"),
        ("calculate", "calculate"),
        ("personal", "personal"),
    )
}
YES, NO = "true", "false"  # categories of a yes/no question inside a repeat group
MONTHS = tuple(f"{m:02d}" for m in range(1, 13))


@dataclass(frozen=True)
class Explorable:
    """A question the Explorer can show, and how."""

    questionnaire_id: str
    question_id: str
    label: L10n
    section: L10n
    type: str
    repeat: str | None  # the enclosing repeat group, if any
    measures: tuple[str, ...]
    common_core: bool  # asked to every structure (the common core), not one filière

    def measure_label(self, measure: str, lang: str) -> str:
        return MEASURES[measure].get(lang)


def never_reason(question: Question) -> L10n | None:
    """Why a question is never shown (None: explorable)."""
    if question.personal:
        return NEVER["personal"]
    return NEVER.get(question.type)


def _measures(question: Question, in_repeat: bool) -> tuple[str, ...]:
    if question.type == "repeat":
        return ("items",)
    numeric = question.type in NUMERIC_TYPES
    if in_repeat:
        if numeric:
            return ("quartiles", "total") if question.type != "percentage" else ("quartiles",)
        return ("items",)
    if numeric:
        return ("quartiles", "total") if question.type != "percentage" else ("quartiles",)
    return ("shares",)


def explorable(questionnaire: Questionnaire) -> list[Explorable]:
    """Every question of a questionnaire the Explorer shows, in form order."""
    out = []
    for section, question, parent in questionnaire.iter_questions():
        if never_reason(question) is not None or (parent is not None and parent.personal):
            continue
        out.append(
            Explorable(
                questionnaire_id=questionnaire.id,
                question_id=question.id,
                label=question.label,
                section=section.title,
                type=question.type,
                repeat=parent.id if parent is not None else None,
                measures=_measures(question, parent is not None),
                common_core=bool(section.origin and section.origin != questionnaire.id),
            )
        )
    return out


def find(questionnaire: Questionnaire, question_id: str) -> Explorable:
    """The explorable question, or a clear refusal (unknown, or never shown and why)."""
    question = questionnaire.questions.get(question_id)
    if question is None:
        raise OppError(
            "X_QUESTION_UNKNOWN",
            value=question_id,
            questionnaire=questionnaire.id,
            suggestion=did_you_mean(question_id, questionnaire.questions),
        )
    for entry in explorable(questionnaire):
        if entry.question_id == question_id:
            return entry
    reason = never_reason(question) or NEVER["personal"]  # a personal repeat's child
    raise OppError("X_NOT_EXPLORABLE", value=question_id, reason=reason.texts())


# --- the indicator of a question ---------------------------------------------------------


def _id(measure: str, question_id: str) -> str:
    """A stable indicator id (at most 63 characters: the identifier pattern)."""
    candidate = f"explore_{measure}_{question_id}"
    if len(candidate) <= 63:
        return candidate
    return f"explore_{measure}_{hashlib.blake2b(question_id.encode(), digest_size=8).hexdigest()}"


def _choice_series(question: Question, questionnaire: Questionnaire) -> list[Series]:
    """One series per answer: the share of contributors who gave it."""
    qid = question.id
    if question.type == "yes_no":
        return [
            Series(
                id="oui",
                label=L10n(**texts("qtype.yes")),
                condition=Condition(question=qid, equals=True),
            )
        ]
    if question.type in ("commune", "departement"):
        communes: dict[str, list[str]] = {}
        for code, commune in geo.communes().items():
            communes.setdefault(commune.departement, []).append(code)
        series = []
        for dep, name in geo.DEPARTEMENTS.items():
            if question.type == "departement":
                condition = Condition(question=qid, equals=dep)
            else:
                condition = Condition(question=qid, one_of=sorted(communes.get(dep, [])))
            series.append(Series(id=_series_id(dep), label=L10n(fr=name), condition=condition))
        return series
    contains = question.type == "multiple_choice"
    return [
        Series(
            id=_series_id(choice.value, index),
            label=choice.label,
            condition=Condition(question=qid, contains=choice.value)
            if contains
            else Condition(question=qid, equals=choice.value),
        )
        for index, choice in enumerate(question.choices)  # type: ignore[union-attr]
    ]


def _series_id(value: str, index: int = 0) -> str:
    """A series id from a choice value (choice values may hold any character)."""
    cleaned = "".join(c if c.isalnum() and c.isascii() else "_" for c in value.lower())
    cleaned = cleaned.strip("_")[:40]
    if not cleaned or not cleaned[0].isalpha():
        cleaned = f"c{index}_{cleaned}".rstrip("_")
    return cleaned


def _items_series(question: Question, repeat: str) -> Series:
    """Items of a repeat group, by the answer to one of its questions (or all of them)."""
    label = L10n(**texts("explore.items"))
    if question.type == "repeat":
        return Series(id="valeur", label=label, repeat=repeat)
    group_as: Literal["departement", "month"] | None = (
        "departement"
        if question.type == "commune"
        else "month"
        if question.type == "date"
        else None
    )
    return Series(id="valeur", label=label, repeat=repeat, group_by=question.id, group_as=group_as)


def indicator_for(
    entry: Explorable, questionnaire: Questionnaire, measure: str, money: set[str]
) -> Indicator:
    """The indicator publishing `measure` of an explorable question, with the policy's
    rule for what the question is (pay: sensitive; money: dominance and p %)."""
    if measure not in entry.measures:
        raise OppError("X_MEASURE", value=measure, expected=list(entry.measures))
    question = questionnaire.questions[entry.question_id]
    definition = L10n(
        **{
            lang: gettext(
                "explore.definition",
                lang,
                measure=MEASURES[measure].get(lang),
                label=question.label.get(lang),
                title=questionnaire.title.get(lang),
            )
            for lang in LANGUAGES
        }
    )
    fields: dict[str, Any] = {
        "id": _id(measure, entry.question_id),
        "domain": "filiere",
        "label": question.label,
        "definition": definition,
        "audience": questionnaire.audience,
        "filieres": None if entry.common_core else [questionnaire.filiere],
    }
    if measure == "shares":
        fields |= {
            "kind": "contributors_share",
            "unit": "percent",
            "series": _choice_series(question, questionnaire),
        }
    elif measure == "items":
        fields |= {
            "kind": "items_count",
            "unit": "count",
            "series": [_items_series(question, entry.repeat or entry.question_id)],
        }
    else:
        unit = "eur" if question.type == "money" else "count"
        if question.type == "percentage":
            unit = "percent"
        elif question.type == "decimal":
            unit = "ratio"
        kind = "quartiles" if measure == "quartiles" else "sum"
        if measure == "quartiles" and entry.repeat:
            kind = "items_quartiles"
        fields |= {
            "kind": kind,
            "unit": unit,
            "series": [
                Series(
                    id="valeur",
                    label=question.label,
                    question=question.id,
                    repeat=entry.repeat,
                )
            ],
        }
    indicator = Indicator.model_validate(fields)
    rule = load_policy().rule_for(indicator, money)
    return indicator.model_copy(update={"disclosure": rule})


def money_questions(surveys: SurveyCatalogue) -> set[str]:
    return {
        q.id
        for questionnaire in surveys.all()
        for q in questionnaire.questions.values()
        if q.type == "money"
    }


# --- the service entry point -------------------------------------------------------------


def check_scope(viewer: Viewer | None, questionnaire: Questionnaire, entry: Explorable) -> None:
    """Contributors and coordinators explore their own filière's questionnaires (and the
    common core, whose population the filter bar then restricts to their filière)."""
    scope = service.scope_filiere(viewer)
    if scope is not None and questionnaire.filiere != scope and not entry.common_core:
        raise OppError(
            "FORBIDDEN",
            role=ROLE_LABELS[viewer.role],  # type: ignore[union-attr]
            action=texts("explore.other_filiere"),
        )


def distribution(
    store: Store,
    viewer: Viewer | None,
    questionnaire_id: str,
    question_id: str,
    filters: Filters,
    breakdown: str | None = None,
    *,
    measure: str | None = None,
    frames: LazyFrames | None = None,
    surveys: SurveyCatalogue | None = None,
    indicators: IndicatorCatalogue | None = None,
) -> Result:
    """The published distribution of one question for a population (`filters`), by at
    most one `breakdown`, from the latest release (or `frames`' release). `measure`
    defaults to the question's first (shares, quartiles or items)."""
    if viewer is None:
        raise OppError("AUTH_REQUIRED")
    surveys = surveys or (frames.surveys if frames else load_catalogue())
    indicator = question_indicator(viewer, surveys, questionnaire_id, question_id, measure)
    if frames is None:
        frames = LazyFrames(store, surveys, indicators or load_indicators(surveys=surveys))
    computed = service.result(frames, indicator, filters, breakdown, viewer)
    if computed.refused and _too_few(frames, indicator, filters, breakdown, viewer):
        # Not a refused filter: the whole year has too few answers to show anything.
        computed.refused = False
        computed.notes = [*computed.notes, _too_few_note(indicator, filters.reference_year)]
    if indicator.kind == "items_count":
        return with_item_shares(computed)
    if indicator.kind == "contributors_share":
        return with_counts(computed)
    return computed


def question_indicator(
    viewer: Viewer,
    surveys: SurveyCatalogue,
    questionnaire_id: str,
    question_id: str,
    measure: str | None,
) -> Indicator:
    """The indicator the Explorer builds for one question and measure (the question's
    first by default), once the viewer is known to be allowed to explore it."""
    questionnaire = surveys.get(questionnaire_id)
    entry = find(questionnaire, question_id)
    check_scope(viewer, questionnaire, entry)
    return indicator_for(
        entry, questionnaire, measure or entry.measures[0], money_questions(surveys)
    )


def constant_sample(
    store: Store,
    viewer: Viewer | None,
    questionnaire_id: str,
    question_id: str,
    years: Sequence[int],
    filters: Filters,
    *,
    measure: str | None = None,
    frames: LazyFrames | None = None,
    surveys: SurveyCatalogue | None = None,
) -> Result:
    """One question's figures year by year on a constant sample (`trends`): the same
    indicator as `distribution` builds, the same structures every year of `years`."""
    if viewer is None:
        raise OppError("AUTH_REQUIRED")
    surveys = surveys or (frames.surveys if frames else load_catalogue())
    indicator = question_indicator(viewer, surveys, questionnaire_id, question_id, measure)
    if frames is None:
        frames = LazyFrames(store, surveys, load_indicators(surveys=surveys))
    computed = trends.constant_sample(
        store, viewer, indicator.id, years, filters, frames=frames, indicator=indicator
    )
    if indicator.kind == "items_count":
        return with_item_shares(computed)
    if indicator.kind == "contributors_share":
        return with_counts(computed)
    return computed


def _too_few(
    frames: LazyFrames,
    indicator: Indicator,
    filters: Filters,
    breakdown: str | None,
    viewer: Viewer,
) -> bool:
    """Whether the year's whole population (the viewer's widest) is itself refused."""
    widest = Filters(reference_year=filters.reference_year)
    if widest == filters:
        return True
    return service.result(frames, indicator, widest, None, viewer).refused


def _too_few_note(indicator: Indicator, year: int) -> dict[str, str]:
    n = indicator.disclosure.min_contributors
    return texts("explore.too_few", n=n, year=year)


def with_counts(result: Result) -> Result:
    """The number of contributors per answer, from the published share and base (no
    figure beyond what is published: share × contributors)."""
    table = result.table
    if table.is_empty() or "value" not in table.columns:
        return result
    result.table = table.with_columns(
        (pl.col("value") / 100 * pl.col("contributors")).round(0).alias("count")
    )
    return result


def with_item_shares(result: Result) -> Result:
    """Each category's share of its group's published items (e.g. performances by type
    of venue), from the published values; hidden in a group with any hidden category,
    as for compositions (the others' shares would reveal it)."""
    table = result.table
    if table.is_empty() or "category" not in table.columns:
        return result
    if table["category"].drop_nulls().is_empty():
        return result
    table = (
        table.with_columns(
            (pl.col("value") / pl.col("value").sum().over("group") * 100).alias("share"),
            pl.col("secret").is_not_null().any().over("group").alias("_any_hidden"),
        )
        .with_columns(
            pl.when(pl.col("_any_hidden")).then(None).otherwise(pl.col("share")).alias("share")
        )
        .drop("_any_hidden")
    )
    result.table = table
    return result


def category_label(
    entry: Explorable, questionnaire: Questionnaire, code: str | None, lang: str
) -> str:
    """Readable label of an item category (a choice, yes/no, a month, a place)."""
    if code is None:
        return "—"
    question = questionnaire.questions[entry.question_id]
    if question.type == "yes_no":
        return (
            gettext({YES: "qtype.yes", NO: "qtype.no"}[code], lang) if code in (YES, NO) else code
        )
    if question.type == "date" and code in MONTHS:
        return month_name(int(code), lang)
    if question.type in ("single_choice", "multiple_choice"):
        return str(question.choice_label(code, lang))
    return geo.place_label(code, lang)


def questionnaires_for(viewer: Viewer | None, surveys: SurveyCatalogue) -> list[Questionnaire]:
    """The questionnaires a viewer may explore: their filière's (contributors and
    coordinators), every one (the Coreps and the agency); none signed out."""
    if viewer is None:
        return []
    scope = service.scope_filiere(viewer)
    chosen = surveys.all() if scope is None else surveys.for_filiere(scope)
    return sorted(chosen, key=lambda q: (q.filiere, q.audience, q.id))


def exact(
    frames: LazyFrames,
    questionnaire_id: str,
    question_id: str,
    filters: Filters,
    measure: str | None = None,
) -> pl.DataFrame:
    """The exact statistics of the cells `distribution` publishes, before any rule or
    noise: for tests comparing the Explorer's arithmetic with a hand computation. Never
    shown (it stays in the indicators package, like `engine.exact_cells`)."""
    questionnaire = frames.surveys.get(questionnaire_id)
    entry = find(questionnaire, question_id)
    indicator = indicator_for(
        entry, questionnaire, measure or entry.measures[0], money_questions(frames.surveys)
    )
    return exact_cells(frames.for_indicator(indicator), indicator, filters)
