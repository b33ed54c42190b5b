"""Publication of a computed table: which cells of the lattice a table's rows belong
to, the primary rules, differencing and noise applied cell by cell
(`disclosure.publish_cell`), the stable order of the rows, and the shares of a
composition — the only way exact cells become published figures.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import polars as pl

from opp.indicators import disclosure, territories
from opp.indicators.model import FILTER_DIMENSIONS, QUANTILE_KINDS, Indicator
from opp.indicators.policy import DisclosurePolicy
from opp.indicators.population import TOTAL, UNIVERSE, AnswerAxis, Filters

# The columns of every published table (a composition adds `share`, places `category`,
# quantiles `q1`, `q3`, `p10`, `p90`).
TABLE_SCHEMA: dict[str, pl.DataType] = {
    "group": pl.String(),
    "series": pl.String(),
    "value": pl.Float64(),
    "contributors": pl.Int64(),
    "is_total": pl.Boolean(),
    "secret": pl.String(),
}


def _combo(filters: Mapping[str, str | None]) -> tuple[int, ...] | None:
    """Index of a filter combination in `combo_counts` (0 = all values)."""
    index = []
    for d in FILTER_DIMENSIONS:
        value = filters.get(d)
        if value is None:
            index.append(0)
            continue
        if value not in UNIVERSE[d]:
            return None
        index.append(UNIVERSE[d].index(value) + 1)
    return tuple(index)


def _group_combo(filters: Filters, breakdown: str, group: str | None) -> tuple[int, ...] | None:
    """Index of a breakdown cell's population in `combo_counts`. A blank value (null) is
    a population of its own when the dimension knows it (an unknown size class), never
    "all values" (index 0, as in `_combo`): a blank cell was checked as the margin and
    published beside it even when it differed from it by one contributor."""
    if group is not None:
        return _combo({**filters.active(), breakdown: group})
    if None not in UNIVERSE[breakdown] or breakdown in filters.active():
        return None
    index = list(_combo(filters.active()) or ())
    if not index:
        return None
    index[FILTER_DIMENSIONS.index(breakdown)] = UNIVERSE[breakdown].index(None) + 1
    return tuple(index)


def _publish(
    exact: pl.DataFrame,
    indicator: Indicator,
    filters: Filters,
    breakdown: str | None,
    permitted: dict[str, np.ndarray],
    policy: DisclosurePolicy,
    axis: AnswerAxis | None = None,
    close: dict[str, set[str | None]] | None = None,
    grouped: dict[str, np.ndarray] | None = None,
) -> pl.DataFrame:
    """The published table: primary rules and differencing decide which cells are
    shown, the cell key method perturbs what is shown (`disclosure`)."""
    close = close or {}
    series_of = {s.id: s for s in indicator.series}
    quantiles = indicator.kind in QUANTILE_KINDS
    chosen = _combo(filters.active())
    if axis is not None and chosen is not None:
        chosen = (*chosen, 0)
    rows: list[dict[str, Any]] = []
    for row in exact.iter_rows(named=True):
        series = series_of[row["series"]]
        reason = disclosure.cell_reason(row, indicator)
        if reason is None:
            combo = chosen
            if axis is not None and not row["is_total"] and chosen is not None:
                combo = (*chosen[:-1], axis.position(row["group"]))
            elif breakdown in FILTER_DIMENSIONS and not row["is_total"]:
                combo = _group_combo(filters, breakdown, row["group"])
            near = not row["is_total"] and row["group"] in close.get(series.id, ())
            grouping = filters.grouping()
            if breakdown == "departement" and not row["is_total"]:
                grouping = None  # a département of the grouping: the ordinary lattice
            if territories.is_family(breakdown) and not row["is_total"]:
                if row["group"] is None:  # no known département: no population to check
                    combo = None
                grouping = row["group"] if filters.departement is None else None
            if (
                combo is None
                or not permitted[series.id][combo]
                or near
                or (
                    grouping is not None
                    and not territories.allowed(
                        (grouped or {})[series.id], grouping, territories.without_departement(combo)
                    )
                )
            ):
                reason = "differencing"
        out = {
            "group": row["group"],
            "series": row["series"],
            "value": None,
            "contributors": None,
            "is_total": row["is_total"],
            "secret": reason,
        }
        if "category" in row:
            out["category"] = row["category"]
        if quantiles:
            out |= {"q1": None, "q3": None, "p10": None, "p90": None}
        if reason is None:
            out |= disclosure.publish_cell(row, indicator, series, policy)
        rows.append(out)
    schema = dict(TABLE_SCHEMA)
    if "category" in exact.columns:
        schema["category"] = pl.String()
    if quantiles:
        schema |= dict.fromkeys(("q1", "q3", "p10", "p90"), pl.Float64())
    table = pl.DataFrame(rows, schema=schema, orient="row") if rows else _empty()
    table = _ordered(table, indicator, breakdown, axis)
    return _with_shares(table) if indicator.composition else table


def _ordered(
    cells: pl.DataFrame,
    indicator: Indicator,
    breakdown: str | None,
    axis: AnswerAxis | None = None,
) -> pl.DataFrame:
    """Stable order: groups in reference order (margin last), then series as declared."""
    if axis is not None:
        reference = list(axis.values)
    elif territories.is_family(breakdown):
        reference = list(territories.family_mapping(breakdown or "").values())
        reference = list(dict.fromkeys(reference))
    else:
        reference = [v for v in UNIVERSE.get(breakdown or "", []) if v is not None]
    group_rank = {g: i for i, g in enumerate(reference)}
    series_rank = {s.id: i for i, s in enumerate(indicator.series)}
    groups = cells["group"].to_list()
    series = cells["series"].to_list()
    categories = cells["category"].to_list() if "category" in cells.columns else [""] * len(groups)
    order = sorted(
        range(cells.height),
        key=lambda i: (
            groups[i] == TOTAL,
            group_rank.get(groups[i], len(group_rank)),
            str(groups[i]),
            series_rank.get(series[i], 0),
            str(categories[i]),
        ),
    )
    return cells[order]


def _with_shares(cells: pl.DataFrame) -> pl.DataFrame:
    """Each part's share of its group's whole (composition), from the published values;
    hidden with any hidden part (the others' shares would reveal it)."""
    by = ["group"] + (["category"] if "category" in cells.columns else [])
    return (
        cells.with_columns(
            (pl.col("value") / pl.col("value").sum().over(by) * 100).alias("share"),
            pl.col("secret").is_not_null().any().over(by).alias("_any_hidden"),
        )
        .with_columns(
            pl.when(pl.col("_any_hidden")).then(None).otherwise(pl.col("share")).alias("share")
        )
        .drop("_any_hidden")
    )


def _empty() -> pl.DataFrame:
    return pl.DataFrame(schema=TABLE_SCHEMA)
