"""Statistical confidentiality: a published cell never reveals one contributor.

A cell is published only if it rests on at least `min_contributors` contributors
(3 by default); otherwise it is marked "secret statistique" with its reason, never 0.
"""

from __future__ import annotations

import polars as pl

DEFAULT_MIN = 3
REASONS = {
    "min_contributors": {
        "fr": "secret statistique : moins de {n} contributeurs",
        "en": "statistical confidentiality: fewer than {n} contributors",
    },
}


def apply_min_contributors(
    table: pl.DataFrame,
    *,
    value_columns: list[str],
    count_column: str = "contributors",
    minimum: int = DEFAULT_MIN,
) -> pl.DataFrame:
    """Blank out values of cells with too few contributors and record why."""
    hidden = pl.col(count_column) < minimum
    return table.with_columns(
        *[pl.when(hidden).then(None).otherwise(pl.col(c)).alias(c) for c in value_columns],
        pl.when(hidden).then(pl.lit("min_contributors")).otherwise(None).alias("secret"),
    )


def reason_text(reason: str | None, lang: str = "fr", minimum: int = DEFAULT_MIN) -> str:
    if reason is None:
        return ""
    return REASONS[reason][lang].format(n=minimum)
