"""Open data that singles out no one, through the same layer as every published figure.

Two publications, both computed from the latest release:

- **aggregates** (the default): every indicator's published table (the disclosure layer:
  thresholds, differencing, perturbation), one row per cell, with codes and labels;
- **records**, only of responses whose organisation chooses the "ouvert" level (checked
  at the time of the read): never a name, a commune or an account, never a personal
  question, never pay (`surveys/policy/disclosure.yaml`: a structure's mean pay of
  women may rest on one person), never a place or free text; the quasi-identifiers
  (filière, département, structure type, size class, year founded) are generalised step
  by step until at least `K_ANONYMITY` records look alike, and a record still unique is
  withheld. A report says what was generalised, dropped and withheld.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from opp import geo
from opp.access.policy import Action, filieres_in_scope, require
from opp.access.viewer import Viewer
from opp.indicators.catalogue import IndicatorCatalogue
from opp.indicators.engine import Filters
from opp.indicators.policy import load_policy
from opp.indicators.service import FrameSource, result
from opp.questionnaire.question_types import descriptor
from opp.referentiel import size_class
from opp.services import questionnaires
from opp.store import releases
from opp.store.db import Store

OPEN = "ouvert"
K_ANONYMITY = 5
YEAR_FOUNDED = "annee_creation"
STAFF = "effectif_permanent"
QUASI_IDENTIFIERS = ("filiere", "departement", "structure_type", "size_class", "founded")
# Generalisation steps, from the most detailed to the coarsest; a record is published at
# the first step where at least K_ANONYMITY records share its quasi-identifiers.
STEPS: tuple[tuple[str, dict[str, str]], ...] = (
    ("exact", {}),
    ("decade", {"founded": "decade"}),
    ("region", {"founded": "decade", "departement": "region"}),
    ("coarse", {"founded": "drop", "departement": "region", "size_class": "drop"}),
)


def _filieres_in_scope(viewer: Viewer, filiere: str | None) -> list[str]:
    require(viewer, Action.EXPORT_OPEN_DATA)
    scope = filieres_in_scope(viewer, Action.EXPORT_OPEN_DATA)
    return [filiere] if filiere in scope else scope


# --- aggregates ---------------------------------------------------------------------------


def aggregate_table(
    frames: FrameSource, indicators: IndicatorCatalogue, viewer: Viewer, year: int
) -> pl.DataFrame:
    """Every indicator's published cells for `year`, whole population and each
    breakdown: exactly what the dashboards show (same release, same layer)."""
    rows: list[dict[str, Any]] = []
    for indicator in indicators.indicators.values():
        for breakdown in (None, *indicator.breakdowns):
            if breakdown == "reference_year":
                continue
            shown = result(frames, indicator, Filters(reference_year=year), breakdown, viewer)
            if shown.refused:
                continue
            for cell in shown.table.iter_rows(named=True):
                rows.append(
                    {
                        "indicateur": indicator.id,
                        "libelle_fr": indicator.label.fr,
                        "libelle_en": indicator.label.get("en"),
                        "unite": indicator.unit,
                        "annee": year,
                        "ventilation": breakdown or "",
                        "groupe": "" if cell["is_total"] else cell["group"],
                        "serie": cell["series"],
                        "categorie": cell.get("category") or "",
                        "valeur": cell["value"],
                        "contributeurs": cell["contributors"],
                        "secret": cell["secret"] or "",
                    }
                )
    return pl.DataFrame(rows, infer_schema_length=None)


# --- records ------------------------------------------------------------------------------


@dataclass
class OpenRecords:
    table: pl.DataFrame  # long: record, year, quasi-identifiers, question, item, value
    candidates: int = 0  # "ouvert" responses in the release
    published: int = 0
    withheld: int = 0
    by_step: dict[str, int] = field(default_factory=dict)
    dropped_questions: list[str] = field(default_factory=list)  # personal or pay


def _excluded(store: Store, viewer: Viewer, versions: set[tuple[str, str]]) -> set[str]:
    """Questions never published per record: personal ones, pay, places, free text, and
    the exact form of the quasi-identifiers (year founded, permanent headcount), which
    records carry generalised instead. Places pin a structure down and free text may hold
    a name: their types say so (`withheld_from_open_data`)."""
    out = set(load_policy().pay_questions) | {YEAR_FOUNDED, STAFF}
    for questionnaire_id, version in versions:
        questionnaire = questionnaires.get(store, viewer, questionnaire_id, version)
        out |= {
            q.id
            for q in questionnaire.questions.values()
            if q.personal or descriptor(q).withheld_from_open_data
        }
    return out


def _identity(long: pl.DataFrame) -> pl.DataFrame:
    """One row per response: its quasi-identifiers, exact."""
    top = long.filter(pl.col("item") == 0)
    founded = top.filter(pl.col("question_id") == YEAR_FOUNDED).select(
        "response_id", pl.col("value_num").cast(pl.Int64).alias("founded")
    )
    staff = top.filter(pl.col("question_id") == STAFF).select(
        "response_id", pl.col("value_num").alias("_staff")
    )
    people = long.select(
        "response_id", "reference_year", "filiere", "departement", "structure_type"
    ).unique(maintain_order=True)
    people = people.join(founded, on="response_id", how="left").join(
        staff, on="response_id", how="left"
    )
    return people.with_columns(
        pl.Series(
            "size_class",
            [
                size_class(v) if t != "artiste" else None
                for v, t in zip(
                    people["_staff"].to_list(), people["structure_type"].to_list(), strict=True
                )
            ],
            dtype=pl.String,
        )
    ).drop("_staff")


def _generalised(people: pl.DataFrame, rules: dict[str, str]) -> pl.DataFrame:
    out = people
    if rules.get("founded") == "decade":
        out = out.with_columns((pl.col("founded") // 10 * 10).alias("founded"))
    elif rules.get("founded") == "drop":
        out = out.with_columns(pl.lit(None, dtype=pl.Int64).alias("founded"))
    if rules.get("departement") == "region":
        out = out.with_columns(pl.lit(geo.OCCITANIE).alias("departement"))
    if rules.get("size_class") == "drop":
        out = out.with_columns(pl.lit(None, dtype=pl.String).alias("size_class"))
    return out


def _anonymise(people: pl.DataFrame) -> tuple[pl.DataFrame, dict[str, int]]:
    """Each record at the first generalisation step where K_ANONYMITY records (of the
    same year) share its quasi-identifiers; the rest withheld."""
    keys = ["reference_year", *QUASI_IDENTIFIERS]
    remaining = people
    kept: list[pl.DataFrame] = []
    by_step: dict[str, int] = {}
    for name, rules in STEPS:
        view = _generalised(people, rules)
        sizes = view.group_by(keys).len()  # not published: sizes of the classes of records
        view = view.join(sizes, on=keys, how="left", nulls_equal=True)
        ok = view.filter(
            (pl.col("len") >= K_ANONYMITY)
            & pl.col("response_id").is_in(remaining["response_id"].implode())
        ).drop("len")
        by_step[name] = ok.height
        kept.append(ok.with_columns(pl.lit(name).alias("generalisation")))
        remaining = remaining.filter(~pl.col("response_id").is_in(ok["response_id"].implode()))
    return pl.concat(kept, how="vertical_relaxed"), by_step


def _value(long: pl.DataFrame) -> pl.Expr:
    """One plain value per answer: codes, numbers, dates (ISO), lists joined with '|'."""
    return pl.coalesce(
        pl.col("value_num").cast(pl.String),
        pl.col("value_text"),
        pl.col("value_bool").cast(pl.String),
        pl.col("value_date").cast(pl.String),
        pl.col("value_list").list.join("|"),
    ).alias("valeur")


def open_records(store: Store, viewer: Viewer, filiere: str | None = None) -> OpenRecords:
    """Record-level open data of the latest release (see module docstring)."""
    filieres = _filieres_in_scope(viewer, filiere)
    latest = releases.latest(store)
    if latest is None:
        return OpenRecords(pl.DataFrame())
    long = releases.open_answers(store, latest.id, filieres)
    if long.is_empty():
        return OpenRecords(pl.DataFrame())
    versions = set(long.select("questionnaire_id", "questionnaire_version").unique().iter_rows())
    excluded = _excluded(store, viewer, versions)
    people = _identity(long)
    published, by_step = _anonymise(people)
    order = secrets.SystemRandom().sample(range(published.height), published.height)
    pseudonyms = published.select("response_id").with_columns(
        pl.Series("enregistrement", [f"R{n + 1:05d}" for n in order], dtype=pl.String)
    )
    answers = long.filter(~pl.col("question_id").is_in(sorted(excluded))).select(
        "response_id", "question_id", "item", "group_id", _value(long)
    )
    table = (
        published.join(pseudonyms, on="response_id")
        .join(answers, on="response_id")
        .select(
            "enregistrement",
            pl.col("reference_year").alias("annee"),
            "filiere",
            "departement",
            "structure_type",
            "size_class",
            pl.col("founded").alias("annee_creation"),
            "generalisation",
            pl.col("question_id").alias("question"),
            pl.col("group_id").alias("groupe"),
            pl.col("item").alias("element"),
            "valeur",
        )
        .sort("enregistrement", "groupe", "element", "question", nulls_last=False)
    )
    return OpenRecords(
        table=table,
        candidates=people.height,
        published=published.height,
        withheld=people.height - published.height,
        by_step=by_step,
        dropped_questions=sorted(excluded & set(long["question_id"].unique().to_list())),
    )
