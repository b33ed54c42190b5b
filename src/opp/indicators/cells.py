"""Exact statistics of each cell, before any disclosure rule.

A cell is a population (campaign year, filters, one breakdown value) × a series (× a
category, e.g. a place of performance). For each, this module computes from the
contributions (`rows.contributions`): its contributors, its cell key (the sum of their
record keys, `perturbation`), the exact aggregate, and what the disclosure rules need
(largest contributions for dominance, p % and magnitude noise; quantiles and spread).

These exact figures never leave the indicators package: `disclosure.protect` turns them
into the published table. Tests compare them with hand computations.
"""

from __future__ import annotations

import polars as pl

from opp.indicators.model import QUANTILE_KINDS, Indicator
from opp.indicators.perturbation import KEY_MODULUS

QUANTILES = ((0.1, "p10"), (0.25, "q1"), (0.5, "q2"), (0.75, "q3"), (0.9, "p90"))
RATIO_KINDS = frozenset({"ratio", "gap"})


def unit_column(frame: pl.DataFrame) -> str | None:
    """The column identifying a contributor (a response, or an invitation)."""
    for column in ("_rid", "response_id", "organisation_id"):
        if column in frame.columns:
            return column
    return None


def _magnitude(column: str, prefix: str) -> list[pl.Expr]:
    """Largest and second largest absolute contribution (0 when there is none), the
    record key of the largest, the sum of absolute contributions, and whether any is
    negative."""
    absolute = pl.col(column).abs()
    return [
        # The first largest in row order: what a stable sort put first (ties included,
        # so the same record key and noise), without sorting each group.
        pl.col("_key").get(absolute.arg_max()).cast(pl.Int64).alias(f"{prefix}k1"),
        absolute.sum().alias(f"{prefix}abs"),
        (pl.col(column) < 0).any().alias(f"{prefix}neg"),
        absolute.max().fill_null(0.0).alias(f"{prefix}t1"),
        pl.when(pl.len() > 1)
        .then(absolute.top_k(2).min())
        .otherwise(0.0)
        .fill_null(0.0)
        .alias(f"{prefix}t2"),
    ]


def _with_keys(long: pl.DataFrame) -> pl.DataFrame:
    if "_key" in long.columns:
        return long
    return long.with_columns(pl.lit(0, dtype=pl.UInt64).alias("_key"))


def cell_stats(long: pl.DataFrame, indicator: Indicator, by: list[str]) -> pl.DataFrame:
    """One row per cell of `by` (breakdown, series, category) with `n`, `ck` and the
    kind's exact statistics: `s` (and `t1`, `t2`, `abs`, `neg`) for sums, means and
    shares; `num`, `den` and the same for each (`num_t1`…) for ratios and gaps; `q2` (median),
    `q1`, `q3`, `p10`, `p90` for quantiles. `value` is the exact aggregate."""
    return cell_stats_plan(long, indicator, by).collect()


def cell_stats_plan(long: pl.DataFrame, indicator: Indicator, by: list[str]) -> pl.LazyFrame:
    """`cell_stats` as a query plan: several tables of cells (a breakdown's cells and
    the margin) are then computed together (`polars.collect_all`), in parallel."""
    long = _with_keys(long)
    unit = unit_column(long) or "_key"
    quantile = indicator.kind in QUANTILE_KINDS
    sums = [c for c in ("v", "num", "den") if c in long.columns and not quantile]
    rows = long.lazy()
    if once_per_unit(indicator):  # already one row per contributor and cell
        per_unit = rows
    else:
        per_unit = rows.group_by([*by, unit], maintain_order=True).agg(
            pl.col("_key").first(), *[pl.col(c).sum() for c in sums]
        )
    aggs: list[pl.Expr] = [
        pl.len().cast(pl.Int64).alias("n"),
        (pl.col("_key").cast(pl.UInt64).sum() % KEY_MODULUS).cast(pl.Int64).alias("ck"),
    ]
    if indicator.kind in RATIO_KINDS:
        aggs += [
            pl.col("num").sum(),
            pl.col("den").sum(),
            *_magnitude("num", "num_"),
            *_magnitude("den", "den_"),
        ]
    elif not quantile:
        aggs += [pl.col("v").sum().alias("s"), *_magnitude("v", "")]
    cells = per_unit.group_by(by, maintain_order=True).agg(aggs) if by else per_unit.select(aggs)
    if quantile:
        stats = [pl.col("v").quantile(q, "linear").alias(name) for q, name in QUANTILES]
        if by:
            values = rows.group_by(by, maintain_order=True).agg(stats)
            # A blank breakdown value (null) is a group like any other: joined on null
            # keys too (the default drops them, leaving the blank group without
            # quantiles).
            cells = cells.join(values, on=by, how="left", nulls_equal=True, maintain_order="left")
        else:
            cells = pl.concat([cells, rows.select(stats)], how="horizontal")
    return cells.with_columns(exact_value(indicator).alias("value"))


def once_per_unit(indicator: Indicator) -> bool:
    """Whether a contributor has at most one row per series in its contributions: one
    row per response and series (`rows.contributions`), unlike repeat items (several
    per response) and invitations (several per organisation)."""
    return not indicator.repeat and indicator.kind not in (
        "items_count",
        "items_quartiles",
        "participation",
    )


def exact_value(indicator: Indicator) -> pl.Expr:
    """The aggregate of the indicator's kind, from the columns of `cell_stats`."""
    kind = indicator.kind
    if kind in ("sum", "items_count"):
        return pl.col("s").cast(pl.Float64)
    if kind == "mean":
        return pl.col("s") / pl.col("n")
    if kind in ("contributors_share", "participation"):
        return pl.col("s") / pl.col("n") * 100
    if kind == "ratio":
        return pl.col("num") / pl.col("den") * indicator.scale
    if kind == "gap":
        return (pl.col("num") - pl.col("den")) / pl.col("num") * 100
    return pl.col("q2").cast(pl.Float64)
