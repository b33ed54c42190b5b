"""Compute one indicator for a population and breakdown, with disclosure control.

Input is an analytical frame of one release (one row per frozen response, or per repeat
item, with the dimension columns and the record keys); output is a tidy table of
published figures — perturbed, with every hidden cell carrying its reason. The exact
aggregates (`cells.cell_stats`) never leave this package. Pure functions of data: the
app layer decides what to cache.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

import numpy as np
import polars as pl

from opp import geo
from opp.indicators import answer_lattice, disclosure, territories
from opp.indicators.cells import cell_stats_plan, once_per_unit, unit_column
from opp.indicators.memo import Memo
from opp.indicators.model import FILTER_DIMENSIONS, QUANTILE_KINDS, Indicator
from opp.indicators.policy import DisclosurePolicy, load_policy
from opp.referentiel import FILIERES, SIZE_CLASSES, STRUCTURE_TYPES

TOTAL = "__total__"  # breakdown value of the margin (all values of the breakdown)
ALL_PARTS = "__all__"  # series value of a row total in a composition
UNIVERSE: dict[str, list[str | None]] = {
    "filiere": [*FILIERES],
    "departement": [*geo.DEPARTEMENTS],
    "structure_type": [*STRUCTURE_TYPES],
    "size_class": [*SIZE_CLASSES, None],
}


@dataclass(frozen=True)
class Filters:
    """The population: one campaign year and optional single values of four dimensions,
    or a grouping of départements (`territoire`, `geo.groupings`) instead of one."""

    reference_year: int
    filiere: str | None = None
    departement: str | None = None
    structure_type: str | None = None
    size_class: str | None = None
    territoire: str | None = None

    def active(self) -> dict[str, str]:
        return {d: getattr(self, d) for d in FILTER_DIMENSIONS if getattr(self, d) is not None}

    def grouping(self) -> str | None:
        """The grouping of départements filtered on (None when a département is chosen:
        the service refuses both at once)."""
        return self.territoire if self.departement is None else None


def restrict(frame: pl.DataFrame, filters: Filters) -> pl.DataFrame:
    """The rows of the population `filters` describes (the year aside)."""
    for d, value in filters.active().items():
        frame = frame.filter(pl.col(d) == value)
    grouping = filters.grouping()
    if grouping is not None:
        members = geo.groupings()[grouping].departements
        frame = frame.filter(pl.col("departement").is_in(members))
    return frame


def with_family(frame: pl.DataFrame, breakdown: str | None) -> pl.DataFrame:
    """Add the column of a breakdown by a family of groupings (named after the family)."""
    if not territories.is_family(breakdown) or "departement" not in frame.columns:
        return frame
    mapping = territories.family_mapping(breakdown or "")
    return frame.with_columns(
        pl.col("departement")
        .cast(pl.String)
        .replace_strict(mapping, default=None, return_dtype=pl.String)
        .alias(breakdown or "")
    )


@dataclass(frozen=True)
class AnswerAxis:
    """A breakdown by the answers to one question (`breakdowns.py`): its column and its
    values in form order; contributors who left it blank make one more cell."""

    column: str
    values: tuple[str, ...]

    def position(self, value: str | None) -> int:
        """Index on the axis of `combo_counts` (0 is "all values")."""
        if value is None or value not in self.values:
            return len(self.values) + 1
        return self.values.index(value) + 1


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


# --- contributions: one value per contributor and series ----------------------------------


def _sum_of(frame: _Named, columns: list[str]) -> pl.Expr:
    present = [c for c in columns if c in frame.columns]
    if not present:
        return pl.lit(None, dtype=pl.Float64)
    exprs = [pl.col(c).cast(pl.Float64) for c in present]
    any_value = pl.any_horizontal([e.is_not_null() for e in exprs])
    return pl.when(any_value).then(pl.sum_horizontal(exprs)).otherwise(None)


def _count_positive(frame: _Named, columns: list[str]) -> pl.Expr:
    """Number of the columns above zero (e.g. income sources); None if none answered."""
    present = [c for c in columns if c in frame.columns]
    if not present:
        return pl.lit(None, dtype=pl.Float64)
    exprs = [pl.col(c).cast(pl.Float64) for c in present]
    any_value = pl.any_horizontal([e.is_not_null() for e in exprs])
    count = pl.sum_horizontal([(e > 0).fill_null(False).cast(pl.Float64) for e in exprs])
    return pl.when(any_value).then(count).otherwise(None)


def _condition(frame: _Named, cond: Any) -> pl.Expr:
    col = pl.col(cond.question)
    if cond.question not in frame.columns:
        return pl.lit(None, dtype=pl.Float64)
    if cond.contains is not None:
        hit = col.list.contains(cond.contains)
    elif cond.one_of is not None:
        hit = col.cast(pl.String).is_in(cond.one_of)
    elif isinstance(cond.equals, bool):
        hit = col.cast(pl.Boolean) == cond.equals
    else:
        hit = col.cast(pl.String) == str(cond.equals)
    base = col.is_not_null()
    if cond.among is not None:
        base = base & col.cast(pl.String).is_in(cond.among)
    return pl.when(base).then(hit.cast(pl.Float64)).otherwise(None)


class _Named(Protocol):
    """What the expression builders read of a frame: its column names."""

    @property
    def columns(self) -> list[str]: ...


@dataclass(frozen=True)
class _Schema:
    columns: list[str]


def contributions(
    source: pl.DataFrame | pl.LazyFrame, indicator: Indicator, extra: tuple[str, ...] = ()
) -> pl.DataFrame:
    """Long frame: dimensions (and `extra` columns, e.g. a breakdown by answers) +
    `series`, `v` (and `num`/`den` for ratios)."""
    # A query plan (`compute`: the frame's scope and year still to filter) is run once,
    # with the contributions.
    frame: _Named = (
        source if isinstance(source, pl.DataFrame) else _Schema(source.collect_schema().names())
    )
    keep = [
        c
        for c in (
            "_rid",
            "_key",
            "response_id",
            "organisation_id",
            "reference_year",
            *FILTER_DIMENSIONS,
            *_CODES,
            *extra,
        )
        if c in frame.columns
    ]
    parts = []
    every = source.lazy()
    for position, series in enumerate(indicator.series):
        kind = indicator.kind
        lazy = every
        if series.where is not None:  # only the contributors meeting its condition
            lazy = every.filter(_condition(frame, series.where) == 1.0)
        if series.count_positive:
            part = lazy.select(*keep, _count_positive(frame, series.count_positive).alias("v"))
        elif kind in ("sum", "mean", "median", "quartiles", "items_quartiles"):
            columns = series.questions or ([series.question] if series.question else [])
            part = lazy.select(*keep, _sum_of(frame, columns).alias("v"))
        elif kind in ("ratio", "gap"):
            if kind == "ratio":
                top, bottom = series.numerator or [], series.denominator or []
            else:
                top, bottom = [series.reference or ""], [series.compared or ""]
            part = (
                lazy.select(
                    *keep, _sum_of(frame, top).alias("num"), _sum_of(frame, bottom).alias("den")
                )
                .filter(pl.col("num").is_not_null() & pl.col("den").is_not_null())
                .filter((pl.col("den") if kind == "ratio" else pl.col("num")) > 0)
                .with_columns(pl.col("num").alias("v"))
            )
        elif kind == "contributors_share":
            part = lazy.select(*keep, _condition(frame, series.condition).alias("v"))
        elif kind == "items_count":
            category = _category(frame, series.group_by, series.group_as)
            part = lazy.select(*keep, pl.lit(1.0).alias("v"), category.alias("category"))
            if series.group_by:
                # Items without a category are outside this geography (e.g. in Occitanie
                # for the map of other regions); the published categories form a whole.
                part = part.filter(pl.col("category").is_not_null())
        else:  # participation
            part = lazy.select(*keep, pl.col("submitted").cast(pl.Float64).alias("v"))
        parts.append(
            part.filter(pl.col("v").is_not_null()).with_columns(
                pl.lit(series.id).alias("series"),
                # Its position among the indicator's series: what counting and grouping
                # use (a small integer groups and scatters faster than a string).
                pl.lit(position, dtype=pl.UInt8).alias("_series"),
            )
        )
    # One plan for all series: Polars computes them in parallel.
    return pl.concat(parts, how="diagonal_relaxed").collect()


def _category(frame: _Named, column: str | None, group_as: str | None) -> pl.Expr:
    if column is None or column not in frame.columns:
        return pl.lit(None, dtype=pl.String)
    col = pl.col(column).cast(pl.String)
    if group_as == "departement":
        mapping = {code: c.departement for code, c in geo.communes().items()}
        return col.replace_strict(mapping, default=None, return_dtype=pl.String)
    if group_as == "month":  # an ISO date's month, "01" … "12" (seasons of performances)
        return col.str.slice(5, 2)
    if group_as == "place_scope":
        return (
            pl.when(col.str.starts_with("FR-")).then(pl.lit("region")).otherwise(pl.lit("abroad"))
        )
    return col


# --- the whole computation ----------------------------------------------------------------


def dimension_codes(frame: pl.DataFrame) -> pl.DataFrame:
    """Add integer codes of the filter dimensions (positions in UNIVERSE; -1 unknown).

    Computed once per analytical frame, so each indicator's atom counts are cheap.
    """
    codes = []
    for d, values in UNIVERSE.items():
        if d not in frame.columns:
            continue
        known = {v: i for i, v in enumerate(values) if v is not None}
        missing = values.index(None) if None in values else -1
        codes.append(
            pl.col(d)
            .cast(pl.String)
            .replace_strict(known, default=missing, return_dtype=pl.Int16)
            .alias(f"_code_{d}")
        )
    return frame.with_columns(codes)


_CODES = tuple(f"_code_{d}" for d in FILTER_DIMENSIONS)


def _atoms(
    long: pl.DataFrame,
    axis: AnswerAxis | None = None,
    *,
    one_row_each: bool = False,
    series: tuple[str, ...] = (),
) -> np.ndarray:
    """Contributors per cell of the full cross-classification of the filter dimensions
    (and of the answers of `axis`: its last axis, blank answers last). `one_row_each`:
    the caller knows each contributor has one row (`_one_row_each`), so the rows are
    not deduplicated (that was most of the atoms' time). `series`: one table per series
    (a first axis, in this order), all counted in one pass."""
    shape = tuple(len(v) for v in UNIVERSE.values())
    if axis is not None:
        shape = (*shape, len(axis.values) + 1)
    if series:
        shape = (len(series), *shape)
    atoms = np.zeros(shape, dtype=np.int64)
    if long.is_empty():
        return atoms
    if not all(c in long.columns for c in _CODES):
        long = dimension_codes(long)
    codes = list(_CODES)
    if series:
        long = long.with_columns(_series_position(long, series).alias("_code_series"))
        codes.insert(0, "_code_series")
    if axis is not None:
        known = {v: i for i, v in enumerate(axis.values)}
        long = long.with_columns(
            pl.col(axis.column)
            .cast(pl.String)
            .replace_strict(known, default=len(axis.values), return_dtype=pl.Int16)
            .alias("_code_answer")
        )
        codes.append("_code_answer")
    flat = _flat_cell(codes, shape)
    unit = None if one_row_each else unit_column(long)
    if unit == "_rid" and not series:
        # A contributor's codes are the same on all its rows (series, items): one cell
        # each, by its row number in the release's responses (no hashing).
        rows = long.select(flat, pl.col("_rid"))
        rid = rows["_rid"].to_numpy()
        by_rid = np.full(int(rid.max()) + 1, -1, dtype=np.int64)
        by_rid[rid] = rows["_cell"].to_numpy()
        cells = by_rid
    elif unit:
        subset = [unit, *(["_code_series"] if series else [])]
        distinct = long.select(flat, *subset).unique(subset=subset, keep="any")
        cells = distinct["_cell"].to_numpy()
    else:
        cells = long.select(flat)["_cell"].to_numpy()
    cells = cells[cells >= 0]
    return np.bincount(cells, minlength=atoms.size).astype(np.int64).reshape(shape)


def _flat_cell(codes: list[str], shape: tuple[int, ...]) -> pl.Expr:
    """Each row's cell as one flat index (row-major, like `np.ravel_multi_index`), -1
    when a dimension is unknown: computed by Polars, counted by `np.bincount`."""
    strides = np.cumprod((1, *shape[:0:-1]))[::-1]
    flat = pl.sum_horizontal(
        [pl.col(c).cast(pl.Int64) * int(step) for c, step in zip(codes, strides, strict=True)]
    )
    valid = pl.all_horizontal([pl.col(c) >= 0 for c in codes])
    return pl.when(valid).then(flat).otherwise(-1).alias("_cell")


def _year_atoms(year: pl.DataFrame, indicator: Indicator) -> tuple[np.ndarray, np.ndarray | None]:
    """A year's atoms (`_atoms`) and, for an indicator of several series, each series'
    (`_atoms(series=…)`), from one pass over the contributions when each contributor
    has one row per series (else None: `_permitted_by_series` counts them)."""
    ids = tuple(s.id for s in indicator.series)
    if len(ids) == 1 or not once_per_unit(indicator) or "_rid" not in year.columns:
        return _atoms(year, one_row_each=_one_row_each(indicator)), None
    shape = tuple(len(v) for v in UNIVERSE.values())
    size = int(np.prod(shape))
    if year.is_empty():
        return np.zeros(shape, dtype=np.int64), np.zeros((len(ids), *shape), dtype=np.int64)
    if not all(c in year.columns for c in _CODES):
        year = dimension_codes(year)
    rows = year.select(
        _flat_cell(list(_CODES), shape),
        _series_position(year, ids).cast(pl.Int64).alias("_series"),
        "_rid",
    )
    cell, series, rid = (rows[c].to_numpy() for c in ("_cell", "_series", "_rid"))
    counted = (cell >= 0) & (series >= 0)
    by_series = np.bincount(series[counted] * size + cell[counted], minlength=len(ids) * size)
    by_rid = np.full(int(rid.max()) + 1, -1, dtype=np.int64)
    by_rid[rid[series >= 0]] = cell[series >= 0]
    whole = np.bincount(by_rid[by_rid >= 0], minlength=size)
    return (
        whole.astype(np.int64).reshape(shape),
        by_series.astype(np.int64).reshape((len(ids), *shape)),
    )


def _series_position(long: pl.DataFrame, series: tuple[str, ...]) -> pl.Expr:
    """Each row's position in `series` (-1 for another series). Callers pass the series
    of the indicator whose contributions these are, in its order: the `_series` column
    `contributions` wrote is then that position; a frame without it is looked up by id."""
    if "_series" in long.columns and long.schema["_series"] == pl.UInt8:
        return pl.col("_series").cast(pl.Int16)
    return pl.col("series").replace_strict(
        {s: i for i, s in enumerate(series)}, default=-1, return_dtype=pl.Int16
    )


def _one_row_each(indicator: Indicator, one_series: bool = False) -> bool:
    """Whether contributions have one row per contributor: one per series and
    contributor (`cells.once_per_unit`), for one series (or a frame of one series)."""
    return once_per_unit(indicator) and (one_series or len(indicator.series) == 1)


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


@dataclass(frozen=True)
class YearRows:
    """An indicator's contributions of one campaign year and their atom counts
    (`_year_atoms`): what every figure of that indicator and year starts from."""

    long: pl.DataFrame
    atoms: np.ndarray
    series_atoms: np.ndarray | None

    def size(self) -> int:
        extra = self.series_atoms.nbytes if self.series_atoms is not None else 0
        return int(self.long.estimated_size()) + self.atoms.nbytes + extra


def year_rows(
    frame: pl.DataFrame, indicator: Indicator, year: int, memo: Memo[YearRows] | None = None
) -> YearRows:
    """The indicator's `YearRows` of `year`, from `memo` when it holds them (`memo.py`:
    the same for every viewer, filter and breakdown)."""
    key = (indicator.model_dump_json(), year)
    found = memo.get(key) if memo is not None else None
    if found is not None:
        return found
    needed = [c for c in dict.fromkeys((*_KEYS, *_columns(indicator))) if c in frame.columns]
    if "_rid" in needed:  # the contributor's row number: the string ids are not needed
        needed = [c for c in needed if c not in ("response_id", "organisation_id")]
    # Columns, scope and year filtered as the contributions are computed, in one query.
    rows = (
        frame.lazy()
        .select(needed)
        .filter(scope_predicate(needed, indicator) & (pl.col("reference_year") == year))
    )
    long = contributions(rows, indicator)
    atoms, series_atoms = _year_atoms(long, indicator)
    for counts in (atoms, series_atoms):
        if counts is not None:  # shared by every viewer's computation: never changed
            counts.setflags(write=False)
    found = YearRows(long, atoms, series_atoms)
    if memo is not None:
        memo.put(key, found, found.size())
    return found


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


def every_year(frame: pl.DataFrame, indicator: Indicator) -> pl.DataFrame:
    """The contributions of every campaign year of a frame (constant samples follow the
    same contributors across years: `trends.py`)."""
    needed = [c for c in dict.fromkeys((*_KEYS, *_columns(indicator))) if c in frame.columns]
    return contributions(scope_frame(frame.select(needed), indicator), indicator)


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
    schema = {
        "group": pl.String,
        "series": pl.String,
        "value": pl.Float64,
        "contributors": pl.Int64,
        "is_total": pl.Boolean,
        "secret": pl.String,
        **({"category": pl.String} if "category" in exact.columns else {}),
        **(dict.fromkeys(("q1", "q3", "p10", "p90"), pl.Float64) if quantiles else {}),
    }
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


_KEYS = (
    "_rid",
    "_key",
    "response_id",
    "organisation_id",
    "reference_year",
    *FILTER_DIMENSIONS,
    *_CODES,
    "submitted",
)


def _columns(indicator: Indicator) -> list[str]:
    out = list(indicator.used_questions())
    out += [s.group_by for s in indicator.series if s.group_by]
    return out


def scope_frame(frame: pl.DataFrame, indicator: Indicator) -> pl.DataFrame:
    """The rows an indicator is about: artists or structures, and its filières."""
    return frame.filter(scope_predicate(frame.columns, indicator))


def scope_predicate(columns: list[str], indicator: Indicator) -> pl.Expr:
    """`scope_frame`'s condition, for a query plan (a row with an unknown organisation
    type is in no scope)."""
    condition = pl.lit(True)
    if "structure_type" in columns:
        artist = pl.col("structure_type") == "artiste"
        condition = condition & (artist if indicator.audience == "artiste" else ~artist)
    if indicator.filieres:
        condition = condition & pl.col("filiere").is_in(indicator.filieres)
    return condition


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


def _empty() -> pl.DataFrame:
    return pl.DataFrame(
        schema={
            "group": pl.String,
            "series": pl.String,
            "value": pl.Float64,
            "contributors": pl.Int64,
            "is_total": pl.Boolean,
            "secret": pl.String,
        }
    )
