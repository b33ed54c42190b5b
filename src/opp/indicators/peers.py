"""The distribution of a contributor's peers (Ma fiche), through the disclosure layer.

A fiche compares the contributor's own value with the median and quartiles of their
peers (same filière, type or size, same year) in the latest release. Those quartiles are
published figures like any other: at least the sensitive threshold of contributors,
perturbed by the cell key method with the same noise as the same variable's quartiles
on the dashboards (so the fiche gives no second look at them), never a peer's value.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from opp.indicators import disclosure
from opp.indicators import perturbation as noise
from opp.indicators.cells import QUANTILES
from opp.indicators.model import Indicator
from opp.indicators.policy import DisclosurePolicy, load_policy


def distribution(
    values: pl.DataFrame,
    indicator: Indicator,
    series: str | None,
    policy: DisclosurePolicy | None = None,
) -> dict[str, Any] | None:
    """Published quartiles of `values` (one row per contributor: `value`, `_key`), or
    None when the group is under the threshold."""
    policy = policy or load_policy()
    values = values.filter(pl.col("value").is_not_null())
    n = values.height
    if n < policy.min_contributors_sensitive:
        return None
    keys = values["_key"] if "_key" in values.columns else pl.Series([0] * n, dtype=pl.UInt64)
    stats = values.select(
        pl.col("value").quantile(q, "linear").alias(name) for q, name in QUANTILES
    )
    row = {
        "n": n,
        "ck": int(keys.cast(pl.UInt64).sum()) % noise.KEY_MODULUS,
        **stats.row(0, named=True),
    }
    chosen = next((s for s in indicator.series if s.id == series), indicator.series[0])
    signature = f"{noise.series_signature(indicator, chosen)}|None"
    shown = disclosure.published_quantiles(row, signature, policy)
    contributors = n + noise.count_noise(row["ck"], "contributors", policy.perturbation.counts)
    return {
        "contributors": max(contributors, policy.min_contributors_sensitive),
        "q1": shown["q1"],
        "median": shown["value"],
        "q3": shown["q3"],
    }
