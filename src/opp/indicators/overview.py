"""First indicator: where performances take place, by filière and reference year."""

from __future__ import annotations

import polars as pl

from opp.access.viewer import Viewer
from opp.indicators.disclosure import apply_min_contributors
from opp.store import analytics
from opp.store.db import Store

PLACES = {
    "representations_departement": {"fr": "Même département", "en": "Same département"},
    "representations_occitanie": {"fr": "Ailleurs en Occitanie", "en": "Elsewhere in Occitanie"},
    "representations_france": {"fr": "Autre région française", "en": "Other French region"},
    "representations_etranger": {"fr": "Étranger", "en": "Abroad"},
}


def performances_by_place(store: Store, viewer: Viewer, reference_year: int) -> pl.DataFrame:
    """Long table: filière × place → performances, contributors, secret reason.

    Aggregates are public for every role (they pass disclosure control); `viewer` is
    taken so that access rules can restrict them later without changing callers.
    """
    _ = viewer
    wide = analytics.wide_answers(store, list(PLACES), reference_year=reference_year)
    if wide.is_empty():
        return pl.DataFrame(
            schema={
                "filiere": pl.String,
                "place": pl.String,
                "performances": pl.Float64,
                "contributors": pl.UInt32,
                "secret": pl.String,
            }
        )
    long = wide.unpivot(
        index=["organisation_id", "filiere"],
        on=list(PLACES),
        variable_name="place",
        value_name="performances",
    ).drop_nulls("performances")
    table = (
        long.group_by("filiere", "place")
        .agg(
            pl.col("performances").sum(),
            pl.col("organisation_id").n_unique().alias("contributors"),
        )
        .sort("filiere", "place")
    )
    return apply_min_contributors(table, value_columns=["performances"])
