"""Per-inhabitant ratios (e.g. performances per 10,000 inhabitants by département).

The denominator is a public figure (`geo.populations`, INSEE populations légales); the
numerator is the published, perturbed figure of a result — never an exact aggregate —
so the ratio reveals nothing the numerator does not, and a hidden numerator leaves its
ratio hidden with the same reason.
"""

from __future__ import annotations

from dataclasses import replace

import polars as pl

from opp import geo
from opp.i18n import LANGUAGES, gettext
from opp.indicators.engine import Result
from opp.questionnaire.model import L10n

PER = 10_000


def _place(row: dict, result: Result) -> str | None:
    """The territory a row is about: its category (a map's place), or its group when
    the breakdown is geographic, or the whole region for a margin."""
    category = row.get("category")
    if category not in (None, "None"):
        return str(category)
    if row["group"] == "__total__":
        return result.filters.territoire or result.filters.departement or "__total__"
    return str(row["group"]) if row["group"] is not None else None


def per_10000(result: Result, populations: geo.Populations | None = None) -> Result:
    """The result with each published value divided by its territory's population
    (× 10,000); rows whose territory has no known population are dropped."""
    populations = populations or geo.populations()
    table = result.table
    if table.is_empty():
        return result
    denominators = [
        populations.of(_place(row, result) or "") for row in table.iter_rows(named=True)
    ]
    table = (
        table.with_columns(pl.Series("_pop", denominators, dtype=pl.Float64))
        .filter(pl.col("_pop").is_not_null())
        .with_columns((pl.col("value") / pl.col("_pop") * PER).alias("value"))
        .drop("_pop")
    )
    indicator = result.indicator
    derived = indicator.model_copy(
        update={
            "label": L10n(
                **{
                    lang: gettext("per_inhabitant.label", lang, label=indicator.label.get(lang))
                    for lang in LANGUAGES
                }
            ),
            "definition": L10n(
                **{
                    lang: gettext(
                        "per_inhabitant.definition",
                        lang,
                        definition=indicator.definition.get(lang),
                    )
                    for lang in LANGUAGES
                }
            ),
            "unit": "ratio",
        }
    )
    notes = [*result.notes, dict(populations.source)]
    return replace(result, indicator=derived, table=table, notes=notes)
