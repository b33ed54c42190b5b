"""Compute one indicator for a population and breakdown, with disclosure control.

Input is an analytical frame of one release (one row per frozen response, or per repeat
item, with the dimension columns and the record keys); output is a tidy table of
published figures — perturbed, with every hidden cell carrying its reason. The exact
aggregates (`cells.cell_stats`) never leave this package. Pure functions of data: the
app layer decides what to cache.

The steps live in their own modules: the populations and filters (`population.py`),
each indicator-year's contributions and atoms (`rows.py`), the differencing's admitted
populations (`disclosure.py`, kept by `admitted.py`), the publication of the cells
(`publish.py`); this module chains them for one figure (`compute`) or a trend.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import polars as pl

from opp import geo
from opp.indicators import answer_lattice, disclosure, territories
from opp.indicators.cells import cell_stats_plan, unit_column
from opp.indicators.memo import Memo
from opp.indicators.model import Indicator
from opp.indicators.policy import DisclosurePolicy, load_policy
from opp.indicators.population import (
    TOTAL,
    AnswerAxis,
    Filters,
    restrict,
    with_family,
)
from opp.indicators.publish import _combo, _empty, _publish
from opp.indicators.rows import (
    _CODES,
    _KEYS,
    YearRows,
    _atoms,
    _columns,
    _one_row_each,
    _year_atoms,
    contributions,
    dimension_codes,
    scope_frame,
    year_rows,
)


@dataclass
class Result:
    indicator: Indicator
    filters: Filters
    breakdown: str | None
    table: pl.DataFrame
    refused: bool = False
    minimum: int = 3
    notes: list[dict[str, str]] = field(default_factory=list)  # {"fr": …, "en": …}
    release: Any = None  # the release the figures come from (`store.releases.Release`)

    def total(self, series: str | None = None) -> dict[str, Any] | None:
        """The figure of the whole population (KPI card) for one series."""
        if self.refused or self.table.is_empty():
            return None
        rows = self.table.filter(pl.col("is_total"))
        if series is not None:
            rows = rows.filter(pl.col("series") == series)
        return rows.row(0, named=True) if rows.height else None


def compute(
    frame: pl.DataFrame,
    indicator: Indicator,
    filters: Filters,
    breakdown: str | None = None,
    policy: DisclosurePolicy | None = None,
    axis: AnswerAxis | None = None,
    earlier: tuple[AnswerAxis, ...] = (),
    memo: Memo[YearRows] | None = None,
) -> Result:
    """The indicator for `filters`, optionally by `breakdown`, with disclosure applied.
    `axis`: the breakdown is by the answers to a question (its column is `breakdown`);
    `earlier`: the questions before it in the common core, whose cells its cells must
    not come close to (`answer_lattice`). `memo`: where the frame's source keeps each
    indicator-year's rows (`memo.py`)."""
    policy = policy or load_policy()
    if axis is not None and breakdown != axis.column:
        axis = None
    family = territories.is_family(breakdown) and "departement" in indicator.breakdowns
    if axis is None and breakdown is not None and breakdown not in indicator.breakdowns:
        breakdown = breakdown if family else None
    answers = [axis, *earlier] if axis is not None else []
    extra = tuple(a.column for a in answers if a.column in frame.columns)
    needed = [
        c for c in dict.fromkeys((*_KEYS, *_columns(indicator), *extra)) if c in frame.columns
    ]
    if axis is None and not extra:
        if breakdown == "reference_year":
            return _trend(frame, indicator, filters, policy, memo)
        rows = year_rows(frame, indicator, filters.reference_year, memo)
        return _one_year(rows.long, indicator, filters, breakdown, policy, counted=rows)
    scoped = scope_frame(frame.select(needed), indicator)
    if extra:
        scoped = scoped.with_columns(pl.col(c).cast(pl.String) for c in extra)
    if axis is not None:  # answer cells are also kept away from the groupings' cells
        families = family_axes()
        scoped = with_families(scoped)
        extra = (*extra, *(f.column for f in families))
        earlier = (*families, *earlier)
    year = scoped.filter(pl.col("reference_year") == filters.reference_year)
    earlier = tuple(a for a in earlier if a.column in extra)
    return _one_year(
        contributions(year, indicator, extra),
        indicator,
        filters,
        breakdown,
        policy,
        axis,
        earlier,
    )


def exact_cells(
    frame: pl.DataFrame,
    indicator: Indicator,
    filters: Filters,
    breakdown: str | None = None,
    axis: AnswerAxis | None = None,
) -> pl.DataFrame:
    """The exact statistics of the cells `compute` publishes (before any rule or noise),
    for tests comparing indicator arithmetic with hand computations."""
    extra = (axis.column,) if axis is not None else ()
    needed = [c for c in (*_KEYS, *_columns(indicator), *extra) if c in frame.columns]
    year = scope_frame(frame.select(needed), indicator).filter(
        pl.col("reference_year") == filters.reference_year
    )
    if axis is not None:
        year = year.with_columns(pl.col(axis.column).cast(pl.String))
    population = restrict(with_family(contributions(year, indicator, extra), breakdown), filters)
    return _cells(population, indicator, breakdown)


def _one_year(
    long: pl.DataFrame,
    indicator: Indicator,
    filters: Filters,
    breakdown: str | None,
    policy: DisclosurePolicy,
    axis: AnswerAxis | None = None,
    earlier: tuple[AnswerAxis, ...] = (),
    counted: YearRows | None = None,
) -> Result:
    """One year's published table from that year's contributions (`long`); `counted`:
    their atoms, already counted (`year_rows`)."""
    minimum = indicator.disclosure.min_contributors
    year = long
    if counted is not None:
        atoms, series_atoms = counted.atoms, counted.series_atoms
    else:
        atoms, series_atoms = _year_atoms(year, indicator)
    permitted = disclosure.permitted_combinations(atoms, minimum)
    chosen = _combo(filters.active())
    refused = chosen is None or not permitted[chosen]
    grouped: dict[str, np.ndarray] = {}
    if not refused and (filters.grouping() is not None or territories.is_family(breakdown)):
        grouped = _groupings_by_series(year, indicator)
        grouping = filters.grouping()
        if grouping is not None and chosen is not None:
            rest = territories.without_departement(chosen)
            refused = not all(territories.allowed(g, grouping, rest) for g in grouped.values())
    if refused or chosen is None:
        return Result(indicator, filters, breakdown, _empty(), refused=True, minimum=minimum)
    population = restrict(with_family(year, breakdown), filters)
    exact = _cells(population, indicator, breakdown)
    close: dict[str, set[str | None]] = {}
    if axis is not None:  # the filter populations and the answer cells, one lattice
        atoms = _atoms(year, axis, one_row_each=_one_row_each(indicator))
        permitted = disclosure.permitted_combinations(atoms, minimum, extra_axis=True)
        close = _close_by_series(year, indicator, chosen, axis, earlier)
    table = _publish(
        exact,
        indicator,
        filters,
        breakdown,
        _permitted_by_series(
            year, indicator, permitted, axis, series_atoms if axis is None else None
        ),
        policy,
        axis,
        close,
        grouped,
    )
    return Result(indicator, filters, breakdown, table, minimum=minimum)


def _groupings_by_series(year: pl.DataFrame, indicator: Indicator) -> dict[str, np.ndarray]:
    """Admitted grouping populations of each series (`territories.permitted`)."""
    minimum = indicator.disclosure.min_contributors
    ids = [s.id for s in indicator.series]
    if len(ids) == 1 or year.is_empty():
        atoms = _atoms(year, one_row_each=_one_row_each(indicator))
        return dict.fromkeys(ids, territories.permitted(atoms, minimum))
    atoms = _atoms(year, one_row_each=_one_row_each(indicator, one_series=True), series=tuple(ids))
    return {s: territories.permitted(atoms[i], minimum) for i, s in enumerate(ids)}


def family_axes() -> tuple[AnswerAxis, ...]:
    """The families of groupings of départements as axes of the lattice."""
    return tuple(
        AnswerAxis(f.id, tuple(g.id for g in f.groupings)) for f in geo.grouping_families()
    )


def with_families(frame: pl.DataFrame) -> pl.DataFrame:
    """Add a column per family of groupings (the grouping of each row's département)."""
    for family in geo.grouping_families():
        frame = with_family(frame, family.id)
    return frame


def earlier_lattice(
    rows: pl.DataFrame, other: AnswerAxis, minimum: int
) -> tuple[np.ndarray, np.ndarray]:
    """The cells `other` may publish (and their sizes), as `answer_lattice.too_close`
    compares with: its lattice for a question; for a family of groupings, the grouping
    populations `territories.permitted` admits (no département chosen)."""
    atoms = _atoms(rows, other)
    counts = disclosure.combo_counts(atoms)
    if not territories.is_family(other.column):
        return disclosure.permitted_combinations(atoms, minimum, extra_axis=True), counts
    grouped = territories.permitted(_atoms(rows), minimum)
    ids = territories.grouping_ids()
    permitted = np.zeros(counts.shape, dtype=bool)
    axis = territories.DEPARTEMENT_AXIS
    for position, grouping in enumerate(other.values, start=1):
        index: list[Any] = [slice(None)] * counts.ndim
        index[axis], index[-1] = 0, position
        permitted[tuple(index)] = grouped[ids.index(grouping)]
    return permitted, counts


def _close_by_series(
    year: pl.DataFrame,
    indicator: Indicator,
    chosen: tuple[int, ...],
    axis: AnswerAxis,
    earlier: tuple[AnswerAxis, ...],
) -> dict[str, set[str | None]]:
    """Answer cells too close to a cell of an earlier question, for each series."""
    if not earlier or year.is_empty():
        return {}
    if not all(c in year.columns for c in _CODES):
        year = dimension_codes(year)
    minimum = indicator.disclosure.min_contributors
    ids = [s.id for s in indicator.series]
    out = {}
    for series_id in ids:
        rows = year if len(ids) == 1 else year.filter(pl.col("series") == series_id)
        unit = unit_column(rows)
        units = rows.unique(subset=[unit], keep="first", maintain_order=True) if unit else rows

        def lattice(other: AnswerAxis, rows: pl.DataFrame = rows) -> tuple[np.ndarray, np.ndarray]:
            return earlier_lattice(rows, other, minimum)

        out[series_id] = answer_lattice.too_close(
            units, list(_CODES), chosen, axis, list(earlier), minimum, lattice
        )
    return out


def _permitted_by_series(
    year: pl.DataFrame,
    indicator: Indicator,
    everyone: np.ndarray,
    axis: AnswerAxis | None = None,
    counted: np.ndarray | None = None,
) -> dict[str, np.ndarray]:
    """Admitted populations of each series: an optional question some contributors left
    blank gives a series a smaller population, with its own close neighbours.
    `counted`: the series' atoms when already counted (`_year_atoms`)."""
    minimum = indicator.disclosure.min_contributors
    ids = [s.id for s in indicator.series]
    if len(ids) == 1 or year.is_empty():
        return dict.fromkeys(ids, everyone)
    each = _one_row_each(indicator, one_series=True)
    atoms = (
        counted if counted is not None else _atoms(year, axis, one_row_each=each, series=tuple(ids))
    )
    return {
        s: disclosure.permitted_combinations(atoms[i], minimum, extra_axis=axis is not None)
        for i, s in enumerate(ids)
    }


def _cells(long: pl.DataFrame, indicator: Indicator, breakdown: str | None) -> pl.DataFrame:
    """Exact statistics of every cell: each breakdown group and the margin (TOTAL),
    computed in one pass of Polars (both tables in parallel)."""
    by_series = ["series"] + (["category"] if "category" in long.columns else [])
    total = cell_stats_plan(long, indicator, by_series).with_columns(
        pl.lit(TOTAL).alias("group"), pl.lit(True).alias("is_total")
    )
    if breakdown is None:
        return total.collect()
    detail = (
        cell_stats_plan(long, indicator, [breakdown, *by_series])
        .rename({breakdown: "group"})
        .with_columns(pl.col("group").cast(pl.String), pl.lit(False).alias("is_total"))
    )
    return pl.concat(pl.collect_all([detail, total]), how="diagonal_relaxed")


def _trend(
    frame: pl.DataFrame,
    indicator: Indicator,
    filters: Filters,
    policy: DisclosurePolicy,
    memo: Memo[YearRows] | None = None,
) -> Result:
    """One total per campaign year with contributions: each year is its own population
    (its rows are the year's `year_rows`, shared with the year's other figures).
    Refused when the filter is refused every year (the page's one explanation then
    covers the trend, not "no data")."""
    tables = []
    minimum = indicator.disclosure.min_contributors
    refused = False
    for year in sorted(frame["reference_year"].unique().drop_nulls().to_list()):
        rows = year_rows(frame, indicator, year, memo)
        if rows.long.is_empty():
            continue
        result = _one_year(
            rows.long,
            indicator,
            replace(filters, reference_year=year),
            None,
            policy,
            counted=rows,
        )
        if result.refused:
            refused = True
            continue
        tables.append(
            result.table.with_columns(
                pl.lit(str(year)).alias("group"), pl.lit(False).alias("is_total")
            )
        )
    table = pl.concat(tables, how="diagonal_relaxed") if tables else _empty()
    return Result(
        indicator, filters, "reference_year", table, refused=refused and not tables, minimum=minimum
    )
